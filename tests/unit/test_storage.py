"""The encrypted journal file: creation, durable connections, refusal of foreign, wrong or damaged input,
the upgrade of journals keyed by their passphrase, and schema ownership."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy.exc import DBAPIError

from boundary_journal.catalog import Catalog, shipped_catalog
from boundary_journal.errors import (
    InvalidInput,
    JournalDamaged,
    JournalExists,
    JournalMissing,
    JournalTooNew,
    KeyFileMissing,
    NotAJournal,
    WrongPassphrase,
)
from boundary_journal.services import entries
from boundary_journal.store import journal_files, keys, migrations
from boundary_journal.store.journal import Journal, integrity_problems
from boundary_journal.store.paths import journal_path
from boundary_journal.store.sqlcipher import APPLICATION_ID, file_integrity_problems
from boundary_journal.store.storage import create_journal, open_journal
from tests.conftest import PASSPHRASE
from tests.unit.journal_files import (
    CRASH_AFTER_COMMIT,
    PAGE,
    entry_draft,
    fill,
    flip_byte,
    folder_state,
    kill_when,
    legacy_journal,
    opens_with_passphrase_as_key,
    run_library,
)


def raw_key_connection(path: Path, key: bytes) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def journal_key(data_dir: Path, passphrase: str = PASSPHRASE) -> bytes:
    return keys.unlock(keys.read_key_file(keys.key_path_for(journal_path(data_dir))), passphrase)


class TestCreate:
    """A new journal is one file encrypted with a random key, and a key file that wraps that key."""

    def test_file_is_encrypted_with_a_random_key_not_the_passphrase(self, data_dir: Path) -> None:
        path = journal_path(data_dir)
        create_journal(path, PASSPHRASE).close()
        assert not path.read_bytes().startswith(b"SQLite format 3")
        assert not opens_with_passphrase_as_key(path, PASSPHRASE)
        # The raw key from the key file opens it with the plain sqlcipher3 module.
        conn = raw_key_connection(path, journal_key(data_dir))
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            assert {"relationships", "entries", "entries_fts", "alembic_version"} <= tables
            assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            conn.close()

    def test_each_journal_has_its_own_key(self, tmp_path: Path) -> None:
        first, second = tmp_path / "a", tmp_path / "b"
        for folder in (first, second):
            create_journal(journal_path(folder), PASSPHRASE).close()
        assert journal_key(first) != journal_key(second)

    def test_only_the_owner_can_read_it(self, data_dir: Path) -> None:
        path = journal_path(data_dir)
        create_journal(path, PASSPHRASE).close()
        assert sorted(p.name for p in data_dir.iterdir()) == ["journal.db", "journal.key"]
        for name in ("journal.db", "journal.key"):
            assert (data_dir / name).stat().st_mode & 0o777 == 0o600

    def test_new_data_folder_is_private(self, tmp_path: Path) -> None:
        folder = tmp_path / "new" / "data"
        create_journal(journal_path(folder), PASSPHRASE).close()
        assert folder.stat().st_mode & 0o777 == 0o700

    def test_with_a_recovery_code(self, data_dir: Path) -> None:
        code = keys.make_recovery_code()
        create_journal(journal_path(data_dir), PASSPHRASE, code).close()
        keyfile = keys.read_key_file(keys.key_path_for(journal_path(data_dir)))
        assert keyfile.has_recovery_code
        assert keys.unlock_with_recovery_code(keyfile, code) == keys.unlock(keyfile, PASSPHRASE)

    def test_refuses_to_overwrite(self, data_dir: Path) -> None:
        path = journal_path(data_dir)
        path.write_bytes(b"precious")
        with pytest.raises(JournalExists):
            create_journal(path, PASSPHRASE)
        assert path.read_bytes() == b"precious"
        assert not keys.key_path_for(path).exists()

    def test_a_leftover_key_file_without_journal_is_replaced(self, data_dir: Path) -> None:
        # A set-up that stopped after writing the key file leaves a key file that opens nothing.
        keys.key_path_for(journal_path(data_dir)).write_text("left over")
        create_journal(journal_path(data_dir), PASSPHRASE).close()
        open_journal(journal_path(data_dir), PASSPHRASE).close()

    def test_short_passphrase_is_refused(self, data_dir: Path) -> None:
        with pytest.raises(InvalidInput, match="at least 8"):
            create_journal(journal_path(data_dir), "short")
        assert list(data_dir.iterdir()) == []

    def test_schema_is_at_alembic_head(self, journal) -> None:
        with journal.engine.connect() as conn:
            stored = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        assert stored == migrations.head()
        assert integrity_problems(journal) == []


class TestConnections:
    """Every connection is durable and strict: WAL, synchronous=FULL, foreign keys, secure delete."""

    def test_a_closed_journal_drops_its_key_and_cannot_reconnect(self, journal: Journal) -> None:
        entries.count_entries(journal)
        journal.close()
        assert journal.key == b"" and not journal.is_open
        with pytest.raises(DBAPIError, match="closed"):
            entries.count_entries(journal)

    def test_pragmas_on_every_pooled_connection(self, journal: Journal) -> None:
        # Raw pool connections: through SQLAlchemy, every use begins an IMMEDIATE (write) transaction.
        first, second = journal.engine.raw_connection(), journal.engine.raw_connection()
        try:
            for conn in (first, second):
                assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
                assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
                assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
                assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
        finally:
            first.close()
            second.close()

    def test_pragmas_after_reopening(self, journal: Journal) -> None:
        journal.close()
        reopened = open_journal(journal.path, PASSPHRASE)
        try:
            with reopened.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        finally:
            reopened.close()

    def test_foreign_keys_are_enforced(self, journal: Journal) -> None:
        with pytest.raises(Exception, match="FOREIGN KEY"), journal.transaction() as session:
            session.connection().exec_driver_sql(
                "INSERT INTO entries (occurred, relationship_id, category, channel, template, fields, tags, "
                "supervision, search_text, created_at, updated_at) VALUES ('2026-01-02 09:30:00', 999, 'c', "
                "'in_person', 't', '{}', '[]', 0, '', '2026-01-02 09:31:00', '2026-01-02 09:31:00')"
            )

    def test_close_drops_the_key(self, journal: Journal) -> None:
        assert journal.is_open
        journal.close()
        assert not journal.is_open and journal.key == b""

    def test_close_checkpoints_and_removes_the_write_ahead_log(self, journal: Journal, catalog: Catalog) -> None:
        entries.add_entry(journal, catalog, entry_draft("something"))
        assert Path(f"{journal.path}-wal").exists()
        journal.close()
        assert not Path(f"{journal.path}-wal").exists()

    @pytest.mark.slow
    def test_a_committed_entry_survives_a_crash(self, journal: Journal, data_dir: Path) -> None:
        journal.close()
        result = run_library(CRASH_AFTER_COMMIT, str(journal.path), PASSPHRASE)
        assert result.returncode == 0, result.stderr
        assert Path(f"{journal.path}-wal").stat().st_size > 0
        reopened = open_journal(journal.path, PASSPHRASE)
        try:
            [entry] = entries.list_entries(reopened)
            assert entry.fields["what_happened"] == "only in the write-ahead log"
            assert integrity_problems(reopened) == []
        finally:
            reopened.close()


@pytest.fixture
def filled(journal: Journal, catalog: Catalog, data_dir: Path) -> Path:
    """A closed journal spanning dozens of pages."""
    fill(journal, catalog)
    journal.close()
    assert journal.path.stat().st_size > 20 * PAGE
    return journal.path


class TestOpenRefusals:
    """Each refusal has its own message and leaves every file in the data folder byte-for-byte unchanged."""

    @staticmethod
    def refused(folder: Path, error: type[Exception], match: str, passphrase: str = PASSPHRASE) -> Exception:
        before = folder_state(folder)
        with pytest.raises(error, match=match) as caught:
            open_journal(journal_path(folder), passphrase)
        assert folder_state(folder) == before
        return caught.value

    def test_wrong_passphrase(self, filled: Path, data_dir: Path) -> None:
        self.refused(data_dir, WrongPassphrase, "passphrase does not open", "not the passphrase")

    def test_missing(self, data_dir: Path) -> None:
        with pytest.raises(JournalMissing, match="boundary-journal init"):
            open_journal(journal_path(data_dir), PASSPHRASE)

    def test_plain_sqlite_file(self, data_dir: Path) -> None:
        conn = sqlite3.connect(journal_path(data_dir))
        conn.execute("CREATE TABLE t(x)")
        conn.commit()
        conn.close()
        self.refused(data_dir, NotAJournal, "unencrypted SQLite")

    @pytest.mark.parametrize("content", [b"", b"hello, I am a text file\n", b"\x00" * 100])
    def test_file_that_is_no_database(self, data_dir: Path, content: bytes) -> None:
        journal_path(data_dir).write_bytes(content)
        self.refused(data_dir, NotAJournal, "not a Boundary Journal")

    @pytest.mark.slow
    def test_encrypted_database_of_another_program(self, data_dir: Path) -> None:
        conn = sqlcipher3.connect(str(journal_path(data_dir)))
        conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
        conn.execute("CREATE TABLE other(x)")
        conn.commit()
        conn.close()
        self.refused(data_dir, NotAJournal, "not a Boundary Journal")

    def test_journal_from_a_newer_version(self, journal: Journal, data_dir: Path) -> None:
        with journal.transaction() as session:
            session.connection().exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
        journal.close()
        self.refused(data_dir, JournalTooNew, "newer version")

    @pytest.mark.parametrize("offset", [0, 15, 16, 100, 2000, PAGE - 1], ids=lambda o: f"byte{o}")
    def test_flipped_byte_in_the_first_page_is_damage_not_a_wrong_passphrase(
        self, filled: Path, data_dir: Path, offset: int
    ) -> None:
        flip_byte(filled, offset)
        self.refused(data_dir, JournalDamaged, "damaged.*not changed")

    @pytest.mark.parametrize("where", [0.25, 0.5, 0.9])
    def test_flipped_byte_in_a_later_page_is_found_by_the_full_check(
        self, filled: Path, data_dir: Path, where: float
    ) -> None:
        pages = filled.stat().st_size // PAGE
        flip_byte(filled, int(pages * where) * PAGE + 1000)
        before = folder_state(data_dir)
        with pytest.raises(JournalDamaged, match=r"damaged.*not changed"):
            open_journal(filled, PASSPHRASE, check=True)
        assert folder_state(data_dir) == before

    def test_without_the_quick_check_damage_is_still_never_a_wrong_passphrase(
        self, filled: Path, data_dir: Path
    ) -> None:
        flip_byte(filled, (filled.stat().st_size // PAGE // 2) * PAGE + 1000)
        opened = open_journal(filled, PASSPHRASE, check=False)
        try:
            assert integrity_problems(opened) != []
        finally:
            opened.close()

    @pytest.mark.parametrize("keep", [PAGE // 2, PAGE, 5 * PAGE, 5 * PAGE + 100, 0.5],
                             ids=["half-page", "one-page", "five-pages", "mid-page", "half"])
    def test_truncated_file(self, filled: Path, data_dir: Path, keep: float) -> None:
        size = filled.stat().st_size
        filled.write_bytes(filled.read_bytes()[: int(size * keep) if keep < 1 else int(keep)])
        self.refused(data_dir, JournalDamaged, "damaged")

    def test_emptied_file_beside_its_key_file(self, filled: Path, data_dir: Path) -> None:
        filled.write_bytes(b"")
        self.refused(data_dir, JournalDamaged, "cut short")

    def test_missing_key_file_is_named(self, filled: Path, data_dir: Path) -> None:
        keys.key_path_for(filled).unlink()
        error = self.refused(data_dir, KeyFileMissing, r"key file .*journal\.key is missing")
        assert error.exit_code == 5  # not a wrong passphrase: typing it again cannot help

    @pytest.mark.parametrize("content", [b"{not json", b"", b"[1, 2]", b'{"format": "boundary-journal-key"}'])
    def test_damaged_key_file_is_named(self, filled: Path, data_dir: Path, content: bytes) -> None:
        keys.key_path_for(filled).write_bytes(content)
        error = self.refused(data_dir, JournalDamaged, r"key file .*journal\.key is damaged")
        assert str(keys.key_path_for(filled)) in str(error)

    def test_key_file_of_a_newer_version(self, filled: Path, data_dir: Path) -> None:
        key_path = keys.key_path_for(filled)
        data = json.loads(key_path.read_bytes())
        data["version"] = keys.KEY_VERSION + 1
        key_path.write_text(json.dumps(data))
        self.refused(data_dir, JournalTooNew, r"key file .*journal\.key.*newer version")

    def test_key_file_of_another_journal_with_another_passphrase(
        self, filled: Path, data_dir: Path, tmp_path: Path
    ) -> None:
        other = tmp_path / "other"
        create_journal(journal_path(other), "another passphrase").close()
        keys.key_path_for(filled).write_bytes(keys.key_path_for(journal_path(other)).read_bytes())
        self.refused(data_dir, WrongPassphrase, "passphrase does not open")

    def test_key_file_of_another_journal_with_the_same_passphrase(
        self, filled: Path, data_dir: Path, tmp_path: Path
    ) -> None:
        other = tmp_path / "other"
        create_journal(journal_path(other), PASSPHRASE).close()
        keys.key_path_for(filled).write_bytes(keys.key_path_for(journal_path(other)).read_bytes())
        self.refused(data_dir, JournalDamaged, "key file belongs to another journal")


@pytest.fixture(scope="module")
def legacy_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    # Made once: every connection to a legacy journal runs SQLCipher's own key derivation.
    path = journal_path(tmp_path_factory.mktemp("legacy"))
    with legacy_journal(path, PASSPHRASE) as old:
        entries.add_entry(old, shipped_catalog(), entry_draft("written by the old version"))
        entries.add_entry(old, shipped_catalog(), entry_draft("second old entry", relationship="Client Q"))
    assert sorted(p.name for p in path.parent.iterdir()) == ["journal.db"]
    assert opens_with_passphrase_as_key(path, PASSPHRASE)
    return path.read_bytes()




class TestBackgroundCheck:
    """A cleanly closed journal opens without reading every page; the window's check runs beside it, and
    nothing is written until it has passed."""

    @pytest.fixture
    def damaged(self, filled: Path) -> Path:
        flip_byte(filled, (filled.stat().st_size // PAGE // 2) * PAGE + 1000)
        return filled

    def test_a_clean_journal_passes_and_takes_writes(self, filled: Path, catalog: Catalog) -> None:
        opened = open_journal(filled, PASSPHRASE)
        found: list[object] = []
        try:
            opened.check_in_background(found.append)
            entries.add_entry(opened, catalog, entry_draft("written after the check"))  # waits for it
            assert found == [None] and opened.damage is None
        finally:
            opened.close()

    def test_damage_is_found_and_writes_are_refused(self, damaged: Path, catalog: Catalog, data_dir: Path) -> None:
        opened = open_journal(damaged, PASSPHRASE)  # closed cleanly: no full check at open
        found: list[object] = []
        try:
            opened.check_in_background(found.append)
            before = folder_state(data_dir)
            with pytest.raises(JournalDamaged, match=r"damaged.*restore the newest backup"):
                entries.add_entry(opened, catalog, entry_draft("must not be written"))
            assert folder_state(data_dir) == before
            assert isinstance(found[0], JournalDamaged) and isinstance(opened.damage, JournalDamaged)
        finally:
            opened.close()

    def test_closing_stops_a_running_check_without_a_finding(self, filled: Path) -> None:
        opened = open_journal(filled, PASSPHRASE)
        found: list[object] = []
        opened.check_in_background(found.append)
        opened.close()  # interrupts the check, or it had finished: either way no damage is reported
        assert all(finding is None for finding in found)
        assert not opened.is_open

    @pytest.mark.slow
    def test_a_journal_left_open_by_a_crash_is_checked_whole_at_open(self, filled: Path, data_dir: Path) -> None:
        result = run_library(CRASH_AFTER_COMMIT, str(filled), PASSPHRASE)
        assert result.returncode == 0, result.stderr
        pages = filled.stat().st_size // PAGE
        for page in (pages // 3, pages // 2, 2 * pages // 3):  # one of them, at least, is not in the log
            flip_byte(filled, page * PAGE + 1000)

        def state() -> dict[str, str]:  # the -shm file is SQLite's scratch index of the log, rebuilt by readers
            return {name: digest for name, digest in folder_state(data_dir).items() if not name.endswith("-shm")}

        before = state()
        with pytest.raises(JournalDamaged, match=r"damaged.*not changed"):
            open_journal(filled, PASSPHRASE)
        assert state() == before and Path(f"{filled}-wal").stat().st_size > 0  # the log is not folded in


class TestRefusalsAfterACrash:
    """A write-ahead log left by a crash is not checkpointed by a refused open, whatever key was tried."""

    @pytest.fixture
    def crashed(self, filled: Path) -> Path:
        result = run_library(CRASH_AFTER_COMMIT, str(filled), PASSPHRASE)
        assert result.returncode == 0, result.stderr
        assert Path(f"{filled}-wal").stat().st_size > 0
        return filled

    def refused(self, folder: Path, error: type[Exception], passphrase: str = PASSPHRASE) -> None:
        before = folder_state(folder)
        with pytest.raises(error):
            open_journal(journal_path(folder), passphrase)
        assert folder_state(folder) == before

    @pytest.mark.slow
    def test_wrong_passphrase(self, crashed: Path, data_dir: Path) -> None:
        self.refused(data_dir, WrongPassphrase, "not the passphrase")

    @pytest.mark.slow
    def test_missing_key_file(self, crashed: Path, data_dir: Path) -> None:
        keys.key_path_for(crashed).unlink()
        self.refused(data_dir, KeyFileMissing)

    @pytest.mark.slow
    def test_key_file_of_another_journal(self, crashed: Path, data_dir: Path, tmp_path: Path) -> None:
        other = tmp_path / "other"
        create_journal(journal_path(other), PASSPHRASE).close()
        keys.key_path_for(crashed).write_bytes(keys.key_path_for(journal_path(other)).read_bytes())
        self.refused(data_dir, JournalDamaged)

    @pytest.mark.slow
    def test_first_page_damaged(self, crashed: Path, data_dir: Path) -> None:
        flip_byte(crashed, 100)
        self.refused(data_dir, JournalDamaged)

    @pytest.mark.slow
    def test_the_right_passphrase_recovers_the_committed_entry(self, crashed: Path) -> None:
        opened = open_journal(crashed, PASSPHRASE)
        try:
            assert "only in the write-ahead log" in {e.fields["what_happened"] for e in entries.list_entries(opened)}
        finally:
            opened.close()


class TestLegacyUpgrade:
    """A journal keyed directly by its passphrase (before the key file) is moved to a random key in place."""

    @pytest.fixture
    def legacy(self, legacy_bytes: bytes, data_dir: Path) -> tuple[Path, bytes]:
        path = journal_path(data_dir)
        path.write_bytes(legacy_bytes)
        path.chmod(0o600)
        return path, legacy_bytes

    @pytest.mark.slow
    def test_opens_with_the_passphrase_and_is_upgraded(self, legacy: tuple[Path, bytes], data_dir: Path) -> None:
        path, old_bytes = legacy
        opened = open_journal(path, PASSPHRASE)
        try:
            assert sorted(e.fields["what_happened"] for e in entries.list_entries(opened)) == [
                "second old entry", "written by the old version"]
            assert [e.id for e in entries.search_entries(opened, "second")] != []
            assert integrity_problems(opened) == []
            with opened.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        finally:
            opened.close()
        assert not opens_with_passphrase_as_key(path, PASSPHRASE)
        assert keys.key_path_for(path).exists()
        key = journal_key(data_dir)
        assert file_integrity_problems(path, key) == []
        [kept] = (data_dir / "backups").glob("*.legacy.db")
        assert kept.read_bytes() == old_bytes
        assert kept.stat().st_mode & 0o777 == 0o600
        assert opens_with_passphrase_as_key(kept, PASSPHRASE)
        assert path.stat().st_mode & 0o777 == 0o600
        assert sorted(p.name for p in data_dir.iterdir()) == ["backups", "journal.db", "journal.key"]

    @pytest.mark.slow
    def test_upgrade_happens_once(self, legacy: tuple[Path, bytes], data_dir: Path) -> None:
        path, _ = legacy
        open_journal(path, PASSPHRASE).close()
        after_first = folder_state(data_dir)
        reopened = open_journal(path, PASSPHRASE)
        try:
            assert len(entries.list_entries(reopened)) == 2
        finally:
            reopened.close()
        assert folder_state(data_dir) == after_first

    def test_wrong_passphrase_changes_nothing(self, legacy: tuple[Path, bytes], data_dir: Path) -> None:
        # Without a key file, a wrong passphrase cannot be told from a key file that went missing: both are said.
        before = folder_state(data_dir)
        with pytest.raises(KeyFileMissing, match=r"key file .* is missing.*nor does the passphrase open it"):
            open_journal(legacy[0], "not the passphrase")
        assert folder_state(data_dir) == before

    def test_damaged_legacy_journal_is_not_upgraded(self, legacy: tuple[Path, bytes], data_dir: Path) -> None:
        path, _ = legacy
        # Damage the last page (the second entry's row), which the old version never read at open.
        flip_byte(path, (path.stat().st_size // PAGE - 1) * PAGE + 1000)
        before = folder_state(data_dir)
        with pytest.raises(JournalDamaged, match="damaged"):
            open_journal(path, PASSPHRASE)
        assert folder_state(data_dir) == before

    # Each crash point of the conversion, made real with os._exit: no finally block runs.
    CRASH_BEFORE_KEY_FILE = (
        "from boundary_journal.store import storage\n"
        "storage.keys.write_key_file = lambda *a, **k: os._exit(9)\n"
    )
    CRASH_BEFORE_SWAP = (
        "from boundary_journal.store import storage\n"
        "real_replace = os.replace\n"
        "def replace(source, target, *a, **k):\n"
        "    if str(source).endswith('.upgrading'):\n"
        "        os._exit(9)\n"
        "    return real_replace(source, target, *a, **k)\n"
        "os.replace = replace\n"
    )

    @pytest.mark.slow
    @pytest.mark.parametrize("crash", [CRASH_BEFORE_KEY_FILE, CRASH_BEFORE_SWAP],
                             ids=["before-key-file", "before-swap"])
    def test_an_interrupted_upgrade_is_completed_on_the_next_open(
        self, legacy: tuple[Path, bytes], data_dir: Path, crash: str
    ) -> None:
        path, old_bytes = legacy
        result = run_library(crash + "storage.open_journal(Path(sys.argv[1]), sys.argv[2])\n", str(path), PASSPHRASE)
        assert result.returncode == 9, result.stderr
        assert path.read_bytes() == old_bytes  # the old journal is untouched until the swap
        if crash is self.CRASH_BEFORE_SWAP:
            assert keys.key_path_for(path).exists()

        opened = open_journal(path, PASSPHRASE)
        try:
            assert len(entries.list_entries(opened)) == 2
            assert integrity_problems(opened) == []
        finally:
            opened.close()
        assert not opens_with_passphrase_as_key(path, PASSPHRASE)
        assert file_integrity_problems(path, journal_key(data_dir)) == []
        assert all(kept.read_bytes() == old_bytes for kept in (data_dir / "backups").glob("*.legacy.db"))
        assert sorted(p.name for p in data_dir.iterdir()) == ["backups", "journal.db", "journal.key"]

    @pytest.mark.slow
    def test_older_schema_is_migrated_after_the_key_upgrade(self, data_dir: Path) -> None:
        path = journal_path(data_dir)
        with legacy_journal(path, PASSPHRASE, "0003_weekly_exercise"):
            pass
        opened = open_journal(path, PASSPHRASE)
        try:
            with opened.engine.connect() as conn:
                assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == migrations.head()
        finally:
            opened.close()
        # The schema change kept a verified backup of the journal as it was before it.
        assert [p.name for p in (data_dir / "backups").glob("*before-upgrade*")] != []


class TestMigrations:
    """Alembic upgrades an existing journal in place and keeps its data."""

    def test_the_recorded_head_is_alembics_head(self) -> None:
        # Opening a current journal skips Alembic by comparing with HEAD; a new revision must update it.
        assert migrations.scripts_head() == migrations.HEAD

    def test_reopening_a_current_journal_keeps_entries(self, journal, catalog) -> None:
        from datetime import datetime

        template = catalog.templates[0]
        draft = entries.EntryDraft(
            template=template.id, relationship="Client K", occurred=datetime(2026, 3, 1, 10, 0),
            fields={"what_happened": "asked once", "documentation_note": "noted"},
        )
        added = entries.add_entry(journal, catalog, draft)
        journal.close()
        reopened = open_journal(journal.path, PASSPHRASE)
        try:
            assert entries.get_entry(reopened, added.id).fields["what_happened"] == "asked once"
        finally:
            reopened.close()

    def test_reopening_a_current_journal_makes_no_backup(self, journal: Journal, data_dir: Path) -> None:
        journal.close()
        open_journal(journal.path, PASSPHRASE).close()
        assert not (data_dir / "backups").exists()

    @pytest.mark.slow
    def test_upgrade_from_an_empty_file_creates_every_table(self, data_dir: Path) -> None:
        # A legacy journal whose creation stopped before its first migration is brought to head on open.
        path = journal_path(data_dir)
        conn = sqlcipher3.connect(str(path))
        conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.commit()
        conn.close()
        opened = open_journal(path, PASSPHRASE)
        try:
            with opened.engine.connect() as c:
                assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == migrations.head()
        finally:
            opened.close()


class TestUpgradeFromEarlierSchemas:
    """A journal made by an earlier version is upgraded in place and keeps its data and search."""

    @pytest.mark.slow
    def test_a_journal_at_0008_gains_warning_acknowledgements(self, data_dir: Path, catalog) -> None:
        from datetime import datetime

        from boundary_journal.services import drift, selfchecks

        path = journal_path(data_dir)
        item = next(f.id for f in catalog.red_flags if f.warrants_higher_input)
        taken = datetime.now().replace(second=0, microsecond=0)
        with legacy_journal(path, PASSPHRASE, "0008_entry_list_index") as old:
            selfchecks.add_self_check(old, catalog, selfchecks.SelfCheckDraft(
                {item: 2}, relationship="Client K", taken_at=taken))
            with old.engine.connect() as c:
                assert "warning_acks" not in {row[0] for row in c.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")}
        opened = open_journal(path, PASSPHRASE)
        try:
            with opened.engine.connect() as c:
                assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == migrations.head()
            [warning] = drift.active_warnings(opened, catalog)
            assert (warning.kind, warning.relationship, warning.since) == ("higher_input", "Client K", taken)
            drift.acknowledge_warning(opened, warning, "Raised in supervision.")
            assert drift.active_warnings(opened, catalog) == []
            assert integrity_problems(opened) == []
        finally:
            opened.close()

    @pytest.mark.slow
    def test_journal_core_schema_upgrades_to_head(self, data_dir: Path, catalog) -> None:
        path = journal_path(data_dir)
        with legacy_journal(path, PASSPHRASE, "0001_journal_core") as old, old.engine.begin() as c:
            c.exec_driver_sql(
                "INSERT INTO relationships (id, pseudonym, status, created_at) "
                "VALUES (1, 'Client K', 'active', '2026-01-01 00:00:00')"
            )
            c.exec_driver_sql(
                "INSERT INTO entries (id, occurred, relationship_id, category, channel, template, fields, tags, "
                "supervision, search_text, created_at, updated_at) VALUES (7, '2026-01-02 09:30:00', 1, "
                "'gifts_money_favours', 'in_person', 'gift_offered', "
                "'{\"what_happened\": \"a scarf\", \"documentation_note\": \"declined\"}', '[\"t\"]', 1, "
                "'Client K\na scarf\ndeclined\nt', '2026-01-02 09:31:00', '2026-01-02 09:31:00')"
            )
            assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0001_journal_core"

        opened = open_journal(path, PASSPHRASE)
        try:
            with opened.engine.connect() as c:
                assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == migrations.head()
            [entry] = entries.list_entries(opened)
            assert (entry.id, entry.fields["what_happened"], entry.flow, entry.response_review) == (
                7, "a scarf", {}, {})
            assert [e.id for e in entries.search_entries(opened, "scarf")] == [7]
            # The upgraded tables take new data, and the FTS triggers still fire.
            updated = entries.update_entry(opened, catalog, 7, entries.EntryDraft(
                "gift_offered", "Client K", entry.occurred, {"what_happened": "a hat", "documentation_note": "ok"},
                flow={"dual_role": "yes"}))
            assert updated.flow == {"dual_role": "yes"}
            assert [e.id for e in entries.search_entries(opened, "hat")] == [7]
            assert entries.search_entries(opened, "scarf") == []
            # ...and so do the tables later revisions added.
            from datetime import date

            from boundary_journal.services import weekly

            saved = weekly.save_exercise(opened, catalog, weekly.ExerciseDraft(
                "Client K", "One sentence.", "talk_to_supervisor"), today=date(2026, 11, 25))
            assert weekly.list_exercises(opened) == [saved]
            from boundary_journal.services import relationships

            detail = relationships.set_consent(opened, "Client K", {"informed": "explained"})
            assert detail.consent == {"informed": "explained"} and detail.context == {}
            assert integrity_problems(opened) == []
        finally:
            opened.close()



class TestReadsBesideAWriter:
    def test_a_read_does_not_wait_for_another_connections_write_transaction(self, journal: Journal, catalog) -> None:
        entries.add_entry(journal, catalog, entry_draft("before the writer"))
        other = raw_key_connection(journal.path, journal.key)
        other.isolation_level = None
        other.execute("PRAGMA busy_timeout = 0")
        other.execute("BEGIN IMMEDIATE")  # another process in the middle of a save
        try:
            other.execute("UPDATE entries SET supervision = 1")
            # Reads see the last committed state at once; with the write lock they would fail (busy).
            assert [e.supervision for e in entries.list_entries(journal)] == [False]
            assert entries.list_rows(journal)[0].supervision is False
        finally:
            other.execute("ROLLBACK")
            other.close()


FILL_AND_HANG = """
import time
from boundary_journal.store.storage import create_journal

