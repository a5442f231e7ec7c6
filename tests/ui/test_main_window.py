"""The main window, driven like a user: keyboard and mouse in, what is on screen and in the journal out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
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
from boundary_journal.services import actions, drift, entries, escalation, relationships, selfchecks, slope
from boundary_journal.services.entries import EntryView
from boundary_journal.store.journal import Journal
from tests.unit.test_disk_full import cap_journal_size
from ui.action_model import ACTION
from ui.changes import Change
from ui.entry_model import CATEGORY, CHANNEL, RELATIONSHIP, SUMMARY, SUPERVISION
from ui.main_window import MainWindow
from ui.messages import UnsavedChoice
from ui.selfcheck_dialog import SelfCheckDialog

HOSTILE = "<b>&amp; Ωμέγα Привет 🙂 שלום"
PHONE = "phone_number_request"
CTRL = Qt.KeyboardModifier.ControlModifier
Typist = Callable[[QWidget, str], None]


def column(window: MainWindow, col: int) -> list[str]:
    return [window.entry_list.model.index(row, col).data() for row in range(window.entry_list.model.rowCount())]


def selected_id(window: MainWindow) -> int | None:
    index = window.entry_list.table.selectionModel().currentIndex()
    return window.entry_list.model.entry(index.row()).id if index.isValid() else None


def click_row_of(qtbot: QtBot, window: MainWindow, entry_id: int) -> None:
    row = window.entry_list.model.row_of(entry_id)
    assert row is not None, "the entry is not in the list"
    rect = window.entry_list.table.visualRect(window.entry_list.model.index(row, SUMMARY))
    qtbot.mouseClick(window.entry_list.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def laid_out(widget: QWidget) -> bool:
    return widget.isVisible() and not widget.size().isEmpty()


def show_stored(window: MainWindow) -> None:
    """Entries stored by the test after the window opened: re-read them, as after any change."""
    window.changes.did_change(Change.ENTRIES | Change.RELATIONSHIPS)


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
        press(qtbot, window.entry_list.table, Qt.Key.Key_N, CTRL)
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
        press(qtbot, window.entry_list.table, Qt.Key.Key_F, CTRL)
        assert window.focusWidget() is window.entry_list.search_edit
        typist(window.entry_list.search_edit, "Привет")
        listed = window.entry_list
        qtbot.waitUntil(lambda: listed.model.rowCount() == 1 and not listed.search_timer.isActive())
        window.entry_list.search_edit.clear()
        typist(window.entry_list.search_edit, "giraffe")
        qtbot.waitUntil(lambda: window.entry_list.model.rowCount() == 0)
        window.entry_list.search_edit.clear()
        typist(window.entry_list.search_edit, "door safety")
        qtbot.waitUntil(lambda: window.entry_list.model.rowCount() == 1)
        assert selected_id(window) == stored.id

        # Edit it: type a reflection, Ctrl+S.
        typist(editor.field_edit("reflection"), "I felt the pull to rescue.")
        assert window.isWindowModified()
        press(qtbot, editor.field_edit("reflection"), Qt.Key.Key_S, CTRL)
        assert entries.get_entry(journal, stored.id).fields["reflection"] == "I felt the pull to rescue."
        assert entries.count_entries(journal) == 1
        window.entry_list.search_edit.clear()
        window.entry_list.reload()

        # Delete it from the list with Del; the status bar offers Ctrl+Z.
        click_row_of(qtbot, window, stored.id)
        press(qtbot, window.entry_list.table, Qt.Key.Key_Delete)
        assert entries.count_entries(journal) == 0
        assert window.entry_list.model.rowCount() == 0
        assert window.statusBar().currentMessage() == "Deleted — Ctrl+Z to undo"
        assert editor.entry_id() is None and editor.field_edit("reflection").toPlainText() == ""

        # Ctrl+Z brings it back, exactly as it was.
        press(qtbot, window.entry_list.table, Qt.Key.Key_Z, CTRL)
        (restored,) = entries.list_entries(journal)
        assert restored.id == stored.id
        assert restored.fields == {**stored.fields, "reflection": "I felt the pull to rescue."}
        assert column(window, SUMMARY) == [f"Asked for my number at the door. {HOSTILE}"]
        assert editor.entry_id() == stored.id
        assert not window.menus.undo_action.isEnabled()
        assert prompts.errors == []


class TestSearchHint:
    """A search with nothing to search for is hinted inline, never an error box."""

    def test_punctuation_only(self, qtbot: QtBot, window: MainWindow, stored, prompts, typist: Typist) -> None:
        stored()
        show_stored(window)
        typist(window.entry_list.search_edit, "!!! --")
        qtbot.waitUntil(lambda: window.entry_list.search_hint.isVisible())
        assert "at least one word" in window.entry_list.search_hint.text()
        assert window.entry_list.model.rowCount() == 1  # the list stays as it was
        assert prompts.errors == []
        window.entry_list.search_edit.clear()
        qtbot.waitUntil(lambda: not window.entry_list.search_hint.isVisible())


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
        selected_rows = window.entry_list.table.selectionModel().selectedRows()
        assert [window.entry_list.model.entry(i.row()).id for i in selected_rows] == [first.id]
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
        press(qtbot, window.entry_list.table, Qt.Key.Key_N, CTRL)
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
        press(qtbot, window.entry_list.table, Qt.Key.Key_S, CTRL)
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
        assert window.entry_list.model.rowCount() == 2

        for combo, first in (
            (window.entry_list.relationship_filter, "All relationships"),
            (window.entry_list.category_filter, "All categories"),
            (window.entry_list.channel_filter, "All channels"),
        ):
            assert combo.itemText(0) == first and combo.accessibleName()

        filter_ = window.entry_list.relationship_filter
        filter_.setCurrentIndex(filter_.findText("Bed 4 in March"))
        assert column(window, RELATIONSHIP) == ["Bed 4 in March"]
        window.entry_list.relationship_filter.setCurrentIndex(0)

        label = catalog.category("gifts_money_favours").label
        window.entry_list.category_filter.setCurrentIndex(window.entry_list.category_filter.findText(label))
        assert column(window, CATEGORY) == [label]
        window.entry_list.category_filter.setCurrentIndex(0)

        window.entry_list.channel_filter.setCurrentIndex(window.entry_list.channel_filter.findData("in_person"))
        assert column(window, RELATIONSHIP) == ["Client K"]
        window.entry_list.channel_filter.setCurrentIndex(0)
        assert window.entry_list.model.rowCount() == 2

    def test_supervision_only(self, qtbot: QtBot, window: MainWindow, stored) -> None:
        stored(relationship="Client K", supervision=True)
        stored(relationship="Bed 4 in March")
        show_stored(window)
        window.entry_list.supervision_filter.setChecked(True)
        assert column(window, RELATIONSHIP) == ["Client K"]

    def test_a_new_pseudonym_joins_the_filter(
        self, qtbot: QtBot, window: MainWindow, typist: Typist
    ) -> None:
        window.editor.select_template(PHONE)
        typist(window.editor.relationship_combo.lineEdit(), "Client Z")
        typist(window.editor.field_edit("what_happened"), "Asked.")
        typist(window.editor.field_edit(NOTE_FIELD), "Declined.")
        assert window.editing.save()
        assert window.entry_list.relationship_filter.findText("Client Z") > 0
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
        press(qtbot, window.entry_list.table, Qt.Key.Key_Delete)
        assert entries.count_entries(journal) == 0
        window.editor.select_template(PHONE)
        typist(window.editor.field_edit("what_happened"), "x")
        press(qtbot, window.editor.field_edit("what_happened"), Qt.Key.Key_Z, CTRL)
        assert window.editor.field_edit("what_happened").toPlainText() == ""
        assert entries.count_entries(journal) == 0  # the delete is still undoable from the list
        assert window.menus.undo_action.isEnabled()

    def test_menus_name_the_shortcuts(self, window: MainWindow) -> None:
        assert window.menus.new_action.shortcut().matches(Qt.Key.Key_N | CTRL)
        assert window.menus.save_action.shortcut().toString() == "Ctrl+S"
        assert window.menus.export_action.shortcut().toString() == "Ctrl+E"
        assert window.menus.find_action.shortcut().toString() == "Ctrl+F"
        assert window.menus.undo_action.shortcut().toString() == "Ctrl+Z"
        assert window.menus.self_check_action.shortcut().toString() == "Ctrl+K"
        assert window.menus.trends_action.shortcut().toString() == "Ctrl+T"
        assert window.menus.actions_action.shortcut().toString() == "Ctrl+J"
        assert window.menus.weekly_action.shortcut().toString() == "Ctrl+Shift+W"
        menus = [a.text() for a in window.menuBar().actions()]
        assert menus == ["&File", "&Edit", "&View", "&Journal", "&Security", "&Help"]
        journal_menu = window.menuBar().actions()[3].menu()
        listed = [a for a in journal_menu.actions() if not a.isSeparator()]
        assert listed == [window.menus.self_check_action, window.menus.trends_action, window.menus.actions_action,
                          window.menus.weekly_action, window.menus.reminder_action]
        # No two actions of the window share a shortcut.
        shortcuts = [a.shortcut().toString() for a in window.actions() if not a.shortcut().isEmpty()]
        assert len(shortcuts) == len(set(shortcuts))

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
        press(qtbot, window.entry_list.table, Qt.Key.Key_N, CTRL)
        window.editor.select_template(PHONE)
        relationships.confirm_pseudonym(journal, HOSTILE)  # Hebrew: a script the identifier check cannot read
        typist(window.editor.relationship_combo.lineEdit(), HOSTILE)
        typist(window.editor.field_edit("what_happened"), HOSTILE)
        typist(window.editor.field_edit(NOTE_FIELD), f"Note {HOSTILE}\nsecond line")
        typist(window.editor.tags_edit, HOSTILE)
        assert window.editing.save()

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
            seen.append(dialog.relationship_combo.itemText(0))
            seen.append(dialog.from_edit.date().toString("yyyy-MM-dd"))
            dialog.reject()

        QTimer.singleShot(0, answer)
        press(qtbot, window.entry_list.table, Qt.Key.Key_E, CTRL)
        assert seen == ["ExportDialog", "Client K", "2026-11-01"]

    def test_brief_from_the_file_menu(self, qtbot: QtBot, window: MainWindow, stored) -> None:
        stored()
        show_stored(window)
        seen: list[object] = []

        def answer() -> None:
            dialog = QApplication.activeModalWidget()
            seen.append(dialog.brief_radio.isChecked())
            dialog.reject()

        QTimer.singleShot(0, answer)
        window.menus.brief_action.trigger()
        assert seen == [True]
        assert window.menus.brief_action in window.menuBar().actions()[0].menu().actions()


def visible_click(qtbot: QtBot, window: MainWindow, button: QWidget) -> None:
    """Scroll the editor to `button` if it is there, wait until it is laid out, then click it
    (a checkbox on its box: the row may be wider than its label)."""
    qtbot.waitUntil(lambda: laid_out(button))
    if window.editor.scroll.widget().isAncestorOf(button):
        window.editor.scroll.ensureWidgetVisible(button)
    qtbot.waitUntil(lambda: not button.visibleRegion().isEmpty())
    pos = button.rect().center()
    if isinstance(button, QCheckBox):
        pos.setX(button.height() // 2)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=pos)


def open_self_check(qtbot: QtBot, window: MainWindow) -> SelfCheckDialog:
    qtbot.waitUntil(lambda: window.dialogs.current(SelfCheckDialog) is not None
                    and window.dialogs.current(SelfCheckDialog).isVisible())
    dialog = window.dialogs.current(SelfCheckDialog)
    assert dialog is not None
    dialog.confirm_unsaved_changes = lambda: UnsavedChoice.DISCARD  # type: ignore[method-assign]
    return dialog


def answer(qtbot: QtBot, dialog: SelfCheckDialog, item_id: str, value: int) -> None:
    button = dialog.rows[item_id].level_buttons[value]
    dialog.scroll.ensureWidgetVisible(button)
    qtbot.waitUntil(lambda: laid_out(button) and not button.visibleRegion().isEmpty())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())


def save_check_in(qtbot: QtBot, window: MainWindow, dialog: SelfCheckDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.dialogs.current(SelfCheckDialog) is None)


def banner_kinds(window: MainWindow) -> list[tuple[str, str | None]]:
    return [(w.kind, w.relationship) for w in window.banner.warnings()]


class TestSelfCheckJourney:
    """A check-in from the window: the trend gains a point and the warnings appear where the clinician works."""

    def test_check_ins_update_chart_and_banner(
        self, qtbot: QtBot, window: MainWindow, stored, journal: Journal, catalog: Catalog
    ) -> None:
        stored()
        show_stored(window)
        assert not window.banner.isVisible()

        press(qtbot, window.entry_list.table, Qt.Key.Key_K, CTRL)
        dialog = open_self_check(qtbot, window)
        assert dialog.isModal() or dialog.windowModality() != Qt.WindowModality.NonModal
        qtbot.keyClicks(dialog.scope_combo, "Client K")
        assert dialog.relationship() == "Client K"
        answer(qtbot, dialog, "slope_look_forward", 1)
        answer(qtbot, dialog, "hi_persistent_personal_channel", 1)
        save_check_in(qtbot, window, dialog)

        # The trends show Client K's trend with the new point.
        assert window.left_tabs.currentWidget() is window.panels.trends
        assert window.panels.trends.scope() == "Client K"
        (first,) = selfchecks.list_self_checks(journal, catalog, relationship="Client K")
        assert [p.y() for p in window.panels.trends.chart.score_series.points()] == [first.score.percent]
        # The banner says it warrants supervision or ethics input; an action to raise it is open.
        assert window.banner.isVisible()
        assert banner_kinds(window) == [("higher_input", "Client K")]
        (line,) = window.banner.line_texts()
        assert line.startswith("Client K — ") and "this warrants supervision or ethics input" in line
        (action,) = actions.list_actions(journal, open_only=True)
        assert action.relationship == "Client K" and window.panels.trends.actions_list.count() == 1
        assert action.text in window.statusBar().currentMessage()

        # A second, higher-scoring check-in through the menu action: the score is rising.
        window.menus.self_check_action.trigger()
        dialog = open_self_check(qtbot, window)
        assert dialog.relationship() == "Client K"  # the scope the trends show
        answer(qtbot, dialog, "slope_look_forward", 2)
        answer(qtbot, dialog, "pull_rescue", 2)
        answer(qtbot, dialog, "hi_persistent_personal_channel", 1)
        save_check_in(qtbot, window, dialog)
        assert window.panels.trends.chart.score_series.count() == 2
        assert ("score_rising", "Client K") in banner_kinds(window)
        assert any(t.startswith("Client K — Red-flag score rising") for t in window.banner.line_texts())

        # A calmer check-in: the warnings reflect the stored data, and go.
        window.panels.self_check()
        dialog = open_self_check(qtbot, window)
        save_check_in(qtbot, window, dialog)
        assert window.panels.trends.chart.score_series.count() == 3
        assert not window.banner.isVisible()

    def test_the_trends_button_opens_the_check_in(self, qtbot: QtBot, window: MainWindow) -> None:
        press(qtbot, window.entry_list.table, Qt.Key.Key_T, CTRL)
        assert window.left_tabs.currentWidget() is window.panels.trends
        visible_click(qtbot, window, window.panels.trends.self_check_button)
        dialog = open_self_check(qtbot, window)
        assert dialog.relationship() is None
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: window.dialogs.current(SelfCheckDialog) is None)
        press(qtbot, window.panels.trends.scope_combo, Qt.Key.Key_F, CTRL)
        assert window.left_tabs.currentWidget() is window.entry_list.pane
        assert window.focusWidget() is window.entry_list.search_edit


class TestStageJourney:
    """Setting a relationship's stage higher than before raises the stage warning; the banner leads back."""

    def test_stage_up_warns(self, qtbot: QtBot, window: MainWindow, stored, journal: Journal) -> None:
        stored()
        show_stored(window)
        press(qtbot, window.entry_list.table, Qt.Key.Key_T, CTRL)
        qtbot.keyClicks(window.panels.trends.scope_combo, "Client K")
        panel = window.panels.trends
        assert panel.scope() == "Client K"
        for stage in (2, 3):
            panel.stage_combo.setCurrentIndex(panel.stage_combo.findData(stage))
            visible_click(qtbot, window, panel.set_stage_button)
        assert [c.stage for c in slope.stage_history(journal, "Client K")] == [2, 3]
        assert banner_kinds(window) == [("stage_up", "Client K")]
        (line,) = window.banner.line_texts()
        assert line.startswith("Client K — ") and "Stage 2" in line and "3" in line
        assert panel.chart.stage_series.count() == 2

        window.left_tabs.setCurrentWidget(window.entry_list.pane)
        visible_click(qtbot, window, window.banner.trend_buttons[0])
        assert window.left_tabs.currentWidget() is window.panels.trends and panel.scope() == "Client K"

    def test_saving_an_entry_updates_the_suggestion(
        self, qtbot: QtBot, window: MainWindow, stored, typist: Typist
    ) -> None:
        stored()
        show_stored(window)
        window.panels.show_trends("Client K")
        assert "Stage 3" not in window.panels.trends.suggestion_label.text()
        window.editing.new_entry()
        window.editor.select_template("late_night_text")
        typist(window.editor.relationship_combo.lineEdit(), "Client K")
        typist(window.editor.field_edit("what_happened"), "Text at 23:40.")
        typist(window.editor.field_edit(NOTE_FIELD), "Patient texted clinician's personal phone.")
        window.editor.when_edit.setDateTime(window.clock.now() - timedelta(days=2))
        assert window.editing.save()
        # The patient texting is context: it is held, not the clinician's drift.
        assert window.panels.trends.suggestion_label.text().startswith("No stage suggested, based on the last 90 days")
        assert "In your favour: 1 request" in window.panels.trends.reasons_label.text()
        # Replying from the personal phone is the clinician's own conduct: it moves the suggestion.
        visible_click(qtbot, window, window.editor.review.boxes["personal_channel"])
        assert window.editing.save()
        suggestion = window.panels.trends.suggestion_label.text()
        assert suggestion.startswith("Suggested: Stage 3 — Personal channel shift, based on")
        assert "You replied or wrote from your personal phone" in window.panels.trends.reasons_label.text()


