"""The message-box helpers, answered by clicking the real boxes."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from boundary_journal.errors import InvalidInput
from ui.messages import UnsavedChoice, ask_unsaved_changes, error_text, show_error

HOSTILE = "<b>&amp; Ωμέγα Привет 🙂 שלום"


def click_when_shown(qtbot: QtBot, button: QMessageBox.StandardButton, seen: list[QMessageBox]) -> None:
    """Once the modal box is up, remember it and click one of its buttons like a user."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        seen.append(box)
        qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)


class TestUnsavedChanges:
    """Save / Discard / Cancel come back as the matching choice; Cancel is also the escape."""

    def test_each_button(self, qtbot: QtBot) -> None:
        for button, choice in (
            (QMessageBox.StandardButton.Save, UnsavedChoice.SAVE),
            (QMessageBox.StandardButton.Discard, UnsavedChoice.DISCARD),
            (QMessageBox.StandardButton.Cancel, UnsavedChoice.CANCEL),
        ):
            seen: list[QMessageBox] = []
            click_when_shown(qtbot, button, seen)
            assert ask_unsaved_changes(None) is choice
            assert "not saved" in seen[0].text()

    def test_escape_cancels(self, qtbot: QtBot) -> None:
        def escape() -> None:
            box = QApplication.activeModalWidget()
            if box is None:
                QTimer.singleShot(10, escape)
                return
            qtbot.keyClick(box, Qt.Key.Key_Escape)

        QTimer.singleShot(0, escape)
        assert ask_unsaved_changes(None) is UnsavedChoice.CANCEL


class TestErrors:
    """An error box shows the error's own sentence as plain text; a bug is called a bug."""

    def test_user_error_text_is_plain(self, qtbot: QtBot) -> None:
        seen: list[QMessageBox] = []
        click_when_shown(qtbot, QMessageBox.StandardButton.Ok, seen)
        show_error(None, InvalidInput(HOSTILE))
        assert seen[0].text() == HOSTILE
        assert seen[0].textFormat() == Qt.TextFormat.PlainText
        assert seen[0].icon() == QMessageBox.Icon.Warning

    def test_a_bug_is_not_dressed_up_as_a_user_error(self) -> None:
        text = error_text(KeyError("x"))
        assert "bug" in text and "KeyError" in text
        assert error_text(InvalidInput("Plain.")) == "Plain."
