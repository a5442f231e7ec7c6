"""The low-level SQLCipher file: connect to it with a key, check that a key opens it, verify it before use,
copy it under another key, and check it whole. The one place that speaks to sqlcipher3 about a file; both
`storage` (the open journal) and `backups` (verified copies) stand on it.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path
from urllib.parse import quote

import sqlcipher3

from boundary_journal.errors import CannotWrite, DiskFull, JournalDamaged, NotAJournal, disk_full
from boundary_journal.store import migrations

# Written into the SQLite header so a journal can be told from other encrypted databases.
APPLICATION_ID = 0x424A524E  # "BJRN"


def damaged_message(path: Path, problem: str) -> str:
    return f"The journal at {path} is damaged ({problem}). It was not changed; restore the newest backup."


@functools.cache
def silence_cipher_log() -> None:
    """SQLCipher prints decryption failures to stderr; the app reports them itself. Once per process, before any
    connection to a journal (`connect`, `opens_with`), so no path of the app lets its lines through."""
    conn = sqlcipher3.connect(":memory:")
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.close()


def _key_pragma(key: bytes | str) -> str:
    """A raw 256-bit key (no key derivation in SQLCipher), or a legacy passphrase."""
    if isinstance(key, bytes):
        return f"PRAGMA key = \"x'{key.hex()}'\""
    return "PRAGMA key = '" + key.replace("'", "''") + "'"


def connect(
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


def no_room(path: Path, error: BaseException) -> DiskFull | None:
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


def first_page_damaged(path: Path) -> JournalDamaged:
    # The key file vouched for the passphrase, so the journal's own first page is bad, or the key file
    # beside it belongs to another journal.
    return JournalDamaged(
        f"The journal at {path} is damaged: its first page does not decrypt with the key from its "
        "key file (or that key file belongs to another journal). It was not changed; "
        "restore the newest backup."
    )


def verify(path: Path, key: bytes, *, check: bool) -> str | None:
    """Every read-only check before the journal is used; returns its schema revision."""

    if not opens_with(path, key):
        raise first_page_damaged(path)
    try:
        # Read-only when a crash left a log: a refused file must not have it folded in on close. (Without a
        # log, a read-only connection would leave an empty one behind instead.)
        conn = connect(path, key, read_only=left_unclosed(path))
    except sqlcipher3.Error as exc:
        raise no_room(path, exc) or JournalDamaged(
            f"The journal at {path} cannot be opened ({exc}); it was not changed.") from None
    try:
        try:
            (app_id,) = conn.execute("PRAGMA application_id").fetchone()
        except sqlcipher3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) == sqlcipher3.SQLITE_CORRUPT:
                raise JournalDamaged(damaged_message(path, str(exc))) from None
            # The first page decrypted just before (opens_with): a failure now is the disk, not the journal.
            if in_read_only_folder(path) and left_unclosed(path):
                raise CannotWrite(
                    f"The journal at {path} holds changes a crash left in its log, and its folder cannot be written "
                    "to here (it is read-only), so they cannot be read safely. Open it once where it can be written."
                ) from None
            raise no_room(path, exc) or first_page_damaged(path) from None
        if app_id != APPLICATION_ID:
            raise NotAJournal(f"{path} is an encrypted database, but not a Boundary Journal.")
        try:
            if check:
                problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
                if problems != ["ok"]:
                    raise JournalDamaged(damaged_message(path, problems[0]))
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return migrations.stored_revision(conn)
        except sqlcipher3.DatabaseError as exc:
            raise JournalDamaged(damaged_message(path, str(exc))) from None
    finally:
        conn.close()


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
        copy = connect(target, key)
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
    conn = connect(source, source_key)
    try:
        export_copy(conn, target, key)
    finally:
        conn.close()
    return file_integrity_problems(target, key)


def file_integrity_problems(path: Path, key: bytes) -> list[str]:
    """SQLCipher's page authentication and SQLite's structural check of a closed file."""
    conn = connect(path, key)
    try:
        return integrity_problems_of(conn)
    except sqlcipher3.DatabaseError as exc:
        return [f"sqlite: {exc}"]
    finally:
        conn.close()


def integrity_problems_of(conn: sqlcipher3.Connection) -> list[str]:
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

