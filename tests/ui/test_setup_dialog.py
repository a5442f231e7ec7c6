"""The first-start dialog: what it explains, its passphrase hints, and the journal it creates."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from boundary_journal.services import entries
from boundary_journal.store.paths import journal_path
from boundary_journal.store.storage import MIN_PASSPHRASE_LENGTH, open_journal
from ui.setup_dialog import SetupDialog

PASSPHRASE = "blue kettle on the ward"


def dialog_for(qtbot: QtBot, data_dir: Path) -> SetupDialog:
    dialog = SetupDialog(journal_path(data_dir))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def visible_text(dialog: SetupDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel) if label.isVisible())


class TestExplains:
    """Before anything is created, the dialog says what is stored where and what a lost passphrase means."""

    def test_names_the_file_and_the_promises(self, qtbot: QtBot, data_dir: Path) -> None:
        text = visible_text(dialog_for(qtbot, data_dir))
        assert str(journal_path(data_dir)) in text
        assert "one encrypted file" in text
        assert "Nothing leaves this computer" in text
        assert "nobody" in text and "recover" in text
        assert "not us" in text and "recovery code" in text

    def test_passphrase_fields_hide_what_is_typed(self, qtbot: QtBot, data_dir: Path) -> None:
        dialog = dialog_for(qtbot, data_dir)
        assert dialog.passphrase_edit.echoMode() == QLineEdit.EchoMode.Password
        assert dialog.repeat_edit.echoMode() == QLineEdit.EchoMode.Password
        for edit in (dialog.passphrase_edit, dialog.repeat_edit, dialog.ok_button):
            assert edit.accessibleName()


class TestCreates:
    """Typing the passphrase twice and pressing OK creates an encrypted journal that opens with it; with a
    recovery code (the default) the dialog then shows the code until it is ticked as kept."""

    def test_creates_a_journal_that_opens(self, qtbot: QtBot, data_dir: Path) -> None:
        dialog = dialog_for(qtbot, data_dir)
        qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
        qtbot.keyClicks(dialog.repeat_edit, PASSPHRASE)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

        assert dialog.showing_code() and dialog.isVisible()
        assert dialog.journal is not None
        assert journal_path(data_dir).exists()
        assert dialog.passphrase_edit.text() == "" and dialog.repeat_edit.text() == ""  # not kept in the widget
        qtbot.mouseClick(dialog.code_panel.written_check, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)

        assert dialog.result() == QDialog.DialogCode.Accepted
        assert entries.count_entries(dialog.journal) == 0
        dialog.journal.close()
        reopened = open_journal(journal_path(data_dir), PASSPHRASE)
        reopened.close()

    def test_enter_in_the_second_field_creates_it(self, qtbot: QtBot, data_dir: Path) -> None:
        dialog = dialog_for(qtbot, data_dir)
        dialog.recovery_check.setChecked(False)
        qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
        qtbot.keyClicks(dialog.repeat_edit, PASSPHRASE)
        qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)
        assert dialog.result() == QDialog.DialogCode.Accepted
        dialog.journal.close()

    def test_enter_on_the_code_page_waits_for_the_tick(self, qtbot: QtBot, data_dir: Path) -> None:
        dialog = dialog_for(qtbot, data_dir)
        qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
        qtbot.keyClicks(dialog.repeat_edit, PASSPHRASE)
        qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)
        qtbot.keyClick(dialog.code_panel.code_label, Qt.Key.Key_Return)
        assert dialog.isVisible() and dialog.showing_code()
        dialog.code_panel.written_check.setChecked(True)
        qtbot.keyClick(dialog.code_panel.written_check, Qt.Key.Key_Return)
        assert dialog.result() == QDialog.DialogCode.Accepted
        dialog.journal.close()


class TestHints:
    """Too short or different passphrases get a hint in the dialog, and nothing is created."""

    def test_too_short_is_hinted_while_typing_and_refused(self, qtbot: QtBot, data_dir: Path) -> None:
        dialog = dialog_for(qtbot, data_dir)
        short = "x" * (MIN_PASSPHRASE_LENGTH - 1)
        qtbot.keyClicks(dialog.passphrase_edit, short)
        assert f"at least {MIN_PASSPHRASE_LENGTH} characters" in dialog.hint_label.text()
        qtbot.keyClicks(dialog.repeat_edit, short)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

        assert dialog.isVisible() and dialog.journal is None
        assert f"at least {MIN_PASSPHRASE_LENGTH} characters" in dialog.hint_label.text()
        assert not journal_path(data_dir).exists()

    def test_different_passphrases_are_refused(self, qtbot: QtBot, data_dir: Path) -> None:
        dialog = dialog_for(qtbot, data_dir)
        qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
        qtbot.keyClicks(dialog.repeat_edit, PASSPHRASE[:5])
        assert "different" not in dialog.hint_label.text()  # still typing: no alarm yet
        qtbot.keyClicks(dialog.repeat_edit, "X")
        assert "different" in dialog.hint_label.text()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

        assert dialog.isVisible() and dialog.journal is None
        assert dialog.focusWidget() is dialog.repeat_edit
        assert not journal_path(data_dir).exists()

    def test_half_typed_repeat_is_refused_on_ok(self, qtbot: QtBot, data_dir: Path) -> None:
        dialog = dialog_for(qtbot, data_dir)
        qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
        qtbot.keyClicks(dialog.repeat_edit, PASSPHRASE[:5])
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert "different" in dialog.hint_label.text()
        assert not journal_path(data_dir).exists()
