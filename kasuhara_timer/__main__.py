"""`python -m kasuhara_timer` runs the same CLI as the `kasuhara-timer` script."""

from kasuhara_timer.cli import main

main()
