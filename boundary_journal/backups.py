"""Verified, rotating backups of the journal, and restoring one.

A backup is one file (`.bjbackup`, a plain tar) holding three members: `journal.db`, a snapshot made
with SQLite's backup API from a live connection (never a copy of the live file) and still encrypted
with the journal key; `journal.key`, the key file that unwraps that key with the passphrase or the
recovery code; and `manifest.json`, which names the journal, the schema revision and a SHA-256 of
each member. A snapshot is reopened and passes both integrity checks before it is packed, and the
packed file is read back before it counts. Nothing in a backup is readable without the passphrase.

Automatic backups live in `backups/` in the data folder, kept one per day for a week, one per ISO
week for a month and one per month for a year. Backups made before a schema upgrade or a restore
are kept apart (the newest few of each); backups the user asks for are never removed.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import sqlcipher3

from boundary_journal import __version__, bounded_json, files, keys
from boundary_journal.errors import (
    BackupDamaged,
    CannotWrite,
    DiskFull,
    InvalidInput,
    JournalDamaged,
    JournalTooNew,
    NotAJournal,
    UserError,
    WrongPassphrase,
    disk_full,
)
from boundary_journal.services.validation import local_naive
from boundary_journal.storage import BACKUP_FOLDER, Journal, _raw_connect, _verify, file_integrity_problems

BACKUP_SUFFIX = ".bjbackup"
MANIFEST_FORMAT = "boundary-journal-backup"
MANIFEST_VERSION = 1
_DB_MEMBER, _KEY_MEMBER, _MANIFEST_MEMBER = "journal.db", "journal.key", "manifest.json"
_MEMBERS = (_MANIFEST_MEMBER, _KEY_MEMBER, _DB_MEMBER)
_MAX_MANIFEST = 64 * 1024
_NOT_RESTORED = "Nothing was restored and the journal is unchanged"

KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
KEEP_SAFETY = 5


class Reason(enum.StrEnum):
    AUTOMATIC = "automatic"
    MANUAL = "manual"
    BEFORE_UPGRADE = "before-upgrade"
    BEFORE_RESTORE = "before-restore"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime  # local wall-clock time
    reason: str
    journal_id: str
    schema_revision: str | None
    app_version: str

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "reason": self.reason,
            "journal_id": self.journal_id,
            "schema_revision": self.schema_revision,
            "app_version": self.app_version,
        }


@dataclass(frozen=True)
class Restored:
    """What a restore did: the backup it used, the key that opens the journal now, and where the
    journal it replaced went (a backup, or the files moved aside when they could not be opened)."""

    backup: BackupInfo
    key: bytes
    previous: Path | None


def backup_folder(data_dir: Path) -> Path:
    return data_dir / BACKUP_FOLDER


def _cannot_write(where: Path, exc: Exception) -> CannotWrite:
    return disk_full(exc, f"the backup could not be written in {where}", "The journal and earlier backups are "
                     "unchanged") or CannotWrite(
        f"The backup could not be written in {where} ({getattr(exc, 'strerror', None) or exc}); "
        "the journal and earlier backups are unchanged."
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _snapshot(journal: Journal, target: Path) -> str | None:
    """Copy the live journal into `target` with the backup API; returns the schema revision."""
    from boundary_journal import migrations

    copy = _raw_connect(target, journal.key, create=True)
    try:
        os.chmod(target, 0o600)
        with journal.engine.connect() as conn:
            conn.connection.dbapi_connection.backup(copy)  # type: ignore[union-attr]
    finally:
        copy.close()
    problems = file_integrity_problems(target, journal.key)
    if problems:
        raise JournalDamaged(f"The backup copy failed its integrity check ({problems[0]}); no backup was kept.")
    check = _raw_connect(target, journal.key)
    try:
        return migrations.stored_revision(check)
    finally:
        check.close()


def _default_name(now: datetime, reason: Reason) -> str:
    return f"journal-{now:%Y-%m-%dT%H%M%S}-{reason.value}{BACKUP_SUFFIX}"


def _unused_name(folder: Path, name: str) -> Path:
    """`name` in `folder`, numbered if taken: a backup made in the same second never replaces another."""
    out = folder / name
    number = 1
    while out.exists():
        number += 1
        out = folder / name.replace(BACKUP_SUFFIX, f"-{number}{BACKUP_SUFFIX}")
    return out


def make_backup(
    journal: Journal, *, reason: Reason = Reason.MANUAL, out: Path | None = None, now: datetime | None = None
) -> BackupInfo:
    """Write a verified backup of the open journal to `out`, or into the data folder's backups.

    On any failure (disk full, read-only folder) the partial file is removed, and the journal and
    every earlier backup are left as they were.
    """
    now = now or datetime.now()  # microseconds kept in the manifest: backups within a second still sort
    if out is None:
        folder = backup_folder(journal.folder)
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise _cannot_write(folder, exc) from None
        out = _unused_name(folder, _default_name(now, reason))
    else:
        files.check_output_path(out, BACKUP_SUFFIX)
    try:
        key_bytes = journal.key_path.read_bytes()
        keyfile = keys.parse_key_file(key_bytes, str(journal.key_path))
        with _scratch(out.parent) as scratch:
            db = scratch / _DB_MEMBER
            revision = _snapshot(journal, db)
            (scratch / _KEY_MEMBER).write_bytes(key_bytes)
            manifest = {
                "format": MANIFEST_FORMAT,
                "version": MANIFEST_VERSION,
                "created_at": now.isoformat(timespec="microseconds"),
                "reason": reason.value,
                "journal_id": keyfile.journal_id,
                "schema_revision": revision,
                "app_version": __version__,
                "sha256": {_DB_MEMBER: _sha256(db), _KEY_MEMBER: hashlib.sha256(key_bytes).hexdigest()},
            }
            manifest_bytes = json.dumps(manifest, indent=2).encode("utf-8")

            def write(handle: IO[bytes]) -> None:
                with tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    _add_member(tar, _MANIFEST_MEMBER, io.BytesIO(manifest_bytes), len(manifest_bytes), now)
                    _add_member(tar, _KEY_MEMBER, io.BytesIO(key_bytes), len(key_bytes), now)
                    with db.open("rb") as source:
                        _add_member(tar, _DB_MEMBER, source, db.stat().st_size, now)

            files.atomic_write(out, write, what="backup")
            os.chmod(out, 0o600)
    except (DiskFull, OSError, sqlcipher3.Error) as exc:
        raise _cannot_write(out.parent, exc) from None
    except CannotWrite as exc:
        raise CannotWrite(f"{exc} The journal and earlier backups are unchanged.") from None
    # Read it back: a backup counts only once it unpacks and its checksums match.
    try:
        info = read_info(out)
    except (JournalDamaged, NotAJournal):
        out.unlink(missing_ok=True)
        raise BackupDamaged(f"The backup {out} did not read back correctly and was removed.") from None
    if reason is Reason.AUTOMATIC or out.parent == backup_folder(journal.folder):
        rotate(backup_folder(journal.folder), keep=info.path)
    return info


def _add_member(tar: tarfile.TarFile, name: str, source: IO[bytes], size: int, now: datetime) -> None:
    member = tarfile.TarInfo(name)
    member.size = size
    member.mode = 0o600
    member.mtime = int(now.timestamp())
    tar.addfile(member, source)


@contextmanager
def _scratch(folder: Path) -> Iterator[Path]:
    """A private temporary folder beside the backup (same disk), removed afterwards whatever happens."""
    path = Path(tempfile.mkdtemp(dir=folder, prefix=".boundary-journal-backup-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _not_a_backup(path: Path, why: str) -> NotAJournal:
    return NotAJournal(f"{path} is not a usable Boundary Journal backup ({why}).")


def _parse_manifest(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        manifest = bounded_json.loads(raw, max_bytes=_MAX_MANIFEST)
    except bounded_json.NotJson as exc:
        raise _not_a_backup(path, f"its manifest {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise _not_a_backup(path, "no backup manifest")
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _not_a_backup(path, "its manifest has no valid version")
    if version > MANIFEST_VERSION:
        raise JournalTooNew(f"The backup {path} was made by a newer version of Boundary Journal; update the app.")
    if not isinstance(manifest.get("sha256"), dict) or not isinstance(manifest.get("journal_id"), str):
        raise _not_a_backup(path, "its manifest is incomplete")
    _created_at(path, manifest)
    return manifest


def _created_at(path: Path, manifest: dict[str, Any]) -> datetime:
    """When the backup was made, as local wall-clock time. A time with an offset (a backup copied from another
    computer or time zone) is converted, so that every backup compares with every other."""
    value = manifest.get("created_at")
    try:
        if not isinstance(value, str):
            raise ValueError("created_at")
        return local_naive(datetime.fromisoformat(value))
    except (ValueError, OverflowError):  # OverflowError: an offset that moves the time past year 1 or 9999
        raise _not_a_backup(path, "its manifest has no valid date") from None


def _info(path: Path, manifest: dict[str, Any]) -> BackupInfo:
    return BackupInfo(
        path=path,
        created_at=_created_at(path, manifest),
        reason=str(manifest.get("reason", "")),
        journal_id=manifest["journal_id"],
        schema_revision=manifest.get("schema_revision"),
        app_version=str(manifest.get("app_version", "")),
    )


def _open_tar(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r:")
    except (tarfile.TarError, EOFError):
        raise _not_a_backup(path, "it is not a backup file or it is truncated") from None


def _members(path: Path, tar: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    """The three members, checked before anything is read out of them: a sparse member, or one that claims more
    than the file holds, would unpack to more than the backup is (a 10 KB file can claim gigabytes)."""
    members: dict[str, tarfile.TarInfo] = {}
    archive_size = os.fstat(tar.fileobj.fileno()).st_size  # type: ignore[union-attr]
    try:
        for member in tar:  # one at a time: a file of many members is refused at the first unexpected one
            if member.name not in _MEMBERS or not member.isfile() or member.name in members:
                raise _not_a_backup(path, f"unexpected content '{member.name}'")
            if member.issparse():
                raise _not_a_backup(path, f"'{member.name}' is stored as a sparse file")
            if member.offset_data + member.size > archive_size:
                raise _not_a_backup(path, "it is truncated")
            members[member.name] = member
    except (tarfile.TarError, EOFError):
        raise _not_a_backup(path, "it is truncated") from None
    if set(members) != set(_MEMBERS):
        raise _not_a_backup(path, "parts are missing")
    if members[_MANIFEST_MEMBER].size > _MAX_MANIFEST or members[_KEY_MEMBER].size > _MAX_MANIFEST:
        raise _not_a_backup(path, "its manifest is too large")
    return members


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    handle = tar.extractfile(member)
    assert handle is not None  # members are regular files (checked)
    return handle.read()


def read_info(path: Path, *, verify: bool = True) -> BackupInfo:
    """The backup's manifest; with `verify`, also check each member against its SHA-256."""
    try:
        with _open_tar(path) as tar:
            members = _members(path, tar)
            manifest = _parse_manifest(path, _read(tar, members[_MANIFEST_MEMBER]))
            if verify:
                for name in (_KEY_MEMBER, _DB_MEMBER):
                    digest = hashlib.sha256()
                    handle = tar.extractfile(members[name])
                    assert handle is not None
                    for block in iter(lambda h=handle: h.read(1 << 20), b""):
                        digest.update(block)
                    if digest.hexdigest() != manifest["sha256"].get(name):
                        raise BackupDamaged(f"The backup {path} is damaged: {name} does not match its checksum.")
    except OSError as exc:
        raise InvalidInput(f"Cannot read the backup {path} ({exc.strerror or exc}).") from None
    except (tarfile.TarError, EOFError):
        raise _not_a_backup(path, "it is truncated") from None
    return _info(path, manifest)


