"""Open one window-modal dialog of a kind, or raise the one already open (Anki's DialogManager).

Every non-blocking dialog of the window goes through `DialogRegistry.open`: it is deleted on close,
opened window-modal without blocking (`QDialog.open`), and forgotten when it finishes, so asking for
the same kind again brings the open one forward instead of stacking a second.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog

Dialog = TypeVar("Dialog", bound=QDialog)


class DialogRegistry(QObject):
    """The window's open dialogs, one per kind (a dialog class, or any name several dialogs share)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open: dict[Hashable, QDialog] = {}

    def open(self, kind: Hashable, make: Callable[[], Dialog], *, activate: bool = False) -> Dialog:
        """The open dialog of `kind`, raised (and activated with `activate`); else `make()`, opened."""
        shown = self._open.get(kind)
        if shown is not None:
            shown.raise_()
            if activate:
                shown.activateWindow()
            return shown  # type: ignore[return-value]
        dialog = make()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._open[kind] = dialog
        dialog.finished.connect(lambda _result, kind=kind, dialog=dialog: self._forget(kind, dialog))
        dialog.open()
        return dialog

    def current(self, kind: Hashable) -> QDialog | None:
        """The dialog of `kind` that is open, or None."""
        return self._open.get(kind)

    def _forget(self, kind: Hashable, dialog: QDialog) -> None:
        if self._open.get(kind) is dialog:
            del self._open[kind]
