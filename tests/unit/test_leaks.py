"""Nothing readable leaves the encryption: canary text written through the services is found in no file
(journal, write-ahead log, key file, backups, temporary folder), and every file is private."""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.errors import WrongPassphrase, WrongRecoveryCode
from boundary_journal.services import access, entries, selfchecks, weekly
from boundary_journal.store import backups, keys
from boundary_journal.store.journal import Journal
from boundary_journal.store.paths import journal_path
from boundary_journal.store.storage import create_journal, open_journal
from tests.conftest import PASSPHRASE
from tests.unit.journal_files import folder_state

# One canary in ASCII, one that needs more than one byte per character in UTF-8.
CANARIES = ("ZebrafinchCanary7f3e", "Kanarienvögel Ωμέγαλέξη カナリア鳥")
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


def _forms(text: str) -> set[str]:
    """The text as typed, as search would index it (folded case, accents removed), and its long words."""
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    whole = {text, text.lower(), text.upper(), stripped, stripped.lower(), unicodedata.normalize("NFD", text)}
    words = {word for form in whole for word in form.split() if len(word) >= 4}
    return whole | words


NEEDLES = sorted({form.encode(encoding) for text in CANARIES for form in _forms(text) for encoding in ENCODINGS})


def found_in(path: Path) -> list[bytes]:
    data = path.read_bytes()
    return [needle for needle in NEEDLES if needle in data]


def leaks(folder: Path) -> dict[str, list[bytes]]:
    """Every file under `folder` that holds any form of a canary."""
    return {str(p.relative_to(folder)): hits for p in sorted(folder.rglob("*"))
            if p.is_file() and (hits := found_in(p))}


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh temporary folder for everything this test writes there."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP", "SQLITE_TMPDIR"):
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def write_canaries(journal: Journal, catalog: Catalog) -> None:
    text = " ".join(CANARIES)
    entries.add_entry(journal, catalog, entries.EntryDraft(
        template="gift_offered", relationship="Client K", occurred=datetime(2026, 3, 2, 10, 0),
        fields={"what_happened": text, "documentation_note": f"Noted: {text}", "next_step": text},
        tags=["canary"],
    ))
    flag = catalog.red_flags[0].id
    selfchecks.add_self_check(journal, catalog, selfchecks.SelfCheckDraft(
        {flag: 1}, relationship="Client K", item_notes={flag: text}, note=text, context=text,
        taken_at=datetime(2026, 3, 3, 9, 0),
    ))
    weekly.save_exercise(journal, catalog, weekly.ExerciseDraft(
        "Client K", f"The way {text} keeps coming up", "other", move_other=CANARIES[1]),
        today=date(2026, 3, 4))


def test_canaries_are_searchable_so_the_checks_below_mean_something(journal: Journal, catalog: Catalog) -> None:
    write_canaries(journal, catalog)
    assert [e.fields["what_happened"] for e in entries.search_entries(journal, "zebrafinchcanary7f3e")] == [
        " ".join(CANARIES)]
    assert entries.search_entries(journal, "Kanarienvögel") != []


def test_the_scanner_finds_the_canaries_in_a_decrypted_copy(journal: Journal, catalog: Catalog,
                                                            tmp_path: Path) -> None:
    """The positive control: without encryption, every canary would be found."""
    write_canaries(journal, catalog)
    plain = tmp_path / "plain.db"
    with journal.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
        raw.execute("SELECT sqlcipher_export('plain')")
        raw.execute("DETACH DATABASE plain")
    hits = found_in(plain)
    assert all(text.encode("utf-8") in hits for text in CANARIES)


