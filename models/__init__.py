"""Shipped trained models: NAME.joblib and its manifest NAME.json."""
