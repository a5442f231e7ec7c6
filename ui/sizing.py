"""Dialog parts every dialog shares: its button row, and staying tall enough for text that appears while open."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFrame, QLabel, QPushButton, QWidget


def grow_to_fit(window: QWidget) -> None:
    """Make `window` at least as tall as its layout needs at its current width; never shrink it.

    Word-wrapped labels trade width for height, which Qt does not apply to a window that is already
    shown, so an inline message could otherwise be cut off.
    """
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    width = window.width()
    needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
    if needed > window.height():
        window.resize(width, needed)


def dialog_buttons(
    dialog: QDialog, accept_text: str, reject_text: str, *, on_accept: Callable[[], object] | None = None
) -> tuple[QDialogButtonBox, QPushButton]:
    """An OK/Cancel row with the clinician's words on the buttons, wired to `on_accept` (default: accept)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    accept = buttons.button(QDialogButtonBox.StandardButton.Ok)
    reject = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    for button, text in ((accept, accept_text), (reject, reject_text)):
        button.setText(text)
        button.setAccessibleName(text.replace("&", ""))
    buttons.accepted.connect(on_accept or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, accept


def inline_error_label(accessible_name: str) -> QLabel:
    """A hidden, framed, word-wrapped plain-text label for a problem shown inside a form."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setFrameShape(QFrame.Shape.StyledPanel)
    label.setAccessibleName(accessible_name)
    label.hide()
    return label