class TestNoReadableText:
    """The canary is nowhere in plain text, in any encoding, at any moment."""

    @pytest.fixture
    def canaried(self, journal: Journal, catalog: Catalog, temp_folder: Path) -> Iterator[Journal]:
        write_canaries(journal, catalog)
        yield journal

    def test_while_open(self, canaried: Journal, data_dir: Path) -> None:
        wal = Path(f"{canaried.path}-wal")
        assert wal.stat().st_size > 0  # the new pages are in the write-ahead log now
        assert leaks(data_dir) == {}

    def test_after_close(self, canaried: Journal, data_dir: Path, temp_folder: Path) -> None:
        canaried.close()
        assert not Path(f"{canaried.path}-wal").exists()
        assert leaks(data_dir) == {}
        assert leaks(temp_folder) == {}

    @pytest.mark.slow
    def test_in_backups_and_the_key_file(self, canaried: Journal, data_dir: Path, tmp_path: Path,
                                         temp_folder: Path) -> None:
        backups.make_backup(canaried)
        backups.automatic_backup(canaried, datetime(2026, 11, 23, 9, 0))
        outside = backups.make_backup(canaried, out=tmp_path / "elsewhere.bjbackup").path
        change = access.change_passphrase(canaried, "a brand new passphrase")
        access.reencrypt_backups(canaried, change.previous_key)
        access.new_recovery_code(canaried, passphrase="a brand new passphrase")
        canaried.close()
        assert found_in(canaried.key_path) == []
        assert found_in(outside) == []
        assert leaks(data_dir) == {}
        assert leaks(temp_folder) == {}

    def test_after_restore(self, canaried: Journal, data_dir: Path, tmp_path: Path, temp_folder: Path) -> None:
        saved = backups.make_backup(canaried, out=tmp_path / "saved.bjbackup").path
        canaried.close()
        backups.restore_backup(canaried.path, saved, PASSPHRASE)
        assert leaks(data_dir) == {}
        assert leaks(temp_folder) == {}

    def test_uncommitted_then_committed_pages_in_the_write_ahead_log(
        self, journal: Journal, data_dir: Path, temp_folder: Path
    ) -> None:
        text = " ".join(CANARIES)
        bulk = (text + " ") * 3000  # far more than the page cache, so pages spill before the commit
        wal = Path(f"{journal.path}-wal")
        with journal.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA cache_size = 4")  # this begins the (IMMEDIATE) transaction
            conn.exec_driver_sql(
                "INSERT INTO relationships (id, pseudonym, status, created_at) "
                "VALUES (500, ?, 'active', '2026-01-01 00:00:00')", (CANARIES[1],))
            conn.exec_driver_sql(
                "INSERT INTO entries (occurred, relationship_id, category, channel, template, fields, tags, "
                "supervision, search_text, created_at, updated_at) VALUES ('2026-01-02 09:30:00', 500, "
                "'gifts_money_favours', 'in_person', 'gift_offered', ?, '[]', 0, ?, "
                "'2026-01-02 09:31:00', '2026-01-02 09:31:00')",
                (json.dumps({"what_happened": bulk}, ensure_ascii=False), bulk))
            assert wal.stat().st_size > 100_000  # uncommitted pages written out
            assert found_in(wal) == [] and found_in(journal.path) == []
            conn.commit()
        assert found_in(wal) == [] and found_in(journal.path) == []
        assert leaks(data_dir) == {}
        journal.close()
        assert leaks(data_dir) == {}
        assert leaks(temp_folder) == {}

    def test_deleted_text_is_gone_from_the_search_index_too(self, journal: Journal, catalog: Catalog,
                                                           data_dir: Path) -> None:
        write_canaries(journal, catalog)
        [entry] = entries.list_entries(journal)
        entries.delete_entry(journal, entry.id)
        journal.close()
        assert leaks(data_dir) == {}


