"""Starting the window: set-up on first start, unlock afterwards, then the main window until it closes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from boundary_journal import APP_NAME
from boundary_journal.catalog import Catalog
from boundary_journal.errors import CatalogError, JournalInUse
from boundary_journal.store import instance
from boundary_journal.store.journal import Journal
from boundary_journal.store.paths import journal_path
from ui.app import application, open_journal_dialog, run
from ui.main_window import MainWindow
from ui.setup_dialog import SetupDialog
from ui.unlock_dialog import UnlockDialog

PASSPHRASE = "correct horse battery"  # tests/conftest.py


@pytest.fixture
def app_name_restored(qapp: QApplication) -> Iterator[None]:
    name, display = qapp.applicationName(), qapp.applicationDisplayName()
    yield
    qapp.setApplicationName(name)
    qapp.setApplicationDisplayName(display)


class TestDialogChoice:
    """No journal file: the set-up dialog; a journal file: the unlock dialog."""

    def test_setup_when_there_is_no_journal(self, qtbot: QtBot, data_dir: Path) -> None:
        dialog = open_journal_dialog(data_dir)
        qtbot.addWidget(dialog)
        assert isinstance(dialog, SetupDialog)
        assert dialog.path == journal_path(data_dir)

    def test_unlock_when_there_is_one(self, qtbot: QtBot, journal: Journal, data_dir: Path) -> None:
        dialog = open_journal_dialog(data_dir)
        qtbot.addWidget(dialog)
        assert isinstance(dialog, UnlockDialog)


def test_application_is_named(app_name_restored: None) -> None:
    app = application()
    assert app is QApplication.instance()
    assert app.applicationName() == APP_NAME


class TestRun:
    """run() unlocks, shows the main window, returns 0 when it closes, and closes the journal."""

    def test_unlock_then_window(
        self, qtbot: QtBot, journal: Journal, data_dir: Path, catalog: Catalog, app_name_restored: None
    ) -> None:
        journal.close()
        seen: list[str] = []

        def drive() -> None:
            try:
                modal = QApplication.activeModalWidget()
                windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
                if isinstance(modal, UnlockDialog) and "unlock" not in seen:
                    seen.append("unlock")
                    qtbot.keyClicks(modal.passphrase_edit, PASSPHRASE)
                    qtbot.mouseClick(modal.ok_button, Qt.MouseButton.LeftButton)
                elif windows:
                    seen.append("window")
                    windows[0].close()
                    return
                QTimer.singleShot(20, drive)
            except BaseException:
                QApplication.exit(1)  # never leave the test waiting in an event loop
                raise

        QTimer.singleShot(0, drive)
        assert run(data_dir, catalog) == 0
        assert seen == ["unlock", "window"]

    def test_the_catalogue_loads_after_unlocking_and_a_malformed_one_is_said(
        self, qtbot: QtBot, journal: Journal, data_dir: Path, app_name_restored: None
    ) -> None:
        journal.close()
        seen: list[str] = []

        def malformed() -> Catalog:
            seen.append("loaded")
            raise CatalogError("templates.toml: template 'x' has no title")

        def drive() -> None:
            modal = QApplication.activeModalWidget()
            if isinstance(modal, UnlockDialog) and not seen:
                seen.append("unlock")  # the first window is up before the catalogue is read
                qtbot.keyClicks(modal.passphrase_edit, PASSPHRASE)
                qtbot.mouseClick(modal.ok_button, Qt.MouseButton.LeftButton)
            elif isinstance(modal, QMessageBox):
                seen.append(modal.text())
                qtbot.mouseClick(modal.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
                return
            QTimer.singleShot(20, drive)

        QTimer.singleShot(0, drive)
        assert run(data_dir, malformed) == CatalogError.exit_code == 6
        assert seen[:2] == ["unlock", "loaded"] and "has no title" in seen[2]
        instance.acquire(data_dir).release()  # the journal and the folder were let go

    def test_quitting_the_setup_creates_nothing(
        self, qtbot: QtBot, data_dir: Path, catalog: Catalog, app_name_restored: None
    ) -> None:
        def quit_setup() -> None:
            modal = QApplication.activeModalWidget()
            if not isinstance(modal, SetupDialog):
                QTimer.singleShot(20, quit_setup)
                return
            qtbot.keyClick(modal, Qt.Key.Key_Escape)

        QTimer.singleShot(0, quit_setup)
        assert run(data_dir, catalog) == 0
        assert not journal_path(data_dir).exists()


class TestOneInstance:
    """A second start on a data folder that is in use says so, exits with 7 and touches nothing."""

    def test_second_start_is_told_and_changes_nothing(
        self, qtbot: QtBot, journal: Journal, data_dir: Path, catalog: Catalog, app_name_restored: None
    ) -> None:
        journal.close()
        seen: list[str] = []

        def read_the_message() -> None:
            modal = QApplication.activeModalWidget()
            if not isinstance(modal, QMessageBox):
                QTimer.singleShot(20, read_the_message)
                return
            seen.append(modal.text())
            qtbot.mouseClick(modal.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

        with instance.acquire(data_dir):  # the first window (or a writing command) holds the folder
            before = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()}
            QTimer.singleShot(0, read_the_message)
            assert run(data_dir, catalog) == JournalInUse.exit_code == 7
            after = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()}
        [text] = seen
        assert "is open in another Boundary Journal window or command" in text
        assert str(data_dir) in text
        assert after == before
        assert not (data_dir / "backups").exists()

    def test_the_folder_is_free_again_after_the_window_closes(
        self, qtbot: QtBot, journal: Journal, data_dir: Path, catalog: Catalog, app_name_restored: None
    ) -> None:
        journal.close()

        def unlock_then_close() -> None:
            modal = QApplication.activeModalWidget()
            windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
            if isinstance(modal, UnlockDialog):
                qtbot.keyClicks(modal.passphrase_edit, PASSPHRASE)
                qtbot.mouseClick(modal.ok_button, Qt.MouseButton.LeftButton)
            elif windows:
                with pytest.raises(JournalInUse):  # held while the window is open
                    instance.acquire(data_dir)
                windows[0].close()
                return
            QTimer.singleShot(20, unlock_then_close)

        QTimer.singleShot(0, unlock_then_close)
        assert run(data_dir, catalog) == 0
        instance.acquire(data_dir).release()  # released when the app ends
