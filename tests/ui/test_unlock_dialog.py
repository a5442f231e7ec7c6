"""The unlock dialog: the right passphrase opens the journal, a wrong one is said inline, a damaged one gets
its own dialog, and a forgotten one leads to the recovery code."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from boundary_journal.services import entries
from boundary_journal.store import keys
from boundary_journal.store.journal import Journal
from boundary_journal.store.paths import journal_path
from ui.unlock_dialog import WRONG_PASSPHRASE, UnlockDialog

from_conftest_passphrase = "correct horse battery"  # tests/conftest.py PASSPHRASE


def dialog_for(qtbot: QtBot, path: Path) -> tuple[UnlockDialog, list[str]]:
    dialog = UnlockDialog(path)
    boxes: list[str] = []
    dialog.show_error = lambda error: boxes.append(str(error))  # type: ignore[method-assign]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, boxes


class TestUnlock:
    """Typing the passphrase and pressing Unlock opens the journal."""

    def test_right_passphrase_opens(self, qtbot: QtBot, journal: Journal, data_dir: Path) -> None:
        journal.close()
        dialog, boxes = dialog_for(qtbot, journal_path(data_dir))
        qtbot.keyClicks(dialog.passphrase_edit, from_conftest_passphrase)
        qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)

        assert dialog.result() == QDialog.DialogCode.Accepted
        assert dialog.journal is not None and boxes == []
        assert entries.count_entries(dialog.journal) == 0
        assert dialog.passphrase_edit.text() == ""  # not kept in the widget
        dialog.journal.close()


class TestWrongPassphrase:
    """A wrong passphrase keeps the dialog open with an inline message and no message box."""

    def test_says_so_inline_and_stays(self, qtbot: QtBot, journal: Journal, data_dir: Path) -> None:
        journal.close()
        dialog, boxes = dialog_for(qtbot, journal_path(data_dir))
        qtbot.keyClicks(dialog.passphrase_edit, "not the passphrase")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

        assert dialog.isVisible() and dialog.journal is None
        assert dialog.error_label.isVisible()
        assert dialog.error_label.text() == WRONG_PASSPHRASE
        assert boxes == []
        assert dialog.focusWidget() is dialog.passphrase_edit
        assert dialog.passphrase_edit.selectedText() == "not the passphrase"  # retyping replaces it

        qtbot.keyClicks(dialog.passphrase_edit, from_conftest_passphrase)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.result() == QDialog.DialogCode.Accepted
        dialog.journal.close()

    def test_empty_passphrase_is_hinted(self, qtbot: QtBot, journal: Journal, data_dir: Path) -> None:
        journal.close()
        dialog, boxes = dialog_for(qtbot, journal_path(data_dir))
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and dialog.error_label.isVisible() and boxes == []


class TestOtherProblems:
    """A file that is not a journal is reported in a message box, and the file is left alone."""

    def test_foreign_file_gets_a_message_box(self, qtbot: QtBot, data_dir: Path) -> None:
        path = journal_path(data_dir)
        with contextlib.closing(sqlite3.connect(path)) as plain:
            plain.execute("CREATE TABLE notes (text)")
            plain.commit()
        before = path.read_bytes()
        dialog, boxes = dialog_for(qtbot, path)
        qtbot.keyClicks(dialog.passphrase_edit, "whatever passphrase")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

        assert len(boxes) == 1 and "not a Boundary Journal" in boxes[0]
        assert dialog.isVisible() and dialog.journal is None
        assert not dialog.error_label.isVisible()
        assert path.read_bytes() == before


class TestDamaged:
    """A damaged journal is not blamed on the passphrase: a dialog says so and offers a backup."""

    def test_flipped_byte_gets_the_damage_dialog(self, qtbot: QtBot, journal: Journal, data_dir: Path) -> None:
        journal.close()
        path = journal_path(data_dir)
        raw = bytearray(path.read_bytes())
        raw[2000] ^= 0x01  # in the first page, which unlocking reads (the window's check finds the rest)
        path.write_bytes(bytes(raw))
        dialog, boxes = dialog_for(qtbot, path)
        qtbot.keyClicks(dialog.passphrase_edit, from_conftest_passphrase)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

        assert dialog.damaged_dialog is not None and dialog.damaged_dialog.isVisible()
        assert not dialog.error_label.isVisible() and boxes == []
        assert path.read_bytes() == bytes(raw)
        qtbot.mouseClick(dialog.damaged_dialog.close_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and dialog.journal is None


class TestForgotten:
    """'Forgot your passphrase?' opens the recovery-code dialog over the unlock dialog; Cancel comes back."""

    def test_opens_and_cancels(self, qtbot: QtBot, journal: Journal, data_dir: Path) -> None:
        journal.close()
        dialog, _boxes = dialog_for(qtbot, journal_path(data_dir))
        assert dialog.forgot_button.accessibleName()
        qtbot.mouseClick(dialog.forgot_button, Qt.MouseButton.LeftButton)
        recovery = dialog.recovery_dialog
        assert recovery is not None and recovery.isVisible()
        qtbot.keyClick(recovery, Qt.Key.Key_Escape)
        assert dialog.recovery_dialog is None
        assert dialog.isVisible() and dialog.journal is None

    def test_missing_key_file_is_named(self, qtbot: QtBot, journal: Journal, data_dir: Path) -> None:
        journal.close()
        keys.key_path_for(journal_path(data_dir)).unlink()
        dialog, boxes = dialog_for(qtbot, journal_path(data_dir))
        qtbot.keyClicks(dialog.passphrase_edit, from_conftest_passphrase)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert "journal.key" in dialog.error_label.text() and boxes == []
