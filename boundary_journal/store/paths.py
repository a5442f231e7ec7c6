"""The one place that knows where things live: the data folder, the journal file, shipped resources."""

from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

ENV_HOME = "BOUNDARY_JOURNAL_HOME"
JOURNAL_FILENAME = "journal.db"
BACKUP_FOLDER = "backups"  # in the data folder
BACKUP_SUFFIX = ".bjbackup"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the journal: `--data-dir`, else $BOUNDARY_JOURNAL_HOME, else the user data folder."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path("BoundaryJournal", appauthor=False)


def journal_path(folder: Path) -> Path:
    return folder / JOURNAL_FILENAME


def ensure_exists(path: Path) -> None:
    """JournalMissing unless the journal file is there (said before a passphrase is asked for)."""
    if not path.exists():
        from boundary_journal.errors import JournalMissing

        raise JournalMissing(f"There is no journal at {path}; create one with 'boundary-journal init'.")


def resources_root() -> Traversable:
    """Shipped data: installed as boundary_journal.resources, or the top-level resources/ of a checkout."""
    try:
        return resources.files("boundary_journal.resources")
    except ModuleNotFoundError:
        return resources.files("resources")
