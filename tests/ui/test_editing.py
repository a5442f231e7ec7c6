"""The editor's actions on their own (no main window): save, delete and undo, unsaved changes, drafts
offered back, an action from the next step; each change announced with its kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services import actions, drafts, entries
from boundary_journal.services.drafts import StoredDraft
from boundary_journal.services.entries import EntryView
from boundary_journal.store.journal import Journal
from tests.ui.conftest import SetClock
from ui.changes import Change, ChangeNotifier
from ui.controllers.drafts import Drafts
from ui.controllers.editing import EntryEditing
from ui.controllers.session import JournalSession
from ui.entry_editor import EntryEditor
from ui.messages import DraftChoice, UnsavedChoice


@dataclass
class Answers:
    """Stands in for the window's questions."""

    unsaved: UnsavedChoice = UnsavedChoice.CANCEL
    draft: DraftChoice = DraftChoice.RESTORE
    errors: list[str] = field(default_factory=list)

    def confirm_unsaved_changes(self) -> UnsavedChoice:
        return self.unsaved

    def confirm_pseudonym(self, pseudonym: str, why: str) -> bool:
        return False

    def confirm_restore_draft(self, stored: StoredDraft) -> DraftChoice:
        return self.draft

    def show_error(self, error: BaseException | str) -> None:
        self.errors.append(str(error))


@dataclass
class Seen:
    changes: list[Change] = field(default_factory=list)
    selected: list[int | None] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def editing(
    qtbot: QtBot, journal: Journal, catalog: Catalog, clock: SetClock, answers: Answers, seen: Seen
) -> EntryEditing:
    editor = EntryEditor(catalog)
    qtbot.addWidget(editor)
    editor.new_entry()
    session = JournalSession(journal)
    status = lambda text, _timeout=0: seen.statuses.append(text)  # noqa: E731
    changes = ChangeNotifier()
    changes.changed.connect(seen.changes.append)
    return EntryEditing(editor, catalog, session, Drafts(editor, session, clock, status=status), changes, answers,
                        select_entry=seen.selected.append, status=status)


def write(editing: EntryEditing, text: str = "Asked for my number at the door.") -> None:
    editor = editing.editor
    editor.select_template("phone_number_request")
    editor.relationship_combo.setEditText("Client K")
    editor.field_edit("what_happened").setPlainText(text)
    editor.field_edit("documentation_note").setPlainText("Patient requested the clinician's number; declined.")


