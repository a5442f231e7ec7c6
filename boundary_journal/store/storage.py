"""Opening and creating the encrypted journal: one SQLCipher 4 file, schema owned by Alembic.

The file is encrypted with a random key kept wrapped in the key file beside it (see keys.py).
Every check that can refuse a file (missing, foreign, wrong passphrase, damaged, too new) runs before
anything is written, so a refused file is left byte-for-byte as it was. Connections use WAL with
synchronous=FULL: a transaction that returned is on disk, and a crash mid-write loses nothing committed.

Damage is found in three ways. SQLCipher authenticates every page it reads (HMAC), so a page changed
outside SQLite is refused when read and is therefore never rewritten. SQLite's full `quick_check`, which
reads every page (about 0.4 s for 20,000 entries, 2 s for 100,000), runs at open only when the journal was
not closed cleanly (a write-ahead log was left behind); the window runs it in the background on every
start (`Journal.check_in_background`), and writes wait for it. And every backup is checked whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import sqlcipher3

from boundary_journal.errors import (
    CannotWrite,
    JournalDamaged,
    JournalExists,
    JournalTooNew,
    KeyFileMissing,
    NotAJournal,
    UpgradeNeeded,
)
from boundary_journal.store import backups, files, journal_files, keys, sqlcipher
from boundary_journal.store import journal as journal_module
from boundary_journal.store.journal import Journal
from boundary_journal.store.keys import MIN_PASSPHRASE_LENGTH, validate_new_passphrase
from boundary_journal.store.paths import BACKUP_FOLDER, ensure_exists

__all__ = ["MIN_PASSPHRASE_LENGTH", "validate_new_passphrase"]  # where the passphrase rules were first kept

_SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"


def ensure_absent(path: Path) -> None:
    if path.exists():
        raise JournalExists(f"A journal already exists at {path}; open it instead of creating one.")


def _initialise_file(path: Path, key: bytes) -> None:
    """Make `path` a journal at the newest schema, encrypted with `key`, in WAL mode, mode 0600."""
    from boundary_journal.store import migrations

    conn = sqlcipher.connect(path, key, create=True)
    try:
        os.chmod(path, 0o600)
        conn.execute(f"PRAGMA application_id = {sqlcipher.APPLICATION_ID}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.commit()
    finally:
        conn.close()
    engine = journal_module.make_engine(path, key)
    try:
        migrations.upgrade(engine)
    finally:
        engine.dispose()


def create_journal(path: Path, passphrase: str, recovery_code: str | None = None, *,
                   fill: Callable[[Journal], object] | None = None) -> Journal:
    """Create a new encrypted journal at `path` and its key file; never touches an existing journal.

    `fill` writes the journal's first content (an import, a sample journal) before the journal gets its name:
    a set-up killed at any point, filling included, leaves no journal behind, only a hidden leftover that the
    next start sweeps (journal_files.tidy), so running it again just works.
    The caller holds the data folder's instance lock (see instance.py), so no other start races this.
    """
    ensure_absent(path)
    validate_new_passphrase(passphrase)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = keys.new_journal_key()
    keyfile = keys.new_key_file(key, passphrase, recovery_code)
    # Build the file under a temporary name of its own, so an interrupted set-up never leaves a half
    # journal; publish it with link(), which refuses to replace a journal another process just made.
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".creating")
    os.close(handle)
    partial = Path(name)
    try:
        partial.unlink()  # SQLCipher creates the file itself
        _initialise_file(partial, key)
        if fill is not None:
            unnamed = journal_module.open_file(partial, key)
            try:
                fill(unnamed)
            finally:
                unnamed.close()
        # The key file goes first: a key file without a journal is a leftover that the next set-up
        # replaces, while a journal without its key file could never be opened.
        keys.write_key_file(keys.key_path_for(path), keyfile)
        try:
            os.link(partial, path)
        except FileExistsError:
            raise JournalExists(f"A journal was just created at {path} by another start; open it instead.") from None
        files.sync_folder(path.parent)
    finally:
        journal_files.remove_database(partial)
    return journal_module.open_file(path, key)


def open_journal(
    path: Path, passphrase: str, *, check: bool | None = None, pending: keys.PendingUnlock | None = None,
    upgrade: bool = True,
) -> Journal:
    """Open an existing journal, upgrading its key handling or schema if an older version made it.

    `check`: see `open_with_key`. `pending`: the same passphrase's key derivation, already started
    (`keys.start_unlock`), used if it was for the key file found now.
    """
    ensure_exists(path)
    keys.check_passphrase_characters(passphrase)
    key_path = keys.key_path_for(path)
    _check_looks_like_journal(path, has_key_file=key_path.exists())
    waiting = _open_waiting_pair(path, passphrase, check=check)
    if waiting is not None:
        return waiting
    try:
        keyfile = keys.read_key_file(key_path)
    except FileNotFoundError:
        keyfile = None
    if keyfile is None:
        if not upgrade:
            raise UpgradeNeeded(f"The journal at {path} needs an upgrade by this version first.")
        key = _upgrade_legacy(path, passphrase)
    else:
        # The key file tells a wrong passphrase for certain.
        early = pending is not None and pending.keyfile == keyfile
        key = pending.result() if early else keys.unlock(keyfile, passphrase)  # type: ignore[union-attr]
        if not sqlcipher.opens_with(path, key) and sqlcipher.opens_with(path, passphrase):
            key = _upgrade_legacy(path, passphrase)  # an upgrade was interrupted before the swap
    return open_with_key(path, key, check=check, upgrade=upgrade)


def _open_waiting_pair(path: Path, passphrase: str, *, check: bool | None) -> Journal | None:
    """The journal, if a new journal and key file were being installed (journal_files.install_pair) when this
    opener came: a reader met the moment between the renames, or a crash cut the install after the pair was
    complete and nobody has held the folder since. The new pair is the journal, as the next holder will make it
    (journal_files.tidy), so it is read where it is now, and the passphrase of the key file it replaces is no
    longer the journal's. None when nothing is waiting (or the install finished meanwhile)."""
    try:
        waiting = keys.read_key_file(journal_files.pending_key_file(path))
    except (FileNotFoundError, JournalDamaged):
        return None  # nothing waiting, or nothing usable (the next holder drops it)
    key = keys.unlock(waiting, passphrase)
    staged = journal_files.pending_journal(path)
    for target in (staged, path):  # the new journal before its rename, or after it
        if target.exists() and sqlcipher.opens_with(target, key):
            # Only the holder of the folder upgrades, and it installs the pair first.
            return open_with_key(target, key, check=check, upgrade=False)
    raise sqlcipher.first_page_damaged(path)


