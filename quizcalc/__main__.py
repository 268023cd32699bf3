"""``python -m quizcalc`` runs the command line."""

from quizcalc.cli.main import main

main()
