"""The Security menu on its own: it needs only a narrow host (no main window), runs its backup off the UI
thread, and opens one security dialog at a time."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

import ui.security_menu
from boundary_journal.store.journal import Journal
from ui.dialog_registry import DialogRegistry
from ui.security_menu import SecurityMenu


@dataclass
class Host:
    """The window as the menu sees it (`SecurityHost`)."""

    held: Journal
    errors: list[str] = field(default_factory=list)
    is_locked: bool = False

    @property
    def journal(self) -> Journal:
        return self.held

    def today(self) -> date:
        return date(2026, 11, 25)

    def show_error(self, error: BaseException | str) -> None:
        self.errors.append(str(error))

    def settle_unsaved_changes(self) -> bool:
        return True

    def discard_editor(self) -> None:
        pass

    def wait_for_backups(self) -> None:
        pass

    def close_journal(self) -> None:
        self.held.close()

    def replace_journal(self, journal: Journal, *, reset: bool = True) -> None:
        self.held = journal

    def close(self) -> bool:
        return True


@dataclass
class Menu:
    menu: SecurityMenu
    host: Host
    window: QMainWindow
    infos: list[str]


@pytest.fixture
def security(qtbot: QtBot, journal: Journal) -> Menu:
    window = QMainWindow()
    qtbot.addWidget(window)
    host = Host(journal)
    menu = SecurityMenu(host, window, window.menuBar(), window.statusBar(), DialogRegistry(window))
    infos: list[str] = []
    menu.show_info = lambda _title, text: infos.append(text)  # type: ignore[method-assign]
    window.show()
    return Menu(menu, host, window, infos)


class TestSecurityMenu:
    """What the menu does with what it is given."""

    def test_it_does_not_import_the_main_window(self) -> None:
        tree = ast.parse(Path(ui.security_menu.__file__).read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "ui.main_window" not in imported

    def test_the_menu_holds_its_actions(self, security: Menu) -> None:
        [menu] = [a.menu() for a in security.window.menuBar().actions() if a.menu() is security.menu.menu]
        assert len([a for a in menu.actions() if not a.isSeparator()]) == 5

    def test_back_up_now_writes_off_the_ui_thread(self, qtbot: QtBot, security: Menu, tmp_path: Path) -> None:
        out = tmp_path / "saved"
        security.menu.choose_backup_path = lambda suggested: (  # type: ignore[method-assign]
            suggested.endswith("journal-2026-11-25.bjbackup") and str(out)
        )
        security.menu.back_up_now()
        qtbot.waitUntil(lambda: not security.menu.busy(), timeout=20_000)
        written = out.with_name("saved.bjbackup")
        assert written.exists() and str(written) in security.infos[0]
        assert str(written) in security.window.statusBar().currentMessage() and security.host.errors == []

    def test_a_failed_backup_reaches_the_hosts_error(self, qtbot: QtBot, security: Menu, tmp_path: Path) -> None:
        security.menu.choose_backup_path = lambda _s: str(tmp_path / "missing" / "x.bjbackup")  # type: ignore
        security.menu.back_up_now()
        qtbot.waitUntil(lambda: not security.menu.busy(), timeout=20_000)
        assert len(security.host.errors) == 1 and security.infos == []

    def test_one_security_dialog_at_a_time(self, security: Menu) -> None:
        dialog = security.menu.change_passphrase()
        assert dialog is not None and security.menu.dialog is dialog
        assert security.menu.new_recovery_code() is dialog  # the open one comes forward
        dialog.done(0)
        assert security.menu.dialog is None
