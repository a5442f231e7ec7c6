"""The Trends and Actions tabs on their own (no main window): built and removed with the journal, the
actions tab re-read for the kinds it shows, and one self-check at a time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtWidgets import QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services import actions, selfchecks
from boundary_journal.services.entries import EntryView
from boundary_journal.store.journal import Journal
from tests.ui.conftest import SetClock
from ui.changes import Change, ChangeNotifier
from ui.controllers.entry_list import EntryList
from ui.controllers.panels import TRENDS_TAB, JournalPanels, PanelsPlace
from ui.controllers.session import JournalSession
from ui.dialog_registry import DialogRegistry


@pytest.fixture
def changes() -> ChangeNotifier:
    return ChangeNotifier()


@pytest.fixture
def panels(qtbot: QtBot, journal: Journal, catalog: Catalog, clock: SetClock, changes: ChangeNotifier) -> JournalPanels:
    window = QWidget()
    qtbot.addWidget(window)
    tabs = QTabWidget(window)
    tabs.addTab(QWidget(), "Entries")
    window.show()
    made = JournalPanels(tabs, JournalSession(journal), catalog, clock, changes, DialogRegistry(window), window,
                         pseudonyms=lambda: ["Client K"], exercise_requested=lambda: None,
                         outcome_requested=lambda _exercise: None, status=lambda *_args: None,
                         actions_shortcut="Ctrl+J")
    made.build(journal)
    return made


def action_texts(panels: JournalPanels) -> list[str]:
    model = panels.actions_panel.model
    return [model.action(row).text for row in range(model.rowCount())]


class TestJournalPanels:
    """The tabs come and go with the journal and re-read what changed."""

    def test_built_beside_the_list_and_removed(self, panels: JournalPanels) -> None:
        assert [panels.tabs.tabText(i) for i in range(panels.tabs.count())] == ["Entries", "Trends", "Actions"]
        panels.remove()
        assert panels.tabs.count() == 1

    def test_the_actions_tab_follows_changes_of_actions(
        self, panels: JournalPanels, journal: Journal, changes: ChangeNotifier, stored: Callable[..., EntryView]
    ) -> None:
        panels.show_actions()  # the tab reads the journal when shown
        entry = stored(fields={"what_happened": "x", "documentation_note": "y", "next_step": "Call the team"})
        actions.action_from_entry(journal, entry.id)
        changes.did_change(Change.ENTRIES)  # not a kind the actions tab shows
        assert action_texts(panels) == []
        changes.did_change(Change.ACTIONS)
        assert action_texts(panels) == ["Call the team"]

    def test_one_self_check_at_a_time_and_a_saved_one_shows_the_trends(
        self, panels: JournalPanels, journal: Journal, catalog: Catalog, clock: SetClock, changes: ChangeNotifier
    ) -> None:
        panels.trends.set_pseudonyms(["Client K"])  # as the entry list announces them
        heard: list[Change] = []
        changes.changed.connect(heard.append)
        dialog = panels.self_check()
        assert panels.self_check() is dialog
        dialog.done(0)
        view, action = selfchecks.add_self_check(journal, catalog, selfchecks.SelfCheckDraft(
            {catalog.red_flags[0].id: 1}, relationship="Client K", taken_at=clock.now() - timedelta(days=1)))
        panels._after_self_check(view, action)  # as the dialog does on saving
        assert heard == [Change.SELF_CHECKS | Change.ACTIONS]
        assert panels.tabs.currentWidget() is panels.trends and panels.trends.scope() == "Client K"

    def test_the_trends_follow_the_kinds_they_show_on_their_own(
        self, panels: JournalPanels, journal: Journal, catalog: Catalog, clock: SetClock, changes: ChangeNotifier
    ) -> None:
        panels.show_trends(None)  # overall, shown: it reads at once
        assert panels.trends.chart_stack.currentWidget() is panels.trends.empty_label
        selfchecks.add_self_check(journal, catalog, selfchecks.SelfCheckDraft(
            {catalog.red_flags[0].id: 1}, relationship=None, taken_at=clock.now() - timedelta(days=1)))
        changes.did_change(Change.SETTINGS | Change.EXERCISES)  # no kind the trends show
        assert panels.trends.chart_stack.currentWidget() is panels.trends.empty_label
        changes.did_change(Change.SELF_CHECKS)  # no warnings controller needed
        assert panels.trends.chart_stack.currentWidget() is panels.trends.chart

    @pytest.mark.parametrize("list_first", [True, False])
    def test_the_order_of_subscribers_does_not_matter(
        self, qtbot: QtBot, journal: Journal, catalog: Catalog, clock: SetClock, stored: Callable[..., EntryView],
        list_first: bool,
    ) -> None:
        """A new relationship and its check-in in one change: the trends offer it and show its check-in,
        whether the entry list (which announces the pseudonyms) hears of the change before them or after."""
        changes = ChangeNotifier()
        session = JournalSession(journal)
        listed = EntryList(catalog, session, keep_selected=lambda: None, show_error=pytest.fail,
                           status=lambda *_args: None)
        qtbot.addWidget(listed.pane)
        if list_first:
            changes.changed.connect(listed.on_change)
        window = QWidget()
        qtbot.addWidget(window)
        tabs = QTabWidget(window)
        made = JournalPanels(tabs, session, catalog, clock, changes, DialogRegistry(window), window,
                             pseudonyms=listed.pseudonyms, exercise_requested=lambda: None,
                             outcome_requested=lambda _exercise: None, status=lambda *_args: None,
                             actions_shortcut="Ctrl+J")
        made.build(journal)
        window.show()
        if not list_first:
            changes.changed.connect(listed.on_change)
        listed.pseudonyms_changed.connect(made.set_pseudonyms)
        changes.did_change(Change.ALL)
        made.show_trends("Client Q")
        assert made.trends.scope() is None  # no such relationship yet
        stored(relationship="Client Q")
        selfchecks.add_self_check(journal, catalog, selfchecks.SelfCheckDraft(
            {catalog.red_flags[0].id: 1}, relationship="Client Q", taken_at=clock.now() - timedelta(days=1)))
        changes.did_change(Change.ENTRIES | Change.RELATIONSHIPS | Change.SELF_CHECKS)
        made.show_trends("Client Q")
        assert made.trends.scope() == "Client Q"
        assert made.trends.chart_stack.currentWidget() is made.trends.chart

    def test_a_new_day_re_reads_the_actions_tab(
        self, panels: JournalPanels, journal: Journal, stored: Callable[..., EntryView]
    ) -> None:
        panels.show_actions()
        entry = stored(fields={"what_happened": "x", "documentation_note": "y", "next_step": "Call the team"})
        actions.action_from_entry(journal, entry.id)  # (statuses such as overdue follow the date)
        panels.day_turned()
        assert action_texts(panels) == ["Call the team"]

    def test_the_tab_and_scope_come_back_after_a_lock(
        self, panels: JournalPanels, journal: Journal, stored: Callable[..., EntryView]
    ) -> None:
        stored()  # Client K
        panels.set_pseudonyms(["Client K"])
        panels.show_trends("Client K")
        place = panels.place()
        assert place == PanelsPlace(tab=TRENDS_TAB, trends_scope="Client K")
        panels.remove()
        panels.build(journal)
        panels.set_pseudonyms(["Client K"])
        assert panels.place() != place
        panels.restore(place)
        assert panels.place() == place and panels.tabs.currentWidget() is panels.trends