@dataclass(frozen=True)
class BackupScan:
    found: list[BackupInfo]  # newest first
    skipped: list[tuple[Path, str]]  # files named like backups that are not usable ones, with why


def scan_backups(folder: Path) -> BackupScan:
    """Backups in `folder` whose manifest reads (contents are checked on restore), and the files skipped.

    One file that cannot be read, is damaged or is too new is skipped, never a reason to stop: listing,
    rotation and the day's automatic backup go on with the others.
    """
    found: list[BackupInfo] = []
    skipped: list[tuple[Path, str]] = []
    if not folder.is_dir():
        return BackupScan(found, skipped)
    for path in sorted(folder.glob(f"*{BACKUP_SUFFIX}")):
        try:
            found.append(read_info(path, verify=False))
        except UserError as error:
            skipped.append((path, str(error)))
    found.sort(key=lambda info: (info.created_at, info.path.name), reverse=True)
    return BackupScan(found, skipped)


def list_backups(folder: Path) -> list[BackupInfo]:
    """Backups in `folder` whose manifest reads, newest first; see `scan_backups`."""
    return scan_backups(folder).found


def backup_due(folder: Path, now: datetime) -> bool:
    """True when no automatic backup was made today."""
    return not any(
        info.reason == Reason.AUTOMATIC and info.created_at.date() == now.date() for info in list_backups(folder)
    )