class TestAcknowledgeJourney:
    """A warning acknowledged from the banner, with a note, stays quiet until new evidence arrives."""

    def test_acknowledge_from_the_banner(
        self, qtbot: QtBot, window: MainWindow, stored, journal: Journal, catalog: Catalog
    ) -> None:
        stored()
        higher = next(f.id for f in catalog.red_flags if f.warrants_higher_input)
        for who in ("Client K", "Bed 4"):
            selfchecks.add_self_check(journal, catalog, selfchecks.SelfCheckDraft(
                {higher: 2}, relationship=who, taken_at=window.clock.now() - timedelta(days=1)))
        window.changes.did_change(Change.SELF_CHECKS)
        assert banner_kinds(window) == [("higher_input", "Bed 4"), ("higher_input", "Client K")]
        notes: list[str | None] = [None, "Raised with Dr B; plan agreed."]
        window.ask_acknowledgement = lambda warning: notes.pop(0)  # type: ignore[method-assign]
        visible_click(qtbot, window, window.banner.ack_buttons[1])  # cancelled: nothing changes
        assert banner_kinds(window) == [("higher_input", "Bed 4"), ("higher_input", "Client K")]
        visible_click(qtbot, window, window.banner.ack_buttons[1])
        assert banner_kinds(window) == [("higher_input", "Bed 4")]
        assert "Warning acknowledged" in window.statusBar().currentMessage()
        [kept] = [w for w in drift.all_warnings(journal, catalog, as_of=window.clock.now()) if w.acknowledged]
        assert (kept.relationship, kept.ack_note) == ("Client K", "Raised with Dr B; plan agreed.")
        # New evidence: the item ticked again at a later check-in, and the warning is back.
        selfchecks.add_self_check(journal, catalog, selfchecks.SelfCheckDraft(
            {higher: 1}, relationship="Client K", taken_at=window.clock.now()))
        window.changes.did_change(Change.SELF_CHECKS)
        assert ("higher_input", "Client K") in banner_kinds(window)