class TestPrivateFiles:
    """Only the owner can read the journal, its key, its write-ahead log and its backups."""

    def test_modes(self, journal: Journal, catalog: Catalog, data_dir: Path) -> None:
        write_canaries(journal, catalog)
        for suffix in ("-wal", "-shm"):
            assert Path(f"{journal.path}{suffix}").stat().st_mode & 0o777 == 0o600
        backups.make_backup(journal)
        backups.automatic_backup(journal)
        journal.close()
        folder = data_dir / "backups"
        assert folder.stat().st_mode & 0o777 == 0o700
        private = [journal.path, journal.key_path, *folder.iterdir()]
        assert len(private) == 4
        assert {p.name: p.stat().st_mode & 0o777 for p in private} == {p.name: 0o600 for p in private}

    def test_modes_after_a_restore_that_moved_files_aside(self, journal: Journal, tmp_path: Path,
                                                          data_dir: Path) -> None:
        saved = backups.make_backup(journal, out=tmp_path / "saved.bjbackup").path
        journal.close()
        other = create_journal(journal_path(tmp_path / "other"), "another passphrase")
        foreign = backups.make_backup(other, out=tmp_path / "foreign.bjbackup").path
        other.close()
        journal.key_path.write_text("{damaged")  # the journal in place cannot be opened: its files are moved aside
        restored = backups.restore_backup(journal.path, foreign, "another passphrase")
        assert restored.previous is not None and restored.previous.is_dir()
        assert restored.previous.stat().st_mode & 0o777 == 0o700
        for path in [journal.path, journal.key_path, *restored.previous.iterdir()]:
            assert path.stat().st_mode & 0o777 == 0o600, path
        assert saved.exists()

    def test_key_file_stays_private_after_each_rewrite(self, journal: Journal) -> None:
        access.change_passphrase(journal, "a brand new passphrase")
        assert journal.key_path.stat().st_mode & 0o777 == 0o600
        assert journal.path.stat().st_mode & 0o777 == 0o600
        access.new_recovery_code(journal, passphrase="a brand new passphrase")
        assert journal.key_path.stat().st_mode & 0o777 == 0o600
        assert journal.path.stat().st_mode & 0o777 == 0o600


class TestWrongSecretsChangeNothing:
    """A wrong passphrase or recovery code leaves every file in the data folder byte-for-byte as it was."""

    @pytest.fixture
    def lived_in(self, journal: Journal, catalog: Catalog, data_dir: Path) -> Path:
        write_canaries(journal, catalog)
        backups.automatic_backup(journal)
        access.new_recovery_code(journal, passphrase=PASSPHRASE)
        journal.close()
        return data_dir

    def test_open(self, lived_in: Path) -> None:
        before = folder_state(lived_in)
        for wrong in ("not the passphrase", PASSPHRASE.upper(), PASSPHRASE + " ", "é" * 20):
            with pytest.raises(WrongPassphrase):
                open_journal(journal_path(lived_in), wrong)
        assert folder_state(lived_in) == before

    def test_recovery_code(self, lived_in: Path) -> None:
        before = folder_state(lived_in)
        with pytest.raises(WrongRecoveryCode):
            access.open_with_recovery_code(journal_path(lived_in), keys.make_recovery_code(), "a new passphrase")
        assert folder_state(lived_in) == before

    def test_restore(self, lived_in: Path) -> None:
        [backup] = (lived_in / "backups").glob("*.bjbackup")
        before = folder_state(lived_in)
        with pytest.raises(WrongPassphrase):
            backups.restore_backup(journal_path(lived_in), backup, "not the passphrase")
        assert folder_state(lived_in) == before

    def test_nothing_written_to_the_temporary_folder(self, lived_in: Path, temp_folder: Path) -> None:
        with pytest.raises(WrongPassphrase):
            open_journal(journal_path(lived_in), "not the passphrase")
        assert list(temp_folder.iterdir()) == []


def test_temp_folder_fixture_redirects_python(temp_folder: Path) -> None:
    with tempfile.NamedTemporaryFile() as handle:
        assert Path(handle.name).parent == temp_folder
    assert os.environ["TMPDIR"] == str(temp_folder)
