"""The message-box helpers, answered by clicking the real boxes."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
import sqlcipher3
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMessageBox, QPlainTextEdit
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import OperationalError

from boundary_journal.errors import InvalidInput
from ui.messages import UnsavedChoice, ask_text, ask_unsaved_changes, error_text, show_error

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

    @pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
    def test_a_full_disk_is_said_as_such_not_as_a_bug(self, code: int) -> None:
        text = error_text(OSError(code, os.strerror(code)))
        assert text.startswith("The disk is full") and "free some space" in text and "bug" not in text

    def test_sqlite_finding_the_disk_full_is_said_as_such(self, tmp_path: Path) -> None:
        conn = sqlcipher3.connect(str(tmp_path / "tiny.db"))
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.execute("PRAGMA max_page_count = 1")
        with pytest.raises(sqlcipher3.OperationalError) as raised:
            conn.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
        conn.close()
        wrapped = OperationalError("INSERT INTO t VALUES (?)", None, raised.value)
        for error in (raised.value, wrapped):
            assert error_text(error).startswith("The disk is full")

    def test_a_bug_is_not_dressed_up_as_a_user_error(self) -> None:
        text = error_text(KeyError("x"))
        assert "bug" in text and "KeyError" in text
        assert error_text(InvalidInput("Plain.")) == "Plain."


class TestAskText:
    """A few lines typed and OK come back as text; Cancel is None; the label is shown as plain text."""

    @staticmethod
    def answer_when_shown(qtbot: QtBot, typed: str | None, seen: list[QInputDialog]) -> None:
        def answer() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, QInputDialog):
                QTimer.singleShot(10, answer)
                return
            seen.append(dialog)
            if typed is None:
                qtbot.keyClick(dialog, Qt.Key.Key_Escape)
                return
            edit = dialog.findChild(QPlainTextEdit)
            qtbot.keyClicks(edit, typed)
            dialog.accept()

        QTimer.singleShot(0, answer)

    def test_typed_and_cancelled(self, qtbot: QtBot) -> None:
        seen: list[QInputDialog] = []
        self.answer_when_shown(qtbot, "Raised in supervision", seen)
        assert ask_text(None, "Action done", f"What came of it?\n\n{HOSTILE}") == "Raised in supervision"
        (label,) = [w for w in seen[0].findChildren(QLabel) if HOSTILE in w.text()]
        assert label.textFormat() == Qt.TextFormat.PlainText
        self.answer_when_shown(qtbot, None, seen)
        assert ask_text(None, "Action done", "What came of it?") is None
