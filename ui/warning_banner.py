"""The warning banner at the top of the window: one line per drift warning that holds now.

It shows what `drift.active_warnings` computes from stored check-ins and stage changes: a warning goes
away when the data behind it changes (say, a calmer check-in) or leaves the window of recent evidence.
There is no plain dismiss: "Acknowledge…" asks for a note (the window stores it with
`drift.acknowledge_warning`), and the warning stays quiet until new evidence arrives.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStyle, QVBoxLayout, QWidget

from boundary_journal.services.drift import DriftWarning
from ui.notices import TintedFrame, rich_tooltip

OVERALL = "Overall"
# Kinds whose detail is short ("Score 25 % → 38 %", "Suggested 3 · …; you set 1"), worth reading inline; the
# others' is a tooltip.
INLINE_DETAIL = ("score_rising", "stage_up", "suggested_above")
# Lines shown before "Show all": years of check-ins can hold dozens of warnings, and the banner must
# not push the journal itself off the screen.
COLLAPSED_LINES = 3


def warning_line(warning: DriftWarning) -> str:
    """The line as plain text: 'Client K — Red-flag score rising: <message> (Score 25 → 38)'."""
    scope = warning.relationship or OVERALL
    text = f"{scope} — {warning.title}: {warning.message}"
    return f"{text} ({warning.detail})" if warning.kind in INLINE_DETAIL and warning.detail else text


def warning_html(warning: DriftWarning) -> str:
    scope = warning.relationship or OVERALL
    detail = f" <i>({escape(warning.detail)})</i>" if warning.kind in INLINE_DETAIL and warning.detail else ""
    return f"<b>{escape(scope)} — {escape(warning.title)}:</b> {escape(warning.message)}{detail}"


def acknowledged_text(acknowledged: Sequence[DriftWarning]) -> str:
    """'Acknowledged, quiet until new evidence: Bed 4 — Needs a second view (2026-12-02: “Raised with Dr B.”)'."""
    if not acknowledged:
        return ""
    parts = [
        f"{w.relationship or OVERALL} — {w.title}"
        + (f" ({w.acked_at:%Y-%m-%d}: “{w.ack_note}”)" if w.acked_at else f" (“{w.ack_note}”)")
        for w in acknowledged
    ]
    return "Acknowledged, quiet until new evidence: " + "; ".join(parts)


class WarningBanner(TintedFrame):
    """Hidden while nothing is wrong; emits `show_trend(pseudonym or None)` from a line's button."""

    show_trend = Signal(object)
    acknowledge = Signal(object)  # the DriftWarning whose "Acknowledge…" was pressed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Warnings")
        self.lines: list[QLabel] = []
        self.trend_buttons: list[QPushButton] = []
        self.ack_buttons: list[QPushButton] = []
        self._warnings: list[DriftWarning] = []

        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(self.fontMetrics().height() // 4)
        layout = QHBoxLayout(self)
        margin = self.fontMetrics().height() // 3
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.addLayout(self.rows)
        self.more_button = QPushButton()
        self.more_button.setFlat(True)
        self.more_button.setAccessibleName("Show more warnings")
        self.more_button.clicked.connect(self._toggle_expanded)
        column.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignLeft)
        # What the clinician acknowledged, with their note: resting, not gone, until new evidence arrives.
        self.acknowledged_label = QLabel()
        self.acknowledged_label.setTextFormat(Qt.TextFormat.PlainText)
        self.acknowledged_label.setWordWrap(True)
        self.acknowledged_label.setAccessibleName("Acknowledged warnings")
        self.acknowledged_label.hide()
        column.addWidget(self.acknowledged_label)
        layout.addLayout(column, 1)
        self._expanded = False
        self.hide()

    def _toggle_expanded(self) -> None:
        self._expanded = not self._expanded
        self._show_lines()


    def _make_lines(self, count: int) -> None:
        """Make the first `count` lines' widgets (those not made yet): folded away, the rest are not needed
        until asked for, and years of check-ins can hold dozens."""
        for warning in self._warnings[len(self.lines):count]:
            scope = warning.relationship or OVERALL
            label = QLabel(warning_html(warning))
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(warning_line(warning))
            label.setToolTip(rich_tooltip(warning.detail, f"Since {warning.since:%Y-%m-%d %H:%M}"))
            button = QPushButton("Show trend")
            button.setFlat(True)
            button.setAccessibleName(f"Show the trend for {scope}")
            button.setToolTip(rich_tooltip(f"Show the trend for {scope}"))
            pseudonym = warning.relationship
            button.clicked.connect(lambda _checked=False, chosen=pseudonym: self.show_trend.emit(chosen))
            ack = QPushButton("Acknowledge…")
            ack.setFlat(True)
            ack.setAccessibleName(f"Acknowledge: {scope} — {warning.title}")
            ack.setToolTip(rich_tooltip(
                "Say what you made of it or did about it; the warning then stays quiet until new evidence arrives"))
            ack.clicked.connect(lambda _checked=False, chosen=warning: self.acknowledge.emit(chosen))
            row_layout = QHBoxLayout()
            row_layout.addWidget(label, 1)
            row_layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            row_layout.addWidget(ack, 0, Qt.AlignmentFlag.AlignTop)
            self.rows.addLayout(row_layout)
            self.lines.append(label)
            self.trend_buttons.append(button)
            self.ack_buttons.append(ack)

    def _show_lines(self) -> None:
        shown = len(self._warnings) if self._expanded else COLLAPSED_LINES
        self._make_lines(shown)
        for row, widgets in enumerate(zip(self.lines, self.trend_buttons, self.ack_buttons, strict=True)):
            for widget in widgets:
                widget.setVisible(row < shown)
        hidden = len(self._warnings) - COLLAPSED_LINES
        self.more_button.setVisible(hidden > 0)
        more = f"Show {hidden} more warning{'s' if hidden != 1 else ''}"
        self.more_button.setText("Show fewer" if self._expanded else more)
        self.more_button.setAccessibleName(self.more_button.text())

    def warnings(self) -> list[DriftWarning]:
        return list(self._warnings)

    def line_texts(self) -> list[str]:
        return [warning_line(w) for w in self._warnings]

    def show_warnings(self, warnings: Sequence[DriftWarning], acknowledged: Sequence[DriftWarning] = ()) -> None:
        """Replace the lines with `warnings` (in the order given); hide the banner when there are none.
        `acknowledged` ones are named below them, with their notes (they alone do not show the banner)."""
        self.acknowledged_label.setText(acknowledged_text(acknowledged))
        self.acknowledged_label.setVisible(bool(acknowledged))
        if list(warnings) == self._warnings:
            return
        self._warnings = list(warnings)
        while self.rows.count():
            row = self.rows.takeAt(0)
            if row.layout() is not None:
                while row.layout().count():
                    widget = row.layout().takeAt(0).widget()
                    if widget is not None:
                        widget.hide()
                        widget.deleteLater()
                row.layout().deleteLater()
        self.lines, self.trend_buttons, self.ack_buttons = [], [], []
        self._show_lines()
        self.setVisible(bool(self._warnings))
