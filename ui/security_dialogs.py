"""Dialogs about who can open the journal and what happens to it as a whole.

Opening with the recovery code and offering a backup for a damaged journal (from the unlock dialog);
changing the passphrase, making a new recovery code, choosing a backup to restore and deleting
everything (from Security in the window, see security_menu.py). Each dialog calls one service; the
ones that must close the window's journal first take a callback from the window's side instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from boundary_journal.errors import (
    BackupSecretNeeded,
    InvalidInput,
    UserError,
    WrongBackupSecret,
    WrongPassphrase,
    WrongRecoveryCode,
)
from boundary_journal.services import access, journal_access
from boundary_journal.store.journal import Journal
from ui import messages
from ui.notices import NoticeLabel
from ui.passphrase_fields import NewPassphraseFields, buddy_label, password_edit
from ui.recovery_code import RecoveryCodeStep
from ui.sizing import WaitCursor, dialog_buttons, inline_error_label, plain_label, show_inline_problem

if TYPE_CHECKING:
    from boundary_journal.store.backups import BackupInfo

CONFIRM_WORD = "DELETE"
BACKUP_FILTER = f"Boundary Journal backups (*{journal_access.BACKUP_SUFFIX})"
REASONS: dict[str, str] = {  # by the reason a backup's manifest names (backups.Reason)
    "automatic": "made automatically",
    "manual": "made with Back up now",
    "before-upgrade": "made before an app update",
    "before-restore": "made before a restore",
}
NO_RECOVERY_CODE = "This journal has no recovery code; only its passphrase opens it."
NOT_THE_CURRENT_PASSPHRASE = "That is not the current passphrase. Check Caps Lock and the keyboard layout."
BACKUP_PASSPHRASE = "That passphrase does not open this backup."
NOT_TODAYS_PASSPHRASE = "That is not the journal's passphrase of today; a restore needs the passphrase in use now."
RECOVERY_DROPPED = (
    "Your recovery code was made by an earlier version of the app and cannot open the journal's new key, so it no "
    "longer works. Make a new one now: Security ▸ New Recovery Code."
)
ELSEWHERE = (
    "Backups you saved elsewhere (Back Up Now…) still open with the old secret: if someone else may know it, delete "
    "them."
)


def describe_backup(info: BackupInfo, journal_id: str | None = None, key: bytes | None = None) -> str:
    """One line for a list: when, why, whether it is a backup of another journal, and whether it opens only with
    an earlier passphrase (then the restore asks for that one too)."""
    reason = REASONS.get(info.reason, info.reason) if info.reason else "reason not recorded"
    text = f"{info.created_at:%Y-%m-%d %H:%M} — {reason}"
    if journal_id is not None and info.journal_id != journal_id:
        text += " — of another journal"
    elif key is not None and info.opens_with(key) is False:
        text += " — opens with an earlier passphrase"
    return text


def _choose_backup_file(parent: QWidget, folder: Path) -> str:
    path, _filter = QFileDialog.getOpenFileName(parent, "Choose a backup", str(folder), BACKUP_FILTER)
    return path


class _InlineProblemDialog(QDialog):
    """A dialog with one framed line for problems the user can fix here; the rest go to a message box.

    Its title is also its accessible name, which is what a screen reader announces when it opens.
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)

    def _build_error_label(self, name: str) -> QLabel:
        self.error_label = inline_error_label(name)
        return self.error_label

    def say(self, message: str, focus: QWidget | None = None) -> None:
        show_inline_problem(self, self.error_label, message)
        if isinstance(focus, QLineEdit):
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
            focus.selectAll()

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)


# --- from the unlock dialog -----------------------------------------------------------------------------


