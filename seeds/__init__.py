"""The five seed articles with hand labels (gold.json): demo corpus and test fixtures."""
