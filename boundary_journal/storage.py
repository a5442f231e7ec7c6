"""Opening and creating the encrypted journal: one SQLCipher 4 file, schema owned by Alembic.

Every check that can refuse a file (missing, foreign, wrong passphrase, too new) runs before
anything is written, so a refused file is left byte-for-byte as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from boundary_journal.errors import (
    InvalidInput,
    JournalDamaged,
    JournalExists,
    JournalMissing,
    JournalTooNew,
    NotAJournal,
    WrongPassphrase,
)

# Written into the SQLite header so a journal can be told from other encrypted databases.
APPLICATION_ID = 0x424A524E  # "BJRN"
MIN_PASSPHRASE_LENGTH = 8
_SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"


@dataclass
class Journal:
    """An open journal: the engine bound to the encrypted file and a session factory."""

    path: Path
    engine: Engine
    session_factory: sessionmaker[Session]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error."""
        with self.session_factory.begin() as session:
            yield session

    def read(self) -> Session:
        return self.session_factory()

    def close(self) -> None:
        self.engine.dispose()


def _silence_cipher_log() -> None:
    # SQLCipher prints decryption failures to stderr; the app reports them itself.
    conn = sqlcipher3.connect(":memory:")
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.close()


def _quote_key(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def _raw_connect(path: Path, passphrase: str, *, create: bool = False) -> sqlcipher3.Connection:
    mode = "rwc" if create else "rw"
    uri = f"file:{quote(str(path))}?mode={mode}"
    conn = sqlcipher3.connect(uri, uri=True, check_same_thread=False)
    conn.execute(f"PRAGMA key = {_quote_key(passphrase)}")
    return conn


def _configured_connect(path: Path, passphrase: str) -> sqlcipher3.Connection:
    conn = _raw_connect(path, passphrase)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    # Overwrite deleted text instead of leaving it in free pages.
    conn.execute("PRAGMA secure_delete = ON")
    return conn


def _engine(path: Path, passphrase: str) -> Engine:
    engine = create_engine(
        "sqlite://",
        module=sqlcipher3,
        creator=lambda: _configured_connect(path, passphrase),
        poolclass=QueuePool,
        hide_parameters=True,  # entry text must never appear in an error message or log
        pool_size=2,
    )

    # Let SQLAlchemy, not the driver, decide when transactions begin (SQLAlchemy's SQLite recipe).
    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None

    # IMMEDIATE takes the write lock up front, so a second writer waits (busy timeout) instead of
    # failing with "database is locked" when its read turns into a write.
    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _open(path: Path, engine: Engine) -> Journal:
    return Journal(path, engine, sessionmaker(engine, expire_on_commit=False))


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


def ensure_exists(path: Path) -> None:
    if not path.exists():
        raise JournalMissing(f"There is no journal at {path}; create one with 'boundary-journal init'.")


def create_journal(path: Path, passphrase: str) -> Journal:
    """Create a new encrypted journal at `path`; never touches an existing file."""
    from boundary_journal import migrations

    ensure_absent(path)
    validate_new_passphrase(passphrase)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _silence_cipher_log()
    # Build the file under a temporary name of its own, so an interrupted set-up never leaves a half
    # journal; publish it with link(), which refuses to replace a journal another process just made.
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".creating")
    os.close(handle)
    partial = Path(name)
    try:
        partial.unlink()  # SQLCipher creates the file itself
        conn = _raw_connect(partial, passphrase, create=True)
        try:
            os.chmod(partial, 0o600)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.commit()
        finally:
            conn.close()
        engine = _engine(partial, passphrase)
        try:
            migrations.upgrade(engine)
        finally:
            engine.dispose()
        try:
            os.link(partial, path)
        except FileExistsError:
            raise JournalExists(f"A journal was just created at {path} by another start; open it instead.") from None
    finally:
        partial.unlink(missing_ok=True)
    return _open(path, _engine(path, passphrase))


def open_journal(path: Path, passphrase: str) -> Journal:
    """Open an existing journal, upgrading its schema if it was made by an older version."""
    from boundary_journal import migrations

    ensure_exists(path)
    _check_passphrase_characters(passphrase)
    _check_looks_like_journal(path)
    _silence_cipher_log()
    try:
        conn = _raw_connect(path, passphrase)
    except sqlcipher3.Error as exc:
        raise JournalDamaged(f"The journal at {path} cannot be opened ({exc}).") from None
    try:
        try:
            # Reading the header page is the first decryption: if it fails, the key is wrong (or the
            # first page is damaged, which only the key file of a later version can tell apart).
            (app_id,) = conn.execute("PRAGMA application_id").fetchone()
        except sqlcipher3.DatabaseError:
            raise WrongPassphrase("The passphrase does not open this journal.") from None
        if app_id != APPLICATION_ID:
            raise NotAJournal(f"{path} is an encrypted database, but not a Boundary Journal.")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            revision = migrations.stored_revision(conn)
        except sqlcipher3.DatabaseError as exc:
            raise JournalDamaged(
                f"The journal at {path} opens with this passphrase but is damaged ({exc}); it was not changed."
            ) from None
    finally:
        conn.close()
    if not migrations.is_known(revision):
        raise JournalTooNew(
            f"The journal at {path} was made by a newer version of Boundary Journal; "
            "update the app to open it."
        )
    engine = _engine(path, passphrase)
    try:
        migrations.upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return _open(path, engine)


def _check_looks_like_journal(path: Path) -> None:
    """Refuse files that cannot be a SQLCipher journal, so they are not blamed on the passphrase."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(len(_SQLITE_PLAIN_HEADER))
    if head == _SQLITE_PLAIN_HEADER:
        raise NotAJournal(f"{path} is an unencrypted SQLite database, not a Boundary Journal.")
    if size == 0 or size % 512:
        raise NotAJournal(f"{path} is not a Boundary Journal (it is not an encrypted database).")


def integrity_problems(journal: Journal) -> list[str]:
    """SQLCipher's page authentication and SQLite's structural check; empty when all is well."""
    problems: list[str] = []
    with journal.engine.connect() as conn:
        for row in conn.exec_driver_sql("PRAGMA cipher_integrity_check"):
            problems.append(f"cipher: {row[0]}")
        for row in conn.exec_driver_sql("PRAGMA integrity_check"):
            if row[0] != "ok":
                problems.append(f"sqlite: {row[0]}")
    return problems
