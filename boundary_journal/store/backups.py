"""Verified, rotating backups of the journal, and restoring one.

A backup is one file (`.bjbackup`, a plain tar) holding three members: `journal.db`, a snapshot made
with SQLite's backup API from a live connection (never a copy of the live file) and still encrypted
with the journal key; `journal.key`, the key file that unwraps that key with the passphrase or the
recovery code; and `manifest.json`, which names the journal, the schema revision and a SHA-256 of
each member. A snapshot is reopened and passes both integrity checks before it is packed, and the
packed file is read back before it counts. Nothing in a backup is readable without the passphrase.

Automatic backups live in `backups/` in the data folder, kept one per day for a week, one per ISO
week for a month and one per month for a year. Backups made before a schema upgrade are kept apart
(the newest few). Backups made before a restore, and backups the user asks for, are never removed:
a restore of an older backup leaves the journal it replaced in the one made before it, and nowhere
else. A restore that would make a copy of content already kept in a backup points to that one instead.

Every backup's manifest names the journal key it is encrypted with (`keys.key_id`, a fingerprint)
and a digest of what it holds (`sqlcipher.content_digest`). After a change of passphrase or recovery
code gives the journal a new key, the backups here still open with the secret of their day until they
are re-encrypted under the new key (`reencrypt`) or removed (`remove_older_keys`).
"""

from __future__ import annotations

import enum
import hashlib
import io
import json
import os
import shutil
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import sqlcipher3

from boundary_journal import __version__, bounded_json
from boundary_journal.errors import (
    BackupDamaged,
    BackupSecretNeeded,
    CannotWrite,
    DiskFull,
    InvalidInput,
    JournalDamaged,
    JournalTooNew,
    NotAJournal,
    UserError,
    WrongBackupSecret,
    WrongPassphrase,
    disk_full,
)
from boundary_journal.moments import local_naive
from boundary_journal.store import files, keys, sqlcipher
from boundary_journal.store.journal import Journal, journal_digest, open_file
from boundary_journal.store.paths import BACKUP_FOLDER, BACKUP_SUFFIX
from boundary_journal.store.sqlcipher import content_digest, copy_with_key, file_integrity_problems, opens_with

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
    key_id: str | None = None  # keys.key_id of the journal key it is encrypted with (None: made before 0.2)
    content_sha256: str | None = None  # sqlcipher.content_digest of what it holds (None: made before 0.2)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "reason": self.reason,
            "journal_id": self.journal_id,
            "schema_revision": self.schema_revision,
            "app_version": self.app_version,
        }

    def opens_with(self, key: bytes) -> bool | None:
        """Whether the journal key `key` opens it (by its manifest); None when the manifest does not say."""
        return None if self.key_id is None else self.key_id == keys.key_id(key)


@dataclass(frozen=True)
class Restored:
    """What a restore did: the backup it used, the key that opens the journal now, and where the
    journal it replaced went (a backup, or the files moved aside when they could not be opened).

    `rekeyed`: the backup was of another key (an earlier one, or another journal's), so its content was
    re-encrypted with today's key, which today's passphrase and recovery code open.
    """

    backup: BackupInfo
    key: bytes = field(repr=False)
    previous: Path | None
    rekeyed: bool = False


def upgrade_in_place(journal: Journal) -> None:
    """Upgrade an open journal's schema to this version's: a schema change rewrites tables, so a verified
    backup of the journal as it was is kept first."""
    from boundary_journal.store import migrations

    make_backup(journal, reason=Reason.BEFORE_UPGRADE)
    migrations.upgrade(journal.engine)


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
    from boundary_journal.store import migrations

    copy = sqlcipher.connect(target, journal.key, create=True)
    try:
        os.chmod(target, 0o600)
        with journal.engine.connect() as conn:
            conn.connection.dbapi_connection.backup(copy)  # type: ignore[union-attr]
    finally:
        copy.close()
    problems = file_integrity_problems(target, journal.key)
    if problems:
        raise JournalDamaged(f"The backup copy failed its integrity check ({problems[0]}); no backup was kept.")
    check = sqlcipher.connect(target, journal.key)
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
        with files.held_folder(out.parent) as scratch:
            db = scratch / _DB_MEMBER
            revision = _snapshot(journal, db)
            manifest = {
                "created_at": now.isoformat(timespec="microseconds"),
                "reason": reason.value,
                "journal_id": keyfile.journal_id,
                "schema_revision": revision,
                "app_version": __version__,
            }
            _pack(out, manifest, key_bytes, db, journal.key, now)
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


