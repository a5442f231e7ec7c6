"""Panels that re-read the journal only when someone can see them."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent


class RefreshedWhenShown:
    """Mixin for a panel in a tab (put before the QWidget base): `refresh()` while the panel is hidden is put
    off until it is next shown, so a window with years of entries starts without reading what no one sees.

    The panel implements `reread()`, the refresh itself.
    """

    _stale = False

    def reread(self) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        if not self.isVisible():  # type: ignore[attr-defined]
            self._stale = True
            return
        self._stale = False
        self.reread()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)  # type: ignore[misc]
        if self._stale:
            self.refresh()