def automatic_backup(journal: Journal, now: datetime | None = None) -> BackupInfo | None:
    """Today's automatic backup, if there is none yet; the older ones are thinned out after it."""
    now = now or datetime.now()
    if not backup_due(backup_folder(journal.folder), now):
        return None
    return make_backup(journal, reason=Reason.AUTOMATIC, now=now)


def to_remove(backups: list[BackupInfo]) -> list[BackupInfo]:
    """Which automatic and safety backups the schedule no longer keeps (manual ones are never listed)."""
    keep: set[Path] = set()
    automatic = sorted((b for b in backups if b.reason == Reason.AUTOMATIC), key=lambda b: b.created_at, reverse=True)
    for period, limit in (
        (lambda b: b.created_at.date(), KEEP_DAILY),
        (lambda b: b.created_at.isocalendar()[:2], KEEP_WEEKLY),
        (lambda b: (b.created_at.year, b.created_at.month), KEEP_MONTHLY),
    ):
        seen: list[object] = []
        for backup in automatic:  # newest first: the first of each period is the one kept
            bucket = period(backup)
            if bucket not in seen and len(seen) < limit:
                seen.append(bucket)
                keep.add(backup.path)
    removable = [b for b in automatic if b.path not in keep]
    for reason in (Reason.BEFORE_UPGRADE, Reason.BEFORE_RESTORE):
        safety = sorted((b for b in backups if b.reason == reason), key=lambda b: b.created_at, reverse=True)
        removable += safety[KEEP_SAFETY:]
    return removable


