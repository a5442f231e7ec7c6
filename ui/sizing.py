"""Dialog parts every dialog shares: its button row, plain-text labels, an inline problem line that says why
nothing was saved, and staying tall enough for text that appears while open."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFrame, QLabel, QPushButton, QWidget

from boundary_journal.errors import InvalidInput, UserError


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


def plain_label(text: str = "", *, bold: bool = False, selectable: bool = False) -> QLabel:
    """A word-wrapped label that shows `text` as typed: no markup, so user text cannot inject any."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def show_inline_problem(dialog: QWidget, label: QLabel, text: str) -> None:
    """Say `text` in the dialog's inline problem label, growing the dialog so it is not cut off."""
    label.setText(text)
    label.show()
    grow_to_fit(dialog)


def say_not_saved(
    dialog: QWidget, label: QLabel, error: UserError, show_error: Callable[[UserError], object]
) -> None:
    """Bad input goes in the inline `label`, so the dialog stays open to fix it; other problems to `show_error`."""
    if isinstance(error, InvalidInput):
        show_inline_problem(dialog, label, f"Not saved: {error}")
    else:
        show_error(error)


class WaitCursor:
    """The wait cursor while a key is derived (about half a second each) or files are replaced."""

    def __enter__(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *_exc: object) -> None:
        QGuiApplication.restoreOverrideCursor()
