"""Start Boundary Journal from a checkout: the same program as the `boundary-journal` command."""

from ui.launcher import main

if __name__ == "__main__":
    raise SystemExit(main())
