"""An open journal: the SQLAlchemy engine over one verified SQLCipher file, its sessions, and the checks of
what it holds. `Journal` is the type every layer above the store passes around; opening and creating one
(with every check that may refuse a file first) is `storage`'s.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from boundary_journal.errors import CannotWrite, JournalDamaged, disk_full
from boundary_journal.store import keys, sqlcipher

_READ_ONLY = "boundary_journal_read_only"  # an execution option: the transaction only reads


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
                self._conn = sqlcipher.connect(self._path, key)
            problems = [row[0] for row in self._conn.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                self._damage = JournalDamaged(sqlcipher.damaged_message(self._path, problems[0]))
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
        return JournalDamaged(sqlcipher.damaged_message(path, str(error)))
    return None


def _configured_connect(path: Path, key: bytes) -> sqlcipher3.Connection:
    conn = sqlcipher.connect(path, key)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    # Overwrite deleted text instead of leaving it in free pages.
    conn.execute("PRAGMA secure_delete = ON")
    return conn


def make_engine(path: Path, key: bytes | Callable[[], bytes]) -> Engine:
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


def open_file(path: Path, key: bytes) -> Journal:
    box: list[Journal] = []
    engine = make_engine(path, lambda: box[0].key)
    journal = Journal(path, engine, sessionmaker(engine, expire_on_commit=False), key,
                      read_only=sqlcipher.in_read_only_folder(path))
    box.append(journal)
    return journal


def journal_digest(journal: Journal) -> str:
    with journal.engine.connect() as conn:
        return sqlcipher.content_digest(conn.connection.dbapi_connection)  # type: ignore[arg-type]


def integrity_problems(journal: Journal) -> list[str]:
    """SQLCipher's page authentication and SQLite's structural check; empty when all is well."""
    with journal.engine.connect() as conn:
        try:
            return sqlcipher.integrity_problems_of(conn.connection.dbapi_connection)  # type: ignore[arg-type]
        except sqlcipher3.DatabaseError as exc:
            # A page that fails authentication stops the check itself: that is a finding, not a crash.
            return [f"sqlite: {exc}"]