def open_with_key(path: Path, key: bytes, *, check: bool | None = None, upgrade: bool = True) -> Journal:
    """Verify the file with an already unwrapped key, migrate it if needed (after a backup), open it.

    The first page, the file's identity and its schema version are always checked. `check=True` also runs
    SQLite's quick_check over every page first; `None` (the default) does so only when the journal was
    not closed cleanly (see the module's notes); `False` never. `upgrade=False` (a reader that does not hold
    the data folder) raises UpgradeNeeded instead of migrating.
    """
    from boundary_journal.store import migrations

    if check is None:
        check = sqlcipher.left_unclosed(path)
    revision = sqlcipher.verify(path, key, check=check)
    if not migrations.is_known(revision):
        raise JournalTooNew(
            f"The journal at {path} was made by a newer version of Boundary Journal; "
            "update the app to open it."
        )
    if revision != migrations.head() and sqlcipher.in_read_only_folder(path):
        raise CannotWrite(f"The journal at {path} must be upgraded by this version before it is used, and its "
                          "folder cannot be written to here (it is read-only).")
    if revision != migrations.head() and not upgrade:
        raise UpgradeNeeded(f"The journal at {path} needs an upgrade by this version first.")
    journal = journal_module.open_file(path, key)
    try:
        if revision != migrations.head():
            backups.upgrade_in_place(journal)
    except BaseException:
        journal.close()
        raise
    return journal


