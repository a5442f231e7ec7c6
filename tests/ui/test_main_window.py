"""The main window, driven like a user: keyboard and mouse in, what is on screen and in the journal out."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QTableView,
    QTextBrowser,
    QWidget,
)
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import NOTE_FIELD, Catalog
from boundary_journal.services import entries
from boundary_journal.services.entries import EntryView
from boundary_journal.storage import Journal
from ui.entry_model import CATEGORY, CHANNEL, RELATIONSHIP, SUMMARY, SUPERVISION
from ui.main_window import MainWindow
from ui.messages import UnsavedChoice

HOSTILE = "<b>&amp; Ωμέγα Привет 🙂 שלום"
PHONE = "phone_number_request"
CTRL = Qt.KeyboardModifier.ControlModifier
Typist = Callable[[QWidget, str], None]


def column(window: MainWindow, col: int) -> list[str]:
    return [window.model.index(row, col).data() for row in range(window.model.rowCount())]


def selected_id(window: MainWindow) -> int | None:
    index = window.table.selectionModel().currentIndex()
    return window.model.entry(index.row()).id if index.isValid() else None


def click_row_of(qtbot: QtBot, window: MainWindow, entry_id: int) -> None:
    row = window.model.row_of(entry_id)
    assert row is not None, "the entry is not in the list"
    rect = window.table.visualRect(window.model.index(row, SUMMARY))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def laid_out(widget: QWidget) -> bool:
    return widget.isVisible() and not widget.size().isEmpty()


def show_stored(window: MainWindow) -> None:
    """Entries stored by the test after the window opened: re-read them, as after any change."""
    window._refresh_relationships()
    window.reload()


def press(
    qtbot: QtBot, widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, key, modifier)


class TestJourney:
    """Write an entry from a template, find it, edit it, delete it and get it back with Ctrl+Z."""

    def test_write_find_edit_delete_undo(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, catalog: Catalog, prompts, typist: Typist
    ) -> None:
        editor = window.editor
        template = catalog.template(PHONE)

        # Ctrl+N, then pick the template by typing the start of its title in the template combo.
        press(qtbot, window.table, Qt.Key.Key_N, CTRL)
        assert window.focusWidget() is editor.template_combo
        qtbot.keyClicks(editor.template_combo, "Asked")
        assert editor.current_template() is template

        typist(editor.relationship_combo.lineEdit(), "Client K")
        typist(editor.field_edit("what_happened"), f"Asked for my number at the door. {HOSTILE}")
        note = editor.field_edit(NOTE_FIELD)
        insert = editor.phrasing_buttons[0]
        qtbot.waitUntil(lambda: laid_out(insert))
        qtbot.mouseClick(insert, Qt.MouseButton.LeftButton)
        typist(note, " Safety plan reviewed.")
        typist(editor.tags_edit, "phone, after hours")
        qtbot.keyClick(editor.supervision_check, Qt.Key.Key_Space)
        assert window.isWindowModified()

        press(qtbot, note, Qt.Key.Key_S, CTRL)

        # On screen: saved, one row with the catalogue's words, the editor clean and on that entry.
        assert window.statusBar().currentMessage() == "Saved"
        assert not editor.error_label.isVisible() and prompts.errors == []
        assert column(window, RELATIONSHIP) == ["Client K"]
        assert column(window, CATEGORY) == [catalog.category(template.category).label]
        assert column(window, CHANNEL) == [catalog.channel(template.default_channel).label]
        assert column(window, SUMMARY) == [f"Asked for my number at the door. {HOSTILE}"]
        assert column(window, SUPERVISION) == ["Yes"]
        assert not editor.is_dirty() and not window.isWindowModified()
        # In the journal: exactly what was typed.
        (stored,) = entries.list_entries(journal)
        assert editor.entry_id() == stored.id == selected_id(window)
        assert stored.relationship == "Client K"
        assert stored.fields["what_happened"] == f"Asked for my number at the door. {HOSTILE}"
        assert stored.fields[NOTE_FIELD] == f"{template.phrasings[0]} Safety plan reviewed."
        assert stored.tags == ("phone", "after hours")
        assert stored.supervision is True

        # Find it: Ctrl+F goes to the search field; words narrow the list.
        press(qtbot, window.table, Qt.Key.Key_F, CTRL)
        assert window.focusWidget() is window.search_edit
        typist(window.search_edit, "Привет")
        qtbot.waitUntil(lambda: window.model.rowCount() == 1 and not window._search_timer.isActive())
        window.search_edit.clear()
        typist(window.search_edit, "giraffe")
        qtbot.waitUntil(lambda: window.model.rowCount() == 0)
        window.search_edit.clear()
        typist(window.search_edit, "door safety")
        qtbot.waitUntil(lambda: window.model.rowCount() == 1)
        assert selected_id(window) == stored.id

        # Edit it: type a reflection, Ctrl+S.
        typist(editor.field_edit("reflection"), "I felt the pull to rescue.")
        assert window.isWindowModified()
        press(qtbot, editor.field_edit("reflection"), Qt.Key.Key_S, CTRL)
        assert entries.get_entry(journal, stored.id).fields["reflection"] == "I felt the pull to rescue."
        assert entries.count_entries(journal) == 1
        window.search_edit.clear()
        window.reload()

        # Delete it from the list with Del; the status bar offers Ctrl+Z.
        click_row_of(qtbot, window, stored.id)
        press(qtbot, window.table, Qt.Key.Key_Delete)
        assert entries.count_entries(journal) == 0
        assert window.model.rowCount() == 0
        assert window.statusBar().currentMessage() == "Deleted — Ctrl+Z to undo"
        assert editor.entry_id() is None and editor.field_edit("reflection").toPlainText() == ""

        # Ctrl+Z brings it back, exactly as it was.
        press(qtbot, window.table, Qt.Key.Key_Z, CTRL)
        (restored,) = entries.list_entries(journal)
        assert restored.id == stored.id
        assert restored.fields == {**stored.fields, "reflection": "I felt the pull to rescue."}
        assert column(window, SUMMARY) == [f"Asked for my number at the door. {HOSTILE}"]
        assert editor.entry_id() == stored.id
        assert not window.undo_action.isEnabled()
        assert prompts.errors == []


class TestSearchHint:
    """A search with nothing to search for is hinted inline, never an error box."""

    def test_punctuation_only(self, qtbot: QtBot, window: MainWindow, stored, prompts, typist: Typist) -> None:
        stored()
        show_stored(window)
        typist(window.search_edit, "!!! --")
        qtbot.waitUntil(lambda: window.search_hint.isVisible())
        assert "at least one word" in window.search_hint.text()
        assert window.model.rowCount() == 1  # the list stays as it was
        assert prompts.errors == []
        window.search_edit.clear()
        qtbot.waitUntil(lambda: not window.search_hint.isVisible())


class TestUnsavedChanges:
    """Unsaved text is never lost silently: switching, New and closing ask Save / Discard / Cancel."""

    def _two_entries(self, qtbot: QtBot, window: MainWindow, stored, typist: Typist) -> tuple[EntryView, EntryView]:
        first = stored(relationship="Client K")
        second = stored(relationship="Bed 4 in March")
        show_stored(window)
        click_row_of(qtbot, window, first.id)
        assert window.editor.entry_id() == first.id
        typist(window.editor.field_edit("reflection"), "Unsaved thought")
        return first, second

    def test_cancel_keeps_the_editor_and_the_selection(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, stored, prompts, typist: Typist
    ) -> None:
        first, second = self._two_entries(qtbot, window, stored, typist)
        prompts.answer = UnsavedChoice.CANCEL
        click_row_of(qtbot, window, second.id)
        qtbot.waitUntil(lambda: prompts.unsaved_asked == 1)
        qtbot.waitUntil(lambda: selected_id(window) == first.id)

        assert window.editor.entry_id() == first.id
        assert window.editor.field_edit("reflection").toPlainText() == "Unsaved thought"
        assert window.editor.is_dirty()
        selected_rows = window.table.selectionModel().selectedRows()
        assert [window.model.entry(i.row()).id for i in selected_rows] == [first.id]
        assert "reflection" not in entries.get_entry(journal, first.id).fields

    def test_discard_moves_on_and_keeps_the_journal(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, stored, prompts, typist: Typist
    ) -> None:
        first, second = self._two_entries(qtbot, window, stored, typist)
        prompts.answer = UnsavedChoice.DISCARD
        click_row_of(qtbot, window, second.id)
        qtbot.waitUntil(lambda: window.editor.entry_id() == second.id)
        assert window.editor.relationship_combo.currentText() == "Bed 4 in March"
        assert "reflection" not in entries.get_entry(journal, first.id).fields

    def test_save_stores_then_moves_on(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, stored, prompts, typist: Typist
    ) -> None:
        first, second = self._two_entries(qtbot, window, stored, typist)
        prompts.answer = UnsavedChoice.SAVE
        click_row_of(qtbot, window, second.id)
        qtbot.waitUntil(lambda: window.editor.entry_id() == second.id)
        assert entries.get_entry(journal, first.id).fields["reflection"] == "Unsaved thought"
        assert selected_id(window) == second.id

    def test_a_failed_save_stays_on_the_entry(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, stored, prompts, typist: Typist
    ) -> None:
        first, second = self._two_entries(qtbot, window, stored, typist)
        window.editor.field_edit(NOTE_FIELD).clear()  # a required field
        prompts.answer = UnsavedChoice.SAVE
        click_row_of(qtbot, window, second.id)
        qtbot.waitUntil(lambda: prompts.unsaved_asked == 1)
        qtbot.waitUntil(lambda: selected_id(window) == first.id)
        assert window.editor.entry_id() == first.id
        assert window.editor.error_label.isVisible()
        assert entries.get_entry(journal, first.id).fields[NOTE_FIELD]  # unchanged

    def test_new_entry_asks_too(self, qtbot: QtBot, window: MainWindow, stored, prompts, typist: Typist) -> None:
        first, _second = self._two_entries(qtbot, window, stored, typist)
        prompts.answer = UnsavedChoice.CANCEL
        press(qtbot, window.table, Qt.Key.Key_N, CTRL)
        assert prompts.unsaved_asked == 1
        assert window.editor.entry_id() == first.id
        assert window.editor.field_edit("reflection").toPlainText() == "Unsaved thought"

    def test_closing_asks_and_cancel_keeps_the_window(
        self, qtbot: QtBot, window: MainWindow, stored, prompts, typist: Typist
    ) -> None:
        self._two_entries(qtbot, window, stored, typist)
        prompts.answer = UnsavedChoice.CANCEL
        assert not window.close()
        assert window.isVisible() and prompts.unsaved_asked == 1
        prompts.answer = UnsavedChoice.DISCARD
        assert window.close()

    def test_a_clean_editor_switches_without_asking(
        self, qtbot: QtBot, window: MainWindow, stored, prompts
    ) -> None:
        first = stored(relationship="Client K")
        second = stored(relationship="Bed 4 in March")
        show_stored(window)
        click_row_of(qtbot, window, first.id)
        click_row_of(qtbot, window, second.id)
        assert window.editor.entry_id() == second.id
        assert prompts.unsaved_asked == 0


class TestValidation:
    """What the services refuse is shown inline in the editor, with the field focused; nothing is stored."""

    def test_missing_required_field(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, prompts, typist: Typist
    ) -> None:
        window.editor.select_template(PHONE)
        typist(window.editor.relationship_combo.lineEdit(), "Client K")
        typist(window.editor.field_edit("what_happened"), "Asked for my number.")
        press(qtbot, window.editor.field_edit("what_happened"), Qt.Key.Key_S, CTRL)

        assert window.editor.error_label.isVisible()
        assert "Documentation note" in window.editor.error_label.text()
        assert window.focusWidget() is window.editor.field_edit(NOTE_FIELD)
        assert entries.count_entries(journal) == 0
        assert prompts.errors == []

    def test_missing_pseudonym(self, qtbot: QtBot, window: MainWindow, journal: Journal, typist: Typist) -> None:
        window.editor.select_template(PHONE)
        typist(window.editor.field_edit("what_happened"), "Asked.")
        typist(window.editor.field_edit(NOTE_FIELD), "Declined.")
        qtbot.mouseClick(window.editor.save_button, Qt.MouseButton.LeftButton)
        assert "pseudonym" in window.editor.error_label.text()
        assert entries.count_entries(journal) == 0

    def test_no_template(self, qtbot: QtBot, window: MainWindow, journal: Journal) -> None:
        press(qtbot, window.table, Qt.Key.Key_S, CTRL)
        assert "template" in window.editor.error_label.text()
        assert window.focusWidget() is window.editor.template_combo
        assert entries.count_entries(journal) == 0


class TestFilters:
    """The combos above the list narrow it by relationship, category and channel; 'All …' comes first."""

    def test_each_filter(self, window: MainWindow, stored, catalog: Catalog) -> None:
        stored(relationship="Client K")
        stored(relationship="Bed 4 in March", template="gift_offered", channel="text_message",
               fields={"what_happened": "A gift.", "documentation_note": "Declined with thanks."})
        show_stored(window)
        assert window.model.rowCount() == 2

        for combo, first in (
            (window.relationship_filter, "All relationships"),
            (window.category_filter, "All categories"),
            (window.channel_filter, "All channels"),
        ):
            assert combo.itemText(0) == first and combo.accessibleName()

        window.relationship_filter.setCurrentIndex(window.relationship_filter.findText("Bed 4 in March"))
        assert column(window, RELATIONSHIP) == ["Bed 4 in March"]
        window.relationship_filter.setCurrentIndex(0)

        label = catalog.category("gifts_money_favours").label
        window.category_filter.setCurrentIndex(window.category_filter.findText(label))
        assert column(window, CATEGORY) == [label]
        window.category_filter.setCurrentIndex(0)

        window.channel_filter.setCurrentIndex(window.channel_filter.findData("in_person"))
        assert column(window, RELATIONSHIP) == ["Client K"]
        window.channel_filter.setCurrentIndex(0)
        assert window.model.rowCount() == 2

    def test_supervision_only(self, qtbot: QtBot, window: MainWindow, stored) -> None:
        stored(relationship="Client K", supervision=True)
        stored(relationship="Bed 4 in March")
        show_stored(window)
        window.supervision_filter.setChecked(True)
        assert column(window, RELATIONSHIP) == ["Client K"]

    def test_a_new_pseudonym_joins_the_filter(
        self, qtbot: QtBot, window: MainWindow, typist: Typist
    ) -> None:
        window.editor.select_template(PHONE)
        typist(window.editor.relationship_combo.lineEdit(), "Client Z")
        typist(window.editor.field_edit("what_happened"), "Asked.")
        typist(window.editor.field_edit(NOTE_FIELD), "Declined.")
        assert window.save()
        assert window.relationship_filter.findText("Client Z") > 0
        assert window.editor.relationship_combo.findText("Client Z") >= 0


class TestKeys:
    """Shortcuts act where they should and leave text editing alone."""

    def test_delete_key_in_a_text_field_deletes_text_not_the_entry(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, stored
    ) -> None:
        entry = stored()
        show_stored(window)
        click_row_of(qtbot, window, entry.id)
        field = window.editor.field_edit("what_happened")
        field.moveCursor(field.textCursor().MoveOperation.Start)
        press(qtbot, field, Qt.Key.Key_Delete)
        assert entries.count_entries(journal) == 1
        assert field.toPlainText() == entry.fields["what_happened"][1:]

    def test_undo_in_a_text_field_undoes_typing(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, stored, typist: Typist
    ) -> None:
        entry = stored()
        show_stored(window)
        click_row_of(qtbot, window, entry.id)
        press(qtbot, window.table, Qt.Key.Key_Delete)
        assert entries.count_entries(journal) == 0
        window.editor.select_template(PHONE)
        typist(window.editor.field_edit("what_happened"), "x")
        press(qtbot, window.editor.field_edit("what_happened"), Qt.Key.Key_Z, CTRL)
        assert window.editor.field_edit("what_happened").toPlainText() == ""
        assert entries.count_entries(journal) == 0  # the delete is still undoable from the list
        assert window.undo_action.isEnabled()

    def test_menus_name_the_shortcuts(self, window: MainWindow) -> None:
        assert window.new_action.shortcut().matches(Qt.Key.Key_N | CTRL)
        assert window.save_action.shortcut().toString() == "Ctrl+S"
        assert window.export_action.shortcut().toString() == "Ctrl+E"
        assert window.find_action.shortcut().toString() == "Ctrl+F"
        assert window.undo_action.shortcut().toString() == "Ctrl+Z"
        menus = [a.text() for a in window.menuBar().actions()]
        assert menus[:2] == ["&File", "&Edit"]

    def test_every_control_has_an_accessible_name(self, window: MainWindow) -> None:
        window.editor.select_template(PHONE)
        kinds = (QLineEdit, QComboBox, QPlainTextEdit, QAbstractButton, QTableView, QDateTimeEdit, QTextBrowser)

        def internal(widget: QWidget) -> bool:
            # Parts Qt builds inside a control (a combo's line edit, a clear button, corner buttons).
            parent = widget.parentWidget()
            return isinstance(parent, QComboBox | QAbstractSpinBox | QLineEdit | QMenuBar | QTableView) or (
                widget.objectName().startswith("qt_")
            )

        unnamed = [
            f"{type(w).__name__} {w.objectName()!r} in {type(w.parentWidget()).__name__}"
            for w in window.findChildren(QWidget)
            if isinstance(w, kinds) and not internal(w) and not w.accessibleName()
        ]
        assert unnamed == []


class TestRoundTrip:
    """Markup and any script typed into the editor come back exactly, on screen and in the journal."""

    def test_hostile_text(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, stored, typist: Typist
    ) -> None:
        other = stored(relationship="Client A")
        show_stored(window)
        press(qtbot, window.table, Qt.Key.Key_N, CTRL)
        window.editor.select_template(PHONE)
        typist(window.editor.relationship_combo.lineEdit(), HOSTILE)
        typist(window.editor.field_edit("what_happened"), HOSTILE)
        typist(window.editor.field_edit(NOTE_FIELD), f"Note {HOSTILE}\nsecond line")
        typist(window.editor.tags_edit, HOSTILE)
        assert window.save()

        saved_id = window.editor.entry_id()
        view = entries.get_entry(journal, saved_id)
        assert view.relationship == HOSTILE
        assert view.fields["what_happened"] == HOSTILE
        assert view.fields[NOTE_FIELD] == f"Note {HOSTILE}\nsecond line"
        assert view.tags == (HOSTILE,)

        click_row_of(qtbot, window, other.id)
        click_row_of(qtbot, window, saved_id)
        assert window.editor.field_edit("what_happened").toPlainText() == HOSTILE
        assert window.editor.field_edit(NOTE_FIELD).toPlainText() == f"Note {HOSTILE}\nsecond line"
        assert window.editor.relationship_combo.currentText() == HOSTILE
        assert HOSTILE in column(window, RELATIONSHIP)
        assert not window.editor.is_dirty()


class TestExportAction:
    """Ctrl+E opens the export dialog for the journal."""

    def test_ctrl_e_opens_the_dialog(self, qtbot: QtBot, window: MainWindow, stored) -> None:
        stored()
        show_stored(window)
        seen: list[str] = []

        def answer() -> None:
            dialog = QApplication.activeModalWidget()
            seen.append(type(dialog).__name__)
            seen.append(dialog.relationship_combo.itemText(1))
            dialog.reject()

        QTimer.singleShot(0, answer)
        press(qtbot, window.table, Qt.Key.Key_E, CTRL)
        assert seen == ["ExportDialog", "Client K"]
