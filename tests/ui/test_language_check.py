"""The neutral-language check on a note field: underlines where Qt counts, findings with one-click wording."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services.language import check_language
from ui.language_check import LanguageFindings, first_slot, utf16_offset

Typist = Callable[[QWidget, str], None]
MANIPULATIVE_SUGGESTION = "repeatedly asked for [specific request] after it was declined"


class Note(QWidget):
    """A note field with its findings below, as the editor lays them out."""

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.edit = QPlainTextEdit()
        self.edit.setAccessibleName("Documentation note")
        self.findings = LanguageFindings(catalog)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.findings)
        self.findings.attach(self.edit)


@pytest.fixture
def note(qtbot: QtBot, catalog: Catalog) -> Note:
    widget = Note(catalog)
    qtbot.addWidget(widget)
    widget.resize(500, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def underlined(edit: QPlainTextEdit) -> list[tuple[int, int]]:
    """(document position, length) of every range the highlighter formatted."""
    ranges = []
    block = edit.document().firstBlock()
    while block.isValid():
        for fmt in block.layout().formats():
            ranges.append((block.position() + fmt.start, fmt.length))
        block = block.next()
    return ranges


class TestPositions:
    """Python counts characters, Qt counts UTF-16 units: emoji take two."""

    def test_utf16_offset(self) -> None:
        assert utf16_offset("abc", 2) == 2
        assert utf16_offset("🙂 x", 2) == 3
        assert utf16_offset("Ω🙂🙂x", 4) == 6

    def test_first_slot(self) -> None:
        assert first_slot(MANIPULATIVE_SUGGESTION) == (21, 39)
        assert first_slot("no slot here") is None
        assert first_slot("half [open") is None


class TestHighlight:
    """A flagged word is underlined where it is, also after characters outside the BMP."""

    def test_word_after_an_emoji(self, qtbot: QtBot, note: Note, typist: Typist) -> None:
        typist(note.edit, "🙂🙂 She was manipulative today")
        text = note.edit.toPlainText()
        qtbot.waitUntil(lambda: underlined(note.edit) != [])
        start = text.index("manipulative")
        assert underlined(note.edit) == [(utf16_offset(text, start), len("manipulative"))]
        cursor = note.edit.textCursor()
        cursor.setPosition(utf16_offset(text, start))
        cursor.setPosition(utf16_offset(text, start) + len("manipulative"), cursor.MoveMode.KeepAnchor)
        assert cursor.selectedText() == "manipulative"

    def test_each_line_is_checked(self, qtbot: QtBot, note: Note, catalog: Catalog, typist: Typist) -> None:
        typist(note.edit, "Calm.\nVery needy 🙂 and crazy")
        text = note.edit.toPlainText()
        qtbot.waitUntil(lambda: len(underlined(note.edit)) == 2)
        expected = [(utf16_offset(text, f.start), f.end - f.start) for f in check_language(catalog, text)]
        assert underlined(note.edit) == expected

    def test_neutral_text_is_left_alone(self, note: Note, typist: Typist) -> None:
        typist(note.edit, "Patient asked for my number; declined and redirected to the clinic line.")
        assert underlined(note.edit) == []
        assert not note.findings.isVisible()


class TestFindings:
    """Each finding is listed with a button that puts the neutral wording in place of the word."""

    def test_type_see_click_replace_undo(self, qtbot: QtBot, note: Note, typist: Typist) -> None:
        typist(note.edit, "🙂 She was manipulative about the number.")
        qtbot.waitUntil(note.findings.isVisible)
        (button,) = note.findings.buttons
        assert button.full_text() == f"Use '{MANIPULATIVE_SUGGESTION}'"
        assert button.accessibleName() == f"Use '{MANIPULATIVE_SUGGESTION}' instead of 'manipulative'"
        assert "motive" in button.toolTip()  # the catalogue's why
        qtbot.waitUntil(lambda: button.isVisible() and not button.size().isEmpty())
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

        assert note.edit.toPlainText() == f"🙂 She was {MANIPULATIVE_SUGGESTION} about the number."
        assert note.edit.textCursor().selectedText() == "[specific request]"  # ready to be typed over
        assert note.findings.findings() == []
        qtbot.waitUntil(lambda: not note.findings.isVisible())
        typist(note.edit, "the personal number")
        assert "asked for the personal number after" in note.edit.toPlainText()

        note.edit.setFocus()
        qtbot.keyClick(note.edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(note.edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert note.edit.toPlainText() == "🙂 She was manipulative about the number."

    def test_one_row_per_finding_in_order(self, note: Note, typist: Typist) -> None:
        typist(note.edit, "Needy, then crazy.")
        words = [f.word for f in note.findings.findings()]
        assert words == ["Needy", "crazy"]
        assert len(note.findings.buttons) == 2
        assert all(b.accessibleName() for b in note.findings.buttons)

    def test_a_stale_finding_is_checked_again(self, note: Note, typist: Typist) -> None:
        typist(note.edit, "She was manipulative.")
        (finding,) = note.findings.findings()
        note.edit.setPlainText("Rewritten: needy.")
        note.findings.use(finding)  # the word is no longer where it was: nothing is overwritten
        assert note.edit.toPlainText() == "Rewritten: needy."
        assert [f.word for f in note.findings.findings()] == ["needy"]

    def test_markup_in_the_note_stays_text(self, note: Note, typist: Typist) -> None:
        typist(note.edit, "<b>crazy</b> &amp;")
        (button,) = note.findings.buttons
        assert note.edit.toPlainText() == "<b>crazy</b> &amp;"
        button.click()
        assert note.edit.toPlainText().startswith("<b>") and note.edit.toPlainText().endswith("</b> &amp;")


class TestTooltip:
    """Hovering a flagged word explains why; elsewhere the field keeps its own tooltip."""

    def test_why_on_the_word(self, qtbot: QtBot, note: Note, typist: Typist) -> None:
        note.edit.setToolTip("The field's prompt")
        typist(note.edit, "🙂 She was manipulative.")
        text = note.edit.toPlainText()
        cursor = note.edit.textCursor()
        cursor.setPosition(utf16_offset(text, text.index("manipulative")) + 3)
        where = note.edit.cursorRect(cursor).center()
        viewport = note.edit.viewport()
        event = QHelpEvent(QEvent.Type.ToolTip, where, viewport.mapToGlobal(where))
        QApplication.sendEvent(viewport, event)
        qtbot.waitUntil(QToolTip.isVisible)
        assert "motive you cannot see" in QToolTip.text()
        assert "Neutral wording" in QToolTip.text()
        QToolTip.hideText()

        assert note.findings.finding_at(0) is None
        event = QHelpEvent(QEvent.Type.ToolTip, QPoint(2, 2), viewport.mapToGlobal(QPoint(2, 2)))
        assert not note.findings.eventFilter(viewport, event)


def test_detaching_clears_the_findings(note: Note, typist: Typist) -> None:
    typist(note.edit, "crazy")
    assert note.findings.buttons
    note.findings.attach(None)
    assert note.findings.findings() == [] and not note.findings.isVisible()
