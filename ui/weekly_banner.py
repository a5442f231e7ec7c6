"""The weekly reminder line under the warnings: this week's exercise is not done yet, with a button to do it.

It follows `weekly.is_done_this_week`: saving the week's exercise hides it; a new week brings it back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStyle, QWidget

from ui.exercise_model import streak_text
from ui.notices import TintedFrame, reminder_palette

NOT_DONE = "This week's grey-relationship exercise is not done yet"


def reminder_line(streak: int) -> str:
    """The banner's text: 'This week's … is not done yet — 3 weeks in a row so far.'"""
    if streak <= 0:
        return f"{NOT_DONE}."
    return f"{NOT_DONE} — {streak_text(streak)} so far."


class WeeklyBanner(TintedFrame):
    """Hidden once this week's exercise is written; emits `exercise_requested` from its button."""

    exercise_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        # Tinted with the palette's highlight colour: calmer than the amber warnings above it.
        super().__init__(parent, make=reminder_palette)
        self.setAccessibleName("Weekly exercise reminder")

        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(size, size))
        self.text_label = QLabel()
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setWordWrap(True)
        self.text_label.setAccessibleName("Weekly exercise not done yet")
        self.do_button = QPushButton("Do it now…")
        self.do_button.setAccessibleName("Do this week's exercise now")
        self.do_button.setToolTip("One relationship, one sentence, one move for this week (Ctrl+Shift+W)")
        self.do_button.clicked.connect(self.exercise_requested)

        layout = QHBoxLayout(self)
        margin = self.fontMetrics().height() // 3
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.do_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def text(self) -> str:
        return self.text_label.text()

    def show_state(self, *, done: bool, streak: int) -> None:
        """Show the reminder while this week is not done, with the streak so far; hide it once it is."""
        self.text_label.setText(reminder_line(streak))
        self.setVisible(not done)
