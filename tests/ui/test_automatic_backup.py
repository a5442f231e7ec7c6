"""Today's automatic backup: made off the UI thread after the window opens and after each unlock; a failure
is a notice in the window, not a box, and the journal is unchanged."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.store import backups
from boundary_journal.store.journal import Journal
from tests.conftest import PASSPHRASE
from tests.unit.test_backups import with_manifest
from ui.main_window import MainWindow


def backing_up_window(qtbot: QtBot, journal: Journal, catalog: Catalog, clock) -> MainWindow:
    window = MainWindow(journal, catalog, clock=clock, automatic_backups=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def made(data_dir: Path) -> list[backups.BackupInfo]:
    return backups.list_backups(backups.backup_folder(data_dir))


def test_made_after_the_window_opens(qtbot: QtBot, journal: Journal, catalog: Catalog, clock, data_dir: Path) -> None:
    window = backing_up_window(qtbot, journal, catalog, clock)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Today's automatic backup is made and checked")
    [info] = made(data_dir)
    assert info.reason == "automatic" and info.created_at.date() == clock.today()
    assert not window.backup_notice.isVisible()
    window.close()


def test_a_failure_is_a_notice_not_a_box(
    qtbot: QtBot, journal: Journal, catalog: Catalog, clock, data_dir: Path
) -> None:
    (data_dir / "backups").write_text("a file where the backups folder should be")
    window = backing_up_window(qtbot, journal, catalog, clock)
    qtbot.waitUntil(window.backup_notice.isVisible)
    assert QApplication.activeModalWidget() is None
    assert window.backup_notice.text().startswith("Today's automatic backup was not made.")
    assert "unchanged" in window.backup_notice.text()
    qtbot.mouseClick(window.backup_notice.dismiss_button, Qt.MouseButton.LeftButton)
    assert not window.backup_notice.isVisible()
    window.close()


def test_made_again_after_unlocking(qtbot: QtBot, journal: Journal, catalog: Catalog, clock, data_dir: Path) -> None:
    window = backing_up_window(qtbot, journal, catalog, clock)
    qtbot.waitUntil(lambda: len(made(data_dir)) == 1)
    window.locking.lock()
    for info in made(data_dir):
        info.path.unlink()  # as if the lock had lasted into the next day
    qtbot.wait(100)
    assert made(data_dir) == []  # not while locked
    qtbot.keyClicks(window.lock_screen.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(window.lock_screen.passphrase_edit, Qt.Key.Key_Return)
    assert not window.is_locked
    qtbot.waitUntil(lambda: len(made(data_dir)) == 1)
    window.close()
    window.close_journal()


def test_made_beside_a_copied_in_backup_from_another_time_zone(
    qtbot: QtBot, journal: Journal, catalog: Catalog, clock, data_dir: Path, tmp_path: Path
) -> None:
    template = backups.make_backup(journal, out=tmp_path / "template.bjbackup").path
    folder = backups.backup_folder(data_dir)
    folder.mkdir(mode=0o700)
    with_manifest(template, folder / "from-the-laptop.bjbackup", created_at="2026-11-22T10:00:00+05:00")
    window = backing_up_window(qtbot, journal, catalog, clock)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Today's automatic backup is made and checked")
    assert not window.backup_notice.isVisible()
    assert len(made(data_dir)) == 2
    window.close()
