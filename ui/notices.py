"""Notices that must stand out in any palette: an amber tint mixed from the palette's own window colour (a
calmer one from its highlight colour for reminders), and tooltips that show text as text."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QWidget

AMBER = QColor("#f0a000")


def rich_tooltip(*paragraphs: str) -> str:
    """A tooltip that is always rich text with its text escaped, so markup in it is shown, never obeyed."""
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)


def _window_tinted(palette: QPalette, tint: QColor, light_share: float, dark_share: float) -> QPalette:
    tinted = QPalette()
    tinted.setResolveMask(0)
    base = palette.color(QPalette.ColorRole.Window)
    share = light_share if base.lightness() >= 128 else dark_share
    tinted.setColor(
        QPalette.ColorRole.Window,
        QColor(
            round(base.red() * (1 - share) + tint.red() * share),
            round(base.green() * (1 - share) + tint.green() * share),
            round(base.blue() * (1 - share) + tint.blue() * share),
        ),
    )
    return tinted


def warning_palette(palette: QPalette) -> QPalette:
    """Only a window colour: `palette`'s, tinted amber. Every other role (text too) stays inherited, so the
    notice reads in light and dark palettes alike and hears about the next palette change."""
    return _window_tinted(palette, AMBER, 0.22, 0.32)


def reminder_palette(palette: QPalette) -> QPalette:
    """Like `warning_palette`, tinted with the palette's own highlight colour: noticeable, not alarming."""
    return _window_tinted(palette, palette.color(QPalette.ColorRole.Highlight), 0.14, 0.3)


_RETINT = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange, QEvent.Type.ParentChange)


def _tint(widget: QWidget, make: Callable[[QPalette], QPalette] = warning_palette) -> None:
    widget.setAutoFillBackground(True)
    # The application's palette, not the parent's: on a palette change the parent may not have updated yet.
    widget.setPalette(make(QApplication.palette(widget)))


class TintedFrame(QFrame):
    """A framed panel on the amber tint (or the one `make` mixes), mixed from the surrounding palette also after
    it changes (dark mode)."""

    def __init__(
        self, parent: QWidget | None = None, *, make: Callable[[QPalette], QPalette] = warning_palette
    ) -> None:
        super().__init__(parent)
        self._tinting = False
        self._make = make
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.tint()

    def tint(self) -> None:
        self._tinting = True
        try:
            _tint(self, self._make)
        finally:
            self._tinting = False

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in _RETINT and not self._tinting:
            self.tint()


class NoticeLabel(QLabel):
    """Plain, word-wrapped text (bold unless told) on the amber tint: for what must not be missed."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, bold: bool = True) -> None:
        super().__init__(text, parent)
        self._tinting = False
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMargin(self.fontMetrics().height() // 3)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if bold:
            font = self.font()
            font.setBold(True)
            self.setFont(font)
        self.tint()

    def tint(self) -> None:
        self._tinting = True
        try:
            _tint(self)
        finally:
            self._tinting = False

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in _RETINT and not self._tinting:
            self.tint()