def fill(journal):
    print("filling", flush=True)
    time.sleep(60)

create_journal(Path(sys.argv[1]), sys.argv[2], fill=fill)
"""


class TestKilledSetUp:
    """Issue 12: a killed `demo` or `import json` left a journal that blocked a rerun."""

    @pytest.mark.slow
    def test_a_set_up_killed_while_filling_leaves_no_journal_and_a_rerun_works(self, data_dir: Path) -> None:
        path = journal_path(data_dir)
        kill_when("filling", FILL_AND_HANG, str(path), PASSPHRASE)
        assert not path.exists() and not keys.key_path_for(path).exists()
        create_journal(path, PASSPHRASE).close()  # a rerun goes ahead: nothing is in its way
        journal_files.tidy(path)
        assert sorted(p.name for p in data_dir.iterdir()) == ["journal.db", "journal.key"]

    def test_a_failed_fill_leaves_nothing(self, data_dir: Path) -> None:
        def fail(_journal: Journal) -> None:
            raise InvalidInput("the export is not importable")

        with pytest.raises(InvalidInput):
            create_journal(journal_path(data_dir), PASSPHRASE, fill=fail)
        assert list(data_dir.iterdir()) == []


class TestReadersDoNotUpgrade:
    """A reader holds nothing, so it may not upgrade a journal of an earlier version: it says so (UpgradeNeeded),
    and the command line then takes the data folder as a writer would."""

    def test_a_reader_leaves_an_older_journal_as_it_is(self, tmp_path: Path) -> None:
        from boundary_journal.errors import UpgradeNeeded
        from tests.unit.test_backups import _journal_at_revision

        old = _journal_at_revision(tmp_path / "old", "0003_weekly_exercise")
        old.close()
        before = folder_state(tmp_path / "old")
        with pytest.raises(UpgradeNeeded):
            open_journal(old.path, PASSPHRASE, upgrade=False)
        assert folder_state(tmp_path / "old") == before
        upgraded = open_journal(old.path, PASSPHRASE)
        upgraded.close()
        assert folder_state(tmp_path / "old") != before