def rotate(folder: Path, keep: Path | None = None) -> list[Path]:
    """Remove what the schedule no longer keeps; never `keep`, the backup that was just made."""
    removed = []
    for backup in to_remove(list_backups(folder)):
        if backup.path == keep:
            continue
        try:
            backup.path.unlink()
            removed.append(backup.path)
        except OSError:
            continue  # a backup kept too long is harmless; the next rotation tries again
    return removed


def _unpack(path: Path, into: Path) -> tuple[BackupInfo, bytes]:
    """Extract a backup's journal into `into`, checking every part; returns its info and key file bytes."""
    try:
        with _open_tar(path) as tar:
            members = _members(path, tar)
            manifest = _parse_manifest(path, _read(tar, members[_MANIFEST_MEMBER]))
            key_bytes = _read(tar, members[_KEY_MEMBER])
            if members[_DB_MEMBER].size > shutil.disk_usage(into).free:
                needs = members[_DB_MEMBER].size // 2**20 + 1
                raise DiskFull.saying(f"restoring the backup needs {needs} MiB free in {into.parent}", _NOT_RESTORED)
            source = tar.extractfile(members[_DB_MEMBER])
            assert source is not None
            target = into / _DB_MEMBER
            with target.open("wb") as out:
                os.fchmod(out.fileno(), 0o600)
                shutil.copyfileobj(source, out, 1 << 20)
                out.flush()
                os.fsync(out.fileno())
    except (tarfile.TarError, EOFError):
        raise _not_a_backup(path, "it is truncated") from None
    except OSError as exc:
        raise disk_full(exc, f"the backup could not be unpacked in {into.parent}", _NOT_RESTORED) or InvalidInput(
            f"Cannot read the backup {path} ({exc.strerror or exc}).") from None
    expected = manifest["sha256"]
    key_ok = hashlib.sha256(key_bytes).hexdigest() == expected.get(_KEY_MEMBER)
    if not key_ok or _sha256(target) != expected.get(_DB_MEMBER):
        raise BackupDamaged(f"The backup {path} is damaged: its contents do not match their checksums.")
    return _info(path, manifest), key_bytes


