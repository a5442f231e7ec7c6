"""Trends beside the entry list: the red-flag score over time (stage changes marked), the relationship's
slope stage with the stage the evidence suggests, and the open actions.

Every change goes through the slope and actions services; the panel emits `journal_changed` afterwards
so the window can refresh its warnings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QScatterSeries, QValueAxis, QXYSeries
from PySide6.QtCore import QDateTime, QEvent, QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QPainter, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from boundary_journal.catalog import Catalog
from boundary_journal.errors import UserError
from boundary_journal.services import actions, selfchecks, slope
from boundary_journal.services.actions import ActionView
from boundary_journal.services.selfchecks import SelfCheckView
from boundary_journal.services.slope import StageChangeView, StageSuggestion
from boundary_journal.store.journal import Journal
from ui import messages
from ui.lazy import RefreshedWhenShown
from ui.notices import AMBER, rich_tooltip

OVERALL = "Overall"
SCORE_SERIES = "Red-flag score (%)"
STAGE_SERIES = "Stage set"
ACTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DAY_MS = 24 * 60 * 60 * 1000
ORIGINS = {"self_check": "from a check-in", "entry": "from an entry", "exercise": "from an exercise", "manual": ""}


def msecs(when: datetime) -> float:
    return float(QDateTime(when).toMSecsSinceEpoch())


def stage_text(catalog: Catalog, number: int) -> str:
    stage = catalog.stage(number)
    return f"Stage {number} — {stage.label}" if stage else f"Stage {number}"


def trend_summary(checks: Sequence[SelfCheckView]) -> str:
    """One sentence a screen reader (or a glance) can use instead of the chart."""
    if not checks:
        return "No check-ins yet."
    latest = checks[-1]
    text = (
        f"{len(checks)} check-in{'s' if len(checks) != 1 else ''}; latest {latest.score.percent}% "
        f"on {latest.taken_at:%Y-%m-%d}"
    )
    if len(checks) > 1:
        text += f" (before: {checks[-2].score.percent}%)"
    return text + "."


def date_format(span_ms: float) -> str:
    if span_ms > 300 * DAY_MS:
        return "MMM yyyy"
    if span_ms > 2 * DAY_MS:
        return "d MMM"
    return "d MMM HH:mm"


class TrendChart(QChartView):
    """The score of each check-in over time, with the stage changes as labelled markers; palette colours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName("Red-flag score over time")
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 10)
        self._checks: list[SelfCheckView] = []
        self._stages: list[StageChangeView] = []
        self._markers: list[QLineSeries] = []

        chart = QChart()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setChart(chart)
        chart.plotAreaChanged.connect(self._place_stage_markers)

        self.x_axis = QDateTimeAxis()
        self.y_axis = QValueAxis()
        self.y_axis.setRange(0, 100)
        self.y_axis.setTickCount(6)
        self.y_axis.setLabelFormat("%d")
        self.y_axis.setTitleText("Score (%)")
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)

        self.score_series = QLineSeries()
        self.score_series.setName(SCORE_SERIES)
        self.score_series.setPointsVisible(True)
        self.score_series.hovered.connect(self._hovered)
        self.stage_series = QScatterSeries()
        self.stage_series.setName(STAGE_SERIES)
        self.stage_series.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeTriangle)
        self.stage_series.setPointLabelsClipping(False)
        for series in (self.score_series, self.stage_series):
            chart.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.apply_palette()

    def show_trend(self, checks: Sequence[SelfCheckView], stages: Sequence[StageChangeView]) -> None:
        """Plot `checks` (date order) and mark `stages`; the time axis spans both."""
        chart = self.chart()
        self._checks = list(checks)
        self.score_series.replace([QPointF(msecs(c.taken_at), c.score.percent) for c in checks])
        self._stages = list(stages)
        for marker in self._markers:
            chart.removeSeries(marker)
            marker.deleteLater()
        self._markers = []
        for _change in stages:
            line = QLineSeries()
            chart.addSeries(line)
            line.attachAxis(self.x_axis)
            line.attachAxis(self.y_axis)
            for legend_marker in chart.legend().markers(line):
                legend_marker.setVisible(False)
            self._markers.append(line)
        self.stage_series.clearPointsConfiguration()
        self._place_stage_markers()
        for index, change in enumerate(stages):
            self.stage_series.setPointConfiguration(index, {
                QXYSeries.PointConfiguration.LabelVisibility: True,
                QXYSeries.PointConfiguration.LabelFormat: f"Stage {change.stage}",
            })
        self.stage_series.setVisible(bool(stages))
        for legend_marker in chart.legend().markers(self.stage_series):
            legend_marker.setVisible(bool(stages))

        times = [msecs(c.taken_at) for c in checks] + [msecs(s.set_at) for s in stages]
        if times:
            low, high = min(times), max(times)
            pad = max((high - low) * 0.06, DAY_MS / 2)
            self.x_axis.setRange(QDateTime.fromMSecsSinceEpoch(int(low - pad)),
                                 QDateTime.fromMSecsSinceEpoch(int(high + pad)))
            self.x_axis.setFormat(date_format(high - low + 2 * pad))
        self._fit_ticks()
        self.apply_palette()

    def _place_stage_markers(self, *_args: object) -> None:
        """Stage markers, their labels above them, inside the top of the plot (which clips what lies beyond)."""
        height = self.chart().plotArea().height()
        room = self.stage_series.markerSize() / 2 + self.fontMetrics().height() + 4
        top = 100 - min(room * 100 / height, 25) if height > 0 else 90
        self.stage_series.replace([QPointF(msecs(s.set_at), top) for s in self._stages])
        for line, change in zip(self._markers, self._stages, strict=False):
            line.replace([QPointF(msecs(change.set_at), 0), QPointF(msecs(change.set_at), top)])

    def apply_palette(self) -> None:
        """Colours and fonts from the widget's palette and font, so dark mode and text scaling carry over."""
        palette = self.palette()
        chart = self.chart()
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
        text = palette.color(QPalette.ColorRole.Text)
        grid = palette.color(QPalette.ColorRole.Mid)
        chart.setBackgroundBrush(palette.brush(QPalette.ColorRole.Base))
        chart.setBackgroundRoundness(0)
        chart.setBackgroundPen(QPen(Qt.PenStyle.NoPen))
        chart.legend().setLabelColor(text)
        chart.legend().setFont(self.font())
        for axis in (self.x_axis, self.y_axis):
            axis.setLabelsColor(text)
            axis.setLabelsFont(self.font())
            axis.setTitleBrush(text)
            axis.setTitleFont(self.font())
            axis.setGridLineColor(grid)
            axis.setLinePenColor(grid)
        line = palette.color(QPalette.ColorRole.Highlight)
        line = line.lighter(135) if dark else line
        self.score_series.setPen(QPen(line, 2.5))
        self.score_series.setColor(line)
        marker = AMBER.darker(115) if not dark else AMBER
        self.stage_series.setColor(marker)
        self.stage_series.setBorderColor(marker)
        self.stage_series.setMarkerSize(self.fontMetrics().height() * 0.7)
        self.stage_series.setPointLabelsColor(text)
        self.stage_series.setPointLabelsFont(self.font())
        dashed = QPen(QColor(marker), 1.2, Qt.PenStyle.DashLine)
        for line in self._markers:
            line.setPen(dashed)

    def _fit_ticks(self) -> None:
        label = self.fontMetrics().horizontalAdvance("30 Sep 23:59") * 1.5
        self.x_axis.setTickCount(max(2, min(7, int(self.width() / max(label, 1)))))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_ticks()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.apply_palette()

    def _hovered(self, point: QPointF, state: bool) -> None:
        if not state or not self._checks:
            QToolTip.hideText()
            return
        check = min(self._checks, key=lambda c: abs(msecs(c.taken_at) - point.x()))
        lines = [
            f"{check.taken_at:%Y-%m-%d %H:%M} — {check.score.percent}% "
            f"({check.score.points} of {check.score.maximum} points)",
            f"{len(check.ticked)} item{'s' if len(check.ticked) != 1 else ''} ticked",
        ]
        if check.context:
            lines.append(check.context)
        QToolTip.showText(QCursor.pos(), rich_tooltip(*lines), self)


