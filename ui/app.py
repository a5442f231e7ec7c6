"""Start the window: the Qt application, the data folder's instance lock, set-up or unlock, then the main window."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from boundary_journal import APP_NAME, __version__, instance
from boundary_journal.catalog import Catalog
from boundary_journal.errors import UserError
from boundary_journal.paths import journal_path
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
    """Open the journal in `data_dir` (creating it on first start) and show the window until it closes.

    Another window or writing command holding the data folder is told in a message box, and the exit status
    is JournalInUse's (7); nothing in the folder is touched. The folder stays held while the window is
    locked: this process still has the journal open, in the sense that matters.
    """
    app = application()
    try:
        held = instance.acquire(data_dir)
    except UserError as error:  # JournalInUse, or a folder that cannot be used at all (CannotWrite)
        messages.show_error(None, error)
        return error.exit_code
    try:
        return _open_and_show(app, data_dir, catalog)
    finally:
        held.release()


def _open_and_show(app: QApplication, data_dir: Path, catalog: Catalog) -> int:
    dialog = open_journal_dialog(data_dir)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.journal is None:
        return 0
    # The window is the journal's only holder from here on, so locking it can really let the journal go.
    journal, dialog.journal = dialog.journal, None
    dialog.deleteLater()
    previous_hook = sys.excepthook
    sys.excepthook = _report_bug  # a bug in a slot gets a message box, not a silent console trace
    try:
        try:
            window = MainWindow(journal, catalog, clock=Clock(), automatic_backups=True)
        except BaseException:
            journal.close()
            raise
        del journal
        try:
            window.show()
            return app.exec()
        finally:
            window.close_journal()
    finally:
        sys.excepthook = previous_hook
