"""Import modules in the event loop's idle moments, so that a later step does not wait for its imports."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget


class IdleImports(QObject):
    """Imports `modules`, in order, one per turn of the event loop, from the first paint of `widget` on.

    In the GUI thread, one module per step: keystrokes and paints that arrive meanwhile are handled between
    steps, never dropped. A step costs about one module's own import when the list names what a package
    imports before the package. Owned by `widget`: once it is deleted, the steps left are not taken. A module
    that fails to import is passed over quietly; the code that needs it imports it again and reports it there.
    """

    finished = Signal()

    def __init__(self, widget: QWidget, modules: Sequence[str]) -> None:
        super().__init__(widget)
        self.pending = list(modules)
        self.done = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._step)  # after this paint: the window is on screen first
        return False

    def _step(self) -> None:
        if not self.pending:
            self.done = True
            self.finished.emit()
            return
        name = self.pending.pop(0)
        with contextlib.suppress(Exception):  # not needed yet: whoever needs it imports it and reports the failure
            importlib.import_module(name)
        QTimer.singleShot(0, self, self._step)