def _upgrade_legacy(path: Path, passphrase: str) -> bytes:
    """Move a journal keyed directly by its passphrase (versions before the key file) to a random key.

    The old file is kept, unchanged, in the backups folder; the new file is built beside it, checked,
    and swapped in only after the key file that opens it is on disk. A crash at any point leaves
    either the old journal (which the next open upgrades again) or the new one with its key file.
    """
    if not sqlcipher.opens_with(path, passphrase):
        # Either way the journal cannot be opened, and a passphrase typed again would not help.
        key_path = keys.key_path_for(path)
        raise KeyFileMissing(
            f"The key file {key_path} is missing, and the journal cannot be opened without it (nor does the "
            f"passphrase open it as a journal of an earlier version). If the journal was moved, move "
            f"{key_path.name} with it; otherwise restore the newest backup."
        )
    _verify_legacy(path, passphrase)
    key = keys.new_journal_key()
    keyfile = keys.new_key_file(key, passphrase)
    converted = path.with_name(f".{path.name}.upgrading")
    journal_files.remove_database(converted)
    try:
        problems = sqlcipher.copy_with_key(path, passphrase, converted, key)
        if problems:
            raise JournalDamaged(f"The journal at {path} could not be upgraded ({problems[0]}); it was not changed.")
        backup_folder = path.parent / BACKUP_FOLDER
        backup_folder.mkdir(mode=0o700, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        kept = backup_folder / f"{path.stem}-before-key-file-{stamp}.legacy.db"
        shutil.copyfile(path, kept)  # the old file is closed and unchanged; it opens with the old passphrase
        os.chmod(kept, 0o600)
        with open(kept, "rb+") as handle:
            os.fsync(handle.fileno())
        keys.write_key_file(keys.key_path_for(path), keyfile)
        os.replace(converted, path)
        files.sync_folder(path.parent)
    finally:
        journal_files.remove_database(converted)
    return key


def replace_key(journal: Journal, new_key: bytes, key_file: bytes) -> None:
    """Re-encrypt the open journal with `new_key` and install `key_file` beside it, as one crash-safe step.

    The journal is copied into a new file under the new key (checked whole), then the pair is installed
    (journal_files.install_pair): after a crash the old journal with its old key file, or the new journal
    with the new one, opens. The open `journal` carries on with the new key. The caller holds the data folder.
    """
    staged = journal_files.pending_journal(journal.path)
    journal_files.remove_database(staged)
    if journal._check is not None:
        journal._check.wait_passed()  # a journal found damaged is not copied (JournalDamaged)
    try:
        with journal.engine.connect() as conn:
            sqlcipher.export_copy(conn.connection.dbapi_connection, staged, new_key)  # type: ignore[arg-type]
        problems = sqlcipher.file_integrity_problems(staged, new_key)
        if problems:
            raise JournalDamaged(sqlcipher.damaged_message(journal.path, problems[0]))
    except BaseException:
        journal_files.remove_database(staged)
        raise
    # Every connection closes (the last one folds the log into the old file) before the files are swapped.
    if journal._check is not None:
        journal._check.stop()
        journal._check = None
    journal.engine.dispose()
    try:
        journal_files.install_pair(journal.path, key_file)
    finally:
        if not staged.exists():  # the new file is in place (the key file follows at the next open if not yet)
            journal.key = new_key


def _verify_legacy(path: Path, passphrase: str) -> None:
    conn = sqlcipher.connect(path, passphrase)
    try:
        (app_id,) = conn.execute("PRAGMA application_id").fetchone()
        if app_id != sqlcipher.APPLICATION_ID:
            raise NotAJournal(f"{path} is an encrypted database, but not a Boundary Journal.")
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except sqlcipher3.DatabaseError as exc:
        raise JournalDamaged(f"The journal at {path} is damaged ({exc}); it was not changed.") from None
    finally:
        conn.close()
    if problems != ["ok"]:
        raise JournalDamaged(f"The journal at {path} is damaged ({problems[0]}); it was not changed.")


def _check_looks_like_journal(path: Path, *, has_key_file: bool = False) -> None:
    """Refuse files that cannot be a SQLCipher journal, so they are not blamed on the passphrase."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(len(_SQLITE_PLAIN_HEADER))
    if head == _SQLITE_PLAIN_HEADER:
        raise NotAJournal(f"{path} is an unencrypted SQLite database, not a Boundary Journal.")
    if (size == 0 or size % 512) and has_key_file:
        # Beside its key file, a file of broken length is a journal cut short, not a stranger.
        raise JournalDamaged(
            f"The journal at {path} is damaged: it has been cut short ({size} bytes). It was not changed; "
            "restore the newest backup."
        )
    if size == 0 or size % 512:
        raise NotAJournal(f"{path} is not a Boundary Journal (it is not an encrypted database).")


