"""Security, from the set-up and unlock dialogs and the window's Security menu: the recovery code, changing the
passphrase, backing up and restoring, a damaged journal, and deleting everything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from boundary_journal.errors import WrongPassphrase, WrongRecoveryCode
from boundary_journal.services import access, entries
from boundary_journal.services.entries import EntryView
from boundary_journal.store import backups, keys
from boundary_journal.store.journal import Journal
from boundary_journal.store.paths import journal_path
from boundary_journal.store.storage import create_journal, open_journal
from tests.conftest import PASSPHRASE
from ui.changes import Change
from ui.clipboard import sensitive_marks
from ui.main_window import MainWindow
from ui.security_dialogs import (
    CONFIRM_WORD,
    NO_RECOVERY_CODE,
    NOT_THE_CURRENT_PASSPHRASE,
    NOT_TODAYS_PASSPHRASE,
    ChangePassphraseDialog,
    DeleteEverythingDialog,
    NewRecoveryCodeDialog,
    RecoveryUnlockDialog,
    RestoreDialog,
)
from ui.setup_dialog import SetupDialog
from ui.unlock_dialog import WRONG_PASSPHRASE, UnlockDialog

NEW_PASSPHRASE = "a lighthouse in fog"


def click(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.accessibleName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def shown(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def unlock_dialog(qtbot: QtBot, path: Path) -> tuple[UnlockDialog, list[str]]:
    dialog = UnlockDialog(path)
    boxes: list[str] = []
    dialog.show_error = lambda error: boxes.append(str(error))  # type: ignore[method-assign]
    shown(qtbot, dialog)
    return dialog, boxes


def create_with_code(qtbot: QtBot, data_dir: Path) -> tuple[SetupDialog, str]:
    dialog = shown(qtbot, SetupDialog(journal_path(data_dir)))
    assert dialog.recovery_check.isChecked()  # on by default
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
    qtbot.keyClicks(dialog.repeat_edit, PASSPHRASE)
    click(qtbot, dialog.ok_button)
    assert dialog.showing_code() and dialog.isVisible()
    assert dialog.recovery_code is not None and dialog.code_panel is not None
    return dialog, dialog.recovery_code


def visible_texts(widget: QWidget) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


class TestSetUpWithRecoveryCode:
    """Set-up shows the new code once, and will not close until the clinician ticks that it is kept."""

    def test_code_is_shown_large_and_must_be_kept(self, qtbot: QtBot, data_dir: Path) -> None:
        dialog, code = create_with_code(qtbot, data_dir)
        panel = dialog.code_panel
        assert panel.code_label.text() == code
        assert panel.code_label.font().pointSizeF() > dialog.font().pointSizeF() * 1.5
        assert panel.code_label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
        assert "shown only now" in visible_texts(dialog)
        assert not dialog.continue_button.isEnabled()

        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # no way back: the code would be lost unseen
        assert dialog.isVisible() and dialog.journal is not None and dialog.journal.is_open

        click(qtbot, panel.written_check)
        click(qtbot, dialog.continue_button)
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert access.has_recovery_code(dialog.journal)
        dialog.journal.close()

    def test_without_a_code_it_opens_at_once(self, qtbot: QtBot, data_dir: Path) -> None:
        dialog = shown(qtbot, SetupDialog(journal_path(data_dir)))
        click(qtbot, dialog.recovery_check)
        qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
        qtbot.keyClicks(dialog.repeat_edit, PASSPHRASE)
        click(qtbot, dialog.ok_button)
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert not access.has_recovery_code(dialog.journal)
        dialog.journal.close()

    def test_print_puts_the_code_on_paper(self, qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
        dialog, code = create_with_code(qtbot, data_dir)
        out = tmp_path / "printed.pdf"

        def pdf_printer() -> QPrinter:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(out))
            return printer

        dialog.code_panel.choose_printer = pdf_printer  # type: ignore[method-assign]
        click(qtbot, dialog.code_panel.print_button)
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
        assert code in text and "recovery code" in text
        assert str(data_dir) not in text and PASSPHRASE not in text
        dialog.code_panel.written_check.setChecked(True)
        dialog.accept()
        dialog.journal.close()

    def test_copy_marks_the_code_as_secret(self, qtbot: QtBot, data_dir: Path) -> None:
        dialog, code = create_with_code(qtbot, data_dir)
        click(qtbot, dialog.code_panel.copy_button)
        mime = QApplication.clipboard().mimeData()
        assert mime.text() == code
        assert any(bytes(mime.data(name).data()) for name in sensitive_marks())
        assert "cleared" in dialog.code_panel.status_label.text()
        QApplication.clipboard().clear()
        dialog.code_panel.written_check.setChecked(True)
        dialog.accept()
        dialog.journal.close()

    def test_forgotten_passphrase_then_the_code_opens_it(self, qtbot: QtBot, data_dir: Path) -> None:
        setup, code = create_with_code(qtbot, data_dir)
        setup.code_panel.written_check.setChecked(True)
        click(qtbot, setup.continue_button)
        setup.journal.close()

        unlock, boxes = unlock_dialog(qtbot, journal_path(data_dir))
        qtbot.keyClicks(unlock.passphrase_edit, "what was it again")
        click(qtbot, unlock.ok_button)
        assert unlock.error_label.text() == WRONG_PASSPHRASE
        click(qtbot, unlock.forgot_button)
        recovery = unlock.recovery_dialog
        assert isinstance(recovery, RecoveryUnlockDialog) and recovery.isVisible()

        qtbot.keyClicks(recovery.code_edit, code.lower().replace("-", " "))  # as read off paper
        qtbot.keyClicks(recovery.fields.passphrase_edit, NEW_PASSPHRASE)
        qtbot.keyClicks(recovery.fields.repeat_edit, NEW_PASSPHRASE)
        click(qtbot, recovery.ok_button)

        assert unlock.result() == QDialog.DialogCode.Accepted and boxes == []
        assert entries.count_entries(unlock.journal) == 0
        unlock.journal.close()
        open_journal(journal_path(data_dir), NEW_PASSPHRASE).close()
        with pytest.raises(WrongPassphrase):
            open_journal(journal_path(data_dir), PASSPHRASE)


class TestRecoveryCodeUnlock:
    """A wrong or missing recovery code is said in the dialog, and nothing changes."""

    def test_wrong_code_is_said_inline(self, qtbot: QtBot, data_dir: Path) -> None:
        create_journal(journal_path(data_dir), PASSPHRASE, keys.make_recovery_code()).close()
        key_before = keys.key_path_for(journal_path(data_dir)).read_bytes()
        dialog = shown(qtbot, RecoveryUnlockDialog(journal_path(data_dir)))
        qtbot.keyClicks(dialog.code_edit, keys.make_recovery_code())
        qtbot.keyClicks(dialog.fields.passphrase_edit, NEW_PASSPHRASE)
        qtbot.keyClicks(dialog.fields.repeat_edit, NEW_PASSPHRASE)
        click(qtbot, dialog.ok_button)
        assert dialog.isVisible() and dialog.journal is None
        assert "does not open this journal" in dialog.error_label.text()
        assert dialog.focusWidget() is dialog.code_edit
        assert keys.key_path_for(journal_path(data_dir)).read_bytes() == key_before

    def test_journal_without_a_code_says_so(self, qtbot: QtBot, journal: Journal, data_dir: Path) -> None:
        journal.close()
        dialog = shown(qtbot, RecoveryUnlockDialog(journal_path(data_dir)))
        assert dialog.error_label.isVisible() and dialog.error_label.text() == NO_RECOVERY_CODE
        assert not dialog.ok_button.isEnabled()


@pytest.fixture
def security(window: MainWindow) -> MainWindow:
    """The window with its Security prompts answered by the test: info boxes are recorded."""
    window.security.infos = []  # type: ignore[attr-defined]
    window.security.show_info = lambda title, text: window.security.infos.append(text)  # type: ignore
    return window


class TestChangePassphrase:
    """Security ▸ Change Passphrase checks the current one; afterwards only the new one unlocks."""

    def test_new_one_unlocks_and_old_one_does_not(self, qtbot: QtBot, security: MainWindow, data_dir: Path) -> None:
        security.security.passphrase_action.trigger()
        dialog = security.security.dialog
        assert isinstance(dialog, ChangePassphraseDialog) and dialog.isVisible()

        qtbot.keyClicks(dialog.current_edit, "not my passphrase")
        qtbot.keyClicks(dialog.fields.passphrase_edit, NEW_PASSPHRASE)
        qtbot.keyClicks(dialog.fields.repeat_edit, NEW_PASSPHRASE)
        click(qtbot, dialog.ok_button)
        assert dialog.isVisible() and dialog.error_label.text() == NOT_THE_CURRENT_PASSPHRASE

        qtbot.keyClicks(dialog.current_edit, PASSPHRASE)  # the wrong one is selected: typing replaces it
        click(qtbot, dialog.ok_button)
        assert not dialog.isVisible() and security.security.dialog is None
        assert "Passphrase changed" in security.statusBar().currentMessage()
        assert entries.count_entries(security.journal) == 0  # the open journal is untouched

        security.journal.close()
        unlock, _boxes = unlock_dialog(qtbot, journal_path(data_dir))
        qtbot.keyClicks(unlock.passphrase_edit, PASSPHRASE)
        click(qtbot, unlock.ok_button)
        assert unlock.error_label.text() == WRONG_PASSPHRASE
        qtbot.keyClicks(unlock.passphrase_edit, NEW_PASSPHRASE)
        click(qtbot, unlock.ok_button)
        assert unlock.result() == QDialog.DialogCode.Accepted
        unlock.journal.close()

    def test_mismatch_is_hinted(self, qtbot: QtBot, security: MainWindow) -> None:
        dialog = security.security.change_passphrase()
        qtbot.keyClicks(dialog.current_edit, PASSPHRASE)
        qtbot.keyClicks(dialog.fields.passphrase_edit, NEW_PASSPHRASE)
        qtbot.keyClicks(dialog.fields.repeat_edit, NEW_PASSPHRASE + "!")
        click(qtbot, dialog.ok_button)
        assert dialog.isVisible() and "different" in dialog.fields.hint_label.text()
        keys.unlock(keys.read_key_file(security.journal.key_path), PASSPHRASE)  # still the old one


class TestBackupsAfterAChange:
    """The change dialogs say what a new key means for the backups, and re-encrypt, keep or remove them."""

    def change(self, qtbot: QtBot, security: MainWindow) -> ChangePassphraseDialog:
        dialog = security.security.change_passphrase()
        assert dialog is not None
        qtbot.keyClicks(dialog.current_edit, PASSPHRASE)
        qtbot.keyClicks(dialog.fields.passphrase_edit, NEW_PASSPHRASE)
        qtbot.keyClicks(dialog.fields.repeat_edit, NEW_PASSPHRASE)
        return dialog

    def test_backups_are_reencrypted_by_default(self, qtbot: QtBot, security: MainWindow) -> None:
        made = backups.make_backup(security.journal, reason=backups.Reason.AUTOMATIC)
        dialog = self.change(qtbot, security)
        assert dialog.backups_choice.isVisible() and dialog.backups_choice.reencrypt_radio.isChecked()
        assert "open with the passphrase of their day" in visible_texts(dialog)
        click(qtbot, dialog.ok_button)
        assert not dialog.isVisible()
        # Re-encrypting runs off the UI thread, behind a progress dialog; the journal stays usable meanwhile.
        qtbot.waitUntil(lambda: not security.security.busy(), timeout=20_000)
        assert "1 backup re-encrypted" in security.statusBar().currentMessage()
        assert backups.read_info(made.path).opens_with(security.journal.key)
        assert access.backups_of_older_keys(security.journal) == []

    def test_removing_them_needs_the_word_typed(self, qtbot: QtBot, security: MainWindow) -> None:
        made = backups.make_backup(security.journal, reason=backups.Reason.AUTOMATIC)
        dialog = self.change(qtbot, security)
        click(qtbot, dialog.backups_choice.remove_radio)
        click(qtbot, dialog.ok_button)
        assert dialog.isVisible() and CONFIRM_WORD in dialog.error_label.text()
        keys.unlock(keys.read_key_file(security.journal.key_path), PASSPHRASE)  # nothing was changed yet
        qtbot.keyClicks(dialog.backups_choice.confirm_edit, CONFIRM_WORD)
        click(qtbot, dialog.ok_button)
        assert not dialog.isVisible() and not made.path.exists()

    def test_without_backups_there_is_nothing_to_choose(self, qtbot: QtBot, security: MainWindow) -> None:
        dialog = self.change(qtbot, security)
        assert not dialog.backups_choice.isVisible()


class TestNewRecoveryCode:
    """A new code needs the passphrase, is shown once, and the old code stops working."""

    def test_old_code_stops_working(self, qtbot: QtBot, security: MainWindow, data_dir: Path) -> None:
        old = access.new_recovery_code(security.journal, passphrase=PASSPHRASE).recovery_code
        assert old is not None
        security.security.recovery_action.trigger()
        dialog = security.security.dialog
        assert isinstance(dialog, NewRecoveryCodeDialog)
        assert "old code stops working" in visible_texts(dialog)
        qtbot.keyClicks(dialog.passphrase_edit, "wrong passphrase")
        click(qtbot, dialog.ok_button)
        assert dialog.error_label.text() == NOT_THE_CURRENT_PASSPHRASE and dialog.code is None

        qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
        click(qtbot, dialog.ok_button)
        assert dialog.showing_code() and dialog.code_panel.code_label.text() == dialog.code
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible()
        click(qtbot, dialog.code_panel.written_check)
        click(qtbot, dialog.done_button)
        assert not dialog.isVisible()

        keyfile = keys.read_key_file(security.journal.key_path)
        assert keys.unlock_with_recovery_code(keyfile, dialog.code) == security.journal.key
        with pytest.raises(WrongRecoveryCode):
            keys.unlock_with_recovery_code(keyfile, old)


def select_first_entry(qtbot: QtBot, window: MainWindow) -> None:
    window.left_tabs.setCurrentWidget(window.entry_list.pane)
    window.entry_list.table.setFocus()
    window.entry_list.table.selectRow(0)
    qtbot.waitUntil(lambda: window.editor.entry_id() is not None)


class TestBackUpAndRestore:
    """Back up now writes a checked file off the UI thread; restoring it brings a deleted entry back."""

    def test_restore_brings_the_entry_back(
        self, qtbot: QtBot, security: MainWindow, stored: Callable[..., EntryView], data_dir: Path, tmp_path: Path,
        prompts,
    ) -> None:
        entry = stored()
        security.changes.did_change(Change.ENTRIES | Change.RELATIONSHIPS)
        out = tmp_path / "saved"
        security.security.choose_backup_path = lambda suggested: (  # type: ignore[method-assign]
            suggested.endswith(f"journal-{security.clock.today():%Y-%m-%d}.bjbackup") and str(out)
        )
        security.security.backup_action.trigger()
        qtbot.waitUntil(lambda: not security.security.busy(), timeout=20_000)
        written = out.with_name("saved.bjbackup")
        assert written.exists() and prompts.errors == []
        assert str(written) in security.security.infos[0]

        select_first_entry(qtbot, security)
        security.menus.delete_action.trigger()
        assert entries.count_entries(security.journal) == 0
        before_restore = security.journal

        security.security.restore_action.trigger()
        dialog = security.security.dialog
        assert isinstance(dialog, RestoreDialog)
        dialog.choose_file = lambda: str(written)  # type: ignore[method-assign]
        click(qtbot, dialog.choose_button)
        assert dialog.chosen_backup() == written
        assert "made with Back up now" in dialog.list.currentItem().text()
        assert "backed up first" in visible_texts(dialog)
        qtbot.keyClicks(dialog.passphrase_edit, "not the passphrase")
        click(qtbot, dialog.ok_button)
        assert dialog.isVisible() and dialog.error_label.text() == NOT_TODAYS_PASSPHRASE
        assert entries.count_entries(security.journal) == 0  # reopened as it was

        qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
        click(qtbot, dialog.ok_button)

        assert not dialog.isVisible() and prompts.errors == []
        assert security.journal is not before_restore and not before_restore.is_open
        assert [e.id for e in entries.list_entries(security.journal)] == [entry.id]
        assert security.entry_list.model.rowCount() == 1
        assert "Restored the backup" in security.statusBar().currentMessage()
        kept = backups.list_backups(backups.backup_folder(data_dir))
        assert [b.reason for b in kept] == [backups.Reason.BEFORE_RESTORE]
        assert "made before a restore" in security.security.restore_from_backup().list.item(0).text()

    def test_a_failed_backup_says_why_and_leaves_nothing(
        self, qtbot: QtBot, security: MainWindow, tmp_path: Path, prompts
    ) -> None:
        security.security.choose_backup_path = lambda _s: str(tmp_path / "missing" / "x.bjbackup")  # type: ignore
        security.security.backup_action.trigger()
        qtbot.waitUntil(lambda: not security.security.busy(), timeout=20_000)
        assert len(prompts.errors) == 1 and "does not exist" in prompts.errors[0]
        assert security.security.infos == []
        assert entries.count_entries(security.journal) == 0


class TestRestoreOfAnEarlierKey:
    """A backup from before a change of passphrase needs today's passphrase and the one of its day."""

    def test_the_second_passphrase_is_asked_for(self, qtbot: QtBot, security: MainWindow, tmp_path: Path,
                                                 stored: Callable[..., EntryView]) -> None:
        stored()
        saved = backups.make_backup(security.journal, out=tmp_path / "before.bjbackup").path
        access.change_passphrase(security.journal, NEW_PASSPHRASE)
        dialog = security.security.restore_from_backup()
        assert isinstance(dialog, RestoreDialog)
        dialog.choose_file = lambda: str(saved)  # type: ignore[method-assign]
        click(qtbot, dialog.choose_button)
        assert not dialog.backup_secret_edit.isVisible()
        qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)  # the old one: not enough to replace the journal
        click(qtbot, dialog.ok_button)
        assert dialog.error_label.text() == NOT_TODAYS_PASSPHRASE and not dialog.backup_secret_edit.isVisible()
        dialog.passphrase_edit.clear()
        qtbot.keyClicks(dialog.passphrase_edit, NEW_PASSPHRASE)
        click(qtbot, dialog.ok_button)
        assert dialog.isVisible() and dialog.backup_secret_edit.isVisible()
        assert "earlier passphrase" in dialog.error_label.text()
        qtbot.keyClicks(dialog.backup_secret_edit, PASSPHRASE)
        click(qtbot, dialog.ok_button)
        assert not dialog.isVisible()
        assert entries.count_entries(security.journal) == 1
        with pytest.raises(WrongPassphrase):
            keys.unlock(keys.read_key_file(security.journal.key_path), PASSPHRASE)


