"""Keeping dialogs tall enough for word-wrapped text that appears or grows while they are open."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


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
