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

import contextlib
import functools
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from boundary_journal import files, journal_files, keys
from boundary_journal.errors import (
    CannotWrite,
    DiskFull,
    InvalidInput,
    JournalDamaged,
    JournalExists,
    JournalTooNew,
    KeyFileMissing,
    NotAJournal,
    UpgradeNeeded,
    disk_full,
)
from boundary_journal.paths import BACKUP_FOLDER, ensure_exists

# Written into the SQLite header so a journal can be told from other encrypted databases.
APPLICATION_ID = 0x424A524E  # "BJRN"
MIN_PASSPHRASE_LENGTH = 8
_READ_ONLY = "boundary_journal_read_only"  # an execution option: the transaction only reads
_SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"


@dataclass
class Journal:
    """An open journal: the engine bound to the encrypted file and a session factory."""

    path: Path
    engine: Engine
    session_factory: sessionmaker[Session]
    key: bytes = field(repr=False, default=b"")
    _check: _BackgroundCheck | None = field(repr=False, default=None)
    read_only: bool = False  # the data folder cannot be written: reading works, writing says why

    @property
    def key_path(self) -> Path:
        return keys.key_path_for(self.path)

    @property
    def folder(self) -> Path:
        return self.path.parent

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error.

        While a background check runs, it waits for it; a journal the check found damaged is not written to.
        """
        if self.read_only:
            raise CannotWrite(f"The journal's folder {self.folder} cannot be written to (it is read-only here), so "
                              "nothing can be saved; reading works. Open the journal where it can be written.")
        if self._check is not None:
            self._check.wait_passed()
        with self.session_factory.begin() as session:
            yield session

    def read(self) -> Session:
        """A session for reading: its transaction takes no write lock, so it never waits for a writer."""
        return self.session_factory(bind=self._reading_engine)

    @functools.cached_property
    def _reading_engine(self) -> Engine:
        # The same engine and connection pool, marked so that `_begin` starts a plain transaction.
        return self.engine.execution_options(**{_READ_ONLY: True})

    def close(self) -> None:
        """Close every connection (the last one checkpoints and removes the WAL) and drop the key."""
        if self._check is not None:
            self._check.stop()
        self.engine.dispose()
        self.key = b""

    def check_in_background(self, done: Callable[[JournalDamaged | None], None] | None = None) -> None:
        """Run SQLite's quick_check over every page on a connection of its own, while the journal is used.

        Reads go ahead; writes (`transaction`) wait for the check and raise JournalDamaged if it found
        damage. `done` is called from the checking thread with the finding (None when the journal is
        sound), unless the journal was closed first.
        """
        if self._check is not None:
            self._check.stop()
        self._check = _BackgroundCheck(self.path, self.key, done)

    @property
    def damage(self) -> JournalDamaged | None:
        """What the background check found, once it has finished; None while it runs or when all is well."""
        return self._check.finding() if self._check is not None else None

    @property
    def is_open(self) -> bool:
        return bool(self.key)


class _BackgroundCheck:
    """SQLite's quick_check of the journal file, in a thread; stoppable when the journal closes."""

    def __init__(self, path: Path, key: bytes, done: Callable[[JournalDamaged | None], None] | None) -> None:
        self._path = path
        self._finished = threading.Event()
        self._lock = threading.Lock()
        self._conn: sqlcipher3.Connection | None = None
        self._stopped = False
        self._damage: JournalDamaged | None = None
        self._thread = threading.Thread(target=self._run, args=(key, done), name="journal-check", daemon=True)
        self._thread.start()

    def _run(self, key: bytes, done: Callable[[JournalDamaged | None], None] | None) -> None:
        try:
            with self._lock:
                if self._stopped:
                    return
                self._conn = _raw_connect(self._path, key)
            problems = [row[0] for row in self._conn.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                self._damage = JournalDamaged(_damaged_message(self._path, problems[0]))
        except sqlcipher3.Error as exc:
            # A stop interrupts the check, and a busy or unreadable file leaves it unfinished: neither is a
            # finding. A page that fails authentication or SQLite's own checks is.
            if not self._stopped:
                self._damage = damage_from(exc, self._path)
        finally:
            with self._lock:
                conn, self._conn = self._conn, None
            if conn is not None:
                conn.close()
            self._finished.set()
        if done is not None and not self._stopped:
            done(self._damage)

    def finding(self) -> JournalDamaged | None:
        return self._damage if self._finished.is_set() else None

    def wait_passed(self) -> None:
        self._finished.wait()
        if self._damage is not None and not self._stopped:
            raise JournalDamaged(str(self._damage))

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._conn is not None:
                self._conn.interrupt()
        if self._thread is not threading.current_thread():
            self._thread.join()


def damage_from(error: BaseException, path: Path) -> JournalDamaged | None:
    """The JournalDamaged a driver error means (a page failed authentication or SQLite's own checks), if so."""
    if getattr(error, "sqlite_errorcode", None) in (sqlcipher3.SQLITE_CORRUPT, sqlcipher3.SQLITE_NOTADB):
        return JournalDamaged(_damaged_message(path, str(error)))
    return None


def _damaged_message(path: Path, problem: str) -> str:
    return f"The journal at {path} is damaged ({problem}). It was not changed; restore the newest backup."


@functools.cache
def silence_cipher_log() -> None:
    """SQLCipher prints decryption failures to stderr; the app reports them itself. Once per process, before any
    connection to a journal (`_raw_connect`, `opens_with`), so no path of the app lets its lines through."""
    conn = sqlcipher3.connect(":memory:")
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.close()


def _key_pragma(key: bytes | str) -> str:
    """A raw 256-bit key (no key derivation in SQLCipher), or a legacy passphrase."""
    if isinstance(key, bytes):
        return f"PRAGMA key = \"x'{key.hex()}'\""
    return "PRAGMA key = '" + key.replace("'", "''") + "'"


def _raw_connect(
    path: Path, key: bytes | str, *, create: bool = False, read_only: bool = False
) -> sqlcipher3.Connection:
    # A read-only connection reads a write-ahead log left by a crash, but never folds it into the file. In a
    # folder that cannot be written, SQLite could not even make the log's index file: the file is read as it
    # is (immutable), which is all anyone can do there.
    silence_cipher_log()
    mode = "ro" if read_only else "rwc" if create else "rw"
    uri = f"file:{quote(str(path))}?mode={mode}"
    if not create and in_read_only_folder(path) and not left_unclosed(path):
        uri = f"file:{quote(str(path))}?mode=ro&immutable=1"
    elif not create and in_read_only_folder(path):
        uri = f"file:{quote(str(path))}?mode=ro"  # a log a crash left is read through its index, never ignored
    conn = sqlcipher3.connect(uri, uri=True, check_same_thread=False)
    conn.execute(_key_pragma(key))
    return conn


def in_read_only_folder(path: Path) -> bool:
    """Whether the journal at `path` can only be read here (its folder or file is not writable, or read-only)."""
    return not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK))


