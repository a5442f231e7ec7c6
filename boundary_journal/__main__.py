"""`python -m boundary_journal` runs the command line only (it never imports Qt); the window starts from the
`boundary-journal` command or `python main.py` (ui.launcher)."""

from boundary_journal.cli import main

raise SystemExit(main())
