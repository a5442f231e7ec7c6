"""The Trends and Actions tabs beside the entry list, and the self-check that feeds the trends.

The panels are built anew at each unlock (`build`) and removed at each lock (`remove`), so a locked
window keeps nothing they showed. Both tabs subscribe to the change signal for the kinds they show (the
trends: entries, relationships, actions, self-checks; the actions tab: actions and exercises), so they do not
depend on who else listens or in which order. A new day is not a data change: `day_turned` is its hook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QTabWidget, QWidget

from boundary_journal.catalog import Catalog
from boundary_journal.services.actions import ActionView
from boundary_journal.services.selfchecks import SelfCheckView
from boundary_journal.services.weekly import ExerciseView
from boundary_journal.store.journal import Journal
from ui.actions_panel import ActionsPanel
from ui.changes import Change, ChangeNotifier
from ui.clock import Clock
from ui.controllers.session import JournalSession, Status
from ui.dialog_registry import DialogRegistry
from ui.selfcheck_dialog import SelfCheckDialog
from ui.trends_panel import TrendsPanel

STATUS_TIMEOUT_MS = 10_000
TRENDS_TAB, ACTIONS_TAB = 1, 2  # after the entry list
# What the Trends tab is read from: check-ins, stages (relationship data), the stage suggestion (entries), open actions.
TRENDS_SHOW = Change.ENTRIES | Change.RELATIONSHIPS | Change.ACTIONS | Change.SELF_CHECKS
ACTIONS_SHOW = Change.ACTIONS | Change.EXERCISES


@dataclass(frozen=True)
class PanelsPlace:
    """Which tab was shown and which scope the trends showed (kept in memory over a lock)."""

    tab: int
    trends_scope: str | None


class JournalPanels(QObject):
    """The Trends and Actions tabs of `tabs`, and the self-check dialog (window-modal, one at a time)."""

    def __init__(
        self,
        tabs: QTabWidget,
        session: JournalSession,
        catalog: Catalog,
        clock: Clock,
        changes: ChangeNotifier,
        dialogs: DialogRegistry,
        parent_widget: QWidget,
        *,
        pseudonyms: Callable[[], list[str]],
        exercise_requested: Callable[[], object],
        outcome_requested: Callable[[ExerciseView], object],
        status: Status,
        actions_shortcut: str,
    ) -> None:
        super().__init__(parent_widget)
        self.tabs, self.session, self.catalog, self.clock = tabs, session, catalog, clock
        self.changes, self.dialogs, self.parent_widget = changes, dialogs, parent_widget
        self._pseudonyms, self._exercise_requested = pseudonyms, exercise_requested
        self._outcome_requested, self._status, self._actions_shortcut = outcome_requested, status, actions_shortcut
        changes.changed.connect(self.on_change)

    def build(self, journal: Journal) -> None:
        """The Trends and Actions tabs, read from `journal`."""
        self.trends = TrendsPanel(journal, self.catalog)
        self.trends.now = self.clock.now
        self.trends.self_check_requested.connect(self.self_check)
        # A stage set (relationship data) or an action done.
        self.trends.journal_changed.connect(lambda: self.changes.did_change(Change.RELATIONSHIPS | Change.ACTIONS))
        self.actions_panel = ActionsPanel(journal, self.catalog, self.clock)
        self.actions_panel.journal_changed.connect(lambda: self.changes.did_change(Change.ACTIONS))
        self.actions_panel.exercise_requested.connect(lambda: self._exercise_requested())
        self.actions_panel.outcome_requested.connect(lambda exercise: self._outcome_requested(exercise))
        self.tabs.insertTab(TRENDS_TAB, self.trends, "Trends")
        self.tabs.insertTab(ACTIONS_TAB, self.actions_panel, "Actions")
        self.tabs.setTabToolTip(TRENDS_TAB, "Scores over time, slope stage and open actions (Ctrl+T)")
        self.tabs.setTabToolTip(ACTIONS_TAB,
                                f"Every action by status, and the weekly history ({self._actions_shortcut})")

    def remove(self) -> None:
        for panel in (self.trends, self.actions_panel):
            self.tabs.removeTab(self.tabs.indexOf(panel))
            panel.hide()
            panel.deleteLater()  # not at once: the lock may have come from inside one of their slots

    def set_journal(self, journal: Journal) -> None:
        """A journal put in place of the closed one (a restore): the panels read it from now on."""
        self.trends.journal = journal
        self.actions_panel.journal = journal

    def on_change(self, kinds: Change) -> None:
        if self.session.is_locked:
            return
        if kinds & TRENDS_SHOW:
            self.trends.refresh()  # put off while the tab is hidden
        if kinds & ACTIONS_SHOW:
            self.actions_panel.refresh()

    def day_turned(self) -> None:
        """A new day (not a data change): the actions' due and overdue statuses depend on the date."""
        if not self.session.is_locked:
            self.actions_panel.refresh()

    def set_pseudonyms(self, pseudonyms: list[str]) -> None:
        """The relationships the journal holds, re-read: the trends offer them (and re-read themselves)."""
        self.trends.set_pseudonyms(pseudonyms)

    def select_action(self, action_id: int) -> None:
        self.actions_panel.select_action(action_id)

    # --- locking -------------------------------------------------------------------------------

    def place(self) -> PanelsPlace:
        return PanelsPlace(tab=self.tabs.currentIndex(), trends_scope=self.trends.scope())

    def restore(self, place: PanelsPlace) -> None:
        """After unlocking (the panels built and read again): the same scope and tab as before."""
        self.trends.set_scope(place.trends_scope)
        self.tabs.setCurrentIndex(place.tab)

    def show_trends(self, pseudonym: str | None) -> None:
        self.trends.set_scope(pseudonym)
        self.tabs.setCurrentWidget(self.trends)
        self.trends.scope_combo.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_trends_tab(self) -> None:
        """The Trends tab, for the scope it already shows (View ▸ Trends)."""
        self.show_trends(self.trends.scope())

    def show_actions(self) -> None:
        self.tabs.setCurrentWidget(self.actions_panel)
        self.actions_panel.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def self_check(self) -> SelfCheckDialog:
        """Open the self-check for the relationship the trends show (or overall); window-modal, not blocking."""

        def make() -> SelfCheckDialog:
            dialog = SelfCheckDialog(self.session.journal, self.catalog, self._pseudonyms(), self.trends.scope(),
                                     self.parent_widget, now=self.clock.now)
            dialog.saved.connect(self._after_self_check)
            return dialog

        return self.dialogs.open(SelfCheckDialog, make, activate=True)

    def _after_self_check(self, view: SelfCheckView, action: ActionView | None) -> None:
        self.changes.did_change(Change.SELF_CHECKS | Change.ACTIONS)
        self.show_trends(view.relationship)
        message = "Check-in saved"
        if action is not None:
            message += f"; action added: {action.text}"
        self._status(message, STATUS_TIMEOUT_MS)
