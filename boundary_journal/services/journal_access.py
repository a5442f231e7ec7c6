"""The journal as a whole: hold its folder, create it, unlock it, back it up, restore a backup.

One function per user action, called by the command line and the window alike (the window adds only its
dialogs, the command line only its prompts and printing). Changing a secret is in access.py.

The first window and every command import this module before anything heavy: the key derivation starts
(`start_unlock`) and the unlock dialog is painted while SQLAlchemy and the SQLCipher layer load. So the storage
and backup modules are imported by the functions that use them, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from boundary_journal.errors import UserError
from boundary_journal.store import files, instance, journal_files, keys
from boundary_journal.store.keys import MIN_PASSPHRASE_LENGTH
from boundary_journal.store.paths import BACKUP_FOLDER, BACKUP_SUFFIX, journal_path

if TYPE_CHECKING:
    from boundary_journal.store.backups import BackupInfo, BackupScan
    from boundary_journal.store.instance import InstanceLock
    from boundary_journal.store.journal import Journal

__all__ = ["BACKUP_SUFFIX", "MIN_PASSPHRASE_LENGTH", "Created", "RestoredJournal"]


def journal_file(data_folder: Path) -> Path:
    """The journal's file in `data_folder`."""
    return journal_path(data_folder)


def hold(data_folder: Path) -> InstanceLock:
    """Hold `data_folder` for this process (JournalInUse while another window or command holds it), then finish
    or clear away what interrupted work left in it (a re-key or restore cut short, leftovers)."""
    held = instance.acquire(data_folder)
    try:
        journal_files.tidy(journal_path(data_folder))
    except BaseException:
        held.release()
        raise
    return held


# --- create ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Created:
    """A new journal, open, and its recovery code (None when none was asked for), to be shown once."""

    journal: Journal
    recovery_code: str | None = field(repr=False, default=None)


def create(path: Path, passphrase: str, *, recovery_code: bool) -> Created:
    """Create the encrypted journal at `path` (never over an existing one), with a recovery code if asked.
    The caller holds the data folder."""
    from boundary_journal.store.storage import create_journal

    code = keys.make_recovery_code() if recovery_code else None
    return Created(create_journal(path, passphrase, code), code)


def ensure_absent(path: Path) -> None:
    """JournalExists if there is a journal at `path` (said before a passphrase is asked for)."""
    from boundary_journal.store.storage import ensure_absent as refuse_existing

    refuse_existing(path)


def check_new_passphrase(passphrase: str) -> None:
    """InvalidInput (field "passphrase") if `passphrase` will not do for a new journal or a change."""
    keys.validate_new_passphrase(passphrase)


# --- open ------------------------------------------------------------------------------------------------


def start_unlock(path: Path, passphrase: str) -> keys.PendingUnlock | None:
    """Start deriving the key of the journal at `path` in a thread, so the storage layer loads meanwhile;
    None when its key file cannot be read (`unlock` then says why)."""
    return keys.start_unlock(keys.key_path_for(path), passphrase)


def unlock(path: Path, passphrase: str, *, pending: keys.PendingUnlock | None = None, upgrade: bool = True) -> Journal:
    """Open the journal at `path` with its passphrase (WrongPassphrase, or why the file cannot be used),
    upgrading it if an earlier version made it; `upgrade=False` (a reader that does not hold the data folder)
    raises UpgradeNeeded instead. `pending`: `start_unlock` of the same passphrase."""
    from boundary_journal.store.storage import open_journal

    return open_journal(path, passphrase, pending=pending, upgrade=upgrade)


def reopen(path: Path, key: bytes) -> Journal:
    """The journal at `path` again, with the key it was open with (after the window closed it for a while)."""
    from boundary_journal.store.storage import open_with_key

    return open_with_key(path, key)


def has_recovery_code(path: Path) -> bool:
    """Whether the key file of the journal at `path` holds a recovery code (FileNotFoundError, JournalDamaged
    when it cannot tell)."""
    return keys.read_key_file(keys.key_path_for(path)).has_recovery_code


def journal_id(journal: Journal) -> str | None:
    """The journal's identity (its backups carry it); None when its key file cannot be read."""
    try:
        return keys.read_key_file(journal.key_path).journal_id
    except (OSError, UserError):
        return None


# --- backups -------------------------------------------------------------------------------------------


def backup_folder(data_folder: Path) -> Path:
    """Where the automatic backups and the backups before an upgrade or a restore go."""
    return data_folder / BACKUP_FOLDER


def scan_backups(data_folder: Path) -> BackupScan:
    """The backups in the data folder's backups folder, newest first, and the files skipped (with why)."""
    from boundary_journal.store import backups

    return backups.scan_backups(backup_folder(data_folder))


def list_backups(data_folder: Path) -> list[BackupInfo]:
    """The usable backups in the data folder's backups folder, newest first."""
    return scan_backups(data_folder).found


def read_backup(path: Path, *, verify: bool = True) -> BackupInfo:
    """What the backup file at `path` holds (NotAJournal, BackupDamaged, JournalTooNew if it is not usable);
    `verify=False` reads only its manifest."""
    from boundary_journal.store import backups

    return backups.read_info(path, verify=verify)


def check_backup_path(out: Path) -> None:
    """InvalidInput unless a backup can be written to `out` (said before a passphrase is asked for)."""
    files.check_output_path(out, BACKUP_SUFFIX)


def make_backup(journal: Journal, out: Path | None = None) -> BackupInfo:
    """Back up now: a verified backup of the open journal to `out`, or into the backups folder."""
    from boundary_journal.store import backups

    return backups.make_backup(journal, reason=backups.Reason.MANUAL, out=out)


def automatic_backup(journal: Journal, now: datetime | None = None) -> BackupInfo | None:
    """Today's automatic backup, unless there is one already (None); older ones are thinned out after it."""
    from boundary_journal.store import backups

    return backups.automatic_backup(journal, now)


@dataclass(frozen=True)
class RestoredJournal:
    """A restore done: the journal, open again; the backup it came from; where the journal it replaced went;
    and whether the backup's content was re-encrypted with today's key (see backups.Restored)."""

    journal: Journal
    backup: BackupInfo
    previous: Path | None
    rekeyed: bool = False


def restore(path: Path, backup: Path, passphrase: str, *, backup_secret: str | None = None) -> RestoredJournal:
    """Replace the journal at `path` with `backup` (the journal as it is is backed up first), then open it, which
    upgrades a backup made by an earlier version (after a backup of it).

    Today's passphrase authorises it (WrongPassphrase); a backup of an earlier key also needs the secret of its
    day (BackupSecretNeeded, WrongBackupSecret). The caller holds the data folder and has closed the journal.
    """
    from boundary_journal.store import backups

    restored = backups.restore_backup(path, backup, passphrase, backup_secret=backup_secret)
    return RestoredJournal(reopen(path, restored.key), restored.backup, restored.previous, restored.rekeyed)
