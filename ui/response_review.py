"""Looking back at one's own response after declining a request (seed 002): the four moves that make it
worse and the three that work, ticked by the clinician and stored with the entry. Then "What I did on my
side" (the catalogue's `conduct` moves, shown for every template): these, with the partial cave-in, are what
moves the suggested slope stage; what the patient did never does."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from boundary_journal.catalog import Catalog, ResponseMove
from ui.notices import rich_tooltip

HEADINGS = (
    ("worsens", "Moves that tend to make it worse"),
    ("works", "Moves that tend to work"),
    ("conduct", "What I did on my side"),
)
# The look-back of seed 002, shown only for templates that ask for it (`review_response`).
SEED_KINDS = ("worsens", "works")
CONDUCT_HINT = "Only what you did, not what the patient did, moves the suggested slope stage."


class ResponseReview(QGroupBox):
    """A checkbox per response move, under two headings; emits `changed` when one is ticked or cleared."""

    changed = Signal()

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__("Looking back at my response", parent)
        self.setAccessibleName("Looking back at my response")
        self.boxes: dict[str, QCheckBox] = {}
        self._catalog = catalog
        self._kinds = {move.id: move.kind for move in catalog.response_moves}
        self._seed_widgets: list[QWidget] = []
        self._seed = True

        intro = QLabel("Which of these did I do? Hover a move for what it means.")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        # One column: the editor is narrow beside the list and the guidance.
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        self._seed_widgets.append(intro)
        for kind, heading in HEADINGS:
            label = QLabel(heading)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            bold = label.font()
            bold.setBold(True)
            label.setFont(bold)
            layout.addWidget(label)
            group: list[QWidget] = [label]
            if kind == "conduct":
                hint = QLabel(CONDUCT_HINT)
                hint.setTextFormat(Qt.TextFormat.PlainText)
                hint.setWordWrap(True)
                layout.addWidget(hint)
            for move in (m for m in catalog.response_moves if m.kind == kind):
                group.append(self._box(move, heading))
                layout.addWidget(group[-1])
            if kind in SEED_KINDS:
                self._seed_widgets += group

    def _box(self, move: ResponseMove, heading: str) -> QCheckBox:
        box = QCheckBox(move.label)
        box.setToolTip(rich_tooltip(move.text, self._catalog.item_source(move)))
        box.setAccessibleName(move.label)
        box.setAccessibleDescription(f"{heading}. {move.text}")
        box.toggled.connect(self.changed)
        self.boxes[move.id] = box
        return box

    def show_seed_moves(self, visible: bool) -> None:
        """Show the look-back of seed 002 (templates that ask for it) or only "What I did on my side"."""
        self._seed = visible
        for widget in self._seed_widgets:
            widget.setVisible(visible)

    def moves(self, *, seed: bool | None = None) -> dict[str, bool]:
        """The ticked moves, {move id: True}, as EntryDraft.response_review takes them; without the look-back's
        moves when `seed` is False (default: as shown)."""
        seed = self._seed if seed is None else seed
        return {
            move_id: True for move_id, box in self.boxes.items()
            if box.isChecked() and (seed or self._kinds[move_id] not in SEED_KINDS)
        }

    def set_moves(self, ticked: Mapping[str, bool]) -> None:
        """Show stored ticks; emits `changed` once."""
        for move_id, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(bool(ticked.get(move_id)))
            box.blockSignals(False)
        self.changed.emit()
