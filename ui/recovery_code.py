"""Showing a new recovery code once: large and monospaced, to print or copy, and a tick that it was kept.

Used by the set-up dialog and by Security ▸ New Recovery Code…, both through `RecoveryCodeStep`. The code
is never written to a file by the app: "Print…" goes to a printer (or to whatever file the user picks in the
system's print dialog).
"""

from __future__ import annotations

import secrets
from datetime import date
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFontDatabase, QGuiApplication, QPalette, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from boundary_journal import APP_NAME
from ui.clipboard import TOKEN_FORMAT, sensitive_mime
from ui.notices import NoticeLabel
from ui.sizing import grow_to_fit

KEEP_IT = (
    "This is your recovery code. If you forget your passphrase, it opens the journal and lets you choose a "
    "new one. It is shown only now: write it down or print it, and keep it somewhere safe, away from this "
    "computer. Anyone who has this code and a copy of the journal can read it."
)
ACKNOWLEDGE = "I have &written down or printed this code"
CLEAR_COPIED_AFTER_MS = 60_000


def code_font_size(base_point_size: float) -> float:
    return base_point_size * 1.8


class RecoveryCodePanel(QWidget):
    """The code, Print… and Copy, and the tick that enables the caller's Continue button."""

    acknowledged = Signal(bool)

    def __init__(self, code: str, parent: QWidget | None = None, *, made_on: date | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.made_on = made_on or date.today()

        explanation = NoticeLabel(KEEP_IT, bold=False)
        explanation.setAccessibleName("What the recovery code is for")

        self.code_label = QLabel(code)
        self.code_label.setTextFormat(Qt.TextFormat.PlainText)
        self.code_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.code_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setAccessibleName("Recovery code")
        self.code_label.setAccessibleDescription(" ".join(code.replace("-", " ")))  # read out letter by letter
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(code_font_size(self.font().pointSizeF()))
        font.setBold(True)
        self.code_label.setFont(font)
        # A card on the Base colour (white, or dark in a dark palette) so the code reads as the thing to copy.
        self.code_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.code_label.setBackgroundRole(QPalette.ColorRole.Base)
        self.code_label.setForegroundRole(QPalette.ColorRole.Text)
        self.code_label.setAutoFillBackground(True)
        self.code_label.setMargin(self.fontMetrics().height() // 2)

        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print the recovery code")
        self.print_button.clicked.connect(self.print_code)
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setAccessibleName("Copy the recovery code")
        self.copy_button.setToolTip("Copy the code, for example into a password manager; it is cleared from "
                                    "the clipboard after a minute.")
        self.copy_button.clicked.connect(self.copy_code)
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setAccessibleName("Printing or copying")

        self.written_check = QCheckBox(ACKNOWLEDGE)
        self.written_check.setAccessibleName(ACKNOWLEDGE.replace("&", ""))
        self.written_check.toggled.connect(self.acknowledged)

        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.status_label, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(explanation)
        layout.addWidget(self.code_label)
        layout.addLayout(buttons)
        layout.addWidget(self.written_check)

    def is_acknowledged(self) -> bool:
        return self.written_check.isChecked()

    def choose_printer(self) -> QPrinter | None:
        """The system print dialog; replaced in tests. None when the user cancels."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"{APP_NAME} recovery code")
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the recovery code")
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def print_code(self) -> bool:
        printer = self.choose_printer()
        if printer is None:
            return False
        sheet = QTextDocument()
        sheet.setHtml(self.sheet_html())
        sheet.print_(printer)
        self.status_label.setText("Sent to the printer.")
        return True

    def sheet_html(self) -> str:
        """The printed page: what the code is, the code, how to use it; no passphrase and no file path."""
        return (
            f"<h2>{escape(APP_NAME)} — recovery code</h2>"
            f"<p>Made on {self.made_on:%d %B %Y}.</p>"
            f"<p style='font-family: monospace; font-size: 24pt; font-weight: bold'>{escape(self.code)}</p>"
            "<p>If you forget the passphrase: on the unlock window choose "
            "<i>Forgot your passphrase? Use the recovery code</i>, type this code and choose a new passphrase.</p>"
            "<p>Keep this page somewhere safe, away from the computer. Anyone with this code and a copy of the "
            "journal can read it. Making a new code in the app makes this one stop working.</p>"
        )

    def copy_code(self) -> None:
        """Copy the code marked as secret (clipboard histories leave it out), cleared after a minute if still there."""
        token = secrets.token_hex(16).encode("ascii")
        clipboard = QGuiApplication.clipboard()
        clipboard.setMimeData(sensitive_mime(self.code, token))

        def clear_if_still_ours() -> None:
            mime = clipboard.mimeData()
            if mime is not None and bytes(mime.data(TOKEN_FORMAT).data()) == token:
                clipboard.clear()

        QTimer.singleShot(CLEAR_COPIED_AFTER_MS, clipboard, clear_if_still_ours)
        self.status_label.setText("Copied; cleared from the clipboard in a minute.")


class RecoveryCodeStep:
    """Mixed in before QDialog: a last page that shows a new recovery code once and cannot be left unseen.

    Once that page shows, the dialog closes only through its button, enabled by ticking the code as kept;
    Esc, Cancel and the window's close button do nothing, because the code is never shown again. The dialog
    calls `_build_code_page` and puts `code_page` in its `pages`, and does its first page in `accept_first_page`.
    """

    pages: QStackedWidget
    code_panel: RecoveryCodePanel | None

    def _build_code_page(self, accept_text: str) -> QPushButton:
        """The (still empty) code page and its button, off until the code is ticked as kept."""
        self.code_panel = None
        self.code_page = QWidget()
        self.code_layout = QVBoxLayout(self.code_page)
        self.code_layout.setContentsMargins(0, 0, 0, 0)
        self.code_buttons = QDialogButtonBox()
        self.code_button = self.code_buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.code_button.setAccessibleName(accept_text.replace("&", ""))
        self.code_button.setEnabled(False)
        self.code_buttons.accepted.connect(self.accept)
        return self.code_button

    def showing_code(self) -> bool:
        return self.pages.currentWidget() is self.code_page

    def _show_code_page(self, code: str, heading: QWidget | None = None) -> None:
        self.code_panel = RecoveryCodePanel(code)
        self.code_panel.acknowledged.connect(self.code_button.setEnabled)
        if heading is not None:
            self.code_layout.addWidget(heading)
        self.code_layout.addWidget(self.code_panel)
        self.code_layout.addStretch(1)
        self.code_layout.addWidget(self.code_buttons)
        self.pages.setCurrentWidget(self.code_page)
        self.code_button.setDefault(True)
        self.code_panel.print_button.setFocus(Qt.FocusReason.OtherFocusReason)
        grow_to_fit(self)  # type: ignore[arg-type]  # mixed into a QDialog

    def accept_first_page(self) -> None:
        raise NotImplementedError

    def _close_accepted(self) -> None:
        super().accept()  # type: ignore[misc]  # QDialog's, next in the dialog's bases

    def accept(self) -> None:
        if not self.showing_code():
            self.accept_first_page()
        elif self.code_panel is not None and self.code_panel.is_acknowledged():
            self._close_accepted()

    def reject(self) -> None:
        if not self.showing_code():
            super().reject()  # type: ignore[misc]

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.showing_code():
            event.ignore()
            return
        super().closeEvent(event)  # type: ignore[misc]
