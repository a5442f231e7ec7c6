"""The journal's files in its data folder, as a whole: replacing the journal and its key file together, and
clearing away what interrupted work left behind.

A new journal file and the key file that opens it (a re-keyed journal, a restored backup) are installed as a
pair, so that a crash at any point leaves a pair that belongs together:

1. the new journal is written to `.journal.db.pending` and synced;
2. its key file is written to `journal.key.pending` (atomically): from here on the pair is complete, and
   the install is carried forward, never back;
3. the old journal's write-ahead log goes (its content is in the new file, or in the backup made first),
   then `.journal.db.pending` replaces `journal.db`, then `journal.key.pending` replaces `journal.key`.

Opening with the data folder held (`tidy`) finishes an install that was interrupted after step 2 and
removes one interrupted before it. A reader that does not hold the folder tries `journal.key.pending` when
the key file does not open the journal (storage.open_journal), for the moment between the two renames.

Temporary files and scratch folders are held with an OS lock (flock) while they are in use, so the sweep
removes only what a process that ended left behind, never another program's work in progress.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

from boundary_journal.store import files
from boundary_journal.store.paths import BACKUP_FOLDER

PENDING = ".pending"
# Without OS file locks (Windows), only what is this old is taken for abandoned.
_STALE_SECONDS = 3600


def pending_journal(journal: Path) -> Path:
    return journal.with_name(f".{journal.name}{PENDING}")


def pending_key_file(journal: Path) -> Path:
    return journal.with_suffix(".key" + PENDING)


def database_files(path: Path) -> list[Path]:
    """A database file with the files SQLite keeps beside it."""
    return [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]


def remove_database(path: Path) -> None:
    for part in database_files(path):
        part.unlink(missing_ok=True)


def install_pair(journal: Path, key_bytes: bytes) -> None:
    """Replace the journal with `pending_journal(journal)` (written and synced by the caller) and its key file
    with `key_bytes`, so that a crash at any point leaves a matching pair (see the module's notes).

    The caller holds the data folder and has closed every connection to the journal it replaces.
    """
    staged = pending_journal(journal)
    if not staged.is_file():
        raise FileNotFoundError(staged)
    files.atomic_write(pending_key_file(journal), lambda out: out.write(key_bytes), what="key file")
    _finish(journal)


def _finish(journal: Path) -> None:
    staged, staged_key = pending_journal(journal), pending_key_file(journal)
    if staged.exists():
        for stale in database_files(journal)[1:]:
            stale.unlink(missing_ok=True)  # the old journal's log: its content is in the new file already
        os.replace(staged, journal)
        files.sync_folder(journal.parent)
    os.replace(staged_key, journal.with_suffix(".key"))
    files.sync_folder(journal.parent)


def finish_interrupted_install(journal: Path) -> bool:
    """Carry forward an install whose pair was complete, or drop one that was not; True if there was one.

    Only for the holder of the data folder (nobody else may be installing at the same time).
    """
    staged, staged_key = pending_journal(journal), pending_key_file(journal)
    if staged_key.exists() and _usable_key_file(staged_key):
        _finish(journal)
        return True
    staged_key.unlink(missing_ok=True)  # written whole or not at all: one that does not read is not ours
    if staged.exists() or any(part.exists() for part in database_files(staged)):
        remove_database(staged)
        files.sync_folder(journal.parent)
        return True
    return False


def _usable_key_file(path: Path) -> bool:
    from boundary_journal.errors import UserError
    from boundary_journal.store import keys

    try:
        keys.read_key_file(path)
    except (OSError, UserError):
        return False
    return True


def leftovers(journal: Path) -> list[Path]:
    """What interrupted work leaves in the data folder and its backups folder: temporary files, scratch
    folders and half-made journals (the old key files and snapshots some of them hold included)."""
    folder = journal.parent
    found: list[Path] = []
    for where in (folder, folder / BACKUP_FOLDER):
        if where.is_dir():
            for pattern in (files.TEMPORARY_PATTERN, files.OLD_TEMPORARY_PATTERN, *files.SCRATCH_PATTERNS):
                found += where.glob(pattern)
    found += folder.glob(f".{journal.name}.*.creating*")  # an interrupted set-up (storage.create_journal)
    found += folder.glob(f".{journal.name}.upgrading*")  # an interrupted key-file upgrade
    return sorted(set(found))


def tidy(journal: Path) -> list[Path]:
    """Finish or drop an interrupted install, then remove abandoned leftovers; returns what was removed.

    Called by whoever holds the data folder, before the journal is opened.
    """
    if not journal.parent.is_dir():
        return []
    finish_interrupted_install(journal)
    removed = []
    for path in leftovers(journal):
        if _abandoned(path):
            with contextlib.suppress(OSError):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed.append(path)
    if removed:
        files.sync_folder(journal.parent)
    return removed


def _abandoned(path: Path) -> bool:
    """Whether no running process holds `path` (see files.held); where that cannot be told, whether it is old."""
    try:
        in_use = files.held(path)
    except OSError:
        return False
    if in_use is not None:
        return not in_use
    try:
        return time.time() - path.lstat().st_mtime > _STALE_SECONDS
    except OSError:
        return False
