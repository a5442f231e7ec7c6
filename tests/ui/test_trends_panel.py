"""The trends panel: score over time with stage changes marked, the slope stage and its suggestion, actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from PySide6.QtCharts import QChart, QXYSeries
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services import actions, selfchecks, slope
from boundary_journal.services.selfchecks import SelfCheckDraft
from boundary_journal.store.journal import Journal
from ui.trends_panel import OVERALL, TrendsPanel, date_format, trend_summary

DAY = datetime(2026, 3, 1, 9, 0)
NOW = datetime(2026, 3, 20, 12, 0)  # the panel's clock: the suggestion's window ends here


@pytest.fixture
def make_panel(qtbot: QtBot, journal: Journal, catalog: Catalog) -> Callable[..., TrendsPanel]:
    def make(pseudonyms: list[str] | None = None) -> TrendsPanel:
        panel = TrendsPanel(journal, catalog)
        panel.now = lambda: NOW
        panel.errors: list[str] = []  # type: ignore[misc]
        panel.show_error = lambda error: panel.errors.append(str(error))  # type: ignore[method-assign,attr-defined]
        panel.outcomes: list[str | None] = []  # type: ignore[misc]
        panel.ask_outcome = lambda action: panel.outcomes.pop(0)  # type: ignore[method-assign,attr-defined]
        qtbot.addWidget(panel)
        panel.resize(600, 700)
        panel.set_pseudonyms(pseudonyms or [])
        panel.show()
        qtbot.waitExposed(panel)
        return panel

    return make


def check_in(
    journal: Journal, catalog: Catalog, day: int, answers: dict[str, int], who: str | None = "Client K"
) -> None:
    selfchecks.add_self_check(
        journal, catalog, SelfCheckDraft(answers, relationship=who, taken_at=DAY.replace(day=day))
    )


def points(series: QXYSeries) -> list[tuple[datetime, float]]:
    return [(QDateTime.fromMSecsSinceEpoch(int(p.x())).toPython(), p.y()) for p in series.points()]


class TestChart:
    """One point per check-in, in date order, at its percent score; stage changes as labelled markers."""

    def test_empty_scope_says_so(self, make_panel) -> None:
        panel = make_panel(["Client K"])
        assert panel.scope() is None and panel.scope_combo.itemText(0) == OVERALL
        assert panel.chart_stack.currentWidget() is panel.empty_label
        assert "No check-ins yet" in panel.empty_label.text()
        assert panel.summary_label.text() == "No check-ins yet."

    def test_points_and_stage_markers(
        self, qtbot: QtBot, make_panel, stored, journal: Journal, catalog: Catalog
    ) -> None:
        stored()
        check_in(journal, catalog, 2, {"slope_look_forward": 1})
        check_in(journal, catalog, 9, {"slope_look_forward": 2, "pull_rescue": 1})
        check_in(journal, catalog, 5, {"pull_rescue": 1}, who=None)
        slope.set_stage(journal, "Client K", 2, when=DAY.replace(day=3))
        slope.set_stage(journal, "Client K", 3, when=DAY.replace(day=8))
        panel = make_panel(["Client K"])

        overall = panel.chart.score_series
        assert panel.chart_stack.currentWidget() is panel.chart
        assert len(points(overall)) == 1 and panel.chart.stage_series.count() == 0

        panel.set_scope("Client K")
        expected = [c.score.percent for c in selfchecks.list_self_checks(journal, catalog, relationship="Client K")]
        assert [p for _, p in points(panel.chart.score_series)] == expected
        assert [when for when, _ in points(panel.chart.score_series)] == [DAY.replace(day=2), DAY.replace(day=9)]
        labels = [
            panel.chart.stage_series.pointConfiguration(i)[QXYSeries.PointConfiguration.LabelFormat]
            for i in range(panel.chart.stage_series.count())
        ]
        assert labels == ["Stage 2", "Stage 3"]
        assert [when for when, _ in points(panel.chart.stage_series)] == [DAY.replace(day=3), DAY.replace(day=8)]
        assert len(panel.chart._markers) == 2  # a dashed vertical line per change
        assert panel.chart.x_axis.min().toPython() < DAY.replace(day=2)
        assert panel.chart.x_axis.max().toPython() > DAY.replace(day=9)
        assert panel.summary_label.text() == trend_summary(
            selfchecks.list_self_checks(journal, catalog, relationship="Client K")
        )

    def test_follows_a_dark_palette(self, qtbot: QtBot, make_panel, journal: Journal, catalog: Catalog) -> None:
        check_in(journal, catalog, 2, {"slope_look_forward": 1}, who=None)
        panel = make_panel()
        chart = panel.chart.chart()
        assert chart.theme() == QChart.ChartTheme.ChartThemeLight
        dark = QPalette(panel.palette())
        for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.Base, "#1e1e1e"),
                             (QPalette.ColorRole.Text, "#e6e6e6"), (QPalette.ColorRole.WindowText, "#e6e6e6")):
            dark.setColor(role, QColor(colour))
        panel.setPalette(dark)
        qtbot.waitUntil(lambda: chart.theme() == QChart.ChartTheme.ChartThemeDark)
        assert chart.backgroundBrush().color() == QColor("#1e1e1e")
        assert panel.chart.y_axis.labelsBrush().color() == QColor("#e6e6e6")
        assert chart.legend().labelColor() == QColor("#e6e6e6")


class TestStage:
    """The current stage, a control to set it, and the suggestion with its reasons."""

    def test_overall_has_no_stage(self, make_panel) -> None:
        panel = make_panel(["Client K"])
        assert not panel.stage_box.isVisible() and panel.overall_hint.isVisible()

    def test_set_a_stage(self, qtbot: QtBot, make_panel, stored, journal: Journal, catalog: Catalog) -> None:
        stored(channel="text_message", response_review={"personal_channel": True})
        panel = make_panel(["Client K"])
        panel.set_scope("Client K")
        assert panel.stage_box.isVisible()
        assert panel.current_stage_label.text() == "Current: not set yet."
        suggestion = slope.suggest_stage(journal, catalog, "Client K", as_of=NOW)
        assert suggestion.stage == 3
        assert panel.suggestion_label.text() == (
            f"Suggested: Stage 3 — {catalog.stage(3).label}, based on the last 90 days to 2026-03-20, because:")
        for reason in suggestion.reasons:
            assert f"• {reason.text()}" in panel.reasons_label.text()
        assert "90 days" in panel.suggestion_label.toolTip()  # the rule, in the app's words
        assert [panel.stage_combo.itemData(i) for i in range(panel.stage_combo.count())] == [1, 2, 3, 4, 5]
        assert panel.stage_combo.currentData() == 3  # nothing set yet: the suggestion is offered

        changed: list[int] = []
        panel.journal_changed.connect(lambda: changed.append(1))
        panel.stage_combo.setCurrentIndex(panel.stage_combo.findData(2))
        qtbot.keyClicks(panel.stage_note_edit, "Evening texts")
        qtbot.mouseClick(panel.set_stage_button, Qt.MouseButton.LeftButton)
        (change,) = slope.stage_history(journal, "Client K")
        assert (change.stage, change.note) == (2, "Evening texts")
        assert changed == [1]
        assert panel.current_stage_label.text().startswith(f"Current: Stage 2 — {catalog.stage(2).label}")
        assert not panel.set_stage_button.isEnabled()  # the chosen stage is the current one
        assert panel.stage_note_edit.text() == ""
        assert panel.chart.stage_series.count() == 1


    def test_a_request_held_by_the_book_suggests_nothing_and_counts_in_favour(
        self, make_panel, stored, journal: Journal, catalog: Catalog
    ) -> None:
        stored(response_review={"acknowledge_and_limit": True})
        panel = make_panel(["Client K"])
        panel.set_scope("Client K")
        assert panel.suggestion_label.text() == ("No stage suggested, based on the last 90 days to 2026-03-20: "
                                                 "nothing you did in that time points to one.")
        assert panel.reasons_label.text().startswith("• In your favour: 1 request, remark or gift")
        assert panel.stage_combo.currentData() == 1

    def test_the_suggestion_comes_down_when_the_conduct_stops(
        self, make_panel, stored, journal: Journal, catalog: Catalog
    ) -> None:
        stored(channel="text_message", response_review={"personal_channel": True})
        panel = make_panel(["Client K"])
        panel.now = lambda: datetime(2026, 6, 10, 9, 0)  # 100 days on
        panel.set_scope("Client K")
        assert panel.suggestion_label.text().startswith("No stage suggested, based on the last 90 days")
        assert not panel.reasons_label.isVisible()


class TestActions:
    """Open actions for the scope (all of them overall); Done… completes one with its outcome."""

    def test_done_with_an_outcome(self, qtbot: QtBot, make_panel, journal: Journal, catalog: Catalog) -> None:
        check_in(journal, catalog, 2, {"hi_pressure_secret": 1})
        check_in(journal, catalog, 3, {"hi_romantic_sexual": 1}, who=None)
        panel = make_panel(["Client K"])
        assert panel.actions_list.count() == 2 and panel.actions_box.title() == "Open actions (all)"
        panel.set_scope("Client K")
        assert panel.actions_list.count() == 1
        item_text = panel.actions_list.item(0).text()
        assert "Client K" in item_text

        panel.outcomes.append(None)  # cancelled: nothing changes
        qtbot.mouseClick(panel.done_button, Qt.MouseButton.LeftButton)
        assert len(actions.list_actions(journal, open_only=True)) == 2

        panel.outcomes.append("Raised in supervision on Tuesday")
        qtbot.mouseClick(panel.done_button, Qt.MouseButton.LeftButton)
        done = [a for a in actions.list_actions(journal) if not a.is_open]
        assert [(a.relationship, a.outcome) for a in done] == [("Client K", "Raised in supervision on Tuesday")]
        assert panel.actions_list.isHidden() and panel.no_actions_label.isVisible()


def test_date_format_by_span() -> None:
    day = 24 * 60 * 60 * 1000
    assert date_format(day) == "d MMM HH:mm"
    assert date_format(30 * day) == "d MMM"
    assert date_format(400 * day) == "MMM yyyy"