def _configured_connect(path: Path, key: bytes) -> sqlcipher3.Connection:
    conn = _raw_connect(path, key)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    # Overwrite deleted text instead of leaving it in free pages.
    conn.execute("PRAGMA secure_delete = ON")
    return conn


def _engine(path: Path, key: bytes | Callable[[], bytes]) -> Engine:
    """An engine whose connections are keyed with `key`, or with what `key()` returns when they open.

    With a callable, a journal that was closed (its key emptied) cannot quietly reconnect.
    """
    key_now = key if callable(key) else (lambda: key)

    def connect() -> sqlcipher3.Connection:
        current = key_now()
        if not current:
            raise sqlcipher3.ProgrammingError("the journal is closed (locked); open it again first")
        return _configured_connect(path, current)

    engine = create_engine(
        "sqlite://",
        module=sqlcipher3,
        creator=connect,
        poolclass=QueuePool,
        hide_parameters=True,  # entry text must never appear in an error message or log
        pool_size=2,
    )

    # Let SQLAlchemy, not the driver, decide when transactions begin (SQLAlchemy's SQLite recipe).
    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None

    # IMMEDIATE takes the write lock up front, so a second writer waits (busy timeout) instead of
    # failing with "database is locked" when its read turns into a write. Reads (Journal.read) begin
    # a plain transaction: in WAL mode they see one consistent snapshot beside any writer.
    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(_READ_ONLY) else "BEGIN IMMEDIATE")

    # A page that fails authentication or SQLite's own checks, met while reading or writing, is damage; a write
    # that finds no room is a full disk: each said as such (the transaction was rolled back), never as an
    # unexplained database error.
    @event.listens_for(engine, "handle_error")
    def _damage(context):  # type: ignore[no-untyped-def]
        error = context.original_exception
        return damage_from(error, path) or disk_full(
            error, f"there is no room to write to the journal {path}", "The journal is as it was before")

    return engine


