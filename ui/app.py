"""Start the window: the Qt application, set-up or unlock, then the main window."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from boundary_journal import APP_NAME, __version__
from boundary_journal.catalog import Catalog
from boundary_journal.paths import journal_path
from boundary_journal.storage import Journal
from ui import messages
from ui.clock import Clock
from ui.main_window import MainWindow
from ui.setup_dialog import SetupDialog
from ui.unlock_dialog import UnlockDialog


def application() -> QApplication:
    """The running QApplication, created if needed; the style and palette are the system's."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "boundary-journal"])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    return app


def open_journal_dialog(data_dir: Path, parent: QWidget | None = None) -> SetupDialog | UnlockDialog:
    """The set-up dialog when there is no journal yet, else the unlock dialog."""
    path = journal_path(data_dir)
    return UnlockDialog(path, parent) if path.exists() else SetupDialog(path, parent)


def _report_bug(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    traceback.print_exception(kind, error, tb)
    messages.show_error(QApplication.activeWindow(), error)


def run(data_dir: Path, catalog: Catalog) -> int:
    """Open the journal in `data_dir` (creating it on first start) and show the window until it closes."""
    app = application()
    dialog = open_journal_dialog(data_dir)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.journal is None:
        return 0
    journal: Journal = dialog.journal
    previous_hook = sys.excepthook
    sys.excepthook = _report_bug  # a bug in a slot gets a message box, not a silent console trace
    try:
        window = MainWindow(journal, catalog, clock=Clock())
        window.show()
        return app.exec()
    finally:
        sys.excepthook = previous_hook
        journal.close()
