"""Backups: verified, encrypted, rotating; a failed one changes nothing; restore keeps what it replaces."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import shutil
import tarfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.errors import (
    CannotWrite,
    DiskFull,
    InvalidInput,
    JournalDamaged,
    JournalTooNew,
    NotAJournal,
    WrongPassphrase,
)
from boundary_journal.services import access, entries
from boundary_journal.store import backups, files, keys, migrations, sqlcipher
from boundary_journal.store import journal as journal_module
from boundary_journal.store.backups import BackupInfo, Reason
from boundary_journal.store.journal import Journal, integrity_problems
from boundary_journal.store.paths import journal_path
from boundary_journal.store.sqlcipher import file_integrity_problems
from boundary_journal.store.storage import create_journal, open_journal
from tests.conftest import PASSPHRASE
from tests.unit.journal_files import CRASH_AFTER_COMMIT, entry_draft, flip_byte, folder_state, run_library

NEW_PASSPHRASE = "a brand new passphrase"
SECRET = "Zebrafinch canary text that must stay encrypted"
NOW = datetime(2026, 11, 23, 9, 0)  # a Monday


def texts(journal: Journal) -> list[str]:
    return sorted(e.fields["what_happened"] for e in entries.list_entries(journal))


def texts_in(path: Path, passphrase: str = PASSPHRASE) -> list[str]:
    opened = open_journal(path, passphrase)
    try:
        return texts(opened)
    finally:
        opened.close()


def members(backup: Path) -> dict[str, bytes]:
    with tarfile.open(backup) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def pack(out: Path, parts: list[tuple[str, bytes]]) -> Path:
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in parts:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def with_journal_of(backup: Path, other: Path, out: Path) -> Path:
    """A copy of `backup` whose journal is `other`'s (checksums fixed up): its key file does not open it."""
    parts = members(backup)
    parts["journal.db"] = members(other)["journal.db"]
    manifest = json.loads(parts["manifest.json"])
    manifest["sha256"]["journal.db"] = hashlib.sha256(parts["journal.db"]).hexdigest()
    parts["manifest.json"] = json.dumps(manifest).encode()
    return pack(out, list(parts.items()))


def with_manifest(backup: Path, out: Path, **changes: object) -> Path:
    """A copy of `backup` whose manifest has `changes` (the checksums still match the members)."""
    parts = members(backup)
    manifest = json.loads(parts["manifest.json"])
    manifest.update(changes)
    parts["manifest.json"] = json.dumps(manifest).encode()
    return pack(out, list(parts.items()))


def unchanged_state(folder: Path) -> dict[str, str]:
    # SQLite's shared-memory index changes with every read; it holds no journal content.
    return {name: digest for name, digest in folder_state(folder).items() if not name.endswith("-shm")}


@pytest.fixture
def written(journal: Journal, catalog: Catalog) -> Journal:
    entries.add_entry(journal, catalog, entry_draft(SECRET))
    entries.add_entry(journal, catalog, entry_draft("second entry"))
    return journal


class TestMakeBackup:
    """A backup is a tar of manifest, key file and a snapshot, checked before it counts."""

    def test_three_members_and_a_manifest_that_matches_them(self, written: Journal) -> None:
        info = backups.make_backup(written)
        assert info.path.parent == written.folder / "backups"
        assert info.path.suffix == ".bjbackup" and info.reason == Reason.MANUAL
        with tarfile.open(info.path) as tar:
            assert [m.name for m in tar.getmembers()] == ["manifest.json", "journal.key", "journal.db"]
            assert all(m.isfile() and m.mode == 0o600 for m in tar.getmembers())
        parts = members(info.path)
        manifest = json.loads(parts["manifest.json"])
        assert manifest["format"] == "boundary-journal-backup" and manifest["version"] == 1
        assert manifest["schema_revision"] == migrations.head() == info.schema_revision
        assert manifest["journal_id"] == keys.read_key_file(written.key_path).journal_id == info.journal_id
        assert parts["journal.key"] == written.key_path.read_bytes()
        for name in ("journal.key", "journal.db"):
            assert manifest["sha256"][name] == hashlib.sha256(parts[name]).hexdigest()

    def test_private_file_in_a_private_folder(self, written: Journal) -> None:
        info = backups.make_backup(written)
        assert info.path.stat().st_mode & 0o777 == 0o600
        assert info.path.parent.stat().st_mode & 0o777 == 0o700
        assert [p.name for p in info.path.parent.iterdir()] == [info.path.name]  # no scratch left behind

    def test_no_readable_text(self, written: Journal) -> None:
        raw = backups.make_backup(written).path.read_bytes()
        for needle in (SECRET, "Zebrafinch", "Client K", PASSPHRASE):
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                assert needle.encode(encoding) not in raw
        assert not members(backups.make_backup(written).path)["journal.db"].startswith(b"SQLite format 3")

    def test_reopens_with_the_passphrase(self, written: Journal, tmp_path: Path) -> None:
        parts = members(backups.make_backup(written).path)
        elsewhere = tmp_path / "unpacked"
        elsewhere.mkdir()
        (elsewhere / "journal.db").write_bytes(parts["journal.db"])
        (elsewhere / "journal.key").write_bytes(parts["journal.key"])
        opened = open_journal(journal_path(elsewhere), PASSPHRASE)
        try:
            assert texts(opened) == texts(written)
            assert integrity_problems(opened) == []
        finally:
            opened.close()

    def test_snapshot_is_of_the_moment_it_was_made(self, written: Journal, catalog: Catalog, tmp_path: Path) -> None:
        info = backups.make_backup(written)
        entries.add_entry(written, catalog, entry_draft("after the backup"))
        parts = members(info.path)
        key = written.key
        (tmp_path / "journal.db").write_bytes(parts["journal.db"])
        assert file_integrity_problems(tmp_path / "journal.db", key) == []
        assert "after the backup" not in texts_in_file(tmp_path / "journal.db", parts["journal.key"])

    def test_to_a_file_the_user_picks(self, written: Journal, tmp_path: Path) -> None:
        out = tmp_path / "usb" / "my journal.bjbackup"
        out.parent.mkdir()
        info = backups.make_backup(written, out=out)
        assert info.path == out and backups.read_info(out).journal_id == info.journal_id
        assert [p.name for p in out.parent.iterdir()] == [out.name]
        assert not (written.folder / "backups").exists()

    @pytest.mark.parametrize("name", ["journal.tar", "journal"])
    def test_a_file_the_user_picks_must_end_in_bjbackup(self, written: Journal, tmp_path: Path, name: str) -> None:
        with pytest.raises(InvalidInput, match=r"\.bjbackup"):
            backups.make_backup(written, out=tmp_path / name)
        assert list(tmp_path.glob("journal*")) == []

    def test_same_second_never_replaces_an_earlier_backup(self, written: Journal) -> None:
        made = [backups.make_backup(written, now=NOW).path for _ in range(3)]
        assert len(set(made)) == 3 and all(path.exists() for path in made)


