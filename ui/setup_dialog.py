"""First start: explain where the journal lives, choose a passphrase twice, create the encrypted file."""

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

from boundary_journal import APP_NAME
from boundary_journal.errors import InvalidInput, UserError
from boundary_journal.storage import MIN_PASSPHRASE_LENGTH, Journal, create_journal, validate_new_passphrase
from ui import messages
from ui.sizing import dialog_buttons, grow_to_fit

EXPLANATION = (
    f"{APP_NAME} keeps everything you write — entries, pseudonyms, tags — in one encrypted file "
    "on this computer, here:"
)
PROMISES = (
    "Nothing leaves this computer: the app makes no network connections.\n\n"
    "The file is locked with the passphrase you choose now. If you lose the passphrase, nobody — "
    "not you, not your IT department, not the makers of this app — can recover the journal. "
    "Keep it somewhere safe, such as a password manager."
)
LENGTH_HINT = f"At least {MIN_PASSPHRASE_LENGTH} characters; a short sentence is easy to remember and hard to guess."
MISMATCH = "The two passphrases are different."


class SetupDialog(QDialog):
    """Creates the journal at `path`; after `exec()` returns Accepted, `journal` is open."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.journal: Journal | None = None
        self.setWindowTitle("Create your journal")
        self.setAccessibleName("Create your journal")

        intro = QLabel(EXPLANATION)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.path_label = QLabel(str(path))
        self.path_label.setTextFormat(Qt.TextFormat.PlainText)
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.path_label.setAccessibleName("Journal file")
        font = self.path_label.font()
        font.setBold(True)
        self.path_label.setFont(font)
        promises = QLabel(PROMISES)
        promises.setWordWrap(True)
        promises.setTextFormat(Qt.TextFormat.PlainText)

        self.passphrase_edit = self._password_edit("Passphrase")
        self.repeat_edit = self._password_edit("Passphrase again")

        self.hint_label = QLabel(LENGTH_HINT)
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hint_label.setWordWrap(True)
        self.hint_label.setAccessibleName("Passphrase hint")

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self._label("&Passphrase", self.passphrase_edit), self.passphrase_edit)
        form.addRow(self._label("&Again", self.repeat_edit), self.repeat_edit)

        self.buttons, self.ok_button = dialog_buttons(self, "Create journal", "Quit")

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.path_label)
        layout.addWidget(promises)
        layout.addLayout(form)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

    def _password_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(name)
        edit.textChanged.connect(self._update_hint)
        return edit

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def problem(self, *, final: bool = False) -> str | None:
        """What is wrong with the passphrases typed so far; while typing, a half-typed repeat is fine."""
        first, second = self.passphrase_edit.text(), self.repeat_edit.text()
        try:
            validate_new_passphrase(first)
        except InvalidInput as error:
            return str(error) if first or final else None
        if second != first and (final or (second and not first.startswith(second))):
            return MISMATCH
        return None

    def _update_hint(self) -> None:
        self._hint(self.problem() or LENGTH_HINT)

    def _hint(self, text: str) -> None:
        self.hint_label.setText(text)
        grow_to_fit(self)

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)

    def accept(self) -> None:
        problem = self.problem(final=True)
        if problem is not None:
            self._hint(problem)
            target = self.repeat_edit if problem == MISMATCH else self.passphrase_edit
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            target.selectAll()
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.journal = create_journal(self.path, self.passphrase_edit.text())
        except InvalidInput as error:
            QGuiApplication.restoreOverrideCursor()
            self._hint(str(error))
            return
        except UserError as error:
            QGuiApplication.restoreOverrideCursor()
            self.show_error(error)
            return
        QGuiApplication.restoreOverrideCursor()
        self.passphrase_edit.clear()
        self.repeat_edit.clear()
        super().accept()