class TestEscalationJourney:
    """Answer the decision flow on an entry, see the steps, save, come back: the answers are there."""

    def test_answers_are_stored_and_restored(
        self, qtbot: QtBot, window: MainWindow, stored, journal: Journal, catalog: Catalog, typist: Typist
    ) -> None:
        other = stored(relationship="Client A")
        show_stored(window)
        editor = window.editor
        press(qtbot, window.entry_list.table, Qt.Key.Key_N, CTRL)
        editor.select_template(PHONE)
        typist(editor.relationship_combo.lineEdit(), "Client K")
        typist(editor.field_edit("what_happened"), "Asked for my number by text.")
        typist(editor.field_edit(NOTE_FIELD), "Patient asked for clinician's number; declined.")
        guide = editor.guide
        assert guide.isVisible() and "Answer the questions" in guide.steps_label.text()

        visible_click(qtbot, window, guide.answer_buttons["acute_risk"][1])
        visible_click(qtbot, window, guide.answer_buttons["outside_channels"][0])
        steps = escalation.recommended_steps(catalog, {"acute_risk": "no", "outside_channels": "yes"})
        for step_id in steps:
            assert escape(escalation.step_text(catalog, step_id)) in guide.steps_label.text()
        assert not guide.acute_notice.isVisible()
        assert editor.review.isVisible()  # a declined request: the look-back at my response
        visible_click(qtbot, window, editor.review.boxes["partial_cave_in"])
        assert window.isWindowModified()

        press(qtbot, editor.field_edit(NOTE_FIELD), Qt.Key.Key_S, CTRL)
        saved_id = editor.entry_id()
        assert saved_id is not None and not editor.is_dirty()
        stored_entry = entries.get_entry(journal, saved_id)
        assert stored_entry.flow == {"acute_risk": "no", "outside_channels": "yes"}
        assert stored_entry.response_review == {"partial_cave_in": True}

        click_row_of(qtbot, window, other.id)
        assert guide.flow() == {}
        click_row_of(qtbot, window, saved_id)
        assert guide.flow() == {"acute_risk": "no", "outside_channels": "yes"}
        assert guide.answer_buttons["outside_channels"][0].isChecked()
        assert escape(escalation.step_text(catalog, steps[0])) in guide.steps_label.text()
        assert editor.review.moves() == {"partial_cave_in": True}
        assert not editor.is_dirty()

    def test_acute_risk_is_shown_prominently(self, qtbot: QtBot, window: MainWindow) -> None:
        window.editor.select_template(PHONE)
        visible_click(qtbot, window, window.editor.guide.answer_buttons["acute_risk"][0])
        notice = window.editor.guide.acute_notice
        assert notice.isVisible()
        assert "not a boundary script" in notice.text() and "not a crisis tool" in notice.text()


