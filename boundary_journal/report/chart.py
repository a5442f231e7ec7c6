"""The self-check trend: a chart of the scores with the stage changes, and the red flags ticked below it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Spacer,
)

from boundary_journal.catalog import Catalog
from boundary_journal.report.kit import (
    ACCENT,
    CHART_HEIGHT,
    CONTENT_WIDTH,
    FONT,
    INK,
    MUTED,
    SHADE,
    Paragraph,
    _cell,
    _markup,
    _plural,
    _table,
    _text,
)

if TYPE_CHECKING:
    from boundary_journal.services.documents import (
        StageMark,
        Trend,
    )


def _day(moment: datetime) -> float:
    return moment.toordinal() + (moment.hour * 60 + moment.minute) / 1440


def _ticks(start: int, end: int) -> list[int]:
    span = end - start
    step = next((s for s in (1, 2, 7, 14, 28, 56, 91, 182, 364) if span / s <= 8), 728)
    return list(range(start, end + 1, step))


def _trend_chart(trend: Trend, start: date, end: date) -> Drawing:
    """The scores of one trend over [start, end] as a vector line chart, stage changes as dashed lines."""
    drawing = Drawing(CONTENT_WIDTH, CHART_HEIGHT)
    drawing.initialFontName, drawing.initialFontSize = FONT, 7  # else the renderer starts in Helvetica
    plot = LinePlot()
    plot.x, plot.y = 11 * mm, 7 * mm
    plot.width, plot.height = CONTENT_WIDTH - plot.x - 3 * mm, CHART_HEIGHT - plot.y - 7 * mm
    first, last = start.toordinal(), max(end.toordinal(), start.toordinal()) + 1
    plot.data = [[(_day(p.taken_at), p.percent) for p in trend.points]]
    line = plot.lines[0]
    line.strokeColor, line.strokeWidth = INK, 1.1
    if len(trend.points) <= 60:  # beyond that the dots merge into a smear
        line.symbol = makeMarker("FilledCircle", size=3.4, fillColor=INK, strokeColor=INK)
    if len(trend.points) <= 20:
        plot.lineLabelFormat = "%d%%"
        plot.lineLabelNudge = 5
        plot.lineLabels.fontName, plot.lineLabels.fontSize, plot.lineLabels.fillColor = FONT, 6.5, MUTED

    x_axis = plot.xValueAxis
    # Half a day of room either side keeps a first-day point and its label off the axis.
    x_axis.valueMin, x_axis.valueMax = first - 0.5, last + 0.5
    x_axis.valueSteps = _ticks(first, last)
    long_span = last - first > 180
    x_axis.labelTextFormat = lambda value: _tick_label(date.fromordinal(int(value)), long_span)
    x_axis.labels.fontName, x_axis.labels.fontSize, x_axis.labels.fillColor = FONT, 7, MUTED
    x_axis.strokeColor = MUTED
    y_axis = plot.yValueAxis
    y_axis.valueMin, y_axis.valueMax, y_axis.valueSteps = _score_axis([p.percent for p in trend.points])
    y_axis.labelTextFormat = "%d%%"
    y_axis.labels.fontName, y_axis.labels.fontSize, y_axis.labels.fillColor = FONT, 7, MUTED
    y_axis.strokeColor = MUTED
    y_axis.visibleGrid, y_axis.gridStrokeColor, y_axis.gridStrokeWidth = True, SHADE, 0.6
    drawing.add(plot)

    for index, mark in enumerate(trend.stage_changes):
        x = plot.x + (_day(mark.set_at) - x_axis.valueMin) / (x_axis.valueMax - x_axis.valueMin) * plot.width
        drawing.add(Line(x, plot.y, x, plot.y + plot.height + 2, strokeColor=ACCENT, strokeWidth=0.8,
                         strokeDashArray=[2, 2]))
        label = _change_text(mark, arrow="→")
        anchor = "end" if x > plot.x + plot.width - 20 * mm else "start"
        drawing.add(String(x + (-2 if anchor == "end" else 2), plot.y + plot.height + 2 + (index % 2) * 8, label,
                           fontName=FONT, fontSize=6.5, fillColor=ACCENT, textAnchor=anchor))
    return drawing


def _score_axis(scores: Sequence[int]) -> tuple[int, int, list[int]]:
    """Bounds and ticks (at most five steps) of the score axis, fitted to the scores with some room: scores of
    40-60 are not drawn on 0-100. It starts at 0 when the lowest score is near it, and stays within 0-100."""
    low, high = min(scores), max(scores)
    span = max(high - low, 10)
    pad = max(2, span // 5)
    low, high = max(0, low - pad), min(100, high + pad)
    if low <= span:
        low = 0
    for step in (5, 10, 20, 25):  # each divides 100, so the top stays within it
        bottom, top = low // step * step, -(-high // step) * step
        if (top - bottom) // step <= 5:
            break
    if top - bottom < 2 * step:
        top = min(100, bottom + 2 * step)
        bottom = top - 2 * step
    return bottom, top, list(range(bottom, top + 1, step))


def _change_text(mark: StageMark, *, arrow: str = " → ") -> str:
    """"stage 3", "stage 2 → 3", or "stage 3 (unchanged)" when the same stage was set again."""
    if mark.previous is None:
        return f"stage {mark.stage}"
    if mark.previous == mark.stage:
        return f"stage {mark.stage} (unchanged)"
    return f"stage {mark.previous}{arrow}{mark.stage}"


def _tick_label(day: date, long_span: bool) -> str:
    return f"{day:%b %Y}" if long_span else f"{day.day} {day:%b}"


def _trend_heading(trend: Trend) -> str:
    if not trend.points:
        return trend.title
    first, last = trend.points[0].percent, trend.points[-1].percent
    scores = f"{first}%" if len(trend.points) == 1 else f"{first}% → {last}%"
    return f"{trend.title} — {_plural(len(trend.points), 'check-in')}, {scores}"


def _trend_block(
    trend: Trend, start: date, end: date, styles: dict[str, ParagraphStyle], *, list_changes: bool = True,
    second_view: str = "",
) -> list[Flowable]:
    """One trend: a sub-heading with the first and last score, the chart (in words for a single check-in), the
    red flags ticked, then the stage changes in words."""
    block: list[Flowable] = [Paragraph(_markup(_trend_heading(trend)), styles["h2"])]
    if len(trend.points) > 1:
        block.append(_trend_chart(trend, start, end))
    elif trend.points:
        point = trend.points[0]
        block.append(Paragraph(f"One check-in, on {point.taken_at:%Y-%m-%d}, scored {point.percent}%: too few for a "
                               "trend.", styles["body"]))
    else:
        block.append(Paragraph("No check-ins in this period.", styles["missing"]))
    # The red flags belong to the chart above them: at most one row per catalogue item, so they move with it.
    story: list[Flowable] = [KeepTogether(block + _flags_ticked(trend, styles, second_view))]
    if list_changes and trend.stage_changes:
        story.append(Spacer(1, 1.5 * mm))
    for mark in trend.stage_changes if list_changes else ():
        story += _stage_change(mark, styles)
    return story


def _lead_into(lead: list[Flowable], blocks: list[Flowable]) -> list[Flowable]:
    """`lead` (a section's heading and caption) kept on the page of the first of `blocks`: a trend block that
    does not fit moves to the next page whole, and its heading must go with it rather than stand alone."""
    breaks = [f for f in lead if isinstance(f, CondPageBreak)]
    kept = [f for f in lead if not isinstance(f, CondPageBreak)]
    if not blocks:
        return lead
    return [*breaks, KeepTogether([*kept, blocks[0]]), *blocks[1:]]


def _second_view(catalog: Catalog) -> str:
    rule = catalog.warning("higher_input")
    return rule.title if rule else "Needs a second view"


def _flags_ticked(trend: Trend, styles: dict[str, ParagraphStyle], second_view: str) -> list[Flowable]:
    """The red flags the check-ins ticked, how often and when last, those that need a second view first."""
    counts: dict[str, list[Any]] = {}  # text -> [check-ins, last day, needs a second view]
    for point in trend.points:
        for text in point.ticked:
            found = counts.setdefault(text, [0, point.taken_at, False])
            found[0] += 1
            found[1] = point.taken_at
            found[2] = found[2] or text in point.higher_input
    if not trend.points:
        return []
    if not counts:
        return [Paragraph("No red flag was ticked.", styles["missing"])]
    story: list[Flowable] = []
    urgent = [p for p in trend.points if p.higher_input]
    if urgent:
        story.append(Paragraph(
            f"■ {_markup(second_view or 'Needs a second view')}: {_plural(len(urgent), 'check-in')} ticked an item "
            f"that warrants supervision or ethics input, the last on {urgent[-1].taken_at:%Y-%m-%d}.",
            styles["check_warn"]))
    rows: list[list[Any]] = [[_cell("Red flag ticked", styles["cell_head"]), _cell("Check-ins", styles["cell_head"]),
                              _cell("Last", styles["cell_head"])]]
    for text, (count, last, higher) in sorted(counts.items(), key=lambda item: (not item[1][2], -item[1][0])):
        label = f"{second_view}: {text}" if higher else text
        rows.append([_cell(label, styles["cell_warn" if higher else "cell"]), _cell(str(count), styles["cell"]),
                     _cell(f"{last:%Y-%m-%d}", styles["cell"])])
    story += [Spacer(1, 1 * mm), _table(rows, [CONTENT_WIDTH - 42 * mm, 18 * mm, 24 * mm])]
    return story


def _stage_change(mark: StageMark, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    change = _change_text(mark)
    line = f"<b>{mark.set_at:%Y-%m-%d}</b> · {change} {_markup(mark.label)}"
    if not mark.note:
        return [Paragraph(line, styles["cell"])]
    return _text(mark.note, styles["cell"], lead=f"{line} — ")