def flip_first_page_byte(path: Path) -> None:
    """Damage that unlocking finds (the first page is read then; later pages by the window's check)."""
    raw = bytearray(path.read_bytes())
    raw[2000] ^= 0xFF
    path.write_bytes(bytes(raw))


class TestDamagedJournal:
    """A flipped byte is reported as damage, never as a wrong passphrase, and the newest backup is offered."""

    def test_offers_the_newest_backup_and_restores_it(
        self, qtbot: QtBot, journal: Journal, data_dir: Path, stored: Callable[..., EntryView]
    ) -> None:
        entry = stored()
        backups.make_backup(journal, reason=backups.Reason.AUTOMATIC)
        journal.close()
        path = journal_path(data_dir)
        flip_first_page_byte(path)
        damaged = path.read_bytes()

        unlock, boxes = unlock_dialog(qtbot, path)
        qtbot.keyClicks(unlock.passphrase_edit, PASSPHRASE)
        click(qtbot, unlock.ok_button)

        offer = unlock.damaged_dialog
        assert offer is not None and offer.isVisible() and boxes == []
        assert not unlock.error_label.isVisible()  # not blamed on the passphrase
        text = visible_texts(offer)
        assert "damaged" in text and "was not changed" in text and "made automatically" in text
        assert path.read_bytes() == damaged  # nothing written before the user chooses

        click(qtbot, offer.restore_button)

        assert unlock.result() == QDialog.DialogCode.Accepted
        assert [e.id for e in entries.list_entries(unlock.journal)] == [entry.id]
        unlock.journal.close()
        kept = [p for p in backups.backup_folder(data_dir).rglob("journal.db") if p.read_bytes() == damaged]
        assert kept, "the damaged file is kept, unchanged, beside the backups"

    def test_a_backup_of_the_passphrase_before_asks_for_that_one(
        self, qtbot: QtBot, journal: Journal, data_dir: Path, stored: Callable[..., EntryView]
    ) -> None:
        """The newest backup was made before a change of passphrase (and kept): the offer asks for the
        passphrase of its day beside the one just typed, and restores with both."""
        entry = stored()
        backups.make_backup(journal, reason=backups.Reason.AUTOMATIC)
        access.change_passphrase(journal, NEW_PASSPHRASE)  # the backup is not re-encrypted
        journal.close()
        path = journal_path(data_dir)
        flip_first_page_byte(path)

        unlock, boxes = unlock_dialog(qtbot, path)
        qtbot.keyClicks(unlock.passphrase_edit, NEW_PASSPHRASE)
        click(qtbot, unlock.ok_button)
        offer = unlock.damaged_dialog
        assert offer is not None and not offer.backup_secret_edit.isVisible()
        click(qtbot, offer.restore_button)
        assert offer.isVisible() and offer.backup_secret_edit.isVisible() and offer.retry_button.isVisible()
        assert "earlier passphrase" in offer.error_label.text()
        qtbot.keyClicks(offer.backup_secret_edit, PASSPHRASE)
        click(qtbot, offer.retry_button)

        assert unlock.result() == QDialog.DialogCode.Accepted and boxes == []
        assert [e.id for e in entries.list_entries(unlock.journal)] == [entry.id]
        unlock.journal.close()
        with pytest.raises(WrongPassphrase):  # the restored journal opens with today's passphrase only
            open_journal(path, PASSPHRASE)

    def test_closing_the_offer_changes_nothing(self, qtbot: QtBot, journal: Journal, data_dir: Path) -> None:
        journal.close()
        path = journal_path(data_dir)
        flip_first_page_byte(path)
        before = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()}

        unlock, _boxes = unlock_dialog(qtbot, path)
        qtbot.keyClicks(unlock.passphrase_edit, PASSPHRASE)
        click(qtbot, unlock.ok_button)
        offer = unlock.damaged_dialog
        assert "There is no backup" in offer.offer_label.text()
        assert not offer.restore_button.isVisible() and offer.choose_button.isVisible()
        click(qtbot, offer.close_button)

        assert unlock.isVisible() and unlock.journal is None and unlock.damaged_dialog is None
        assert {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()} == before


