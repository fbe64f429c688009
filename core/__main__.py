"""``python -m newsprism`` is the same as the ``newsprism`` command."""

from newsprism.cli import main

main()
