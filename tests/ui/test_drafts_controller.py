"""The drafts controller on its own: the editor's unsaved work kept in the journal, and dropped."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services import drafts
from boundary_journal.store.journal import Journal
from tests.ui.conftest import SetClock
from ui.controllers.drafts import Drafts
from ui.controllers.session import JournalSession
from ui.entry_editor import EntryEditor


@pytest.fixture
def editor(qtbot: QtBot, catalog: Catalog) -> EntryEditor:
    made = EntryEditor(catalog)
    qtbot.addWidget(made)
    made.new_entry()
    return made


@pytest.fixture
def kept(editor: EntryEditor, journal: Journal, clock: SetClock) -> Drafts:
    return Drafts(editor, JournalSession(journal), clock, status=lambda *_args: None)


def type_something(editor: EntryEditor) -> None:
    editor.select_template("phone_number_request")
    editor.field_edit("what_happened").setPlainText("Asked for my number at the door.")


class TestDrafts:
    """A draft per editor slot, saved after typing stops and dropped once nothing is unsaved."""

    def test_typing_keeps_a_draft_once_the_timer_fires(
        self, qtbot: QtBot, editor: EntryEditor, kept: Drafts, journal: Journal
    ) -> None:
        kept.timer.setInterval(10)
        type_something(editor)
        kept.editor_changed()
        qtbot.waitUntil(lambda: len(drafts.load_drafts(journal)) == 1)
        assert kept.stored()[0].slot == drafts.NEW_ENTRY_SLOT

    def test_a_clean_editor_drops_its_draft(self, editor: EntryEditor, kept: Drafts, journal: Journal) -> None:
        type_something(editor)
        assert kept.save_now() and kept.find(drafts.NEW_ENTRY_SLOT) is not None
        editor.new_entry()
        assert kept.save_now() and drafts.load_drafts(journal) == []

    def test_forget_drops_the_editors_draft(self, editor: EntryEditor, kept: Drafts, journal: Journal) -> None:
        type_something(editor)
        kept.save_now()
        kept.forget()
        assert drafts.load_drafts(journal) == []

    def test_nothing_is_kept_while_locked(self, editor: EntryEditor, kept: Drafts, journal: Journal) -> None:
        type_something(editor)
        kept.session.take()
        try:
            assert kept.save_now() is False
        finally:
            kept.session.journal = journal
        assert drafts.load_drafts(journal) == []

    def test_stop_ends_the_timer_but_not_saving_now(
        self, qtbot: QtBot, editor: EntryEditor, kept: Drafts, journal: Journal
    ) -> None:
        type_something(editor)
        kept.editor_changed()
        kept.stop()
        assert not kept.timer.isActive() and drafts.load_drafts(journal) == []
        assert kept.save_now() and len(drafts.load_drafts(journal)) == 1
