"""The warning banner: one line per active warning, user text shown as text, hidden when all is well."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from boundary_journal.services.drift import DriftWarning
from ui.warning_banner import COLLAPSED_LINES, OVERALL, WarningBanner, warning_html, warning_line

HOSTILE = "<b>&amp; Ωμέγα Привет 🙂 שלום"
WHEN = datetime(2026, 3, 2, 17, 45)


def warning(kind: str, relationship: str | None, detail: str = "Score 20 → 30") -> DriftWarning:
    return DriftWarning(kind, relationship, f"Title {kind}", f"Message for {kind}.", detail, WHEN)


def test_hidden_until_there_is_something(qtbot: QtBot) -> None:
    window = QWidget()
    banner = WarningBanner()
    QVBoxLayout(window).addWidget(banner)
    qtbot.addWidget(window)
    window.show()
    assert not banner.isVisible()
    banner.show_warnings([warning("score_rising", "Client K")])
    assert banner.isVisible()
    banner.show_warnings([])
    assert not banner.isVisible() and banner.lines == []


def test_one_line_each(qtbot: QtBot) -> None:
    banner = WarningBanner()
    qtbot.addWidget(banner)
    shown = [warning("higher_input", "Client K", "An item"), warning("score_rising", None)]
    banner.show_warnings(shown)
    assert banner.line_texts() == [
        "Client K — Title higher_input: Message for higher_input.",
        f"{OVERALL} — Title score_rising: Message for score_rising. (Score 20 → 30)",
    ]
    assert [label.accessibleName() for label in banner.lines] == banner.line_texts()
    assert "An item" in banner.lines[0].toolTip()  # the long detail of a higher-input warning is a tooltip
    assert "2026-03-02 17:45" in banner.lines[1].toolTip()


def test_a_pseudonym_is_text_not_markup(qtbot: QtBot) -> None:
    shown = warning("stage_up", HOSTILE, f"Stage 2 → 3 {HOSTILE}")
    html = warning_html(shown)
    assert "<b>&amp;" not in html.replace("<b>&lt;b&gt;", "")
    assert "&lt;b&gt;&amp;amp;" in html
    banner = WarningBanner()
    qtbot.addWidget(banner)
    banner.show_warnings([shown])
    assert banner.lines[0].textFormat() == Qt.TextFormat.RichText
    assert HOSTILE in warning_line(shown)
    assert "&lt;b&gt;" in banner.lines[0].toolTip()


def test_show_trend_names_the_scope(qtbot: QtBot) -> None:
    banner = WarningBanner()
    qtbot.addWidget(banner)
    banner.show_warnings([warning("stage_up", "Client K"), warning("score_rising", None)])
    banner.show()
    qtbot.waitExposed(banner)
    with qtbot.waitSignal(banner.show_trend) as first:
        qtbot.mouseClick(banner.trend_buttons[0], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(banner.show_trend) as second:
        qtbot.mouseClick(banner.trend_buttons[1], Qt.MouseButton.LeftButton)
    assert (first.args, second.args) == (["Client K"], [None])
    assert all(b.accessibleName() for b in banner.trend_buttons)


def test_many_warnings_fold_behind_a_button(qtbot: QtBot) -> None:
    window = QWidget()
    banner = WarningBanner()
    QVBoxLayout(window).addWidget(banner)
    qtbot.addWidget(window)
    window.show()
    banner.show_warnings([warning("score_rising", f"Client {i}") for i in range(COLLAPSED_LINES + 5)])
    # Folded lines are made when first shown: years of check-ins can hold dozens of warnings.
    assert [label.isVisible() for label in banner.lines] == [True] * COLLAPSED_LINES
    assert banner.more_button.isVisible() and banner.more_button.text() == "Show 5 more warnings"
    qtbot.mouseClick(banner.more_button, Qt.MouseButton.LeftButton)
    assert [label.isVisible() for label in banner.lines] == [True] * (COLLAPSED_LINES + 5)
    assert banner.more_button.text() == "Show fewer"
    qtbot.mouseClick(banner.more_button, Qt.MouseButton.LeftButton)
    assert sum(label.isVisible() for label in banner.lines) == COLLAPSED_LINES
    banner.show_warnings([warning("score_rising", "Client K")])
    assert not banner.more_button.isVisible()


def test_each_line_can_be_acknowledged(qtbot: QtBot) -> None:
    banner = WarningBanner()
    qtbot.addWidget(banner)
    shown = [warning("higher_input", "Client K", "An item"), warning("score_rising", None)]
    banner.show_warnings(shown)
    asked: list[DriftWarning] = []
    banner.acknowledge.connect(asked.append)
    assert [b.text() for b in banner.ack_buttons] == ["Acknowledge…", "Acknowledge…"]
    assert banner.ack_buttons[1].accessibleName() == f"Acknowledge: {OVERALL} — Title score_rising"
    banner.ack_buttons[1].click()
    assert asked == [shown[1]]


def test_acknowledged_warnings_are_named_with_their_notes_but_do_not_show_the_banner(qtbot: QtBot) -> None:
    window = QWidget()
    banner = WarningBanner()
    QVBoxLayout(window).addWidget(banner)
    qtbot.addWidget(window)
    window.show()
    rested = replace(warning("higher_input", "Bed 4"), ack_note="Raised with Dr B.", acked_at=WHEN)
    banner.show_warnings([], [rested])
    assert not banner.isVisible()  # quiet until new evidence
    banner.show_warnings([warning("score_rising", "Client K")], [rested])
    assert banner.isVisible() and banner.acknowledged_label.isVisible()
    assert banner.acknowledged_label.text() == (
        "Acknowledged, quiet until new evidence: Bed 4 — Title higher_input (2026-03-02: “Raised with Dr B.”)")
    banner.show_warnings([warning("score_rising", "Client K")])
    assert not banner.acknowledged_label.isVisible()


def test_a_suggestion_above_the_stage_set_reads_its_detail_inline(qtbot: QtBot) -> None:
    shown = warning("suggested_above", "Client K", "Suggested 3 · Personal channel shift; you set 1")
    assert warning_line(shown).endswith("(Suggested 3 · Personal channel shift; you set 1)")