def _open(path: Path, key: bytes) -> Journal:
    box: list[Journal] = []
    engine = _engine(path, lambda: box[0].key)
    journal = Journal(path, engine, sessionmaker(engine, expire_on_commit=False), key,
                      read_only=in_read_only_folder(path))
    box.append(journal)
    return journal


def _check_passphrase_characters(passphrase: str) -> None:
    if "\x00" in passphrase:
        raise InvalidInput("The passphrase cannot contain a NUL character.")
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in passphrase):
        raise InvalidInput("The passphrase contains bytes that are not text; check its encoding (UTF-8).")


def validate_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise InvalidInput(f"The passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters.")
    _check_passphrase_characters(passphrase)


def ensure_absent(path: Path) -> None:
    if path.exists():
        raise JournalExists(f"A journal already exists at {path}; open it instead of creating one.")


def _initialise_file(path: Path, key: bytes) -> None:
    """Make `path` a journal at the newest schema, encrypted with `key`, in WAL mode, mode 0600."""
    from boundary_journal import migrations

    conn = _raw_connect(path, key, create=True)
    try:
        os.chmod(path, 0o600)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.commit()
    finally:
        conn.close()
    engine = _engine(path, key)
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
            unnamed = _open(partial, key)
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
    return _open(path, key)


def open_journal(
    path: Path, passphrase: str, *, check: bool | None = None, pending: keys.PendingUnlock | None = None,
    upgrade: bool = True,
) -> Journal:
    """Open an existing journal, upgrading its key handling or schema if an older version made it.

    `check`: see `open_with_key`. `pending`: the same passphrase's key derivation, already started
    (`keys.start_unlock`), used if it was for the key file found now.
    """
    ensure_exists(path)
    _check_passphrase_characters(passphrase)
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
        if not opens_with(path, key) and opens_with(path, passphrase):
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
        if target.exists() and opens_with(target, key):
            # Only the holder of the folder upgrades, and it installs the pair first.
            return open_with_key(target, key, check=check, upgrade=False)
    raise _first_page_damaged(path)


def open_with_key(path: Path, key: bytes, *, check: bool | None = None, upgrade: bool = True) -> Journal:
    """Verify the file with an already unwrapped key, migrate it if needed (after a backup), open it.

    The first page, the file's identity and its schema version are always checked. `check=True` also runs
    SQLite's quick_check over every page first; `None` (the default) does so only when the journal was
    not closed cleanly (see the module's notes); `False` never. `upgrade=False` (a reader that does not hold
    the data folder) raises UpgradeNeeded instead of migrating.
    """
    from boundary_journal import migrations

    if check is None:
        check = left_unclosed(path)
    revision = _verify(path, key, check=check)
    if not migrations.is_known(revision):
        raise JournalTooNew(
            f"The journal at {path} was made by a newer version of Boundary Journal; "
            "update the app to open it."
        )
    if revision != migrations.head() and in_read_only_folder(path):
        raise CannotWrite(f"The journal at {path} must be upgraded by this version before it is used, and its "
                          "folder cannot be written to here (it is read-only).")
    if revision != migrations.head() and not upgrade:
        raise UpgradeNeeded(f"The journal at {path} needs an upgrade by this version first.")
    journal = _open(path, key)
    try:
        if revision != migrations.head():
            from boundary_journal import backups

            # A schema change rewrites tables: keep a verified copy of the journal as it was.
            backups.make_backup(journal, reason=backups.Reason.BEFORE_UPGRADE)
            migrations.upgrade(journal.engine)
    except BaseException:
        journal.close()
        raise
    return journal


