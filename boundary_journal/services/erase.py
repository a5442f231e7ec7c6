"""Delete everything: the journal, its key file and every backup in the data folder, for good.

The caller has closed the journal and holds the data folder's instance lock. The lock file
(`journal.lock`, empty) is left in place: unlinking a file another start may be waiting to lock lets
that start lock a new file while this process still believes it holds the folder, so two programs
could then write one folder. It holds no journal data and is harmless.

Backups the user saved elsewhere (Back up now… to a folder of their choice) are not known here and
are not touched; the window says so before anything is deleted.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from boundary_journal.errors import CannotWrite
from boundary_journal.store import files, journal_files, keys
from boundary_journal.store.backups import backup_folder


def what_would_be_deleted(journal_path: Path) -> list[Path]:
    """The files and folders `delete_everything` removes, as they exist now (for the confirmation)."""
    return [path for path in _targets(journal_path) if path.exists() or path.is_symlink()]


def delete_everything(journal_path: Path) -> list[Path]:
    """Remove the journal, its -wal/-shm files, its key file, the backups folder and leftovers of
    interrupted set-ups, upgrades and restores; returns what was removed.

    Backups go first and the key file last, so an interruption leaves either a journal that still
    opens (delete again) or only a key file without a journal, which the next set-up replaces.
    Everything that can be removed is removed even if one item fails; then CannotWrite names the rest.
    """
    removed: list[Path] = []
    failed: list[str] = []
    for path in _targets(journal_path):
        if not (path.exists() or path.is_symlink()):
            continue
        try:
            if path == keys.key_path_for(journal_path):
                _overwrite(path)
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError as exc:
            failed.append(f"{path} ({exc.strerror or exc})")
            continue
        removed.append(path)
    files.sync_folder(journal_path.parent)
    if failed:
        raise CannotWrite(
            "Some files could not be deleted: " + "; ".join(failed) + ". Delete them yourself, or try again."
        )
    return removed


def _targets(journal_path: Path) -> list[Path]:
    folder = journal_path.parent
    # Leftovers of interrupted set-ups, upgrades, backups and restores, and a re-keyed journal or restored backup
    # waiting to be installed (journal_files): some hold snapshots of the journal or old key files.
    return [
        backup_folder(folder),
        *journal_files.leftovers(journal_path),
        *journal_files.database_files(journal_files.pending_journal(journal_path)),
        journal_files.pending_key_file(journal_path),
        *journal_files.database_files(journal_path),
        keys.key_path_for(journal_path),
    ]


def _overwrite(path: Path) -> None:
    """Overwrite the key file before unlinking it: without the wrapped key, the journal's blocks that the
    file system keeps after deletion are undecipherable even with the passphrase. Best effort: flash
    storage and copy-on-write file systems may keep the old block anyway."""
    if path.is_symlink() or not path.is_file():
        return
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.write(os.urandom(size))
        handle.flush()
        os.fsync(handle.fileno())