class TestBackupsWithinOneSecond:
    def test_the_backup_just_made_is_never_rotated_away(self, journal: Journal) -> None:
        moment = datetime(2026, 11, 23, 2, 37, 26)
        made = [backups.make_backup(journal, reason=Reason.BEFORE_UPGRADE, now=moment) for _ in range(8)]
        assert made[-1].path.exists()
        kept = [b for b in backups.list_backups(backups.backup_folder(journal.folder)) if b.reason == "before-upgrade"]
        assert len(kept) == backups.KEEP_SAFETY and made[-1].path in {b.path for b in kept}


class TestFailedBackup:
    """A backup that cannot be written leaves the journal and every earlier backup as they were."""

    @pytest.fixture
    def earlier(self, written: Journal) -> Path:
        return backups.make_backup(written, now=NOW - timedelta(days=1)).path

    def fails(self, journal: Journal, error: type[Exception], match: str, **kwargs: object) -> Exception:
        before = unchanged_state(journal.folder)
        with pytest.raises(error, match=match) as caught:
            backups.make_backup(journal, **kwargs)  # type: ignore[arg-type]
        assert unchanged_state(journal.folder) == before
        assert texts(journal) == sorted([SECRET, "second entry"])
        return caught.value

    @pytest.mark.skipif(os.geteuid() == 0, reason="needs POSIX folder permissions, which root ignores")
    def test_read_only_backups_folder(self, written: Journal, earlier: Path) -> None:
        earlier.parent.chmod(0o500)
        try:
            self.fails(written, CannotWrite, "unchanged")
        finally:
            earlier.parent.chmod(0o700)

    @pytest.mark.skipif(os.geteuid() == 0, reason="needs POSIX folder permissions, which root ignores")
    def test_read_only_folder_the_user_picked(self, written: Journal, earlier: Path, tmp_path: Path) -> None:
        folder = tmp_path / "read-only"
        folder.mkdir(mode=0o500)
        try:
            self.fails(written, CannotWrite, "unchanged", out=folder / "copy.bjbackup")
            assert list(folder.iterdir()) == []
        finally:
            folder.chmod(0o700)

    @pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
    def test_folder_refuses_the_scratch_space(self, written: Journal, earlier: Path,
                                              monkeypatch: pytest.MonkeyPatch, code: int) -> None:
        def refuse(*_args: object, **_kwargs: object) -> str:
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(files.tempfile, "mkdtemp", refuse)
        error = self.fails(written, CannotWrite, "unchanged")
        assert os.strerror(code) in str(error)

    def test_folder_refuses_the_finished_file_its_name(self, written: Journal, earlier: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
        def refuse(*_args: object, **_kwargs: object) -> None:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))

        monkeypatch.setattr(files, "_publish", refuse)  # the link of an unnamed file, or the rename of a temporary
        self.fails(written, CannotWrite, "Read-only file system.*unchanged")

    def test_disk_full_while_writing_the_archive(self, written: Journal, earlier: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
        real = tarfile.copyfileobj

        def fill_up(source, target, length=None, *args, **kwargs):  # type: ignore[no-untyped-def]
            if length and length > 10_000:  # the snapshot: write part of it, then the disk is full
                target.write(source.read(4096))
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(source, target, length, *args, **kwargs)

        monkeypatch.setattr(tarfile, "copyfileobj", fill_up)
        self.fails(written, DiskFull, "disk is full.*unchanged; free some space")

    def test_disk_full_while_writing_the_snapshot(self, written: Journal, earlier: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
        def full(*_args: object, **_kwargs: object) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(backups, "_snapshot", full)
        self.fails(written, DiskFull, "disk is full.*unchanged; free some space")

    def test_snapshot_failing_its_integrity_check_leaves_nothing(
        self, written: Journal, earlier: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(backups, "file_integrity_problems", lambda *_args: ["cipher: HMAC check failed"])
        self.fails(written, JournalDamaged, "integrity check")
        assert [p.name for p in earlier.parent.iterdir()] == [earlier.name]

    def test_a_backup_that_does_not_read_back_is_removed(
        self, written: Journal, earlier: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real = backups.read_info

        def misread(path: Path, **kwargs: object) -> BackupInfo:
            if path != earlier:
                raise JournalDamaged("checksum mismatch")
            return real(path, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(backups, "read_info", misread)
        self.fails(written, JournalDamaged, "did not read back")


def info(day: datetime, reason: Reason, tag: str = "") -> BackupInfo:
    name = f"{day:%Y-%m-%dT%H%M}-{reason.value}{tag}.bjbackup"
    return BackupInfo(Path("/backups") / name, day, reason.value, "journal-id", "0005_fts_secure_delete", "1")


class TestRotation:
    """Automatic backups: 7 daily, 4 weekly, 12 monthly; safety backups 5 of each kind; manual ones forever."""

    def test_two_years_of_daily_backups(self) -> None:
        automatic = [info(NOW - timedelta(days=n), Reason.AUTOMATIC) for n in range(730)]
        earlier_today = info(NOW.replace(hour=8), Reason.AUTOMATIC, "-early")
        manual = [info(NOW - timedelta(days=n, hours=1), Reason.MANUAL) for n in range(0, 730, 30)]
        removed = {b.path for b in backups.to_remove([*automatic, earlier_today, *manual])}
        kept = {b.created_at.date() for b in automatic if b.path not in removed}
        assert kept == {
            # the last seven days
            date(2026, 11, 23), date(2026, 11, 22), date(2026, 11, 21), date(2026, 11, 20),
            date(2026, 11, 19), date(2026, 11, 18), date(2026, 11, 17),
            # the newest of each of the last four ISO weeks not already kept
            date(2026, 11, 15), date(2026, 11, 8),
            # the newest of each of the last twelve months not already kept
            date(2026, 10, 31), date(2026, 9, 30), date(2026, 8, 31), date(2026, 7, 31), date(2026, 6, 30),
            date(2026, 5, 31), date(2026, 4, 30), date(2026, 3, 31), date(2026, 2, 28), date(2026, 1, 31),
            date(2025, 12, 31),
        }
        assert earlier_today.path in removed  # one a day: the newest of the day counts
        assert not {b.path for b in manual} & removed

    def test_few_backups_are_all_kept(self) -> None:
        few = [info(NOW - timedelta(days=n * 9), Reason.AUTOMATIC) for n in range(5)]
        assert backups.to_remove(few) == []

    def test_five_backups_from_before_an_upgrade_are_kept(self) -> None:
        safety = [info(NOW - timedelta(days=n * 40), Reason.BEFORE_UPGRADE) for n in range(8)]
        others = [info(NOW - timedelta(days=n), Reason.BEFORE_RESTORE) for n in range(3)]
        assert set(backups.to_remove([*reversed(safety), *others])) == set(safety[5:])

    def test_backups_from_before_a_restore_are_never_removed(self) -> None:
        """Issue 12: six restores of an old backup rotated away the one backup holding the entries written since."""
        safety = [info(NOW - timedelta(days=n), Reason.BEFORE_RESTORE) for n in range(40)]
        assert backups.to_remove(safety) == []

    def test_manual_backups_are_never_removed(self) -> None:
        manual = [info(NOW - timedelta(days=n), Reason.MANUAL) for n in range(800)]
        assert backups.to_remove(manual) == []

    def test_rotation_removes_files_in_the_backups_folder(self, written: Journal, tmp_path: Path) -> None:
        template = backups.make_backup(written, out=tmp_path / "template.bjbackup").path
        folder = written.folder / "backups"
        folder.mkdir(mode=0o700)
        upgrades = [with_manifest(template, folder / f"u{n}.bjbackup", reason="before-upgrade",
                                  created_at=(NOW - timedelta(days=n)).isoformat()) for n in range(7)]
        manual = with_manifest(template, folder / "kept.bjbackup", reason="manual",
                               created_at=(NOW - timedelta(days=3000)).isoformat())
        stray = folder / "notes.bjbackup"
        stray.write_text("not a backup")
        backups.make_backup(written, now=NOW)
        assert [p.exists() for p in upgrades] == [True] * 5 + [False] * 2
        assert manual.exists() and stray.exists()


class TestAutomaticBackup:
    def test_once_per_day(self, written: Journal) -> None:
        first = backups.automatic_backup(written, NOW)
        assert first is not None and first.reason == Reason.AUTOMATIC
        assert backups.automatic_backup(written, NOW + timedelta(hours=10)) is None
        assert backups.automatic_backup(written, NOW + timedelta(days=1)) is not None
        found = backups.list_backups(written.folder / "backups")
        assert [b.created_at for b in found] == [NOW + timedelta(days=1), NOW]

    def test_a_manual_backup_does_not_count_as_the_days_automatic_one(self, written: Journal) -> None:
        backups.make_backup(written, now=NOW)
        assert backups.automatic_backup(written, NOW + timedelta(hours=1)) is not None

    def test_list_is_newest_first_and_skips_foreign_files(self, written: Journal) -> None:
        backups.make_backup(written, now=NOW - timedelta(days=2))
        backups.make_backup(written, now=NOW)
        (written.folder / "backups" / "junk.bjbackup").write_bytes(b"\x00" * 1000)
        assert [b.created_at for b in backups.list_backups(written.folder / "backups")] == [
            NOW, NOW - timedelta(days=2)]


def with_raw_manifest(backup: Path, out: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    """A copy of `backup` whose manifest bytes are `edit(bytes)` (the checksums of the other members still match)."""
    parts = members(backup)
    parts["manifest.json"] = edit(json.dumps(json.loads(parts["manifest.json"]), indent=2).encode())
    return pack(out, list(parts.items()))


HOSTILE_MANIFESTS = [
    pytest.param(lambda raw: b"[" * 30_000 + b"]" * 30_000, id="nested 30,000 deep"),
    pytest.param(lambda raw: raw.replace(b'"version": 1', b'"version": ' + b"1" * 5000), id="5,000-digit version"),
    pytest.param(lambda raw: raw.replace(b'"version": 1', b'"version": 1, "extra": ' + b"7" * 5000),
                 id="5,000-digit extra field"),
    pytest.param(lambda raw: raw.replace(b'"version": 1', b'"version": 1, "extra": 1e999'), id="infinite number"),
    pytest.param(lambda raw: raw.replace(b'"version": 1', b'"version": 1, "version": 1'), id="duplicate key"),
    pytest.param(lambda raw: raw.replace(b'"version": 1', b'"version": 1, "extra": ' + b"[" * 50 + b"]" * 50),
                 id="nested field"),
]


class TestHostileManifest:
    """A manifest is read bounded and total: whatever it holds, the backup is refused as not a backup (exit 5)
    and the others in the folder are still listed."""

    @pytest.mark.parametrize("hostile", HOSTILE_MANIFESTS)
    def test_refused_as_not_a_backup(self, saved: Path, hostile) -> None:  # type: ignore[no-untyped-def]
        bad = with_raw_manifest(saved, saved.with_name("hostile.bjbackup"), hostile)
        with pytest.raises(NotAJournal, match="not a usable Boundary Journal backup"):
            backups.read_info(bad)
        with pytest.raises(NotAJournal, match="not a usable Boundary Journal backup"):
            backups.read_info(bad, verify=False)

    @pytest.mark.parametrize("hostile", HOSTILE_MANIFESTS)
    def test_restore_refuses_it_and_changes_nothing(self, written: Journal, saved: Path, data_dir: Path,
                                                    hostile) -> None:  # type: ignore[no-untyped-def]
        written.close()
        bad = with_raw_manifest(saved, saved.with_name("hostile.bjbackup"), hostile)
        before = folder_state(data_dir)
        with pytest.raises(NotAJournal):
            backups.restore_backup(written.path, bad, PASSPHRASE)
        assert folder_state(data_dir) == before

    @pytest.mark.parametrize("hostile", HOSTILE_MANIFESTS)
    def test_the_others_are_still_listed(self, written: Journal, hostile) -> None:  # type: ignore[no-untyped-def]
        good = backups.make_backup(written, now=NOW)
        with_raw_manifest(good.path, good.path.with_name("copied-in.bjbackup"), hostile)
        assert [b.path for b in backups.list_backups(good.path.parent)] == [good.path]


def local(moment: datetime) -> datetime:
    return moment.astimezone().replace(tzinfo=None)


ODD_DATES = [
    pytest.param("2026-11-22T10:00:00+05:00", local(datetime.fromisoformat("2026-11-22T10:00:00+05:00")),
                 id="UTC offset"),
    pytest.param("2026-11-22T10:00:00Z", local(datetime.fromisoformat("2026-11-22T10:00:00+00:00")), id="Z"),
    pytest.param("0001-01-01T00:00:00", datetime(1, 1, 1), id="year 1"),
    pytest.param("9999-12-31T23:59:59", datetime(9999, 12, 31, 23, 59, 59), id="year 9999"),
    pytest.param("0001-01-01T00:00:00+14:00", None, id="offset before year 1"),
    pytest.param("9999-12-31T23:59:59-14:00", None, id="offset past year 9999"),
    pytest.param(20261122, None, id="a number"),
    pytest.param(None, None, id="null"),
    pytest.param("2026-02-30", None, id="no such day"),
    pytest.param("yesterday", None, id="words"),
]


class TestOddBackupsInTheFolder:
    """One odd file among the backups (a copied-in backup with a date in another time zone, a far date, a
    damaged, too new or unreadable file) never stops listing, rotation, the day's automatic backup or a
    backup: it is listed with its date as local time, or skipped."""

    @pytest.fixture
    def folder(self, written: Journal, tmp_path: Path) -> Path:
        backups.make_backup(written, reason=Reason.AUTOMATIC, now=NOW - timedelta(days=3))
        return written.folder / "backups"

    @pytest.fixture
    def template(self, written: Journal, tmp_path: Path) -> Path:
        return backups.make_backup(written, out=tmp_path / "template.bjbackup").path

    def still_works(self, journal: Journal, folder: Path, odd: Path) -> list[BackupInfo]:
        found = backups.list_backups(folder)
        assert NOW - timedelta(days=3) in [b.created_at for b in found]
        backups.to_remove(found)
        assert backups.backup_due(folder, NOW)
        assert backups.automatic_backup(journal, NOW) is not None
        assert backups.make_backup(journal, now=NOW + timedelta(minutes=1)).path.exists()
        assert odd.exists() or odd.is_symlink()  # nothing is removed for being odd
        return found

    @pytest.mark.parametrize(("created_at", "listed_as"), ODD_DATES)
    @pytest.mark.parametrize("reason", [Reason.AUTOMATIC, Reason.MANUAL])
    def test_manifest_dates(self, written: Journal, folder: Path, template: Path, created_at: object,
                            listed_as: datetime | None, reason: Reason) -> None:
        odd = with_manifest(template, folder / "copied-in.bjbackup", created_at=created_at, reason=reason.value)
        found = self.still_works(written, folder, odd)
        listed = [b.created_at for b in found if b.path == odd]
        assert listed == ([] if listed_as is None else [listed_as])
        assert all(b.created_at.tzinfo is None for b in found)

    def test_an_offset_is_read_as_local_time(self, template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        aware = with_manifest(template, template.with_name("aware.bjbackup"), created_at="2026-11-22T10:00:00+05:00")
        monkeypatch.setenv("TZ", "America/New_York")
        time.tzset()
        try:
            assert backups.read_info(aware).created_at == datetime(2026, 11, 22, 0, 0)  # 05:00 UTC is 00:00 EST
        finally:
            monkeypatch.undo()
            time.tzset()

    @pytest.mark.parametrize("make", [
        pytest.param(lambda folder, template: with_manifest(template, folder / "new.bjbackup", version=2),
                     id="too new"),
        pytest.param(lambda folder, template: (folder / "empty.bjbackup").write_bytes(b"") and None,
                     id="empty"),
        pytest.param(lambda folder, template: (folder / "half.bjbackup").write_bytes(
            template.read_bytes()[:3000]), id="truncated"),
        pytest.param(lambda folder, template: (folder / "a-folder.bjbackup").mkdir(), id="a folder"),
        pytest.param(lambda folder, template: (folder / "gone.bjbackup").symlink_to(folder / "nowhere"),
                     id="broken link"),
        pytest.param(lambda folder, template: with_raw_manifest(template, folder / "deep.bjbackup",
                                                                lambda raw: b"[" * 30_000 + b"]" * 30_000),
                     id="hostile manifest"),
    ])
    def test_other_odd_files(self, written: Journal, folder: Path, template: Path, make) -> None:  # type: ignore[no-untyped-def]
        make(folder, template)
        [odd] = [p for p in folder.iterdir() if p.name.startswith(("new", "empty", "half", "a-folder", "gone", "deep"))]
        found = self.still_works(written, folder, odd)
        assert odd not in [b.path for b in found]

    def test_skipped_files_are_named_with_why(self, written: Journal, folder: Path, template: Path) -> None:
        with_manifest(template, folder / "new.bjbackup", version=2)
        (folder / "junk.bjbackup").write_bytes(b"junk" * 100)
        scan = backups.scan_backups(folder)
        assert [b.created_at for b in scan.found] == [NOW - timedelta(days=3)]
        assert sorted((p.name, "newer version" in why or "not a usable" in why) for p, why in scan.skipped) == [
            ("junk.bjbackup", True), ("new.bjbackup", True)]


def sparse(name: str, realsize: int, data: bytes = b"x" * 512) -> tuple[tarfile.TarInfo, bytes]:
    """A GNU sparse member (PAX format 1.0): `data` at the end of `realsize` bytes that are otherwise a hole."""
    info = tarfile.TarInfo(f"GNUSparseFile.0/{name}")
    info.pax_headers = {"GNU.sparse.major": "1", "GNU.sparse.minor": "0", "GNU.sparse.name": name,
                        "GNU.sparse.realsize": str(realsize)}
    payload = f"1\n{realsize - len(data)}\n{len(data)}\n".encode().ljust(512, b"\0") + data
    info.size = len(payload)
    return info, payload


def with_sparse_db(backup: Path, out: Path, realsize: int) -> Path:
    parts = members(backup)
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in parts.items():
            info, payload = sparse(name, realsize) if name == "journal.db" else (tarfile.TarInfo(name), data)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return out


def claiming_size(backup: Path, out: Path, name: str, size: int) -> Path:
    """A copy of `backup` whose member `name` claims `size` bytes in its header (the archive holds fewer)."""
    shutil.copyfile(backup, out)
    with tarfile.open(out) as tar:
        header = tar.getmember(name).offset
    data = bytearray(out.read_bytes())
    assert size < 8**11  # what the header's octal field holds
    data[header + 124:header + 136] = f"{size:011o}\0".encode()
    data[header + 148:header + 156] = b" " * 8
    data[header + 148:header + 156] = f"{sum(data[header:header + 512]):06o}\0 ".encode()
    out.write_bytes(bytes(data))
    return out


def with_pax_headers(backup: Path, out: Path, headers: dict[str, str]) -> Path:
    """A copy of `backup` whose journal member carries `headers` (PAX), its data as it was."""
    parts = members(backup)
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in parts.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            if name == "journal.db":
                info.pax_headers = headers
            tar.addfile(info, io.BytesIO(data))
    return out


OVERSIZE = [
    pytest.param(lambda saved: with_sparse_db(saved, saved.with_name("tiny.bjbackup"), 64 * 2**20),
                 "stored as a sparse file", id="sparse 64 MiB in 10 KB"),
    pytest.param(lambda saved: with_sparse_db(saved, saved.with_name("tiny.bjbackup"), 1024),
                 "stored as a sparse file", id="sparse and small"),
    pytest.param(lambda saved: claiming_size(saved, saved.with_name("claims.bjbackup"), "journal.db", 2**32),
                 "truncated", id="claims 4 GiB"),
    pytest.param(lambda saved: claiming_size(saved, saved.with_name("claims.bjbackup"), "journal.key", 2**20),
                 "truncated", id="key claims 1 MiB"),
    # Headers Python's tarfile cannot parse raise ValueError, not TarError (found in review of issue 12).
    pytest.param(lambda saved: with_pax_headers(saved, saved.with_name("gnu10.bjbackup"), {
        "GNU.sparse.major": "1", "GNU.sparse.minor": "0", "GNU.sparse.name": "journal.db",
        "GNU.sparse.realsize": "1000"}), "truncated|sparse", id="GNU sparse 1.0 map that is not one"),
    pytest.param(lambda saved: with_pax_headers(saved, saved.with_name("gnu01.bjbackup"), {
        "GNU.sparse.map": "0,x,5", "GNU.sparse.size": "1000"}), "truncated|sparse", id="GNU sparse 0.1 map of letters"),
]


class TestSparseAndOversizeMembers:
    """A member that would unpack to more than the archive holds (sparse, or a size its header claims) makes the
    file not a backup, found before anything is read out of it or written."""

    @pytest.fixture(autouse=True)
    def nothing_unpacked(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def copy(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("a member was unpacked before it was checked")

        monkeypatch.setattr(backups.shutil, "copyfileobj", copy)

    @pytest.mark.parametrize(("make", "why"), OVERSIZE)
    def test_read_info(self, saved: Path, make, why: str) -> None:  # type: ignore[no-untyped-def]
        bad = make(saved)
        for verify in (True, False):
            with pytest.raises(NotAJournal, match=why):
                backups.read_info(bad, verify=verify)

    @pytest.mark.parametrize(("make", "why"), OVERSIZE)
    def test_restore(self, written: Journal, saved: Path, data_dir: Path, make, why: str) -> None:  # type: ignore[no-untyped-def]
        written.close()
        bad = make(saved)
        before = folder_state(data_dir)
        with pytest.raises(NotAJournal, match=why):
            backups.restore_backup(written.path, bad, PASSPHRASE)
        assert folder_state(data_dir) == before


def texts_in_file(db: Path, key_file: bytes) -> list[str]:
    folder = db.parent / "opened"
    folder.mkdir()
    shutil.copyfile(db, folder / "journal.db")
    (folder / "journal.key").write_bytes(key_file)
    return texts_in(folder / "journal.db")


@pytest.fixture
def saved(written: Journal, tmp_path: Path) -> Path:
    """A backup (outside the data folder) of the journal with two entries; the journal stays open."""
    return backups.make_backup(written, out=tmp_path / "saved.bjbackup").path


class TestRestore:
    """Restore checks everything first, keeps the journal it replaces, and leaves a journal that opens."""

    def test_same_journal_after_a_passphrase_change(self, written: Journal, saved: Path, catalog: Catalog,
                                                    data_dir: Path) -> None:
        """A backup of the key before a change needs today's passphrase and the one of its day; the restored
        journal gets a new key, so neither the old passphrase nor the backup's key file opens it."""
        entries.add_entry(written, catalog, entry_draft("written after the backup"))
        access.change_passphrase(written, NEW_PASSPHRASE)
        written.close()
        before = folder_state(data_dir)
        with pytest.raises(backups.BackupSecretNeeded):
            backups.restore_backup(written.path, saved, NEW_PASSPHRASE)
        assert folder_state(data_dir) == before
        restored = backups.restore_backup(written.path, saved, NEW_PASSPHRASE, backup_secret=PASSPHRASE)
        assert restored.rekeyed
        assert texts_in(written.path, NEW_PASSPHRASE) == sorted([SECRET, "second entry"])
        with pytest.raises(WrongPassphrase):
            open_journal(written.path, PASSPHRASE)
        backup_key = keys.unlock(keys.parse_key_file(members(saved)["journal.key"], "saved"), PASSPHRASE)
        assert restored.key != backup_key and not sqlcipher.opens_with(written.path, backup_key)
        # Today's key stays: the backups of today's key stay the journal's, and the journal's before-restore
        # backups can be told apart by what they hold (no pile of copies).
        assert restored.key == keys.unlock(keys.read_key_file(written.key_path), NEW_PASSPHRASE)
        # The journal as it was is a before-restore backup, and restoring that brings it back.
        assert restored.previous is not None and restored.previous.suffix == ".bjbackup"
        assert backups.read_info(restored.previous).reason == Reason.BEFORE_RESTORE
        backups.restore_backup(written.path, restored.previous, NEW_PASSPHRASE)
        assert "written after the backup" in texts_in(written.path, NEW_PASSPHRASE)

    @pytest.mark.slow
    def test_restores_of_an_earlier_key_do_not_pile_up_copies(self, written: Journal, saved: Path,
                                                               catalog: Catalog) -> None:
        """Review of issue 12: each restore of an earlier key's backup gave the journal a new key, so the check for
        identical content never matched and every restore left one more before-restore backup."""
        entries.add_entry(written, catalog, entry_draft("written after the backup"))
        access.change_passphrase(written, NEW_PASSPHRASE)
        written.close()
        for _ in range(4):
            backups.restore_backup(written.path, saved, NEW_PASSPHRASE, backup_secret=PASSPHRASE)
        kept = [b for b in backups.list_backups(written.folder / "backups") if b.reason == Reason.BEFORE_RESTORE]
        assert len(kept) == 2  # the journal before the first restore, and the restored content once
        key = keys.unlock(keys.read_key_file(written.key_path), NEW_PASSPHRASE)
        assert all(b.opens_with(key) for b in kept)  # so a later change of key re-encrypts them all

    def test_a_restore_is_authorised_by_todays_passphrase_only(self, written: Journal, saved: Path,
                                                                data_dir: Path) -> None:
        """Issue 12: the old passphrase opened the backup's old key file, and so replaced the journal."""
        access.change_passphrase(written, NEW_PASSPHRASE)
        written.close()
        before = folder_state(data_dir)
        with pytest.raises(WrongPassphrase, match="passphrase in use now"):
            backups.restore_backup(written.path, saved, PASSPHRASE)
        with pytest.raises(WrongPassphrase, match="passphrase in use now"):
            backups.restore_backup(written.path, saved, PASSPHRASE, backup_secret=PASSPHRASE)
        assert folder_state(data_dir) == before

    def test_repeated_restores_never_lose_the_entries_written_since(
        self, written: Journal, saved: Path, catalog: Catalog
    ) -> None:
        """Issue 12: six restores of an older backup rotated away the one backup holding the newer entries."""
        entries.add_entry(written, catalog, entry_draft("acknowledged after the backup"))
        written.close()
        first = backups.restore_backup(written.path, saved, PASSPHRASE)
        for _ in range(7):
            again = backups.restore_backup(written.path, saved, PASSPHRASE)
            assert again.previous is not None and again.previous.exists()
        assert first.previous is not None and first.previous.exists()
        assert "acknowledged after the backup" in texts_in_file(_unpacked(first.previous),
                                                                members(first.previous)["journal.key"])
        # Restoring the same content again points to the backup that already holds it: no pile of copies.
        kept = [b for b in backups.list_backups(written.folder / "backups") if b.reason == Reason.BEFORE_RESTORE]
        assert len(kept) == 2

    def test_foreign_journal_with_its_own_passphrase(self, written: Journal, data_dir: Path, tmp_path: Path,
                                                     catalog: Catalog) -> None:
        """Moving house onto a journal in use: today's passphrase authorises, the backup's own opens it, and the
        restored content takes the journal's key file of today (new key), never the backup's."""
        other = create_journal(journal_path(tmp_path / "other"), "the other passphrase")
        entries.add_entry(other, catalog, entry_draft("from the other computer"))
        foreign = backups.make_backup(other, out=tmp_path / "foreign.bjbackup").path
        other.close()
        journal_id = keys.read_key_file(written.key_path).journal_id
        written.close()

        restored = backups.restore_backup(written.path, foreign, PASSPHRASE, backup_secret="the other passphrase")
        assert restored.rekeyed and keys.read_key_file(written.key_path).journal_id == journal_id
        assert texts_in(written.path, PASSPHRASE) == ["from the other computer"]
        with pytest.raises(WrongPassphrase):
            open_journal(written.path, "the other passphrase")
        assert restored.previous is not None and restored.previous.suffix == ".bjbackup"
        assert texts_in_file(_unpacked(restored.previous), members(restored.previous)["journal.key"]) == sorted(
            [SECRET, "second entry"])

    def test_foreign_journal_with_the_same_passphrase(self, written: Journal, tmp_path: Path) -> None:
        other = create_journal(journal_path(tmp_path / "other"), PASSPHRASE)
        foreign = backups.make_backup(other, out=tmp_path / "foreign.bjbackup").path
        other.close()
        written.close()
        restored = backups.restore_backup(written.path, foreign, PASSPHRASE)
        assert texts_in(written.path) == []
        assert restored.previous is not None and restored.previous.suffix == ".bjbackup"
        assert backups.read_info(restored.previous).journal_id != backups.read_info(foreign).journal_id

    def test_into_an_empty_data_folder(self, saved: Path, tmp_path: Path) -> None:
        fresh = journal_path(tmp_path / "new")
        fresh.parent.mkdir()
        restored = backups.restore_backup(fresh, saved, PASSPHRASE)
        assert restored.previous is None
        assert texts_in(fresh) == sorted([SECRET, "second entry"])

    def test_wrong_passphrase_changes_nothing(self, written: Journal, saved: Path, data_dir: Path) -> None:
        written.close()
        before = folder_state(data_dir)
        with pytest.raises(WrongPassphrase):
            backups.restore_backup(written.path, saved, "not the passphrase")
        assert folder_state(data_dir) == before

    def test_wrong_passphrase_for_a_foreign_backup_changes_nothing(
        self, written: Journal, data_dir: Path, tmp_path: Path
    ) -> None:
        other = create_journal(journal_path(tmp_path / "other"), "the other passphrase")
        foreign = backups.make_backup(other, out=tmp_path / "foreign.bjbackup").path
        other.close()
        written.close()
        before = folder_state(data_dir)
        with pytest.raises(backups.BackupSecretNeeded):
            backups.restore_backup(written.path, foreign, PASSPHRASE)
        with pytest.raises(backups.WrongBackupSecret, match="opens this backup"):
            backups.restore_backup(written.path, foreign, PASSPHRASE, backup_secret="not the other passphrase")
        assert folder_state(data_dir) == before

    @staticmethod
    def damaged_db_member(saved: Path) -> Path:
        with tarfile.open(saved) as tar:
            offset = tar.getmember("journal.db").offset_data
        flip_byte(saved, offset + 5000)
        return saved

    @staticmethod
    def truncated(saved: Path) -> Path:
        saved.write_bytes(saved.read_bytes()[: saved.stat().st_size // 2])
        return saved

    @staticmethod
    def evil_member(saved: Path) -> Path:
        return pack(saved.with_name("evil.bjbackup"), [*members(saved).items(), ("../evil", b"escaped")])

    @staticmethod
    def missing_member(saved: Path) -> Path:
        parts = members(saved)
        del parts["journal.key"]
        return pack(saved.with_name("short.bjbackup"), list(parts.items()))

    @staticmethod
    def link_member(saved: Path) -> Path:
        out = saved.with_name("link.bjbackup")
        with tarfile.open(out, "w") as tar:
            for name, data in members(saved).items():
                info = tarfile.TarInfo(name)
                if name == "journal.key":
                    info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
                    tar.addfile(info)
                else:
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
        return out

    @staticmethod
    def not_a_tar(saved: Path) -> Path:
        saved.write_bytes(b"just some text\n" * 100)
        return saved

    @pytest.mark.parametrize(("damage", "error", "match"), [
        (damaged_db_member, JournalDamaged, "checksum"),
        (truncated, NotAJournal, "truncated"),
        (evil_member, NotAJournal, r"unexpected content '\.\./evil'"),
        (missing_member, NotAJournal, "missing"),
        (link_member, NotAJournal, "unexpected content"),
        (not_a_tar, NotAJournal, "not a backup file"),
    ], ids=["flipped-byte", "truncated", "path-escape", "missing-member", "symlink", "not-a-tar"])
    def test_damaged_backup_is_refused_and_nothing_changes(
        self, written: Journal, saved: Path, data_dir: Path, tmp_path: Path, damage, error, match  # type: ignore[no-untyped-def]
    ) -> None:
        written.close()
        bad = damage(saved)
        before, around = folder_state(data_dir), sorted(p.name for p in tmp_path.iterdir())
        with pytest.raises(error, match=match):
            backups.restore_backup(written.path, bad, PASSPHRASE)
        assert folder_state(data_dir) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == around
        assert not (tmp_path / "evil").exists() and not (data_dir.parent / "evil").exists()

    def test_backup_made_by_a_newer_version(self, written: Journal, saved: Path, data_dir: Path) -> None:
        written.close()
        newer = with_manifest(saved, saved.with_name("newer.bjbackup"), version=2)
        before = folder_state(data_dir)
        with pytest.raises(JournalTooNew):
            backups.restore_backup(written.path, newer, PASSPHRASE)
        assert folder_state(data_dir) == before

    @pytest.mark.parametrize("version", ["1", None, 0])
    def test_manifest_with_a_malformed_version(self, saved: Path, version: object) -> None:
        with pytest.raises(NotAJournal, match="version"):
            backups.read_info(with_manifest(saved, saved.with_name("odd.bjbackup"), version=version))

    def test_backup_whose_snapshot_does_not_match_its_key_file(
        self, written: Journal, saved: Path, data_dir: Path, tmp_path: Path
    ) -> None:
        other = create_journal(journal_path(tmp_path / "other"), PASSPHRASE)
        other_db = backups.make_backup(other, out=tmp_path / "other.bjbackup").path
        other.close()
        written.close()
        mixed = with_journal_of(saved, other_db, tmp_path / "mixed.bjbackup")
        before = folder_state(data_dir)
        with pytest.raises(JournalDamaged):
            backups.restore_backup(written.path, mixed, PASSPHRASE)
        assert folder_state(data_dir) == before

    def test_the_journal_now_is_backed_up_first(self, written: Journal, saved: Path, catalog: Catalog) -> None:
        entries.add_entry(written, catalog, entry_draft("only in the journal now"))
        written.close()
        restored = backups.restore_backup(written.path, saved, PASSPHRASE)
        assert "only in the journal now" not in texts_in(written.path)
        [before_restore] = [b for b in backups.list_backups(written.folder / "backups")
                            if b.reason == Reason.BEFORE_RESTORE]
        assert before_restore.path == restored.previous
        backups.restore_backup(written.path, before_restore.path, PASSPHRASE)
        assert "only in the journal now" in texts_in(written.path)

    def test_no_room_to_back_up_the_journal_now_refuses_the_restore(
        self, written: Journal, saved: Path, data_dir: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        entries.add_entry(written, catalog, entry_draft("only in the journal now"))
        written.close()
        before = folder_state(data_dir)

        def full(*_args: object, **_kwargs: object) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(backups, "_snapshot", full)
        with pytest.raises(DiskFull, match="disk is full"):
            backups.restore_backup(written.path, saved, PASSPHRASE)
        assert folder_state(data_dir) == before
        assert "only in the journal now" in texts_in(written.path)

    def test_journal_now_whose_snapshot_fails_its_check_is_moved_aside(
        self, written: Journal, saved: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        written.close()
        before = folder_state(data_dir)

        def damaged(*_args: object, **_kwargs: object) -> None:
            raise JournalDamaged("The backup copy failed its integrity check")

        monkeypatch.setattr(backups, "_snapshot", damaged)
        restored = backups.restore_backup(written.path, saved, PASSPHRASE)
        assert restored.previous is not None and restored.previous.is_dir()
        assert folder_state(restored.previous) == {n: before[n] for n in ("journal.db", "journal.key")}
        assert texts_in(written.path) == sorted([SECRET, "second entry"])

    def test_damaged_journal_now_is_moved_aside_intact(self, written: Journal, saved: Path,
                                                       data_dir: Path) -> None:
        written.close()
        flip_byte(written.path, 100)  # page 1: it no longer opens at all
        Path(f"{written.path}-wal").write_bytes(b"a write-ahead log left by a crash" * 100)
        before = folder_state(data_dir)
        restored = backups.restore_backup(written.path, saved, PASSPHRASE)
        assert restored.previous is not None and restored.previous.is_dir()
        aside = folder_state(restored.previous)
        assert aside == {name: before[name] for name in ("journal.db", "journal.db-wal", "journal.key")}
        assert texts_in(written.path) == sorted([SECRET, "second entry"])
        assert not Path(f"{written.path}-wal").exists()

    def test_journal_now_with_a_damaged_key_file_is_moved_aside(self, written: Journal, saved: Path,
                                                                data_dir: Path) -> None:
        written.close()
        written.key_path.write_text("{damaged")
        before = folder_state(data_dir)
        restored = backups.restore_backup(written.path, saved, PASSPHRASE)
        assert restored.previous is not None
        assert folder_state(restored.previous) == {n: before[n] for n in ("journal.db", "journal.key")}
        assert texts_in(written.path) == sorted([SECRET, "second entry"])

    @pytest.mark.slow
    def test_stale_write_ahead_log_never_reaches_the_restored_journal(self, written: Journal, saved: Path) -> None:
        written.close()
        # A crash after a commit: the entry is only in the journal's write-ahead log.
        result = run_library(CRASH_AFTER_COMMIT, str(written.path), PASSPHRASE)
        assert result.returncode == 0, result.stderr
        assert Path(f"{written.path}-wal").stat().st_size > 0
        restored = backups.restore_backup(written.path, saved, PASSPHRASE)
        assert texts_in(written.path) == sorted([SECRET, "second entry"])
        assert restored.previous is not None
        assert "only in the write-ahead log" in texts_in_file(
            _unpacked(restored.previous), members(restored.previous)["journal.key"])

    def test_backup_of_an_older_schema_is_migrated(self, written: Journal, data_dir: Path, tmp_path: Path) -> None:
        old = _journal_at_revision(tmp_path / "old", "0003_weekly_exercise")
        try:
            with old.transaction() as session:
                session.connection().exec_driver_sql(
                    "INSERT INTO relationships (id, pseudonym, status, created_at) "
                    "VALUES (1, 'Client From 0003', 'active', '2026-01-01 00:00:00')")
            old_backup = backups.make_backup(old, out=tmp_path / "old.bjbackup")
        finally:
            old.close()
        assert old_backup.schema_revision == "0003_weekly_exercise"
        written.close()
        backups.restore_backup(written.path, old_backup.path, PASSPHRASE)
        reopened = open_journal(written.path, PASSPHRASE)
        try:
            with reopened.engine.connect() as conn:
                assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == migrations.head()
                assert conn.exec_driver_sql("SELECT pseudonym FROM relationships").scalar() == "Client From 0003"
            assert integrity_problems(reopened) == []
        finally:
            reopened.close()
        reasons = {b.reason for b in backups.list_backups(data_dir / "backups")}
        assert {Reason.BEFORE_RESTORE, Reason.BEFORE_UPGRADE} <= reasons


def _unpacked(backup: Path) -> Path:
    folder = backup.parent / f"unpacked-{backup.stem}"
    folder.mkdir()
    db = folder / "journal.db"
    db.write_bytes(members(backup)["journal.db"])
    return db


def _journal_at_revision(folder: Path, revision: str) -> Journal:
    """A journal with a key file, as this version makes them, but with its schema at `revision`."""
    folder.mkdir(parents=True)
    path = journal_path(folder)
    key = keys.new_journal_key()
    conn = sqlcipher.connect(path, key, create=True)
    conn.execute(f"PRAGMA application_id = {sqlcipher.APPLICATION_ID}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.commit()
    conn.close()
    engine = journal_module.make_engine(path, key)
    migrations.upgrade(engine, revision)
    engine.dispose()
    keys.write_key_file(keys.key_path_for(path), keys.new_key_file(key, PASSPHRASE))
    return journal_module.open_file(path, key)


RESTORE_FOREVER = """
from boundary_journal.store import backups
from boundary_journal.store.storage import open_journal
path, passphrase, other = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
print("ready", flush=True)
while True:
    for backup in sys.argv[4:]:
        backups.restore_backup(path, Path(backup), passphrase, backup_secret=other)
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="SIGKILL is POSIX")
def test_a_kill_anywhere_in_a_restore_of_another_journals_backup_leaves_a_journal_that_opens(
    written: Journal, tmp_path: Path, catalog: Catalog
) -> None:
    """Issue 12, item 5: a restore killed between installing the key file and the journal left a "damaged"
    folder. Restores of another journal's backups (each re-keyed, installed as a pair) run until killed; the
    next holder of the folder tidies, and the journal opens with today's passphrase holding one whole content."""
    import random

    from boundary_journal.store import journal_files
    from tests.unit.journal_files import kill_when

    foreign = []
    for number in range(2):
        other = create_journal(journal_path(tmp_path / f"other{number}"), "the other passphrase")
        entries.add_entry(other, catalog, entry_draft(f"foreign content {number}"))
        foreign.append(backups.make_backup(other, out=tmp_path / f"foreign{number}.bjbackup").path)
        other.close()
    written.close()
    contents = {tuple(sorted([SECRET, "second entry"])), ("foreign content 0",), ("foreign content 1",)}
    chance = random.Random()
    for _ in range(8):
        kill_when("ready", RESTORE_FOREVER, str(written.path), PASSPHRASE, "the other passphrase",
                  *map(str, foreign), after=chance.uniform(0.0, 0.6))
        journal_files.tidy(written.path)
        assert tuple(texts_in(written.path)) in contents
        reopened = open_journal(written.path, PASSPHRASE)
        try:
            assert integrity_problems(reopened) == []
        finally:
            reopened.close()
        with pytest.raises(WrongPassphrase):
            open_journal(written.path, "the other passphrase")
        assert journal_files.leftovers(written.path) == []
