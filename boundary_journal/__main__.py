"""`python -m boundary_journal` is the same program as `boundary-journal`."""

from boundary_journal.cli import main

raise SystemExit(main())