def _pack(out: Path, manifest: dict[str, Any], key_bytes: bytes, db: Path, key: bytes, now: datetime) -> None:
    """Write the backup file `out` (atomically, private) from a checked snapshot `db` encrypted with `key`, the
    key file that unwraps it, and the manifest's descriptive fields; the checksums and fingerprints are added."""
    conn = sqlcipher.connect(db, key)
    try:
        digest = content_digest(conn)
    finally:
        conn.close()
    manifest = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        **manifest,
        "key_id": keys.key_id(key),
        "content_sha256": digest,
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


def _add_member(tar: tarfile.TarFile, name: str, source: IO[bytes], size: int, now: datetime) -> None:
    member = tarfile.TarInfo(name)
    member.size = size
    member.mode = 0o600
    member.mtime = int(now.timestamp())
    tar.addfile(member, source)


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
        key_id=_hex_or_none(manifest.get("key_id")),
        content_sha256=_hex_or_none(manifest.get("content_sha256")),
    )


def _hex_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= 128 and all(c in "0123456789abcdef" for c in value) \
        else None


# What Python's tarfile raises on a malformed file: its own errors, and for headers it cannot parse (a GNU sparse
# map that is not one, a number field of letters) plain ValueError or OverflowError.
_TAR_FAILURES = (tarfile.TarError, EOFError, ValueError, OverflowError)


