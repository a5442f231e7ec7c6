"""Start the window: the Qt application, the data folder's instance lock, set-up or unlock, then the main window."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from boundary_journal import APP_NAME, __version__
from boundary_journal.errors import UserError
from boundary_journal.services import journal_access
from ui import messages
from ui.clock import Clock
from ui.preload import IdleImports
from ui.unlock_dialog import UnlockDialog

if TYPE_CHECKING:
    from boundary_journal.catalog import Catalog
    from ui.setup_dialog import SetupDialog

# The first window is shown after importing only Qt, its dialog and a few light modules. What unlocking and the
# journal window need is imported while that dialog waits for the passphrase, one module per idle turn of the
# event loop (ui.preload). What a package imports comes before it, to keep each step short; SQLAlchemy's core
# and its ORM are the longest steps, as any part of either imports the whole.
PRELOAD = (
    "encodings.utf_8_sig",  # a key file may start with a byte order mark
    # unlocking: the standard library SQLAlchemy needs, SQLAlchemy, the key file's cryptography, the database
    "typing_extensions",
    "asyncio",
    "email.message",
    "importlib.metadata",
    "sqlalchemy",
    "sqlalchemy.orm",
    "cryptography.hazmat.primitives.ciphers.aead",
    "cryptography.hazmat.primitives.kdf.argon2",
    "boundary_journal.store.keys",
    "sqlcipher3",
    "sqlalchemy.dialects.sqlite",
    "boundary_journal.store.migrations",
    "boundary_journal.models",
    "boundary_journal.store.storage",
    # the recovery-code and damaged-journal dialogs
    "boundary_journal.catalog",
    "boundary_journal.services.settings",
    "ui.recovery_code",
    "ui.security_dialogs",
    # the journal window: charts, calendar files, the services and panels it builds on
    "PySide6.QtCharts",
    "dateutil.tz",
    "icalendar",
    "boundary_journal.services.entries",
    "ui.entry_editor",
    "ui.trends_panel",
    "ui.main_window",
    "ui.security_menu",
)


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
    path = journal_access.journal_file(data_dir)
    if path.exists():
        return UnlockDialog(path, parent)
    from ui.setup_dialog import SetupDialog  # the first start only

    return SetupDialog(path, parent)


def preload_while_shown(dialog: QWidget) -> IdleImports:
    """Import what unlocking and the journal window need while `dialog`, once painted, waits for the user."""
    return IdleImports(dialog, PRELOAD)


def _report_bug(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    traceback.print_exception(kind, error, tb)
    messages.show_error(QApplication.activeWindow(), error)


def run(data_dir: Path, catalog: Catalog | Callable[[], Catalog]) -> int:
    """Open the journal in `data_dir` (creating it on first start) and show the window until it closes.

    `catalog` may be given as the function that loads it: it is then loaded once the journal is open, so
    the first window does not wait for it (a malformed one is said in a message box, exit status 6).

    Another window or writing command holding the data folder is told in a message box, and the exit status
    is JournalInUse's (7); nothing in the folder is touched. The folder stays held while the window is
    locked: this process still has the journal open, in the sense that matters.
    """
    app = application()
    try:
        # As the folder's holder: finish or drop a re-key or restore a crash interrupted, sweep leftovers.
        held = journal_access.hold(data_dir)
    except UserError as error:  # JournalInUse, or a folder that cannot be used at all (CannotWrite)
        messages.show_error(None, error)
        return error.exit_code
    try:
        return _open_and_show(app, data_dir, catalog)
    finally:
        held.release()


def _open_and_show(app: QApplication, data_dir: Path, catalog: Catalog | Callable[[], Catalog]) -> int:
    dialog = open_journal_dialog(data_dir)
    preload_while_shown(dialog)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.journal is None:
        return 0
    # The window is the journal's only holder from here on, so locking it can really let the journal go.
    journal, dialog.journal = dialog.journal, None
    dialog.deleteLater()
    from ui.main_window import MainWindow  # preloaded while the dialog was open, unless it was very quick

    previous_hook = sys.excepthook
    sys.excepthook = _report_bug  # a bug in a slot gets a message box, not a silent console trace
    try:
        try:
            if callable(catalog):
                catalog = catalog()
            window = MainWindow(journal, catalog, clock=Clock(), automatic_backups=True)
        except UserError as error:  # a malformed shipped catalogue
            journal.close()
            messages.show_error(None, error)
            return error.exit_code
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