def restore_backup(journal_path: Path, backup: Path, passphrase: str) -> Restored:
    """Replace the (closed) journal with `backup`, after backing up the journal as it is now.

    The backup opens with the passphrase that was in use when it was made, or, for a backup of this
    same journal, with the current passphrase. The caller holds the instance lock and has closed the
    journal. Every check runs before anything in the data folder changes.
    """
    from boundary_journal import migrations
    from boundary_journal.storage import open_with_key

    folder = journal_path.parent
    key_path = keys.key_path_for(journal_path)
    try:
        current_keyfile: keys.KeyFile | None = keys.read_key_file(key_path)
    except FileNotFoundError:
        current_keyfile = None
    except JournalDamaged:
        current_keyfile = None
    with _scratch(folder) as scratch:
        info, key_bytes = _unpack(backup, scratch)
        backup_keyfile = keys.parse_key_file(key_bytes, f"{backup} ({_KEY_MEMBER})")
        same_journal = current_keyfile is not None and current_keyfile.journal_id == backup_keyfile.journal_id
        try:
            key = keys.unlock(backup_keyfile, passphrase)
            install_keyfile = None if same_journal else key_bytes
        except WrongPassphrase:
            if not same_journal or current_keyfile is None:
                raise WrongPassphrase("The passphrase does not open this backup.") from None
            try:
                key = keys.unlock(current_keyfile, passphrase)  # the key never changes within one journal
            except WrongPassphrase:
                raise WrongPassphrase("The passphrase does not open this backup (nor the journal now).") from None
            install_keyfile = None
        restored_db = scratch / _DB_MEMBER
        revision = _verify(restored_db, key, check=True)
        if not migrations.is_known(revision):
            raise JournalTooNew(f"The backup {backup} was made by a newer version of Boundary Journal; update the app.")
        problems = file_integrity_problems(restored_db, key)
        if problems:
            raise BackupDamaged(f"The backup {backup} is damaged ({problems[0]}); the journal was not changed.")

        previous: Path | None = None
        if journal_path.exists():
            current_key: bytes | None = None
            if same_journal:
                current_key = key  # one journal keeps one key, whichever passphrase unwrapped it
            elif current_keyfile is not None:
                with contextlib.suppress(WrongPassphrase):
                    current_key = keys.unlock(current_keyfile, passphrase)
            previous = _keep_current(journal_path, current_key)
        if install_keyfile is not None:
            files.atomic_write(key_path, lambda out: out.write(install_keyfile), what="key file")
        for suffix in ("-wal", "-shm"):
            # A stale write-ahead log belongs to the journal being replaced; it is in `previous` now.
            Path(f"{journal_path}{suffix}").unlink(missing_ok=True)
        os.replace(restored_db, journal_path)
        files.sync_folder(folder)
    # Opening once runs migrations (after a backup) if the backup is from an older version.
    open_with_key(journal_path, key).close()
    return Restored(info, key, previous)


def _keep_current(journal_path: Path, key: bytes | None) -> Path:
    """Back up the journal about to be replaced; if it cannot be opened, move its files aside intact."""
    from boundary_journal.storage import open_with_key

    if key is not None:
        try:
            journal = open_with_key(journal_path, key, check=True)
        except (JournalDamaged, NotAJournal, JournalTooNew):
            pass
        else:
            try:
                return make_backup(journal, reason=Reason.BEFORE_RESTORE).path
            except JournalDamaged:
                pass  # its snapshot failed the integrity check: keep the files themselves instead
            finally:
                journal.close()
    stamp = datetime.now().strftime("%Y-%m-%dT%H%M%S")
    aside = backup_folder(journal_path.parent) / f"journal-{stamp}-replaced-by-restore"
    number = 1
    while aside.exists():
        number += 1
        aside = aside.with_name(f"journal-{stamp}-{number}-replaced-by-restore")
    try:
        aside.mkdir(parents=True, mode=0o700)
    except OSError as exc:
        raise CannotWrite(
            f"The journal could not be kept aside in {aside.parent} ({exc.strerror or exc}); "
            "nothing was restored and the journal is unchanged."
        ) from None
    key_path = keys.key_path_for(journal_path)
    if key_path.exists():
        # Copied, not moved: for a backup of this same journal it is the key file that opens the restore.
        shutil.copyfile(key_path, aside / key_path.name)
        os.chmod(aside / key_path.name, 0o600)
    for path in (journal_path, Path(f"{journal_path}-wal")):
        if path.exists():
            os.replace(path, aside / path.name)
    files.sync_folder(aside)
    return aside