class TestListenAfterHoldingJourney:
    """Save a held request and, some days later, the Actions tab asks what was heard (seed 002)."""

    def test_the_follow_up_is_in_the_actions_tab(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, catalog: Catalog, typist: Typist
    ) -> None:
        editor = window.editor
        press(qtbot, window.entry_list.table, Qt.Key.Key_N, CTRL)
        editor.select_template(PHONE)
        days = catalog.template(PHONE).listen_after_days
        assert editor.listen_check.isVisible() and editor.listen_check.isChecked()
        assert f"In {days} days" in editor.listen_check.text()
        typist(editor.relationship_combo.lineEdit(), "Client K")
        typist(editor.field_edit("what_happened"), "Asked for my number at the door.")
        typist(editor.field_edit(NOTE_FIELD), "Patient requested personal number; declined.")
        assert window.editing.save()
        saved = entries.get_entry(journal, editor.entry_id())
        assert not editor.listen_check.isVisible()  # asked once, when the entry is new

        [action] = actions.list_actions(journal)
        assert action.origin_id == saved.id and action.due_on == saved.occurred.date() + timedelta(days=days)
        window.panels.show_actions()
        model = window.panels.actions_panel.model
        qtbot.waitUntil(lambda: any("reworded" in str(model.index(row, ACTION).data())
                                    for row in range(model.rowCount())))

    def test_unticked_means_no_follow_up(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, typist: Typist
    ) -> None:
        editor = window.editor
        editor.select_template(PHONE)
        visible_click(qtbot, window, editor.listen_check)
        typist(editor.relationship_combo.lineEdit(), "Client K")
        typist(editor.field_edit("what_happened"), "Asked for my number at the door.")
        typist(editor.field_edit(NOTE_FIELD), "Patient requested personal number; declined.")
        assert window.editing.save()
        assert actions.list_actions(journal) == []


