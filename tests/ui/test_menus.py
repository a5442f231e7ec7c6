"""The window's menus, built on a bare QMainWindow: every action in its menu, each slot reached, no shortcut twice."""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtWidgets import QMainWindow, QTableView, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from ui.menus import MenuSlots, WindowMenus


def build(qtbot: QtBot) -> tuple[QMainWindow, WindowMenus, list[str], QWidget]:
    window = QMainWindow()
    qtbot.addWidget(window)
    called: list[str] = []
    slots = MenuSlots(**{f.name: (lambda *_checked, name=f.name: called.append(name)) for f in fields(MenuSlots)})
    guidance = QWidget(window)
    menus = WindowMenus(window, slots, entry_table=QTableView(window), guidance=guidance,
                        guidance_button=QToolButton(window))
    window.menuBar().addMenu("&Security")  # where ui.security_menu adds itself
    menus.add_help_menu()
    return window, menus, called, guidance


def test_the_menus_in_their_order(qtbot: QtBot) -> None:
    window, _menus, _called, _guidance = build(qtbot)
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Journal", "&Security", "&Help"]


def test_each_action_reaches_its_slot(qtbot: QtBot) -> None:
    _window, menus, called, _guidance = build(qtbot)
    pairs = {"new_entry": menus.new_action, "save": menus.save_action, "export": menus.export_action,
             "brief": menus.brief_action, "quit": menus.quit_action, "explore_sample": menus.explore_sample_action,
             "delete_entry": menus.delete_action, "find": menus.find_action, "copy_note": menus.copy_note_action,
             "self_check": menus.self_check_action, "trends": menus.trends_action, "actions": menus.actions_action,
             "weekly": menus.weekly_action, "reminder_settings": menus.reminder_action, "sources": menus.sources_action}
    for name, action in pairs.items():
        action.trigger()
        assert called[-1] == name
    menus.undo_action.setEnabled(True)
    menus.undo_action.trigger()
    assert called[-1] == "undo_delete"
    assert {f.name for f in fields(MenuSlots)} == set(called)


def test_no_shortcut_is_given_twice_and_guidance_toggles_its_panel(qtbot: QtBot) -> None:
    window, menus, _called, guidance = build(qtbot)
    shortcuts = [action.shortcut().toString() for action in window.actions() if not action.shortcut().isEmpty()]
    assert len(shortcuts) == len(set(shortcuts))
    assert not menus.undo_action.isEnabled()  # until something is deleted
    window.show()
    menus.guidance_action.setChecked(False)
    assert not guidance.isVisible()
    menus.guidance_action.setChecked(True)
    assert guidance.isVisible()
