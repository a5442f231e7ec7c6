"""Looking back at my response: the four moves that make it worse and the three that work, as checkboxes."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from ui.response_review import ResponseReview


def test_a_checkbox_per_move_with_its_text(qtbot: QtBot, catalog: Catalog) -> None:
    review = ResponseReview(catalog)
    qtbot.addWidget(review)
    kinds = [move.kind for move in catalog.response_moves]
    assert kinds.count("worsens") == 4 and kinds.count("works") == 3
    assert list(review.boxes) == [m.id for m in catalog.response_moves if m.kind == "worsens"] + [
        m.id for m in catalog.response_moves if m.kind == "works"
    ]
    for move in catalog.response_moves:
        box = review.boxes[move.id]
        assert box.text() == move.label
        assert box.accessibleName() == move.label
        assert escape(move.text) in box.toolTip()  # rich text, escaped
        assert move.text in box.accessibleDescription()


def test_ticks_round_trip(qtbot: QtBot, catalog: Catalog) -> None:
    review = ResponseReview(catalog)
    qtbot.addWidget(review)
    review.show()
    qtbot.waitExposed(review)
    changes: list[int] = []
    review.changed.connect(lambda: changes.append(1))
    qtbot.mouseClick(review.boxes["partial_cave_in"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(review.boxes["acknowledge_and_limit"], Qt.MouseButton.LeftButton)
    assert review.moves() == {"partial_cave_in": True, "acknowledge_and_limit": True}
    assert len(changes) == 2
    review.set_moves({"policy_defence": True, "weak_alternative": False})
    assert review.moves() == {"policy_defence": True}
