"""The program's entry point: the `boundary-journal` command and `python main.py`.

No command (or `gui`) starts the window; every other command is the command line's (boundary_journal.cli), which
never imports Qt. Both go through `cli.main`, so options, the data folder, core-dump hardening and the one-line
error messages are the same for the window and the commands; Qt is imported only once the window is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from boundary_journal import cli

if TYPE_CHECKING:
    from boundary_journal.catalog import Catalog


def run_window(data_dir: Path, catalog: Callable[[], Catalog]) -> int:
    from ui.app import run

    return run(data_dir, catalog)


def main(argv: Sequence[str] | None = None) -> int:
    return cli.main(argv, window=run_window)


if __name__ == "__main__":
    raise SystemExit(main())
