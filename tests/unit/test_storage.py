"""The encrypted journal file: creation, refusal of foreign or wrong input, schema ownership."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlcipher3

from boundary_journal import migrations
from boundary_journal.errors import (
    InvalidInput,
    JournalExists,
    JournalMissing,
    JournalTooNew,
    NotAJournal,
    WrongPassphrase,
)
from boundary_journal.paths import journal_path
from boundary_journal.storage import APPLICATION_ID, create_journal, integrity_problems, open_journal
from tests.conftest import PASSPHRASE


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class TestCreate:
    """A new journal is one encrypted file, made only where none exists."""

    def test_file_is_encrypted_with_the_production_key_derivation(self, data_dir: Path) -> None:
        path = journal_path(data_dir)
        create_journal(path, PASSPHRASE).close()
        assert not path.read_bytes().startswith(b"SQLite format 3")
        # Opens with the plain sqlcipher3 module and SQLCipher 4's default settings.
        conn = sqlcipher3.connect(str(path))
        conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
        assert conn.execute("PRAGMA kdf_iter").fetchone()[0] == "256000"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"relationships", "entries", "entries_fts", "alembic_version"} <= tables
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        conn.close()

    def test_only_the_owner_can_read_it(self, data_dir: Path) -> None:
        path = journal_path(data_dir)
        create_journal(path, PASSPHRASE).close()
        assert path.stat().st_mode & 0o077 == 0
        assert [p.name for p in data_dir.iterdir()] == [path.name]

    def test_refuses_to_overwrite(self, data_dir: Path) -> None:
        path = journal_path(data_dir)
        path.write_bytes(b"precious")
        with pytest.raises(JournalExists):
            create_journal(path, PASSPHRASE)
        assert path.read_bytes() == b"precious"

    def test_short_passphrase_is_refused(self, data_dir: Path) -> None:
        with pytest.raises(InvalidInput, match="at least 8"):
            create_journal(journal_path(data_dir), "short")
        assert not journal_path(data_dir).exists()

    def test_schema_is_at_alembic_head(self, journal) -> None:
        with journal.engine.connect() as conn:
            stored = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        assert stored == migrations.head()
        assert integrity_problems(journal) == []


class TestOpenRefusals:
    """Each refusal has its own message and leaves the file byte-for-byte unchanged."""

    def test_wrong_passphrase(self, journal) -> None:
        journal.close()
        before = digest(journal.path)
        with pytest.raises(WrongPassphrase, match="passphrase does not open"):
            open_journal(journal.path, "not the passphrase")
        assert digest(journal.path) == before

    def test_missing(self, data_dir: Path) -> None:
        with pytest.raises(JournalMissing, match="boundary-journal init"):
            open_journal(journal_path(data_dir), PASSPHRASE)

    def test_plain_sqlite_file(self, data_dir: Path) -> None:
        path = journal_path(data_dir)
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t(x)")
        conn.commit()
        conn.close()
        before = digest(path)
        with pytest.raises(NotAJournal, match="unencrypted SQLite"):
            open_journal(path, PASSPHRASE)
        assert digest(path) == before

    @pytest.mark.parametrize("content", [b"", b"hello, I am a text file\n", b"\x00" * 100])
    def test_file_that_is_no_database(self, data_dir: Path, content: bytes) -> None:
        path = journal_path(data_dir)
        path.write_bytes(content)
        with pytest.raises(NotAJournal, match="not a Boundary Journal"):
            open_journal(path, PASSPHRASE)
        assert path.read_bytes() == content

    def test_encrypted_database_of_another_program(self, data_dir: Path) -> None:
        path = journal_path(data_dir)
        conn = sqlcipher3.connect(str(path))
        conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
        conn.execute("CREATE TABLE other(x)")
        conn.commit()
        conn.close()
        before = digest(path)
        with pytest.raises(NotAJournal, match="not a Boundary Journal"):
            open_journal(path, PASSPHRASE)
        assert digest(path) == before

    def test_journal_from_a_newer_version(self, journal) -> None:
        with journal.transaction() as session:
            session.connection().exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
        journal.close()
        before = digest(journal.path)
        with pytest.raises(JournalTooNew, match="newer version"):
            open_journal(journal.path, PASSPHRASE)
        assert digest(journal.path) == before


class TestMigrations:
    """Alembic upgrades an existing journal in place and keeps its data."""

    def test_reopening_a_current_journal_keeps_entries(self, journal, catalog) -> None:
        from datetime import datetime

        from boundary_journal.services import entries

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

    def test_upgrade_from_an_empty_file_creates_every_table(self, data_dir: Path) -> None:
        # A journal whose creation stopped before its first migration is brought to head on open.
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

    def test_journal_core_schema_upgrades_to_head(self, data_dir: Path, catalog) -> None:
        from boundary_journal.services import entries
        from boundary_journal.storage import _engine, _raw_connect

        path = journal_path(data_dir)
        conn = _raw_connect(path, PASSPHRASE, create=True)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.commit()
        conn.close()
        engine = _engine(path, PASSPHRASE)
        migrations.upgrade(engine, "0001_journal_core")
        with engine.begin() as c:
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
        engine.dispose()

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
