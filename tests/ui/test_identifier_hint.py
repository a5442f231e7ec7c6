"""The window warns at save time: likely identifiers in a saved entry are listed under its heading (the entry is
saved all the same), each can be confirmed as not identifying, and a new pseudonym that looks like a name asks."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import NOTE_FIELD
from boundary_journal.services import entries, settings
from boundary_journal.store.journal import Journal
from ui.main_window import MainWindow


def write_entry(qtbot: QtBot, window: MainWindow, who: str, what: str) -> None:
    editor = window.editor
    editor.select_template("phone_number_request")
    editor.relationship_combo.setEditText("")
    qtbot.keyClicks(editor.relationship_combo.lineEdit(), who)
    qtbot.keyClicks(editor.field_edit("what_happened"), what)
    qtbot.keyClicks(editor.field_edit(NOTE_FIELD), "Patient requested personal contact details; declined.")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)


class TestHintAtSave:
    """What the check recognises shows after the save, which is not held up by it."""

    def test_findings_are_listed_and_the_entry_is_saved(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, tmp_path: Path
    ) -> None:
        write_entry(qtbot, window, "Client K", "Eimear asked again; her insta is jess_h_92.")
        qtbot.waitUntil(lambda: window.editor.entry_id() is not None)
        assert entries.get_entry(journal, window.editor.entry_id()).fields["what_happened"].startswith("Eimear")
        hint = window.editor.identifier_hint
        qtbot.waitUntil(hint.isVisible)
        assert "2 possible identifiers" in hint.title.text()
        # Only the name can be confirmed; the handle is changed in the text.
        assert [b.accessibleName() for b in hint.buttons] == ["Confirm Eimear as not identifying"]
        window.grab().save(str(tmp_path / "identifier-hint.png"))
        qtbot.mouseClick(hint.buttons[0], Qt.MouseButton.LeftButton)
        assert settings.not_identifying(journal) == ["Eimear"]
        qtbot.waitUntil(lambda: "1 possible identifier:" in hint.title.text())
        assert hint.buttons == []

    def test_a_clean_entry_shows_no_hint(self, qtbot: QtBot, window: MainWindow) -> None:
        write_entry(qtbot, window, "Client K", "Asked for my number at the door; I restated the clinic line.")
        qtbot.waitUntil(lambda: window.editor.entry_id() is not None)
        assert not window.editor.identifier_hint.isVisible()


class TestPseudonymQuestion:
    """A new pseudonym that only looks like a name is kept when the clinician says so, for that pseudonym only."""

    def test_keep_saves_it(self, qtbot: QtBot, window: MainWindow, journal: Journal) -> None:
        asked: list[str] = []
        window.confirm_pseudonym = lambda who, why: asked.append(why) or True  # type: ignore[method-assign]
        write_entry(qtbot, window, "Rose", "Asked for my number.")
        qtbot.waitUntil(lambda: window.editor.entry_id() is not None)
        assert "Rose" in asked[0] and "name" in asked[0]
        assert entries.get_entry(journal, window.editor.entry_id()).relationship == "Rose"
        assert settings.not_identifying(journal) == []  # its words are not confirmed everywhere

    def test_change_it_keeps_the_editor_open(self, qtbot: QtBot, window: MainWindow, journal: Journal) -> None:
        window.confirm_pseudonym = lambda who, why: False  # type: ignore[method-assign]
        write_entry(qtbot, window, "Rose", "Asked for my number.")
        qtbot.waitUntil(window.editor.error_label.isVisible)
        assert "Rose" in window.editor.error_label.text()
        assert window.editor.entry_id() is None and entries.count_entries(journal) == 0

    @pytest.mark.parametrize(("who", "why"), [("Maria Gonzalez", "full name"),
                                              ("Client K 07700 900123", "phone number")])
    def test_refused_without_a_question(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, who: str, why: str
    ) -> None:
        window.confirm_pseudonym = lambda who, why: (_ for _ in ()).throw(AssertionError("asked"))  # type: ignore[method-assign]
        write_entry(qtbot, window, who, "Asked for my number.")
        qtbot.waitUntil(window.editor.error_label.isVisible)
        assert why in window.editor.error_label.text() and "Client K" in window.editor.error_label.text()
        assert entries.count_entries(journal) == 0


class TestWeeklyDialogPseudonym:
    """The weekly exercise asks the same question for a new pseudonym that only looks like a name."""

    def test_keep_and_change(self, qtbot: QtBot, journal: Journal, catalog) -> None:
        from datetime import date

        from boundary_journal.services import weekly
        from ui.weekly_dialog import WeeklyDialog

        dialog = WeeklyDialog(journal, catalog, [], date(2026, 11, 25))
        qtbot.addWidget(dialog)
        dialog.show()
        answers = [False, True]
        dialog.confirm_pseudonym = lambda who, why: answers.pop(0)  # type: ignore[method-assign]
        qtbot.keyClicks(dialog.relationship_combo.lineEdit(), "Rose")
        qtbot.keyClicks(dialog.unease_edit, "She keeps asking for my number.")
        dialog.move_buttons["talk_to_supervisor"].setChecked(True)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.result_view is None and weekly.list_exercises(journal) == []
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert [e.relationship for e in weekly.list_exercises(journal)] == ["Rose"]
