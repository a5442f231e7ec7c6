"""The window's menus and shortcuts: each action made once, with its text, shortcut and tooltip, and the slot the
window hands in. File, Edit, View and Journal are built at once; the Security menu (ui.security_menu) adds itself
after them, and Help comes last (`add_help_menu`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolButton, QWidget

WEEKLY_SHORTCUT = "Ctrl+Shift+W"
ACTIONS_SHORTCUT = "Ctrl+J"
LOCK_SHORTCUT = "Ctrl+L"  # Qt has no standard key for it; KeePassXC locks with Ctrl+L too
COPY_NOTE_SHORTCUT = "Ctrl+Shift+C"

Slot = Callable[[], object]


@dataclass(frozen=True)
class MenuSlots:
    """What each menu action does (the window's controllers and its own methods)."""

    new_entry: Slot
    save: Slot
    export: Slot
    brief: Slot
    quit: Slot
    explore_sample: Slot
    undo_delete: Slot
    delete_entry: Slot
    find: Slot
    copy_note: Slot
    self_check: Slot
    trends: Slot
    actions: Slot
    weekly: Slot
    reminder_settings: Slot
    sources: Slot


class WindowMenus(QObject):
    """The actions of the window's menus. Lock and Lock Settings are made without a slot: the lock controller,
    built after the menus (it keeps Quit enabled while locked), is connected to them by the window."""

    def __init__(self, window: QMainWindow, slots: MenuSlots, *, entry_table: QWidget, guidance: QWidget,
                 guidance_button: QToolButton) -> None:
        super().__init__(window)
        self.window = window
        self.new_action = self._action("&New Entry", QKeySequence.StandardKey.New, slots.new_entry)
        self.save_action = self._action("&Save", QKeySequence.StandardKey.Save, slots.save)
        self.export_action = self._action("&Export…", "Ctrl+E", slots.export)
        self.brief_action = self._action("Ethics-consult &brief…", None, slots.brief)
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, slots.quit)
        self.explore_sample_action = self._action("Explore a Sa&mple Journal…", None, slots.explore_sample)
        self.explore_sample_action.setToolTip("Years of made-up entries in a second window, apart from your journal")
        self.undo_action = self._action("&Undo Delete", QKeySequence.StandardKey.Undo, slots.undo_delete)
        self.undo_action.setEnabled(False)
        # Delete only acts from the list (and the menu), so the Del key keeps working in text fields.
        self.delete_action = self._action("&Delete Entry", QKeySequence.StandardKey.Delete, slots.delete_entry)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        entry_table.addAction(self.delete_action)
        self.find_action = self._action("&Find", QKeySequence.StandardKey.Find, slots.find)
        self.lock_action = self._action("&Lock", LOCK_SHORTCUT)
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # dialogs: see AwayWatcher
        self.lock_action.setToolTip("Close the journal and hide it until the passphrase is typed again")
        self.lock_settings_action = self._action("Lock and &Clipboard Settings…", None)
        self.copy_note_action = self._action("&Copy Documentation Note", COPY_NOTE_SHORTCUT, slots.copy_note)
        self.copy_note_action.setToolTip("Copy the entry's neutral note for the chart; it is cleared after a while")
        self.guidance_action = QAction("&Guidance Panel", window)
        self.guidance_action.setCheckable(True)
        self.guidance_action.setChecked(True)
        self.guidance_action.setIconText("Guidance")
        self.guidance_action.setToolTip("Show or hide the template's scripts, red flags and source")
        self.guidance_action.toggled.connect(guidance.setVisible)
        guidance_button.setDefaultAction(self.guidance_action)
        self.self_check_action = self._action("&Self-check…", "Ctrl+K", slots.self_check)
        self.self_check_action.setToolTip("A red-flag check-in for one relationship or overall")
        self.trends_action = self._action("&Trends", "Ctrl+T", slots.trends)
        self.trends_action.setToolTip("Scores over time, slope stage and open actions")
        self.actions_action = self._action("&Actions", ACTIONS_SHORTCUT, slots.actions)
        self.actions_action.setToolTip("Every action by status, and the weekly exercise's history")
        self.weekly_action = self._action("&Weekly Exercise…", WEEKLY_SHORTCUT, slots.weekly)
        self.weekly_action.setToolTip("One grey relationship, one sentence, one move for this week")
        self.reminder_action = self._action("&Reminder Settings…", None, slots.reminder_settings)
        self.reminder_action.setToolTip("A weekly notification while this week's exercise is not done")
        self.sources_action = self._action("&Sources", None, slots.sources)
        self.sources_action.setToolTip("The articles the catalogue is written from, with their full titles")

        self._menu("&File", self.new_action, self.save_action, self.export_action, self.brief_action, None,
                   self.lock_action, self.lock_settings_action, None, self.explore_sample_action, None,
                   self.quit_action)
        self._menu("&Edit", self.undo_action, self.delete_action, None, self.copy_note_action, None, self.find_action)
        self._menu("&View", self.guidance_action)
        self._menu("&Journal", self.self_check_action, self.trends_action, self.actions_action, None,
                   self.weekly_action, self.reminder_action)

    def add_help_menu(self) -> None:
        """Help, the last menu (after Security)."""
        self._menu("&Help", self.sources_action)

    def _action(self, text: str, shortcut: QKeySequence.StandardKey | str | None, slot: Slot | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if slot is not None:
            action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def _menu(self, title: str, *actions: QAction | None) -> None:
        menu = self.window.menuBar().addMenu(title)
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
