"""Looking back at one's own response after declining a request (seed 002): the four moves that make it
worse and the three that work, ticked by the clinician and stored with the entry."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from boundary_journal.catalog import Catalog, ResponseMove
from ui.notices import rich_tooltip

HEADINGS = (
    ("worsens", "Moves that tend to make it worse"),
    ("works", "Moves that tend to work"),
)


class ResponseReview(QGroupBox):
    """A checkbox per response move, under two headings; emits `changed` when one is ticked or cleared."""

    changed = Signal()

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__("Looking back at my response", parent)
        self.setAccessibleName("Looking back at my response")
        self.boxes: dict[str, QCheckBox] = {}
        self._catalog = catalog

        intro = QLabel("Which of these did I do? Hover a move for what it means.")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        # One column: the editor is narrow beside the list and the guidance.
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for kind, heading in HEADINGS:
            label = QLabel(heading)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            bold = label.font()
            bold.setBold(True)
            label.setFont(bold)
            layout.addWidget(label)
            for move in (m for m in catalog.response_moves if m.kind == kind):
                layout.addWidget(self._box(move, heading))

    def _box(self, move: ResponseMove, heading: str) -> QCheckBox:
        box = QCheckBox(move.label)
        box.setToolTip(rich_tooltip(move.text, self._catalog.item_source(move)))
        box.setAccessibleName(move.label)
        box.setAccessibleDescription(f"{heading}. {move.text}")
        box.toggled.connect(self.changed)
        self.boxes[move.id] = box
        return box

    def moves(self) -> dict[str, bool]:
        """The ticked moves, {move id: True}, as EntryDraft.response_review takes them."""
        return {move_id: True for move_id, box in self.boxes.items() if box.isChecked()}

    def set_moves(self, ticked: Mapping[str, bool]) -> None:
        """Show stored ticks; emits `changed` once."""
        for move_id, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(bool(ticked.get(move_id)))
            box.blockSignals(False)
        self.changed.emit()
