"""A new passphrase typed twice, with a hint that says what is wrong while typing (set-up, change, recovery)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from boundary_journal.errors import InvalidInput
from boundary_journal.services.journal_access import MIN_PASSPHRASE_LENGTH, check_new_passphrase
from ui.sizing import grow_to_fit

LENGTH_HINT = f"At least {MIN_PASSPHRASE_LENGTH} characters; a short sentence is easy to remember and hard to guess."
MISMATCH = "The two passphrases are different."


def password_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class NewPassphraseFields(QWidget):
    """Two password fields in `form` (callers may add rows above) and a hint line under them."""

    def __init__(
        self, first: str = "&Passphrase", second: str = "&Again", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        first_name = first.replace("&", "")
        self.passphrase_edit = password_edit(first_name)
        self.repeat_edit = password_edit(f"{first_name} again")
        for edit in (self.passphrase_edit, self.repeat_edit):
            edit.textChanged.connect(self._update_hint)

        self.hint_label = QLabel(LENGTH_HINT)
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hint_label.setWordWrap(True)
        self.hint_label.setAccessibleName("Passphrase hint")

        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.addRow(buddy_label(first, self.passphrase_edit), self.passphrase_edit)
        self.form.addRow(buddy_label(second, self.repeat_edit), self.repeat_edit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addWidget(self.hint_label)

    def text(self) -> str:
        return self.passphrase_edit.text()

    def clear(self) -> None:
        self.passphrase_edit.clear()
        self.repeat_edit.clear()

    def problem(self, *, final: bool = False) -> str | None:
        """What is wrong with the passphrases typed so far; while typing, a half-typed repeat is fine."""
        first, second = self.passphrase_edit.text(), self.repeat_edit.text()
        try:
            check_new_passphrase(first)
        except InvalidInput as error:
            return str(error) if first or final else None
        if second != first and (final or (second and not first.startswith(second))):
            return MISMATCH
        return None

    def refused(self) -> bool:
        """On OK: if the passphrases will not do, say why (see `refuse`) and return True, so nothing is saved."""
        problem = self.problem(final=True)
        if problem is None:
            return False
        self.refuse(problem)
        return True

    def refuse(self, problem: str) -> None:
        """Say `problem` in the hint line and put the cursor in the field to fix, its text selected."""
        self.hint(problem)
        target = self.repeat_edit if problem == MISMATCH else self.passphrase_edit
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        target.selectAll()

    def hint(self, text: str) -> None:
        self.hint_label.setText(text)
        grow_to_fit(self.window())

    def _update_hint(self) -> None:
        self.hint(self.problem() or LENGTH_HINT)
