"""First start: explain where the journal lives and what a lost passphrase means, choose a passphrase twice,
create the encrypted file, and show the recovery code once, to be kept."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from boundary_journal import APP_NAME
from boundary_journal.errors import InvalidInput
from boundary_journal.services import journal_access
from ui import messages
from ui.passphrase_fields import NewPassphraseFields
from ui.recovery_code import RecoveryCodeStep
from ui.sizing import WaitCursor, dialog_buttons, plain_label

if TYPE_CHECKING:
    from boundary_journal.store.journal import Journal

# The first window on a first start: storage (SQLAlchemy) and cryptography are imported when the journal is
# created (journal_access imports them then), not before the dialog is shown.

EXPLANATION = (
    f"{APP_NAME} keeps everything you write — entries, pseudonyms, tags — in one encrypted file "
    "on this computer, here:"
)
PROMISES = (
    "Nothing leaves this computer: the app makes no network connections.\n\n"
    "The file is locked with the passphrase you choose now and, if you make one, a recovery code to print "
    "and keep. Without the passphrase or the recovery code, nobody can open or recover the journal — not "
    "you, not your IT department, not us, the makers of this app. Keep the passphrase somewhere safe, such "
    "as a password manager."
)
RECOVERY_CHOICE = "Make a &recovery code (recommended)"
RECOVERY_HINT = (
    "24 letters and digits, shown once after the journal is created, to print or write down. "
    "It opens the journal if you forget the passphrase."
)


class SetupDialog(RecoveryCodeStep, QDialog):
    """Creates the journal at `path`; after `exec()` returns Accepted, `journal` is open.

    Two pages: the passphrase, then (if chosen) the recovery code, which must be ticked as kept before
    the dialog closes; by then the journal exists, so that page has no way back.
    """

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.journal: Journal | None = None
        self.recovery_code: str | None = None
        self.setWindowTitle("Create your journal")
        self.setAccessibleName("Create your journal")

        intro = plain_label(EXPLANATION)
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
        promises = plain_label(PROMISES)

        self.fields = NewPassphraseFields()
        self.passphrase_edit = self.fields.passphrase_edit
        self.repeat_edit = self.fields.repeat_edit
        self.hint_label = self.fields.hint_label

        self.recovery_check = QCheckBox(RECOVERY_CHOICE)
        self.recovery_check.setAccessibleName(RECOVERY_CHOICE.replace("&", ""))
        self.recovery_check.setChecked(True)
        recovery_hint = plain_label(RECOVERY_HINT)
        indent = self.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + self.fontMetrics().height() // 2
        recovery_hint.setContentsMargins(indent, 0, 0, 0)

        self.buttons, self.ok_button = dialog_buttons(self, "Create journal", "Quit")
        self.sample_button = QPushButton("Explore a Sa&mple Journal First…")
        self.sample_button.setAccessibleName("Explore a sample journal first")
        self.sample_button.setToolTip("Years of made-up entries in a second window, in a folder of their own")
        self.sample_button.clicked.connect(self.explore_sample_journal)

        passphrase_page = QWidget()
        first = QVBoxLayout(passphrase_page)
        first.setContentsMargins(0, 0, 0, 0)
        first.addWidget(intro)
        first.addWidget(self.path_label)
        first.addWidget(promises)
        first.addWidget(self.fields)
        first.addWidget(self.recovery_check)
        first.addWidget(recovery_hint)
        first.addStretch(1)
        button_row = QHBoxLayout()
        button_row.addWidget(self.sample_button)  # apart from Create and Quit: it leaves this set-up as it is
        button_row.addStretch(1)
        button_row.addWidget(self.buttons)
        first.addLayout(button_row)

        self.continue_button = self._build_code_page("&Continue to the journal")

        self.pages = QStackedWidget()
        self.pages.addWidget(passphrase_page)
        self.pages.addWidget(self.code_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

    def problem(self, *, final: bool = False) -> str | None:
        """What is wrong with the passphrases typed so far; while typing, a half-typed repeat is fine."""
        return self.fields.problem(final=final)

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)

    def explore_sample_journal(self) -> bool:
        """Try the app on a sample journal (a new window, its own folder) before making one's own."""
        from boundary_journal.catalog import shipped_catalog
        from ui import sample_journal

        return sample_journal.explore(self.path.parent, shipped_catalog, confirm=self.confirm_sample_journal,
                                      launch=self.launch_sample_window, show_error=self.show_error)

    def confirm_sample_journal(self, text: str) -> bool:
        return messages.ask_open_sample_journal(self, text)

    def launch_sample_window(self, folder: Path) -> bool:
        from ui.sample_journal import launch_window

        return launch_window(folder)

    def accept_first_page(self) -> None:
        if self.fields.refused():
            return
        try:
            with WaitCursor():
                created = journal_access.create(self.path, self.fields.text(),
                                                recovery_code=self.recovery_check.isChecked())
        except InvalidInput as error:
            self.fields.hint(str(error))
            return
        except Exception as error:  # a UserError's sentence, or a plain note that this is a bug
            self.show_error(error)
            return
        self.journal, code = created.journal, created.recovery_code
        self.fields.clear()
        if code is None:
            self._close_accepted()
            return
        self.recovery_code = code
        self._show_code(code)

    def _show_code(self, code: str) -> None:
        self.setWindowTitle("Keep your recovery code")
        heading = plain_label("Your journal is ready. One last step: keep the recovery code.", bold=True)
        self._show_code_page(code, heading)