class RecoveryUnlockDialog(_InlineProblemDialog):
    """Opens the journal at `path` with its recovery code and sets a new passphrase in the same step;
    after Accepted, `journal` is open."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__("Open with the recovery code", parent)
        self.path = path
        self.journal: Journal | None = None

        intro = plain_label(
            "Type the recovery code you printed or wrote down, and choose a new passphrase. The journal gets a new "
            "key: the forgotten passphrase opens nothing written from now on, and the backups in the app's folder "
            "are re-encrypted under the new key. The recovery code keeps working."
        )
        self.code_edit = QLineEdit()
        self.code_edit.setAccessibleName("Recovery code")
        self.code_edit.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.code_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.fields = NewPassphraseFields("&New passphrase", "&Again")
        self.fields.form.insertRow(0, buddy_label("Recovery &code", self.code_edit), self.code_edit)
        self._build_error_label("Problem with the recovery code")

        self.buttons, self.ok_button = dialog_buttons(self, "&Open journal", "Cancel")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.fields)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)

        if self._has_recovery_code() is False:
            self.say(NO_RECOVERY_CODE)
            for widget in (self.code_edit, self.fields, self.ok_button):
                widget.setEnabled(False)

    def _has_recovery_code(self) -> bool | None:
        """False only when the key file says so for certain; None when it cannot be read (the open says why)."""
        try:
            return journal_access.has_recovery_code(self.path)
        except (FileNotFoundError, UserError):
            return None

    def accept(self) -> None:
        code = self.code_edit.text()
        if not code.strip():
            self.say("Type the recovery code, as printed; spaces, hyphens and lower case are fine.", self.code_edit)
            return
        if self.fields.refused():
            return
        try:
            with WaitCursor():
                self.journal, change = access.open_with_recovery_code(self.path, code, self.fields.text())
        except WrongRecoveryCode as error:
            self.say(str(error), self.code_edit)
            return
        except InvalidInput as error:
            self.fields.refuse(str(error))
            return
        except Exception as error:  # damaged, too new, not a journal — or a bug, said as one
            self.show_error(error)
            return
        self.code_edit.clear()
        self.fields.clear()
        try:
            with WaitCursor():
                access.settle_old_backups(self.journal, change.previous_key, access.OldBackups.REENCRYPT)
        except UserError as error:  # the journal is open with its new key; only the backups are behind
            self.show_error(f"The journal has its new key, but its backups could not all be re-encrypted: {error}")
        super().accept()


class DamagedJournalDialog(_InlineProblemDialog):
    """Says the journal is damaged and unchanged, and offers its newest backup (or one the user picks).

    The damaged file is not touched unless the user chooses Restore; then restore_backup keeps it, as it
    was, in the backups folder. After Accepted, `journal` is the restored journal, open.
    """

    def __init__(self, path: Path, error: UserError, passphrase: str, parent: QWidget | None = None) -> None:
        super().__init__("The journal is damaged", parent)
        self.path = path
        self.journal: Journal | None = None
        self._passphrase = passphrase
        self.folder = journal_access.backup_folder(path.parent)
        found = journal_access.list_backups(path.parent)
        self.newest: BackupInfo | None = found[0] if found else None

        what = NoticeLabel(str(error))
        what.setAccessibleName("What happened")
        if self.newest is not None:
            offer = (
                f"The newest backup is from {describe_backup(self.newest)}. Restoring it replaces the damaged "
                "file with the backup; the damaged file is kept, unchanged, in the backups folder. Anything "
                "written after the backup was made is not in it."
            )
        else:
            offer = (
                f"There is no backup in {self.folder}. If you saved one elsewhere, choose it. Otherwise keep "
                "the damaged file as it is: do not delete or move it."
            )
        self.offer_label = plain_label(offer, selectable=True)
        self.offer_label.setAccessibleName("What you can do")
        self._build_error_label("Problem restoring")

        self.buttons = QDialogButtonBox()
        self.restore_button = self.buttons.addButton(
            "&Restore the newest backup", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setAccessibleName("Restore the newest backup")
        self.restore_button.setVisible(self.newest is not None)
        self.restore_button.clicked.connect(self.restore_newest)
        self.choose_button = self.buttons.addButton("&Choose a backup file…", QDialogButtonBox.ButtonRole.ActionRole)
        self.choose_button.setAccessibleName("Choose a backup file")
        self.choose_button.clicked.connect(self.restore_chosen)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close")
        self.close_button.clicked.connect(self.reject)
        (self.restore_button if self.newest is not None else self.close_button).setDefault(True)

        # A backup made under an earlier passphrase needs that one too: asked for only then.
        self._waiting: Path | None = None
        self.backup_secret_edit = password_edit("Passphrase or recovery code of the backup's day")
        self.backup_secret_label = buddy_label("Passphrase or recovery code of the &backup's day",
                                               self.backup_secret_edit)
        self.retry_button = QPushButton("Restore &with it")
        self.retry_button.setAccessibleName("Restore with the passphrase of the backup's day")
        self.retry_button.clicked.connect(self.restore_waiting)
        secret_form = QFormLayout()
        secret_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        secret_form.addRow(self.backup_secret_label, self.backup_secret_edit)
        secret_form.addRow("", self.retry_button)
        for widget in (self.backup_secret_label, self.backup_secret_edit, self.retry_button):
            widget.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(self.offer_label)
        layout.addLayout(secret_form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)

    def choose_file(self) -> str:
        """Ask for a backup file; replaced in tests. '' when the user cancels."""
        return _choose_backup_file(self, self.folder)

    def restore_newest(self) -> None:
        if self.newest is not None:
            self.restore(self.newest.path)

    def restore_chosen(self) -> None:
        chosen = self.choose_file()
        if chosen:
            self.restore(Path(chosen))

    def restore_waiting(self) -> None:
        if self._waiting is not None:
            self.restore(self._waiting)

    def restore(self, backup: Path) -> None:
        secret = self.backup_secret_edit.text() if backup == self._waiting else ""
        try:
            with WaitCursor():
                restored = journal_access.restore(self.path, backup, self._passphrase, backup_secret=secret or None)
                self.journal = restored.journal
        except (BackupSecretNeeded, WrongBackupSecret) as error:
            # Shown with the button that retries this backup with the secret of its day.
            self._waiting = backup
            self.backup_secret_label.show()
            self.backup_secret_edit.show()
            self.retry_button.show()
            self.say(str(error), self.backup_secret_edit)
            return
        except WrongPassphrase:
            self.say(BACKUP_PASSPHRASE + " Close this and unlock again with the passphrase it was made with.")
            return
        except UserError as error:
            self.say(str(error))
            return
        except Exception as error:
            self.show_error(error)
            return
        self._passphrase = ""
        self.backup_secret_edit.clear()
        super().accept()

    def done(self, result: int) -> None:
        self._passphrase = ""
        self.backup_secret_edit.clear()
        super().done(result)


# --- from the window --------------------------------------------------------------------------------------


class OldBackupsChoice(QGroupBox):
    """What to do with the backups in the app's folder after a change of secret: they keep the key file of their
    day, so they still open with the old secret. Re-encrypt them (the default), keep them, or remove them with
    CONFIRM_WORD typed. Hidden when there are none."""

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__("Backups in the app's folder", parent)
        self.count = len(journal_access.list_backups(journal.folder))
        plural = "s" if self.count != 1 else ""
        explain = plain_label(
            f"There {'are' if self.count != 1 else 'is'} {self.count} backup{plural} in the app's folder. Each keeps "
            "the key file of its day, so until it is re-encrypted it opens with the old secret."
        )
        self.reencrypt_radio = QRadioButton(f"&Re-encrypt {'them' if self.count != 1 else 'it'} under the new key "
                                            "(recommended)")
        self.keep_radio = QRadioButton("&Keep as they are" if self.count != 1 else "&Keep it as it is")
        self.remove_radio = QRadioButton(f"Remo&ve {'them' if self.count != 1 else 'it'}")
        self.reencrypt_radio.setChecked(True)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setAccessibleName(f"Type {CONFIRM_WORD} to remove the backups")
        self.confirm_edit.setPlaceholderText(f"Type {CONFIRM_WORD}")
        self.confirm_edit.setEnabled(False)
        self.remove_radio.toggled.connect(self.confirm_edit.setEnabled)
        remove_row = QHBoxLayout()
        remove_row.addWidget(self.remove_radio)
        remove_row.addWidget(self.confirm_edit, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.reencrypt_radio)
        layout.addWidget(self.keep_radio)
        layout.addLayout(remove_row)
        self.setVisible(self.count > 0)  # after its children exist, so they are shown with it

    def refused(self) -> str | None:
        """Why the choice cannot be carried out as it stands (a removal not confirmed), else None."""
        if self.count and self.remove_radio.isChecked() and self.confirm_edit.text().strip() != CONFIRM_WORD:
            return f"To remove the backups, type {CONFIRM_WORD} beside that choice; or choose to keep them."
        return None

    def reencrypt_from(self, change: access.KeyChange) -> bytes | None:
        """The previous key, when the backups are to be re-encrypted (off the UI thread, by the window)."""
        return change.previous_key if self.count and self.reencrypt_radio.isChecked() else None

    def apply(self, journal: Journal, change: access.KeyChange) -> str:
        """Carry out a removal after the change (re-encrypting is the window's, see `reencrypt_from`); returns
        what to tell the user."""
        if self.reencrypt_from(change):
            return ""
        remove = self.count and self.remove_radio.isChecked()
        result = access.settle_old_backups(journal, change.previous_key,
                                           access.OldBackups.REMOVE if remove else access.OldBackups.KEEP)
        done = f"{len(result.done)} backup{'s' if len(result.done) != 1 else ''} removed. " if result.done else ""
        left = result.left
        if left:
            done += (f"{len(left)} backup{'s' if len(left) != 1 else ''} in the app's folder still open"
                     f"{'s' if len(left) == 1 else ''} only with an earlier secret. ")
        return done


def _after_change(dialog: _InlineProblemDialog, journal: Journal, change: access.KeyChange,
                  choice: OldBackupsChoice) -> str:
    """The backups, and a recovery code that could not be carried over; returns the status line."""
    try:
        with WaitCursor():
            status = choice.apply(journal, change)
    except UserError as error:  # the change itself is done: say what went wrong with the backups
        status = ""
        dialog.show_error(f"The new key is in place, but the backups could not all be handled: {error}")
    if change.recovery_dropped:
        messages.show_info(dialog, "Recovery code stopped working", RECOVERY_DROPPED)
    return status


class ChangePassphraseDialog(_InlineProblemDialog):
    """Current passphrase, new one twice; the journal is re-encrypted with a new key, and the backups in the app's
    folder re-encrypted, kept or removed (`backups_choice`). After Accepted, `status` says what was done."""

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__("Change passphrase", parent)
        self.journal = journal
        self.status = ""
        self.reencrypt_from: bytes | None = None  # the previous key, when the window is to re-encrypt backups

        intro = plain_label(
            "The journal is re-encrypted with a new key: the old passphrase, and any copy of the old key file, open "
            "nothing written from now on. Your recovery code, if you made one, keeps working; if someone may know "
            "the old passphrase, make a new code afterwards too (Security ▸ New Recovery Code), as with the old "
            "passphrase they could have added a code of their own."
        )
        note = NoticeLabel(
            "Backups made before the change open with the passphrase of their day. " + ELSEWHERE,
            bold=False,
        )
        note.setAccessibleName("About older backups")
        self.backups_choice = OldBackupsChoice(journal)
        self.current_edit = password_edit("Current passphrase")
        self.fields = NewPassphraseFields("&New passphrase", "&Again")
        self.fields.form.insertRow(0, buddy_label("&Current passphrase", self.current_edit), self.current_edit)
        self._build_error_label("Problem with the current passphrase")

        self.buttons, self.ok_button = dialog_buttons(self, "C&hange passphrase", "Cancel")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(note)
        layout.addWidget(self.fields)
        layout.addWidget(self.backups_choice)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)

    def accept(self) -> None:
        current = self.current_edit.text()
        if not current:
            self.say("Type the passphrase you use now.", self.current_edit)
            return
        if self.fields.refused():
            return
        if self.fields.text() == current:
            self.fields.refuse("The new passphrase is the same as the current one.")
            return
        if (problem := self.backups_choice.refused()) is not None:
            self.say(problem, self.backups_choice.confirm_edit)
            return
        try:
            with WaitCursor():
                change = access.change_passphrase(self.journal, self.fields.text(), current=current)
        except WrongPassphrase:
            self.say(NOT_THE_CURRENT_PASSPHRASE, self.current_edit)
            return
        except InvalidInput as error:
            self.fields.refuse(str(error))
            return
        except Exception as error:
            self.show_error(error)
            return
        self.current_edit.clear()
        self.fields.clear()
        self.status = "Passphrase changed; the journal has a new key. " + _after_change(
            self, self.journal, change, self.backups_choice)
        self.reencrypt_from = self.backups_choice.reencrypt_from(change)
        super().accept()


class NewRecoveryCodeDialog(RecoveryCodeStep, _InlineProblemDialog):
    """Warns that the old code stops working, asks for the passphrase, then shows the new code once.

    The passphrase is asked so that someone at an unlocked, unattended window cannot make a code of their own.
    The old code stops working as soon as the new one exists, so the new one must not vanish unseen.
    """

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__("New recovery code", parent)
        self.journal = journal
        self.code: str | None = None
        try:
            had_code = access.has_recovery_code(journal)
        except UserError:
            had_code = True  # the stronger warning, when the key file cannot tell
        if had_code:
            warning = (
                "A new recovery code replaces the one you have: the old code stops working as soon as the new one is "
                "made. The journal gets a new key, so the old code, with any copy of the old key file, opens nothing "
                "written from now on. Backups made before now open with the code of their day."
            )
        else:
            warning = (
                "This journal has no recovery code yet. A recovery code opens the journal if you forget "
                "the passphrase."
            )
        self.warning_label = NoticeLabel(warning)
        self.warning_label.setAccessibleName("What a new code does")
        self.passphrase_edit = password_edit("Passphrase")
        form = QFormLayout()
        form.addRow(buddy_label("Your &passphrase", self.passphrase_edit), self.passphrase_edit)
        self.backups_choice = OldBackupsChoice(journal)
        self.status = ""
        self.reencrypt_from: bytes | None = None
        self._build_error_label("Problem with the passphrase")
        self.buttons, self.ok_button = dialog_buttons(self, "&Make a new code", "Cancel")

        ask_page = QWidget()
        ask = QVBoxLayout(ask_page)
        ask.setContentsMargins(0, 0, 0, 0)
        ask.addWidget(self.warning_label)
        ask.addLayout(form)
        ask.addWidget(self.backups_choice)
        ask.addWidget(self.error_label)
        ask.addStretch(1)
        ask.addWidget(self.buttons)

        self.done_button = self._build_code_page("&Done")

        self.pages = QStackedWidget()
        self.pages.addWidget(ask_page)
        self.pages.addWidget(self.code_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

    def accept_first_page(self) -> None:
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self.say("Type your passphrase to make a new code.", self.passphrase_edit)
            return
        if (problem := self.backups_choice.refused()) is not None:
            self.say(problem, self.backups_choice.confirm_edit)
            return
        try:
            with WaitCursor():
                change = access.new_recovery_code(self.journal, passphrase=passphrase)
        except WrongPassphrase:
            self.say(NOT_THE_CURRENT_PASSPHRASE, self.passphrase_edit)
            return
        except Exception as error:
            self.show_error(error)
            return
        self.passphrase_edit.clear()
        self.code = change.recovery_code
        assert self.code is not None
        self._show_code_page(self.code)  # first: the old code no longer works, the new one must be seen
        self.status = "New recovery code made; the old one no longer works. " + _after_change(
            self, self.journal, change, self.backups_choice)
        self.reencrypt_from = self.backups_choice.reencrypt_from(change)


class RestoreDialog(_InlineProblemDialog):
    """Choose a backup (from the list or a file) and type today's passphrase; `restore` does the rest.

    `restore(backup, passphrase, backup_secret)` closes the window's journal, restores and reopens it, and
    returns what was restored; a UserError it raises is shown here and the dialog stays open. A backup made
    under an earlier key also needs the passphrase or recovery code of its day: the dialog then asks for it.
    """

    def __init__(
        self,
        found: Sequence[BackupInfo],
        restore: Callable[[Path, str, str | None], BackupInfo],
        folder: Path,
        parent: QWidget | None = None,
        *,
        journal_id: str | None = None,
        key: bytes | None = None,
    ) -> None:
        super().__init__("Restore from a backup", parent)
        self._key = key
        self._restore = restore
        self.folder = folder
        self.journal_id = journal_id
        self.restored: BackupInfo | None = None

        intro = plain_label(
            "Restoring replaces everything in the journal with the backup you choose. The journal as it is now "
            "is backed up first (it appears in this list as “made before a restore”), so a restore can be undone."
        )
        self.empty_label = plain_label(f"There are no backups in {folder} yet; choose a backup file you saved.")
        self.empty_label.setVisible(not found)
        self.list = QListWidget()
        self.list.setAccessibleName("Backups, newest first")
        self.list.setAlternatingRowColors(True)
        for info in found:
            self._add(info)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.passphrase_edit.setFocus())
        self.choose_button = QPushButton("Choose a backup &file…")
        self.choose_button.setAccessibleName("Choose a backup file")
        self.choose_button.clicked.connect(self.add_chosen)
        choose_row = QHBoxLayout()
        choose_row.addStretch(1)
        choose_row.addWidget(self.choose_button)

        self.passphrase_edit = password_edit("Today's passphrase")
        self.backup_secret_edit = password_edit("Passphrase or recovery code of the backup's day")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(buddy_label("Today's &passphrase", self.passphrase_edit), self.passphrase_edit)
        self.backup_secret_label = buddy_label("Passphrase or recovery code of the &backup's day",
                                               self.backup_secret_edit)
        form.addRow(self.backup_secret_label, self.backup_secret_edit)
        self.backup_secret_label.hide()
        self.backup_secret_edit.hide()
        self.list.currentItemChanged.connect(self._forget_backup_secret)
        hint = plain_label("The passphrase you use now: only it can replace the journal.")
        self._build_error_label("Problem restoring")

        self.buttons, self.ok_button = dialog_buttons(self, "&Restore this backup", "Cancel")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.list, 1)
        layout.addLayout(choose_row)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 76, self.fontMetrics().lineSpacing() * 24)
        self.passphrase_edit.setFocus()

    def _add(self, info: BackupInfo, *, first: bool = False) -> QListWidgetItem:
        item = QListWidgetItem(describe_backup(info, self.journal_id, self._key))
        item.setData(Qt.ItemDataRole.UserRole, str(info.path))
        item.setToolTip(str(info.path))
        if first:
            self.list.insertItem(0, item)
        else:
            self.list.addItem(item)
        return item

    def _forget_backup_secret(self) -> None:
        self.backup_secret_edit.clear()
        self.backup_secret_edit.hide()
        self.backup_secret_label.hide()

    def _ask_backup_secret(self, message: str) -> None:
        self.backup_secret_label.show()
        self.backup_secret_edit.show()
        self.say(message, self.backup_secret_edit)

    def chosen_backup(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def choose_file(self) -> str:
        """Ask for a backup file; replaced in tests. '' when the user cancels."""
        return _choose_backup_file(self, self.folder)

    def add_chosen(self) -> None:
        chosen = self.choose_file()
        if not chosen:
            return
        try:
            info = journal_access.read_backup(Path(chosen), verify=False)
        except UserError as error:
            self.say(str(error))
            return
        self.error_label.hide()
        self.empty_label.hide()
        self.list.setCurrentItem(self._add(info, first=True))
        self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:
        backup = self.chosen_backup()
        if backup is None:
            self.say("Choose a backup from the list, or a backup file.")
            return
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self.say("Type the passphrase you use now.", self.passphrase_edit)
            return
        backup_secret = self.backup_secret_edit.text() if self.backup_secret_edit.isVisible() else ""
        try:
            with WaitCursor():
                self.restored = self._restore(backup, passphrase, backup_secret or None)
        except BackupSecretNeeded as error:
            self._ask_backup_secret(str(error))
            return
        except WrongBackupSecret as error:
            self._ask_backup_secret(str(error))
            return
        except WrongPassphrase:
            self.say(NOT_TODAYS_PASSPHRASE, self.passphrase_edit)
            return
        except UserError as error:
            self.say(str(error))
            return
        except Exception as error:
            self.show_error(error)
            return
        self.passphrase_edit.clear()
        self.backup_secret_edit.clear()
        super().accept()


def _described(path: Path) -> str:
    if path.is_dir() and not path.is_symlink():
        count = sum(1 for _ in path.glob(f"*{journal_access.BACKUP_SUFFIX}"))
        return f"{path} (the backups folder: {count} backup{'' if count == 1 else 's'})"
    return str(path)


class DeleteEverythingDialog(_InlineProblemDialog):
    """Lists what would be deleted and enables the button only once CONFIRM_WORD is typed; `delete` does it."""

    def __init__(
        self, targets: Sequence[Path], delete: Callable[[], None], parent: QWidget | None = None
    ) -> None:
        super().__init__("Delete everything", parent)
        self._delete = delete

        warning = NoticeLabel(
            "This deletes your journal and every backup of it in the app's folder, for good. Nobody — not you, "
            "not us — can bring them back."
        )
        warning.setAccessibleName("Warning")
        listed = "\n".join(f"• {_described(path)}" for path in targets) or "• (nothing is there any more)"
        self.targets_label = plain_label(listed, selectable=True)
        self.targets_label.setAccessibleName("What will be deleted")
        elsewhere = plain_label(
            "Backups you saved elsewhere with Back up now are not touched: delete those yourself if you mean to. "
            "Afterwards Boundary Journal closes; when it starts again, it offers to create a new journal."
        )
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setAccessibleName(f"Type {CONFIRM_WORD} to confirm")
        self.confirm_edit.textChanged.connect(self._update_button)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(buddy_label(f"&To confirm, type {CONFIRM_WORD}", self.confirm_edit), self.confirm_edit)
        self._build_error_label("Problem deleting")

        self.buttons, self.delete_button = dialog_buttons(self, "&Delete everything", "Cancel")
        self.delete_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addWidget(plain_label("These will be deleted:"))
        layout.addWidget(self.targets_label)
        layout.addWidget(elsewhere)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        self.confirm_edit.setFocus()

    def confirmed(self) -> bool:
        return self.confirm_edit.text().strip() == CONFIRM_WORD

    def _update_button(self) -> None:
        self.delete_button.setEnabled(self.confirmed())

    def accept(self) -> None:
        if not self.confirmed():
            return
        self._delete()
        super().accept()