class TestEntryEditing:
    """What the user does to entries, announced as changes of entries (and relationships)."""

    def test_save_stores_the_entry_and_announces_entries_and_relationships(
        self, editing: EntryEditing, journal: Journal, seen: Seen
    ) -> None:
        write(editing)
        editing.editor.listen_check.setChecked(False)
        assert editing.save()
        assert entries.count_entries(journal) == 1 and not editing.editor.is_dirty()
        assert seen.changes == [Change.ENTRIES | Change.RELATIONSHIPS] and seen.statuses == ["Saved"]
        assert actions.list_actions(journal) == []

    def test_a_save_that_makes_the_listen_back_action_announces_actions_too(
        self, editing: EntryEditing, journal: Journal, seen: Seen
    ) -> None:
        write(editing)
        editing.editor.listen_check.setChecked(True)
        assert editing.save()
        assert len(actions.list_actions(journal)) == 1
        assert seen.changes == [Change.ENTRIES | Change.RELATIONSHIPS | Change.ACTIONS]

    def test_saving_an_edit_announces_no_action(self, editing: EntryEditing, journal: Journal, seen: Seen) -> None:
        write(editing)
        assert editing.save()
        seen.changes.clear()
        editing.editor.field_edit("what_happened").setPlainText("Asked for my number at the door, twice.")
        assert editing.save()
        assert seen.changes == [Change.ENTRIES | Change.RELATIONSHIPS]

    def test_a_problem_is_shown_in_the_editor_and_nothing_changes(self, editing: EntryEditing, seen: Seen) -> None:
        editing.editor.select_template("phone_number_request")
        assert not editing.save()
        assert editing.editor.error_label.text() and seen.changes == []

    def test_delete_and_undo(self, editing: EntryEditing, journal: Journal, seen: Seen) -> None:
        undo: list[bool] = []
        editing.undo_available.connect(undo.append)
        write(editing)
        editing.save()
        editing.delete_entry()
        assert entries.count_entries(journal) == 0 and undo == [True] and seen.changes[-1] == Change.ENTRIES
        editing.undo_delete()
        assert entries.count_entries(journal) == 1 and undo == [True, False]
        assert editing.editor.entry_id() is not None

    def test_unsaved_changes_are_asked_about(self, editing: EntryEditing, answers: Answers, journal: Journal) -> None:
        write(editing)
        answers.unsaved = UnsavedChoice.CANCEL
        editing.new_entry()
        assert editing.editor.is_dirty()
        answers.unsaved = UnsavedChoice.SAVE
        editing.new_entry()
        assert not editing.editor.is_dirty() and entries.count_entries(journal) == 1

    def test_a_draft_left_behind_is_offered_back(
        self, editing: EntryEditing, journal: Journal, clock: SetClock, answers: Answers
    ) -> None:
        write(editing, "Words typed before a crash.")
        drafts.save_draft(journal, editing.editor.unsaved_draft(), now=clock.now())
        editing.editor.new_entry()
        answers.draft = DraftChoice.RESTORE
        editing.offer_drafts()
        assert editing.editor.field_edit("what_happened").toPlainText() == "Words typed before a crash."

    def test_the_next_step_becomes_an_action(
        self, editing: EntryEditing, journal: Journal, seen: Seen, stored: Callable[..., EntryView]
    ) -> None:
        assert editing.make_next_step_action() is None  # nothing saved yet
        entry = stored(fields={"what_happened": "x", "documentation_note": "y", "next_step": "Call the team"})
        editing.open_entry(entry.id)
        made: list[object] = []
        editing.action_made.connect(made.append)
        action = editing.make_next_step_action()
        assert action is not None and [a.text for a in actions.list_actions(journal)] == ["Call the team"]
        assert made == [action] and seen.changes[-1] == Change.ACTIONS


def test_the_actions_tab_shows_the_listen_back_action_right_after_the_save(
    qtbot: QtBot, journal: Journal, catalog: Catalog, clock: SetClock, answers: Answers
) -> None:
    """The editing controller and the panels share one change signal, as in the window (no window here)."""
    from PySide6.QtWidgets import QTabWidget, QWidget

    from ui.controllers.panels import JournalPanels
    from ui.dialog_registry import DialogRegistry

    session, changes = JournalSession(journal), ChangeNotifier()
    editor = EntryEditor(catalog)
    qtbot.addWidget(editor)
    editor.new_entry()
    status = lambda *_args: None  # noqa: E731
    editing = EntryEditing(editor, catalog, session, Drafts(editor, session, clock, status=status), changes, answers,
                           select_entry=lambda _id: None, status=status)
    window = QWidget()
    qtbot.addWidget(window)
    panels = JournalPanels(QTabWidget(window), session, catalog, clock, changes, DialogRegistry(window), window,
                           pseudonyms=lambda: [], exercise_requested=lambda: None,
                           outcome_requested=lambda _exercise: None, status=status, actions_shortcut="Ctrl+J")
    panels.build(journal)
    window.show()
    panels.show_actions()
    assert panels.actions_panel.model.rowCount() == 0
    write(editing)
    editor.listen_check.setChecked(True)
    assert editing.save()
    [made] = actions.list_actions(journal)
    model = panels.actions_panel.model
    assert [model.action(row).id for row in range(model.rowCount())] == [made.id]
