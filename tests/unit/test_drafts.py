"""Drafts of the entry editor: kept inside the journal per editor slot, replaced, listed newest first, discarded."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from boundary_journal.errors import InvalidInput
from boundary_journal.services import drafts
from boundary_journal.services.drafts import EditorDraft, StoredDraft
from boundary_journal.store.journal import Journal
from boundary_journal.store.models import Draft
from boundary_journal.store.storage import open_journal
from tests.conftest import PASSPHRASE

CANARY = "zebra-canary-4471 Ωμέγα עברית"
MONDAY = datetime(2026, 11, 23, 9, 15)


def typed(**overrides: object) -> EditorDraft:
    values: dict[str, object] = {
        "template": "phone_number_request",
        "relationship": "Client Q",
        "occurred": datetime(2026, 11, 23, 8, 30),
        "fields": {"what_happened": CANARY, "documentation_note": "Declined; offered the clinic line."},
        "tags": ["after hours"],
        "supervision": True,
        "flow": {"dual_role": "no"},
        "response_review": {"over_justification": True},
    }
    values.update(overrides)
    return EditorDraft(**values)  # type: ignore[arg-type]


class TestSlots:
    """A new entry has one slot; each stored entry has its own."""

    def test_slot_names(self) -> None:
        assert drafts.slot_for(None) == "new" == typed().slot
        assert drafts.slot_for(7) == "entry-7" == typed(entry_id=7).slot


class TestSaveAndLoad:
    """What the editor held comes back exactly, after the journal is closed and opened again."""

    def test_round_trip_survives_reopening(self, journal: Journal) -> None:
        draft = typed(entry_id=3)
        stored = drafts.save_draft(journal, draft, now=MONDAY)
        assert stored == StoredDraft("entry-3", draft, MONDAY)
        journal.close()
        reopened = open_journal(journal.path, PASSPHRASE)
        try:
            assert drafts.load_drafts(reopened) == [stored]
        finally:
            reopened.close()

    def test_a_slot_keeps_only_its_latest_draft(self, journal: Journal) -> None:
        drafts.save_draft(journal, typed(relationship="first"), now=MONDAY)
        later = drafts.save_draft(journal, typed(relationship="second"), now=MONDAY.replace(minute=20))
        assert drafts.load_drafts(journal) == [later]

    def test_newest_first(self, journal: Journal) -> None:
        older = drafts.save_draft(journal, typed(), now=MONDAY)
        newer = drafts.save_draft(journal, typed(entry_id=9), now=MONDAY.replace(hour=10))
        assert drafts.load_drafts(journal) == [newer, older]

    def test_hostile_and_large_text_is_kept_as_typed(self, journal: Journal) -> None:
        text = '<img src="file:///etc/passwd"> "NOT * -- \x07 \u202e' + "x" * 1_000_000
        draft = typed(fields={"what_happened": text}, relationship="<b>Q</b>")
        drafts.save_draft(journal, draft, now=MONDAY)
        [stored] = drafts.load_drafts(journal)
        assert stored.draft == draft

    def test_too_large_is_refused_and_nothing_is_stored(self, journal: Journal) -> None:
        huge = typed(fields={"what_happened": "x" * (drafts.MAX_DRAFT_CHARACTERS + 1)})
        with pytest.raises(InvalidInput, match="too large"):
            drafts.save_draft(journal, huge)
        assert drafts.load_drafts(journal) == []

    def test_an_empty_editor_is_a_draft_too(self, journal: Journal) -> None:
        drafts.save_draft(journal, EditorDraft(), now=MONDAY)
        assert [d.draft for d in drafts.load_drafts(journal)] == [EditorDraft()]


class TestLenientReading:
    """A stored draft with a value of the wrong kind keeps the rest rather than failing the start."""

    def test_wrong_kinds_are_left_out(self, journal: Journal) -> None:
        with journal.transaction() as session:
            session.add(Draft(slot="new", saved_at=MONDAY, content={
                "entry_id": "7", "template": 5, "relationship": "Client Q", "occurred": "not a date",
                "fields": {"what_happened": CANARY, "bad": 3}, "tags": ["ok", 1], "supervision": "yes",
                "flow": [], "response_review": {"a": True, "b": "yes"}, "unknown": {"from": "a newer version"},
            }))
        [stored] = drafts.load_drafts(journal)
        assert stored.draft == EditorDraft(
            relationship="Client Q", fields={"what_happened": CANARY}, tags=["ok"], response_review={"a": True}
        )

    def test_not_an_object(self) -> None:
        assert EditorDraft.from_json(["no"]) == EditorDraft()


class TestDiscard:
    """Saving or discarding the entry deletes its draft, and only its own."""

    def test_discard_one_slot(self, journal: Journal) -> None:
        drafts.save_draft(journal, typed(), now=MONDAY)
        kept = drafts.save_draft(journal, typed(entry_id=4), now=MONDAY)
        assert drafts.discard_draft(journal, "new") is True
        assert drafts.discard_draft(journal, "new") is False
        assert drafts.load_drafts(journal) == [kept]


def test_a_draft_is_not_readable_in_any_file(journal: Journal, data_dir: Path) -> None:
    drafts.save_draft(journal, typed(), now=MONDAY)
    journal.close()
    needles = [CANARY.encode("utf-8"), CANARY.encode("utf-16-le"), b"zebra-canary-4471"]
    for path in data_dir.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not any(needle in content for needle in needles), path


@pytest.mark.slow
def test_a_journal_from_before_drafts_is_upgraded(data_dir: Path, catalog) -> None:
    from boundary_journal.services import entries
    from boundary_journal.store.paths import journal_path
    from tests.unit.journal_files import legacy_journal

    path = journal_path(data_dir)
    with legacy_journal(path, PASSPHRASE, "0005_fts_secure_delete") as old, old.engine.begin() as c:
        tables = {row[0] for row in c.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "drafts" not in tables
    opened = open_journal(path, PASSPHRASE)
    try:
        stored = drafts.save_draft(opened, typed(), now=MONDAY)
        assert drafts.load_drafts(opened) == [stored]
        # The entries' full-text triggers still fire after the upgrade.
        entries.add_entry(opened, catalog, entries.EntryDraft(
            "phone_number_request", "Client Q", datetime(2026, 11, 23, 8, 30),
            {"what_happened": "asked for my number", "documentation_note": "declined"}))
        assert len(entries.search_entries(opened, "number")) == 1
    finally:
        opened.close()
