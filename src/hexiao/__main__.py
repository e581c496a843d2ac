"""`python -m hexiao` runs the command line."""

from hexiao.cli.app import main

main()