def left_unclosed(path: Path) -> bool:
    """Whether the journal has a write-ahead log with content: a crash, or another process has it open.

    The last connection to close checkpoints the log into the file and removes it.
    """
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def opens_with(path: Path, key: bytes | str) -> bool:
    """Whether `key` decrypts the file's first page, without writing anything.

    Immutable and read-only: a write-ahead log left by a crash is neither read nor checkpointed, which
    an ordinary connection does when it closes, even with a wrong key.
    """
    silence_cipher_log()
    try:
        conn = sqlcipher3.connect(f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        conn.execute(_key_pragma(key))
    except sqlcipher3.Error:
        return False
    try:
        conn.execute("PRAGMA application_id").fetchone()
        return True
    except sqlcipher3.DatabaseError as exc:
        # SQLITE_CORRUPT: the page decrypted and authenticated, so the key is right and the file is damaged.
        return getattr(exc, "sqlite_errorcode", None) == sqlcipher3.SQLITE_CORRUPT
    finally:
        conn.close()


# Less free space than this in the journal's folder, and an I/O error on open is the disk being full: SQLite
# then cannot size the write-ahead log's index (it reports "disk I/O error", not "disk is full").
_ROOM_TO_OPEN = 1 << 20


def _no_room(path: Path, error: BaseException) -> DiskFull | None:
    """A DiskFull if `error`, met while opening the journal, comes of the disk being full."""
    what, kept = f"the journal at {path} could not be opened", "It was not changed"
    found = disk_full(error, what, kept)
    if found is None:
        try:
            if shutil.disk_usage(path.parent).free < _ROOM_TO_OPEN:
                found = DiskFull.saying(what, kept)
        except OSError:
            pass
    return found


def _first_page_damaged(path: Path) -> JournalDamaged:
    # The key file vouched for the passphrase, so the journal's own first page is bad, or the key file
    # beside it belongs to another journal.
    return JournalDamaged(
        f"The journal at {path} is damaged: its first page does not decrypt with the key from its "
        "key file (or that key file belongs to another journal). It was not changed; "
        "restore the newest backup."
    )


def _verify(path: Path, key: bytes, *, check: bool) -> str | None:
    """Every read-only check before the journal is used; returns its schema revision."""
    from boundary_journal import migrations

    if not opens_with(path, key):
        raise _first_page_damaged(path)
    try:
        # Read-only when a crash left a log: a refused file must not have it folded in on close. (Without a
        # log, a read-only connection would leave an empty one behind instead.)
        conn = _raw_connect(path, key, read_only=left_unclosed(path))
    except sqlcipher3.Error as exc:
        raise _no_room(path, exc) or JournalDamaged(
            f"The journal at {path} cannot be opened ({exc}); it was not changed.") from None
    try:
        try:
            (app_id,) = conn.execute("PRAGMA application_id").fetchone()
        except sqlcipher3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) == sqlcipher3.SQLITE_CORRUPT:
                raise JournalDamaged(_damaged_message(path, str(exc))) from None
            # The first page decrypted just before (opens_with): a failure now is the disk, not the journal.
            if in_read_only_folder(path) and left_unclosed(path):
                raise CannotWrite(
                    f"The journal at {path} holds changes a crash left in its log, and its folder cannot be written "
                    "to here (it is read-only), so they cannot be read safely. Open it once where it can be written."
                ) from None
            raise _no_room(path, exc) or _first_page_damaged(path) from None
        if app_id != APPLICATION_ID:
            raise NotAJournal(f"{path} is an encrypted database, but not a Boundary Journal.")
        try:
            if check:
                problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
                if problems != ["ok"]:
                    raise JournalDamaged(_damaged_message(path, problems[0]))
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return migrations.stored_revision(conn)
        except sqlcipher3.DatabaseError as exc:
            raise JournalDamaged(_damaged_message(path, str(exc))) from None
    finally:
        conn.close()