class TestSourcesPage:
    """Help ▸ Sources lists the five articles by their full titles, never a file name."""

    def test_help_sources(self, qtbot: QtBot, window: MainWindow, catalog: Catalog) -> None:
        help_menu = window.menuBar().actions()[-1].menu()
        assert window.menus.sources_action in help_menu.actions()
        dialog = window.show_sources()
        qtbot.waitExposed(dialog)
        text = dialog.browser.toPlainText()
        for source in catalog.sources:
            assert source.title in text and source.uses in text
        assert ".txt" not in text and "seed 0" not in text.casefold()
        assert "own" in text
        dialog.close()


class TestNeutralLanguageJourney:
    """A judgemental word in the documentation note is flagged; one click puts the neutral wording in."""

    def test_accept_the_suggestion(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, catalog: Catalog, typist: Typist
    ) -> None:
        editor = window.editor
        press(qtbot, window.entry_list.table, Qt.Key.Key_N, CTRL)
        editor.select_template(PHONE)
        typist(editor.relationship_combo.lineEdit(), "Client K")
        typist(editor.field_edit("what_happened"), "Asked for my number again.")
        note = editor.field_edit(NOTE_FIELD)
        typist(note, "🙂 Patient was manipulative about the number.")
        qtbot.waitUntil(lambda: len(editor.language.buttons) == 1)
        (finding,) = editor.language.findings()
        assert finding.word == "manipulative"
        suggestion = finding.suggestion
        assert editor.language.buttons[0].full_text() == f"Use '{suggestion}'"

        visible_click(qtbot, window, editor.language.buttons[0])
        assert note.toPlainText() == f"🙂 Patient was {suggestion} about the number."
        assert editor.language.findings() == []
        assert window.editing.save()
        assert entries.get_entry(journal, editor.entry_id()).fields[NOTE_FIELD] == note.toPlainText()