class TestDeleteEverything:
    """Delete everything lists what goes, needs DELETE typed, then removes it all and closes the window."""

    def test_needs_the_typed_word(self, qtbot: QtBot, security: MainWindow, data_dir: Path) -> None:
        backups.make_backup(security.journal)
        security.security.delete_action.trigger()
        dialog = security.security.dialog
        assert isinstance(dialog, DeleteEverythingDialog)
        listed = dialog.targets_label.text()
        assert str(journal_path(data_dir)) in listed and str(backups.backup_folder(data_dir)) in listed
        assert not dialog.delete_button.isEnabled()
        qtbot.keyClicks(dialog.confirm_edit, CONFIRM_WORD.lower())
        assert not dialog.delete_button.isEnabled()
        qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)
        assert dialog.isVisible() and journal_path(data_dir).exists()

        dialog.confirm_edit.clear()
        qtbot.keyClicks(dialog.confirm_edit, CONFIRM_WORD)
        assert dialog.delete_button.isEnabled()
        click(qtbot, dialog.delete_button)

        assert not journal_path(data_dir).exists()
        assert not keys.key_path_for(journal_path(data_dir)).exists()
        assert not backups.backup_folder(data_dir).exists()
        assert "were deleted" in security.security.infos[0]
        assert not security.isVisible()

    def test_cancel_keeps_everything(self, qtbot: QtBot, security: MainWindow, data_dir: Path) -> None:
        dialog = security.security.delete_everything()
        qtbot.keyClicks(dialog.confirm_edit, CONFIRM_WORD)
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Cancel))
        assert journal_path(data_dir).exists() and security.isVisible()
        assert entries.count_entries(security.journal) == 0


def test_every_reason_a_backup_can_give_has_words() -> None:
    from boundary_journal.store.backups import Reason
    from ui.security_dialogs import REASONS

    assert set(REASONS) == {reason.value for reason in Reason}
