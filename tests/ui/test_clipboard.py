"""Copying from the window marks the clipboard content as sensitive and clears it later, if it is still ours."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import NOTE_FIELD
from ui.clipboard import KDE_HINT, TOKEN_FORMAT, ClipboardGuard, sensitive_marks, sensitive_mime
from ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
SECRET = "Client Q asked for my personal number — canary 3391"
Typist = Callable[[QWidget, str], None]


def clipboard_mime() -> QMimeData | None:
    return QGuiApplication.clipboard().mimeData()


def marked(text: str) -> bool:
    mime = clipboard_mime()
    return (
        mime is not None
        and mime.text() == text
        and bytes(mime.data(KDE_HINT).data()) == b"secret"
        and mime.hasFormat(TOKEN_FORMAT)
        and not mime.hasHtml()
    )


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    window.clipboard_guard.set_clear_after_ms(300)  # a short time: the default is 30 s
    QGuiApplication.clipboard().clear()
    return window


class TestCopiesAreMarkedAndCleared:
    """Ctrl+C in any field, and Edit ▸ Copy Documentation Note."""

    def test_ctrl_c_in_an_entry_field(self, qtbot: QtBot, window: MainWindow, typist: Typist) -> None:
        window.editor.select_template("phone_number_request")
        field = window.editor.field_edit("what_happened")
        typist(field, SECRET)
        qtbot.keyClick(field, Qt.Key.Key_A, CTRL)
        qtbot.keyClick(field, Qt.Key.Key_C, CTRL)
        assert marked(SECRET)  # plain text only: the field's HTML and ODF copies are not passed on
        assert window.statusBar().currentMessage() == "Copied; it is cleared from the clipboard in 1 s"
        qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=3_000)
        assert field.toPlainText() == SECRET  # only the clipboard is cleared

    def test_ctrl_x_in_a_line_edit(self, qtbot: QtBot, window: MainWindow, typist: Typist) -> None:
        tags = window.editor.tags_edit
        typist(tags, "after hours")
        qtbot.keyClick(tags, Qt.Key.Key_A, CTRL)
        qtbot.keyClick(tags, Qt.Key.Key_X, CTRL)
        assert tags.text() == ""
        assert marked("after hours")
        qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=3_000)

    def test_copy_documentation_note(self, qtbot: QtBot, window: MainWindow, typist: Typist) -> None:
        window.copy_documentation_note()
        assert window.statusBar().currentMessage() == "There is no documentation note to copy yet."
        window.editor.select_template("phone_number_request")
        typist(window.editor.field_edit(NOTE_FIELD), "Patient requested personal number; declined.")
        qtbot.keyClick(window.editor.field_edit("what_happened"), Qt.Key.Key_C, CTRL | SHIFT)
        assert marked("Patient requested personal number; declined.")
        assert window.menus.copy_note_action.shortcut().toString() == "Ctrl+Shift+C"
        qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=3_000)

    def test_a_later_copy_is_left_alone(self, qtbot: QtBot, window: MainWindow) -> None:
        window.clipboard_guard.copy_text(SECRET)
        # Another copy made since: here one from another guard (another window), with its own token.
        other = ClipboardGuard(clear_after_ms=60_000)
        other.copy_text("someone else's text")
        qtbot.wait(600)
        assert QGuiApplication.clipboard().text() == "someone else's text"
        other.clear_if_ours()

    def test_locking_clears_our_copy_at_once(self, qtbot: QtBot, window: MainWindow) -> None:
        window.clipboard_guard.set_clear_after_ms(60_000)
        window.clipboard_guard.copy_text(SECRET)
        window.locking.lock()
        assert QGuiApplication.clipboard().text() == ""
        window.close_journal()


class TestMarks:
    """The formats clipboard managers and histories look for, per platform."""

    def test_linux_and_bsd(self) -> None:
        assert sensitive_marks("linux") == {KDE_HINT: b"secret"}

    def test_windows(self) -> None:
        marks = sensitive_marks("win32")
        assert marks['application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"'] == b"\0\0\0\0"
        assert marks['application/x-qt-windows-mime;value="CanUploadToCloudClipboard"'] == b"\0\0\0\0"
        assert 'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"' in marks
        assert marks["ExcludeClipboardContentFromMonitorProcessing"] == b"1"

    def test_the_mime_holds_text_marks_and_token(self) -> None:
        mime = sensitive_mime("text", b"token", "linux")
        assert set(mime.formats()) == {"text/plain", KDE_HINT, TOKEN_FORMAT}
        assert mime.text() == "text" and bytes(mime.data(TOKEN_FORMAT).data()) == b"token"