def test_closing_the_window_asks_about_an_open_check_in(qtbot: QtBot, window: MainWindow) -> None:
    window.panels.self_check()
    dialog = open_self_check(qtbot, window)
    answer(qtbot, dialog, "pull_rescue", 1)
    dialog.confirm_unsaved_changes = lambda: UnsavedChoice.CANCEL  # type: ignore[method-assign]
    assert not window.close()
    assert window.isVisible() and dialog.isVisible()
    dialog.confirm_unsaved_changes = lambda: UnsavedChoice.DISCARD  # type: ignore[method-assign]
    assert window.close()


def test_saving_on_a_full_disk_says_so_and_keeps_the_entry_open(
    qtbot: QtBot, window: MainWindow, journal: Journal, stored, prompts
) -> None:
    entry = stored()
    show_stored(window)
    click_row_of(qtbot, window, entry.id)
    cap_journal_size(journal)
    window.editor.field_edit("reflection").setPlainText("A long reflection. " * 20_000)
    press(qtbot, window.editor.field_edit("reflection"), Qt.Key.Key_S, CTRL)
    assert prompts.errors and prompts.errors[-1].startswith("The disk is full")
    assert "free some space" in prompts.errors[-1] and "bug" not in prompts.errors[-1]
    assert window.editor.entry_id() == entry.id and window.editor.is_dirty()
    assert "reflection" not in entries.get_entry(journal, entry.id).fields