def _upgrade_legacy(path: Path, passphrase: str) -> bytes:
    """Move a journal keyed directly by its passphrase (versions before the key file) to a random key.

    The old file is kept, unchanged, in the backups folder; the new file is built beside it, checked,
    and swapped in only after the key file that opens it is on disk. A crash at any point leaves
    either the old journal (which the next open upgrades again) or the new one with its key file.
    """
    if not opens_with(path, passphrase):
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
        problems = copy_with_key(path, passphrase, converted, key)
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


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def export_copy(conn: sqlcipher3.Connection, target: Path, key: bytes) -> None:
    """Write everything `conn`'s database holds into the new file `target`, encrypted with `key`, in WAL mode,
    synced and private. The caller checks the copy (`file_integrity_problems`) before it counts."""
    try:
        conn.execute(f"ATTACH DATABASE '{_sql_text(str(target))}' AS copied KEY \"x'{key.hex()}'\"")
        try:
            conn.execute("SELECT sqlcipher_export('copied')")
            for pragma in ("application_id", "user_version"):
                (value,) = conn.execute(f"PRAGMA main.{pragma}").fetchone()
                conn.execute(f"PRAGMA copied.{pragma} = {int(value)}")
        finally:
            conn.execute("DETACH DATABASE copied")
        os.chmod(target, 0o600)
        copy = _raw_connect(target, key)
        try:
            copy.execute("PRAGMA journal_mode = WAL")
        finally:
            copy.close()
        with open(target, "rb+") as handle:
            os.fsync(handle.fileno())
    except (sqlcipher3.Error, OSError) as exc:
        full = disk_full(exc, f"a copy of the journal could not be written in {target.parent}", "Nothing was changed")
        if full is not None:
            raise full from None
        raise


def copy_with_key(source: Path, source_key: bytes | str, target: Path, key: bytes) -> list[str]:
    """Copy the closed database `source` into the new file `target` under `key` (export_copy) and check the copy
    whole; returns what the check found (empty when the copy counts). A copy that fails is the caller's to remove."""
    conn = _raw_connect(source, source_key)
    try:
        export_copy(conn, target, key)
    finally:
        conn.close()
    return file_integrity_problems(target, key)


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
            export_copy(conn.connection.dbapi_connection, staged, new_key)  # type: ignore[arg-type]
        problems = file_integrity_problems(staged, new_key)
        if problems:
            raise JournalDamaged(_damaged_message(journal.path, problems[0]))
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
    conn = _raw_connect(path, passphrase)
    try:
        (app_id,) = conn.execute("PRAGMA application_id").fetchone()
        if app_id != APPLICATION_ID:
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


def file_integrity_problems(path: Path, key: bytes) -> list[str]:
    """SQLCipher's page authentication and SQLite's structural check of a closed file."""
    conn = _raw_connect(path, key)
    try:
        return _integrity_problems(conn)
    except sqlcipher3.DatabaseError as exc:
        return [f"sqlite: {exc}"]
    finally:
        conn.close()


def _integrity_problems(conn: sqlcipher3.Connection) -> list[str]:
    problems = [f"cipher: {row[0]}" for row in conn.execute("PRAGMA cipher_integrity_check")]
    problems += [f"sqlite: {row[0]}" for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
    if not problems and conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'entries_fts'").fetchone():
        try:
            # FTS5's own check of the index against the entries it was built from (search correctness).
            conn.execute("INSERT INTO entries_fts(entries_fts, rank) VALUES ('integrity-check', 1)")
        except sqlcipher3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) != sqlcipher3.SQLITE_READONLY:  # the check is an INSERT
                problems.append(f"search index: {exc}")
    return problems


def content_digest(conn: sqlcipher3.Connection) -> str:
    """A SHA-256 of everything the journal holds (every table's rows, the search index aside, which is made from
    them): two journals with the same digest hold the same entries, whatever key encrypts them."""
    import hashlib

    digest = hashlib.sha256()
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'entries_fts%' ORDER BY name"
    )]
    for table in tables:
        digest.update(f"\x00table {table}\x00".encode())
        for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
            digest.update(repr(row).encode("utf-8", "surrogatepass"))
            digest.update(b"\n")
    return digest.hexdigest()


def journal_digest(journal: Journal) -> str:
    with journal.engine.connect() as conn:
        return content_digest(conn.connection.dbapi_connection)  # type: ignore[arg-type]


def integrity_problems(journal: Journal) -> list[str]:
    """SQLCipher's page authentication and SQLite's structural check; empty when all is well."""
    with journal.engine.connect() as conn:
        try:
            return _integrity_problems(conn.connection.dbapi_connection)  # type: ignore[arg-type]
        except sqlcipher3.DatabaseError as exc:
            # A page that fails authentication stops the check itself: that is a finding, not a crash.
            return [f"sqlite: {exc}"]
