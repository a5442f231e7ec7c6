"""Every later start: ask for the passphrase and open the journal; a wrong one is said inline.

A damaged journal gets its own dialog offering the newest backup (nothing is written to the damaged file
unless the user restores); a forgotten passphrase leads to opening with the recovery code.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boundary_journal.errors import JournalDamaged, KeyFileMissing, WrongPassphrase
from boundary_journal.services import journal_access
from ui import messages
from ui.sizing import WaitCursor, dialog_buttons, show_inline_problem

if TYPE_CHECKING:
    from boundary_journal.store.journal import Journal
    from ui.security_dialogs import DamagedJournalDialog, RecoveryUnlockDialog

# This dialog is the first window on every start, so it imports only Qt and light modules (journal_access is one:
# it imports the storage layer when it first opens a journal): storage (SQLAlchemy), cryptography and the
# security dialogs are imported when the Unlock or recovery button needs them, usually already loaded by then
# (ui.app preloads them while the passphrase is typed).

WRONG_PASSPHRASE = "That passphrase does not open this journal. Check Caps Lock and the keyboard layout, and try again."
FORGOT = "&Forgot your passphrase? Use the recovery code…"


class UnlockDialog(QDialog):
    """Opens the journal at `path`; after `exec()` returns Accepted, `journal` is open."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.journal: Journal | None = None
        self.damaged_dialog: DamagedJournalDialog | None = None
        self.recovery_dialog: RecoveryUnlockDialog | None = None
        self.setWindowTitle("Unlock your journal")
        self.setAccessibleName("Unlock your journal")

        intro = QLabel("Type your passphrase to open the journal at:")
        intro.setWordWrap(True)
        self.path_label = QLabel(str(path))
        self.path_label.setTextFormat(Qt.TextFormat.PlainText)
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setAccessibleName("Journal file")

        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName("Passphrase")

        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        font = self.error_label.font()
        font.setBold(True)
        self.error_label.setFont(font)
        self.error_label.setAccessibleName("Problem unlocking")
        self.error_label.hide()

        form = QFormLayout()
        label = QLabel("&Passphrase")
        label.setBuddy(self.passphrase_edit)
        form.addRow(label, self.passphrase_edit)

        self.forgot_button = QPushButton(FORGOT)
        self.forgot_button.setAccessibleName(FORGOT.replace("&", ""))
        self.forgot_button.setFlat(True)
        self.forgot_button.setAutoDefault(False)
        self.forgot_button.clicked.connect(self.use_recovery_code)
        forgot_row = QHBoxLayout()
        forgot_row.addWidget(self.forgot_button)
        forgot_row.addStretch(1)

        self.buttons, self.ok_button = dialog_buttons(self, "Unlock", "Quit")

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.path_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(forgot_row)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)

    def _say(self, message: str) -> None:
        show_inline_problem(self, self.error_label, message)
        self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.passphrase_edit.selectAll()

    def accept(self) -> None:
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self._say("Type the passphrase you chose when you created the journal.")
            return
        try:
            with WaitCursor():
                self.journal = journal_access.unlock(self.path, passphrase)
        except WrongPassphrase:
            self._say(WRONG_PASSPHRASE)
            return
        except KeyFileMissing as error:  # the storage's own sentence says where that file should be
            self._say(str(error))
            return
        except JournalDamaged as error:
            self.error_label.hide()
            self.offer_backup(error, passphrase)
            return
        except Exception as error:  # not a journal, too new, cannot read — or a bug, said as one
            self.show_error(error)
            return
        self.passphrase_edit.clear()
        super().accept()

    def offer_backup(self, error: JournalDamaged, passphrase: str) -> DamagedJournalDialog:
        """Say what is wrong and offer the newest backup; window-modal, so the unlock dialog stays behind it."""
        from ui.security_dialogs import DamagedJournalDialog

        dialog = DamagedJournalDialog(self.path, error, passphrase, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._damaged_closed)
        self.damaged_dialog = dialog
        dialog.open()
        return dialog

    def _damaged_closed(self, result: int) -> None:
        dialog, self.damaged_dialog = self.damaged_dialog, None
        self._opened_by(dialog, result)

    def use_recovery_code(self) -> RecoveryUnlockDialog:
        """Open with the recovery code and a new passphrase instead of the forgotten one."""
        from ui.security_dialogs import RecoveryUnlockDialog

        dialog = RecoveryUnlockDialog(self.path, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._recovery_closed)
        self.recovery_dialog = dialog
        dialog.open()
        return dialog

    def _recovery_closed(self, result: int) -> None:
        dialog, self.recovery_dialog = self.recovery_dialog, None
        self._opened_by(dialog, result)

    def _opened_by(self, dialog: DamagedJournalDialog | RecoveryUnlockDialog | None, result: int) -> None:
        if dialog is not None and result == QDialog.DialogCode.Accepted and dialog.journal is not None:
            self.journal = dialog.journal
            self.passphrase_edit.clear()
            super().accept()