def _open_tar(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r:")
    except _TAR_FAILURES:
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
    except _TAR_FAILURES:
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
    except _TAR_FAILURES:
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
    # Before an upgrade, the journal holds all the backup does. Before a restore it may hold entries nothing
    # else does (the restored backup is older): those backups are kept until the user removes them.
    upgrades = sorted((b for b in backups if b.reason == Reason.BEFORE_UPGRADE), key=lambda b: b.created_at,
                      reverse=True)
    return removable + upgrades[KEEP_SAFETY:]


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
    except _TAR_FAILURES:
        raise _not_a_backup(path, "it is truncated") from None
    except OSError as exc:
        raise disk_full(exc, f"the backup could not be unpacked in {into.parent}", _NOT_RESTORED) or InvalidInput(
            f"Cannot read the backup {path} ({exc.strerror or exc}).") from None
    expected = manifest["sha256"]
    key_ok = hashlib.sha256(key_bytes).hexdigest() == expected.get(_KEY_MEMBER)
    if not key_ok or _sha256(target) != expected.get(_DB_MEMBER):
        raise BackupDamaged(f"The backup {path} is damaged: its contents do not match their checksums.")
    return _info(path, manifest), key_bytes


def restore_backup(journal_path: Path, backup: Path, passphrase: str, *, backup_secret: str | None = None) -> Restored:
    """Replace the journal with `backup`, after backing up the journal as it is now.

    A restore is authorised by today's passphrase of the journal in place (WrongPassphrase). A backup of an
    earlier key also needs the passphrase or recovery code of its day (`backup_secret`, else
    BackupSecretNeeded); its content is then re-encrypted with today's key, opened by today's passphrase and
    recovery code, so the old secrets open nothing of the restored journal. Without a journal key file in place (a new
    computer, a lost or damaged key file), `passphrase` is the backup's own and its key file comes with it.

    The caller holds the data folder and has closed the journal. Every check runs before anything in the data
    folder changes, and the journal and key file are replaced as one pair (journal_files.install_pair).
    """
    from boundary_journal.store import journal_files, migrations

    folder = journal_path.parent
    key_path = keys.key_path_for(journal_path)
    current_keyfile: keys.KeyFile | None
    try:
        current_bytes = key_path.read_bytes()
        current_keyfile = keys.parse_key_file(current_bytes, str(key_path))
    except (OSError, JournalDamaged):  # none, unreadable or damaged: the backup's own key file comes with it
        current_keyfile = None
    current_key: bytes | None = None
    if current_keyfile is not None:
        try:
            current_key = keys.unlock(current_keyfile, passphrase)
        except WrongPassphrase:
            raise WrongPassphrase("That is not the journal's passphrase; a restore needs the passphrase in use "
                                  "now.") from None
    with files.held_folder(folder) as scratch:
        info, key_bytes = _unpack(backup, scratch)
        try:
            backup_keyfile = keys.parse_key_file(key_bytes, f"{backup} ({_KEY_MEMBER})")
        except JournalTooNew:
            raise JournalTooNew(f"The backup {backup} was made by a newer version of Boundary Journal; update the "
                                "app.") from None
        except JournalDamaged:  # said of the backup: the journal's own key file and backups are not in question
            raise BackupDamaged(f"The backup {backup} is damaged: the key file in it cannot be used. The journal was "
                                "not changed.") from None
        restored_db = scratch / _DB_MEMBER
        key = _backup_key(backup, restored_db, backup_keyfile, current_key, passphrase, backup_secret)
        revision = sqlcipher.verify(restored_db, key, check=True)
        if not migrations.is_known(revision):
            raise JournalTooNew(f"The backup {backup} was made by a newer version of Boundary Journal; update the app.")
        problems = file_integrity_problems(restored_db, key)
        if problems:
            raise BackupDamaged(f"The backup {backup} is damaged ({problems[0]}); the journal was not changed.")

        previous = _keep_current(journal_path, current_key) if journal_path.exists() else None
        staged = journal_files.pending_journal(journal_path)
        journal_files.remove_database(staged)
        rekeyed = False
        if current_keyfile is None:  # nothing to authorise against: the backup comes with its own key file
            install, final_key = key_bytes, key
            os.replace(restored_db, staged)
        elif key == current_key:  # the journal's own key: today's key file opens it as it is
            install, final_key = current_bytes, key
            os.replace(restored_db, staged)
        else:
            # Another key's content takes today's key: today's key file (passphrase and recovery code) opens it, the
            # backup's old secrets do not. Today's key stays, so the backups of today stay this journal's.
            assert current_key is not None
            install, final_key, rekeyed = current_bytes, current_key, True
            try:
                problems = copy_with_key(restored_db, key, staged, final_key)
            except BaseException:
                journal_files.remove_database(staged)
                raise
            if problems:
                journal_files.remove_database(staged)
                raise BackupDamaged(f"The backup {backup} could not be re-encrypted ({problems[0]}); the journal "
                                    "was not changed.")
        journal_files.install_pair(journal_path, install)
    if revision != migrations.head():  # a backup from an older version is upgraded now, after a backup of it
        restored = open_file(journal_path, final_key)
        try:
            upgrade_in_place(restored)
        finally:
            restored.close()
    return Restored(info, final_key, previous, rekeyed)


def _backup_key(backup: Path, db: Path, backup_keyfile: keys.KeyFile, current_key: bytes | None, passphrase: str,
                backup_secret: str | None) -> bytes:
    """The key that opens the backup's journal `db`: today's, or one its key file gives for a secret the user
    gave (today's passphrase, or the passphrase or recovery code of the backup's day)."""

    if current_key is not None and opens_with(db, current_key):
        return current_key
    for secret in [passphrase, *([backup_secret] if backup_secret is not None else [])]:
        for unwrap in (keys.unlock, keys.unlock_with_recovery_code):
            try:
                key = unwrap(backup_keyfile, secret)
            except WrongPassphrase:  # WrongRecoveryCode too
                continue
            if opens_with(db, key):
                return key
            raise BackupDamaged(f"The backup {backup} is damaged: its key file does not open its journal.")
    if current_key is not None and backup_secret is not None:
        raise WrongBackupSecret("Neither today's passphrase nor the passphrase or recovery code given for the backup's "
                                "day opens this backup.")
    if current_key is not None:
        raise BackupSecretNeeded(
            "This backup was made under an earlier passphrase or key, so besides today's passphrase it needs the "
            "passphrase (or recovery code) that was in use when it was made."
        )
    raise WrongPassphrase("The passphrase does not open this backup.")


def _keep_current(journal_path: Path, key: bytes | None) -> Path:
    """Back up the journal about to be replaced, as it is (or point to a backup that already holds exactly what it
    holds); if it cannot be opened, move its files aside intact."""
    from boundary_journal.store import migrations

    if key is not None:
        try:
            revision = sqlcipher.verify(journal_path, key, check=True)
            if not migrations.is_known(revision):
                raise JournalTooNew(f"The journal at {journal_path} was made by a newer version.")
        except (JournalDamaged, NotAJournal, JournalTooNew):
            pass
        else:
            journal = open_file(journal_path, key)
            try:
                same = _backup_holding(backup_folder(journal_path.parent), journal_digest(journal), key)
                return same or make_backup(journal, reason=Reason.BEFORE_RESTORE).path
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


def _backup_holding(folder: Path, digest: str, key: bytes) -> Path | None:
    """A backup in `folder` that holds exactly the content `digest` under `key`, checked by opening it (its
    manifest alone is not trusted: a backup counts only for what it really holds)."""
    for info in list_backups(folder):
        if info.content_sha256 != digest or info.opens_with(key) is False:
            continue
        try:
            if _held_content(info.path, key) == digest:
                return info.path
        except UserError:
            continue
    return None


def _held_content(backup: Path, key: bytes) -> str | None:
    """The content digest of what `backup` holds, if `key` opens it (its checksums verified)."""

    with files.held_folder(backup.parent) as scratch:
        _unpack(backup, scratch)
        db = scratch / _DB_MEMBER
        if not opens_with(db, key):
            return None
        conn = sqlcipher.connect(db, key)
        try:
            return content_digest(conn)
        except sqlcipher3.DatabaseError:
            return None
        finally:
            conn.close()


# --- after a change of key --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OlderKeys:
    """What re-encrypting or removing the backups of earlier keys did."""

    done: tuple[Path, ...]  # re-encrypted under the journal's key, or removed
    left: tuple[Path, ...]  # still of an earlier key (not the one given), or could not be read


def of_older_keys(folder: Path, key: bytes) -> list[Path]:
    """The backups (and journals kept by an upgrade from the first version) in `folder` that `key`, the
    journal's key now, does not open: they open with the secrets of their day."""
    found = [info.path for info in list_backups(folder) if info.opens_with(key) is not True]
    return sorted(found) + sorted(folder.glob("*.legacy.db")) if folder.is_dir() else []


def reencrypt(folder: Path, old_key: bytes, new_key: bytes, key_file: bytes,
              progress: Callable[[int, int], None] | None = None) -> OlderKeys:
    """Give the backups in `folder` that `old_key` opens the journal's new key and key file.

    Each is rewritten whole (atomically) and read back; what it holds is unchanged. Backups of keys before
    `old_key`, and the legacy copies, cannot be opened here and are left (see `remove_older_keys`).
    """

    candidates = of_older_keys(folder, new_key)
    done, left = [], []
    for number, path in enumerate(candidates):
        if progress is not None:
            progress(number, len(candidates))
        if path.suffix != BACKUP_SUFFIX:
            left.append(path)
            continue
        try:
            with files.held_folder(folder) as scratch:
                info, _key_bytes = _unpack(path, scratch)
                db = scratch / _DB_MEMBER
                if not opens_with(db, old_key):
                    left.append(path)
                    continue
                rekeyed = scratch / "rekeyed.db"
                problems = copy_with_key(db, old_key, rekeyed, new_key)
                if problems:
                    raise BackupDamaged(f"The backup {path} could not be re-encrypted ({problems[0]}).")
                manifest = {
                    "created_at": info.created_at.isoformat(timespec="microseconds"),
                    "reason": info.reason,
                    "journal_id": info.journal_id,
                    "schema_revision": info.schema_revision,
                    "app_version": info.app_version,
                }
                _pack(path, manifest, key_file, rekeyed, new_key, info.created_at)
            read_info(path)
        except (UserError, OSError, sqlcipher3.Error):
            left.append(path)  # this one stays as it was (the rewrite is atomic); the others go on
            continue
        done.append(path)
    if progress is not None:
        progress(len(candidates), len(candidates))
    return OlderKeys(tuple(done), tuple(left))


def remove_older_keys(folder: Path, key: bytes) -> OlderKeys:
    """Remove the backups in `folder` that the journal's key `key` does not open (see `of_older_keys`)."""
    done, left = [], []
    for path in of_older_keys(folder, key):
        try:
            path.unlink()
        except OSError:
            left.append(path)
            continue
        done.append(path)
    files.sync_folder(folder)
    return OlderKeys(tuple(done), tuple(left))