class TrendsPanel(RefreshedWhenShown, QWidget):
    """Score trend, slope stage and open actions for the chosen scope (Overall or one relationship)."""

    self_check_requested = Signal()
    journal_changed = Signal()

    def __init__(self, journal: Journal, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.catalog = catalog
        self._stage: int | None = None
        self.now: Callable[[], datetime] = datetime.now  # the window's clock, so the suggestion's window ends now
        self.setAccessibleName("Trends")

        self.scope_combo = QComboBox()
        self.scope_combo.addItem(OVERALL, None)
        self.scope_combo.setAccessibleName("Trend for")
        self.scope_combo.setToolTip("Overall check-ins, or one relationship's")
        self.scope_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scope_combo.setMinimumContentsLength(12)
        self.scope_combo.currentIndexChanged.connect(self.refresh)
        scope_label = QLabel("Trend &for")
        scope_label.setBuddy(self.scope_combo)
        self.self_check_button = QPushButton("Self-check…")
        self.self_check_button.setAccessibleName("Self-check")
        self.self_check_button.setToolTip("Do a red-flag check-in for this scope (Ctrl+K)")
        self.self_check_button.clicked.connect(self.self_check_requested)
        header = QHBoxLayout()
        header.addWidget(scope_label)
        header.addWidget(self.scope_combo, 1)
        header.addWidget(self.self_check_button)

        self.chart = TrendChart()
        self.empty_label = QLabel()
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setAccessibleName("No trend yet")
        self.chart_stack = QStackedWidget()
        self.chart_stack.addWidget(self.empty_label)
        self.chart_stack.addWidget(self.chart)
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName("Trend summary")
        chart_side = QWidget()
        chart_layout = QVBoxLayout(chart_side)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart_stack, 1)
        chart_layout.addWidget(self.summary_label)

        self._build_stage_box()
        self._build_actions_box()
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.stage_box)
        details_layout.addWidget(self.overall_hint)
        details_layout.addWidget(self.actions_box)
        details_layout.addStretch(1)
        self.details_scroll = QScrollArea()
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.details_scroll.setWidget(details)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(chart_side)
        self.splitter.addWidget(self.details_scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.splitter, 1)
        self.refresh()

    def _build_stage_box(self) -> None:
        self.stage_box = QGroupBox("Slope stage")
        self.stage_box.setAccessibleName("Slope stage")
        self.current_stage_label = QLabel()
        self.current_stage_label.setTextFormat(Qt.TextFormat.PlainText)
        self.current_stage_label.setWordWrap(True)
        self.current_stage_label.setAccessibleName("Current stage")
        self.suggestion_label = QLabel()
        self.suggestion_label.setTextFormat(Qt.TextFormat.PlainText)
        self.suggestion_label.setWordWrap(True)
        self.suggestion_label.setAccessibleName("Suggested stage")
        self.suggestion_label.setToolTip(rich_tooltip(self.catalog.slope_rule.explanation()))
        self.reasons_label = QLabel()
        self.reasons_label.setTextFormat(Qt.TextFormat.PlainText)
        self.reasons_label.setWordWrap(True)
        self.reasons_label.setAccessibleName("Why this stage is suggested")
        self.reasons_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.stage_combo = QComboBox()
        for stage in self.catalog.slope_stages:
            self.stage_combo.addItem(f"{stage.number} — {stage.label}", stage.number)
            self.stage_combo.setItemData(self.stage_combo.count() - 1, stage.description, Qt.ItemDataRole.ToolTipRole)
        self.stage_combo.setAccessibleName("Stage to set")
        self.stage_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.stage_combo.setMinimumContentsLength(14)
        self.stage_combo.currentIndexChanged.connect(self._stage_choice_changed)
        self.stage_note_edit = QLineEdit()
        self.stage_note_edit.setPlaceholderText("Why (optional)")
        self.stage_note_edit.setAccessibleName("Why this stage")
        self.set_stage_button = QPushButton("Set stage")
        self.set_stage_button.setAccessibleName("Set stage")
        self.set_stage_button.setToolTip("Record where on the slope this relationship is now, in your judgement")
        self.set_stage_button.clicked.connect(self.set_stage)
        self.stage_note_edit.returnPressed.connect(self.set_stage)

        grid = QGridLayout(self.stage_box)
        grid.addWidget(self.current_stage_label, 0, 0, 1, 3)
        grid.addWidget(self.stage_combo, 1, 0)
        grid.addWidget(self.stage_note_edit, 1, 1)
        grid.addWidget(self.set_stage_button, 1, 2)
        grid.addWidget(self.suggestion_label, 2, 0, 1, 3)
        grid.addWidget(self.reasons_label, 3, 0, 1, 3)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

        self.overall_hint = QLabel("Slope stages are set per relationship: choose one under “Trend for”.")
        self.overall_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.overall_hint.setWordWrap(True)

    def _build_actions_box(self) -> None:
        self.actions_box = QGroupBox("Open actions")
        self.actions_box.setAccessibleName("Open actions")
        self.actions_list = QListWidget()
        self.actions_list.setAccessibleName("Open actions")
        self.actions_list.setWordWrap(True)
        self.actions_list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.actions_list.currentRowChanged.connect(self._action_selected)
        self.actions_list.itemActivated.connect(lambda _item: self.complete_selected_action())
        self.no_actions_label = QLabel("No open actions.")
        self.no_actions_label.setTextFormat(Qt.TextFormat.PlainText)
        self.done_button = QPushButton("Done…")
        self.done_button.setAccessibleName("Mark the selected action done")
        self.done_button.setToolTip("Mark the selected action done, with what came of it")
        self.done_button.clicked.connect(self.complete_selected_action)
        layout = QVBoxLayout(self.actions_box)
        layout.addWidget(self.no_actions_label)
        layout.addWidget(self.actions_list)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.done_button)
        layout.addLayout(row)

    # --- prompts (replaced in tests) -----------------------------------------------------

    def ask_outcome(self, action: ActionView) -> str | None:
        """What came of the action; None when the clinician cancels."""
        return messages.ask_text(self, "Action done", f"What came of it?\n\n{action.text}")

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)

    # --- what the window asks ------------------------------------------------------------

    def scope(self) -> str | None:
        """The relationship shown, or None for the overall check-ins."""
        return self.scope_combo.currentData()

    def set_scope(self, pseudonym: str | None) -> None:
        index = self.scope_combo.findData(pseudonym) if pseudonym is not None else 0
        if index >= 0 and index != self.scope_combo.currentIndex():
            self.scope_combo.setCurrentIndex(index)  # refreshes
        elif index >= 0:
            self.refresh()

    def set_pseudonyms(self, pseudonyms: Sequence[str]) -> None:
        """Offer these relationships, keeping the one shown if it is still there."""
        current = self.scope()
        self.scope_combo.blockSignals(True)
        try:
            while self.scope_combo.count() > 1:
                self.scope_combo.removeItem(1)
            for pseudonym in pseudonyms:
                self.scope_combo.addItem(pseudonym, pseudonym)
            index = self.scope_combo.findData(current) if current is not None else 0
            self.scope_combo.setCurrentIndex(max(index, 0))
        finally:
            self.scope_combo.blockSignals(False)
        self.refresh()

    def reread(self) -> None:
        """Re-read the scope's check-ins, stages, suggestion and actions from the journal."""
        pseudonym = self.scope()
        try:
            if pseudonym is None:
                checks = selfchecks.list_self_checks(self.journal, self.catalog, overall=True)
                stages: list[StageChangeView] = []
                suggestion = None
            else:
                checks = selfchecks.list_self_checks(self.journal, self.catalog, relationship=pseudonym)
                stages = slope.stage_history(self.journal, pseudonym)
                suggestion = slope.suggest_stage(self.journal, self.catalog, pseudonym, as_of=self.now())
            open_actions = actions.list_actions(self.journal, open_only=True)
        except UserError as error:
            self.show_error(error)
            return
        scope_name = pseudonym or "your overall practice"
        if checks or stages:
            self.chart.show_trend(checks, stages)
            self.chart_stack.setCurrentWidget(self.chart)
        else:
            self.empty_label.setText(
                f"No check-ins yet for {scope_name}. A self-check (Ctrl+K) takes a minute; "
                "the score of each one is plotted here."
            )
            self.chart_stack.setCurrentWidget(self.empty_label)
        self.summary_label.setText(trend_summary(checks))
        self.chart.setAccessibleDescription(trend_summary(checks))
        self._show_stage(pseudonym, stages, suggestion)
        if pseudonym is not None:
            open_actions = [a for a in open_actions if a.relationship == pseudonym]
        self._show_actions(open_actions, everything=pseudonym is None)

    def _show_stage(
        self, pseudonym: str | None, stages: list[StageChangeView], suggestion: StageSuggestion | None
    ) -> None:
        self.stage_box.setVisible(pseudonym is not None)
        self.overall_hint.setVisible(pseudonym is None)
        if pseudonym is None:
            self._stage = None
            return
        self._stage = stages[-1].stage if stages else None
        if stages:
            latest = stages[-1]
            text = f"Current: {stage_text(self.catalog, latest.stage)} (set {latest.set_at:%Y-%m-%d})"
            if latest.note:
                text += f" — {latest.note}"
        else:
            text = "Current: not set yet."
        self.current_stage_label.setText(text)
        if suggestion is not None and suggestion.stage is not None:
            headline = f"Suggested: {stage_text(self.catalog, suggestion.stage)}, {suggestion.basis}, because:"
        else:
            headline = slope.suggestion_headline(self.catalog, suggestion) if suggestion else ""
        lines = suggestion.reason_lines() if suggestion else []
        self.suggestion_label.setText(headline)
        self.reasons_label.setText("\n".join(f"• {line}" for line in lines))
        self.reasons_label.setVisible(bool(lines))
        chosen = self._stage or (suggestion.stage if suggestion else None) or 1
        self.stage_combo.blockSignals(True)
        self.stage_combo.setCurrentIndex(max(0, self.stage_combo.findData(chosen)))
        self.stage_combo.blockSignals(False)
        self._stage_choice_changed()

    def _show_actions(self, open_actions: list[ActionView], *, everything: bool) -> None:
        self.actions_box.setTitle("Open actions (all)" if everything else "Open actions")
        self.actions_list.clear()
        for action in open_actions:
            origin = ORIGINS.get(action.origin, "")
            where = ", ".join(part for part in (action.relationship if everything else None, origin) if part)
            item = QListWidgetItem(f"{action.text} ({where})" if where else action.text)
            item.setData(ACTION_ID_ROLE, action.id)
            item.setToolTip(rich_tooltip(action.text))
            self.actions_list.addItem(item)
        has_actions = bool(open_actions)
        self.actions_list.setVisible(has_actions)
        self.no_actions_label.setVisible(not has_actions)
        self.done_button.setVisible(has_actions)
        if has_actions:
            self.actions_list.setCurrentRow(0)
            rows = min(len(open_actions), 4)
            self.actions_list.setFixedHeight(
                self.actions_list.sizeHintForRow(0) * rows + 2 * self.actions_list.frameWidth() + 4
            )
        self._action_selected(self.actions_list.currentRow())

    def _stage_choice_changed(self, *_args: object) -> None:
        same = self.stage_combo.currentData() == self._stage
        self.set_stage_button.setEnabled(not same)
        self.set_stage_button.setToolTip(
            "This is the current stage already" if same
            else "Record where on the slope this relationship is now, in your judgement"
        )

    def _action_selected(self, row: int) -> None:
        self.done_button.setEnabled(row >= 0)

    # --- user actions --------------------------------------------------------------------

    def set_stage(self) -> None:
        """Record the chosen stage for the relationship shown."""
        pseudonym = self.scope()
        stage = self.stage_combo.currentData()
        if pseudonym is None or stage is None or stage == self._stage:
            return
        try:
            slope.set_stage(self.journal, pseudonym, stage, note=self.stage_note_edit.text(), when=self.now())
        except UserError as error:
            self.show_error(error)
            return
        self.stage_note_edit.clear()
        self.refresh()
        self.journal_changed.emit()

    def complete_selected_action(self) -> None:
        item = self.actions_list.currentItem()
        if item is None:
            return
        action_id = item.data(ACTION_ID_ROLE)
        found = next((a for a in actions.list_actions(self.journal, open_only=True) if a.id == action_id), None)
        if found is None:
            self.refresh()
            return
        outcome = self.ask_outcome(found)
        if outcome is None:
            return
        try:
            actions.complete_action(self.journal, action_id, outcome)
        except UserError as error:
            self.show_error(error)
            return
        self.refresh()
        self.journal_changed.emit()
