"""The entry list's own index (migration 0008): upgraded into existing journals, and what lists and searches read."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from boundary_journal import cli
from boundary_journal.catalog import Catalog
from boundary_journal.services import entries
from boundary_journal.services.entries import EntryDraft, EntryFilter
from boundary_journal.services.escalation import recommended_steps
from boundary_journal.store import migrations
from boundary_journal.store.journal import Journal, integrity_problems
from boundary_journal.store.paths import journal_path
from boundary_journal.store.storage import open_journal
from tests.conftest import PASSPHRASE
from tests.unit.journal_files import legacy_journal


def indexes(journal: Journal) -> set[str]:
    with journal.engine.connect() as c:
        return {row[0] for row in c.exec_driver_sql("SELECT name FROM sqlite_master WHERE tbl_name = 'entries' "
                                                   "AND type = 'index'")}


def plan(journal: Journal, filters: EntryFilter, query: str | None) -> str:
    where, parameters = entries._where(filters, query)
    with journal.engine.connect() as c:
        rows = c.exec_driver_sql(f"EXPLAIN QUERY PLAN SELECT {entries._ROW_COLUMNS} {where}", tuple(parameters))
        return " | ".join(row[3] for row in rows)


def gift(text: str, when: datetime, **overrides: object) -> EntryDraft:
    values: dict = {"template": "gift_offered", "relationship": "Client K", "occurred": when,
                    "fields": {"what_happened": text, "documentation_note": "Declined."}}
    values.update(overrides)
    return EntryDraft(**values)


class TestUpgrade:
    """A journal made before the index gets it on open, keeps its entries, and lists and searches as before."""

    @pytest.mark.slow
    def test_from_the_previous_revision(self, data_dir: Path, catalog: Catalog) -> None:
        path = journal_path(data_dir)
        with legacy_journal(path, PASSPHRASE, "0007_fts_purge_on_delete") as old:
            first = entries.add_entry(old, catalog, gift("a scarf", datetime(2026, 1, 2, 9, 30)))
            second = entries.add_entry(old, catalog, gift("a scarf and a card", datetime(2026, 1, 3, 9, 30)))
            assert "ix_entries_occurred" in indexes(old) and "ix_entries_list" not in indexes(old)

        opened = open_journal(path, PASSPHRASE)
        try:
            with opened.engine.connect() as c:
                assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == migrations.head()
            assert "ix_entries_list" in indexes(opened) and "ix_entries_occurred" not in indexes(opened)
            assert [r.id for r in entries.list_rows(opened)] == [second.id, first.id]
            assert [r.id for r in entries.list_rows(opened, query="card")] == [second.id]
            third = entries.add_entry(opened, catalog, gift("a card", datetime(2026, 1, 4, 9, 30)))
            assert [r.id for r in entries.list_rows(opened, query="card")] == [third.id, second.id]
            assert integrity_problems(opened) == []
        finally:
            opened.close()

    def test_a_new_journal_has_it(self, journal: Journal) -> None:
        assert {"ix_entries_list", "ix_entries_relationship_occurred"} <= indexes(journal)
        assert "ix_entries_occurred" not in indexes(journal)


class TestWhatTheListReads:
    """The list and its searches read the index, never the table pages that hold entry text."""

    @pytest.mark.parametrize("filters", [EntryFilter(), EntryFilter(supervision=True),
                                         EntryFilter(date_from=datetime(2026, 1, 1).date())])
    @pytest.mark.parametrize("query", [None, "scarf"])
    def test_covering_index(self, journal: Journal, filters: EntryFilter, query: str | None) -> None:
        found = plan(journal, filters, query)
        assert "COVERING INDEX ix_entries_list" in found, found
        assert "TEMP B-TREE" not in found, found  # already in the list's order


class TestCommandLineOutput:
    """`list` and `search` write each entry as it is read, in exactly the format they always had."""

    @pytest.fixture
    def filled(self, journal: Journal, catalog: Catalog, data_dir: Path) -> Path:
        entries.add_entry(journal, catalog, gift("Offered a scarf.\nSecond line", datetime(2026, 1, 2, 9, 30),
                                                 flow={"acute_risk": "yes", "dual_role": "yes"}, supervision=True))
        entries.add_entry(journal, catalog, gift("  " + "Ωμέγα « quoted » " * 10, datetime(2026, 1, 3, 9, 30),
                                                 tags=["a", "b"], relationship="Bed 4"))
        entries.add_entry(journal, catalog, gift("a scarf again", datetime(2026, 1, 4, 9, 30),
                                                 flow={"acute_risk": "yes", "dual_role": "yes"}))
        passphrase = data_dir.parent / "passphrase.txt"
        passphrase.write_text(PASSPHRASE + "\n", encoding="utf-8")
        return passphrase

    def run(self, data_dir: Path, passphrase: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
        assert cli.main(["--data-dir", str(data_dir), "--passphrase-file", str(passphrase), *args]) == 0
        return capsys.readouterr().out

    @pytest.mark.parametrize("command", [["list"], ["search", "scarf"], ["search", "nothing-like-it"]])
    def test_json_is_the_whole_list_as_before(
        self, journal: Journal, catalog: Catalog, filled: Path, data_dir: Path, capsys: pytest.CaptureFixture[str],
        command: list[str],
    ) -> None:
        views = entries.list_entries(journal) if command[0] == "list" else entries.search_entries(journal, command[1])
        journal.close()
        expected = [v.to_json() | {"recommended_steps": recommended_steps(catalog, v.flow)} for v in views]
        out = self.run(data_dir, filled, capsys, *command, "--json")
        assert out == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"

    def test_lines(self, journal: Journal, filled: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        views = entries.list_entries(journal)
        journal.close()
        out = self.run(data_dir, filled, capsys, "list")
        assert out.splitlines() == [
            f"{v.id:>6}  {v.occurred:%Y-%m-%d %H:%M}  {'S' if v.supervision else ' '}  {v.relationship}  "
            f"[{v.category} / {v.channel}]  {v.fields['what_happened'].strip().splitlines()[0][:70]}"
            for v in views
        ]
        assert out.endswith("\n") and len(out.splitlines()) == 3
