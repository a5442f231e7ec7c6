"""The change signal: one notice carrying what kind of data changed."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.changes import Change, ChangeNotifier, touches


class TestChangeNotifier:
    """Panels hear every change once, and can tell whether it concerns them."""

    def test_subscribers_hear_what_kind_changed(self, qtbot: QtBot) -> None:
        changes = ChangeNotifier()
        heard: list[Change] = []
        changes.changed.connect(heard.append)
        changes.did_change(Change.ENTRIES | Change.RELATIONSHIPS)
        assert heard == [Change.ENTRIES | Change.RELATIONSHIPS]

    def test_nothing_is_sent_for_no_change(self, qtbot: QtBot) -> None:
        changes = ChangeNotifier()
        heard: list[Change] = []
        changes.changed.connect(heard.append)
        changes.did_change(Change.NONE)
        assert heard == []

    def test_a_panel_refreshes_only_for_the_kinds_it_shows(self) -> None:
        assert touches(Change.ENTRIES | Change.ACTIONS, Change.ACTIONS)
        assert not touches(Change.SETTINGS, Change.ENTRIES | Change.RELATIONSHIPS)
        assert all(touches(Change.ALL, kind) for kind in Change if kind)
