"""`python -m qa ...` is the `newsqa` command."""

from qa.cli import main

main()
