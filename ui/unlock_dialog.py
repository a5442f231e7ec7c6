"""Every later start: ask for the passphrase and open the journal; a wrong one is said inline."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from boundary_journal.errors import UserError, WrongPassphrase
from boundary_journal.storage import Journal, open_journal
from ui import messages
from ui.sizing import dialog_buttons, grow_to_fit

WRONG_PASSPHRASE = "That passphrase does not open this journal. Check Caps Lock and the keyboard layout, and try again."


class UnlockDialog(QDialog):
    """Opens the journal at `path`; after `exec()` returns Accepted, `journal` is open."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.journal: Journal | None = None
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

        self.buttons, self.ok_button = dialog_buttons(self, "Unlock", "Quit")

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.path_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)

    def _say(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        grow_to_fit(self)
        self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.passphrase_edit.selectAll()

    def accept(self) -> None:
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self._say("Type the passphrase you chose when you created the journal.")
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.journal = open_journal(self.path, passphrase)
        except WrongPassphrase:
            QGuiApplication.restoreOverrideCursor()
            self._say(WRONG_PASSPHRASE)
            return
        except UserError as error:
            QGuiApplication.restoreOverrideCursor()
            self.show_error(error)
            return
        QGuiApplication.restoreOverrideCursor()
        self.passphrase_edit.clear()
        super().accept()
