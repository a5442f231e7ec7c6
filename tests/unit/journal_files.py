"""Helpers for tests that break journal files on purpose: hashing a folder, flipping bytes, old journals."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from boundary_journal.catalog import Catalog
from boundary_journal.services import entries
from boundary_journal.store import migrations
from boundary_journal.store.journal import Journal
from boundary_journal.store.sqlcipher import APPLICATION_ID

PAGE = 4096

# Prepended to every `python -c` script: the library with the tests' cheap key derivation.
CHILD_PREAMBLE = (
    "import os, sys\n"
    "from pathlib import Path\n"
    "from boundary_journal.store import keys\n"
    "keys.DEFAULT_KDF = keys.KdfParams(memory_kib=64, iterations=1, lanes=1)\n"
)


def folder_state(folder: Path) -> dict[str, str]:
    """Every file under `folder` by relative path, with a SHA-256 of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def entry_draft(text: str, *, relationship: str = "Client K") -> entries.EntryDraft:
    return entries.EntryDraft(
        template="gift_offered", relationship=relationship, occurred=datetime(2026, 3, 2, 10, 0),
        fields={"what_happened": text, "documentation_note": "declined politely"},
    )


def fill(journal: Journal, catalog: Catalog, count: int = 12, size: int = 3000) -> list[int]:
    """Enough entries for the file to span dozens of pages; returns their ids."""
    return [entries.add_entry(journal, catalog, entry_draft(f"entry {index} " + "x" * size)).id
            for index in range(count)]


def _legacy_engine(path: Path, passphrase: str) -> Engine:
    """The engine of the versions before the key file: SQLCipher keyed by the passphrase itself."""
    quoted = "'" + passphrase.replace("'", "''") + "'"

    def connect() -> sqlcipher3.Connection:
        conn = sqlcipher3.connect(str(path), check_same_thread=False)
        conn.execute(f"PRAGMA key = {quoted}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA secure_delete = ON")
        return conn

    engine = create_engine("sqlite://", module=sqlcipher3, creator=connect, poolclass=QueuePool, pool_size=2)

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@contextmanager
def legacy_journal(path: Path, passphrase: str, revision: str = "head") -> Iterator[Journal]:
    """Make a journal exactly as the versions before the key file did (no key file, rollback journal),
    with its schema at `revision`; yields it open so services can add data, and closes it."""
    quoted = "'" + passphrase.replace("'", "''") + "'"
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = {quoted}")
    path.chmod(0o600)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.commit()
    conn.close()
    engine = _legacy_engine(path, passphrase)
    migrations.upgrade(engine, revision)
    journal = Journal(path, engine, sessionmaker(engine, expire_on_commit=False), key=b"legacy")
    try:
        yield journal
    finally:
        journal.close()


def opens_with_passphrase_as_key(path: Path, passphrase: str) -> bool:
    """True if `path` is readable as a journal of the versions before the key file."""
    conn = sqlcipher3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


# A process that commits an entry and dies without closing: the entry is only in the write-ahead log.
# Run with run_library(CRASH_AFTER_COMMIT, journal path, passphrase).
CRASH_AFTER_COMMIT = (
    "from boundary_journal.catalog import shipped_catalog\n"
    "from boundary_journal.services import entries\n"
    "from boundary_journal.store.storage import open_journal\n"
    "from tests.unit.journal_files import entry_draft\n"
    "journal = open_journal(Path(sys.argv[1]), sys.argv[2])\n"
    "entries.add_entry(journal, shipped_catalog(), entry_draft('only in the write-ahead log'))\n"
    "os._exit(0)  # no close, no checkpoint: the entry is only in the write-ahead log\n"
)


def run_library(script: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `script` (after CHILD_PREAMBLE) in a fresh Python; sys.argv[1:] are `args`."""
    return subprocess.run(
        [sys.executable, "-c", CHILD_PREAMBLE + script, *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )


def kill_when(said: str, script: str, *args: str, after: float = 0.0) -> None:
    """Run `script` in a fresh Python, and SIGKILL it `after` seconds once it has printed the line `said`
    (a random `after` puts the kill at a random moment of what it then does, never a timing assertion)."""
    import signal
    import time

    child = start_library(script, *args)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == said, child.stderr.read() if child.stderr else ""
        time.sleep(after)
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, "it ended before it was killed"


def start_library(script: str, *args: str) -> subprocess.Popen[str]:
    """Start `script` (after CHILD_PREAMBLE) in a fresh Python that reports on its stdout, one line at a time."""
    return subprocess.Popen(
        [sys.executable, "-u", "-c", CHILD_PREAMBLE + script, *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
