"""Looking back at my response: the four moves that make it worse and the three that work, then what I did
on my side, as checkboxes."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from ui.response_review import ResponseReview


def test_a_checkbox_per_move_with_its_text(qtbot: QtBot, catalog: Catalog) -> None:
    review = ResponseReview(catalog)
    qtbot.addWidget(review)
    kinds = [move.kind for move in catalog.response_moves]
    assert kinds.count("worsens") == 4 and kinds.count("works") == 3 and kinds.count("conduct") == 5
    assert list(review.boxes) == [m.id for kind in ("worsens", "works", "conduct")
                                  for m in catalog.response_moves if m.kind == kind]
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
    for move in ("partial_cave_in", "acknowledge_and_limit"):  # on the box, not the empty width beside its text
        box = review.boxes[move]
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(box.height() // 2, box.height() // 2))
    assert review.moves() == {"partial_cave_in": True, "acknowledge_and_limit": True}
    assert len(changes) == 2
    review.set_moves({"policy_defence": True, "weak_alternative": False})
    assert review.moves() == {"policy_defence": True}


def test_what_i_did_is_shown_alone_for_templates_without_the_look_back(qtbot: QtBot, catalog: Catalog) -> None:
    review = ResponseReview(catalog)
    qtbot.addWidget(review)
    review.show()
    qtbot.waitExposed(review)
    review.set_moves({"personal_channel": True, "over_justification": True})
    review.show_seed_moves(False)
    assert review.boxes["personal_channel"].isVisible() and not review.boxes["over_justification"].isVisible()
    assert review.moves() == {"personal_channel": True}  # the hidden look-back is not stored
    assert review.moves(seed=True) == {"personal_channel": True, "over_justification": True}  # drafts keep it
    review.show_seed_moves(True)
    assert review.boxes["over_justification"].isVisible()
    assert review.moves() == {"personal_channel": True, "over_justification": True}
