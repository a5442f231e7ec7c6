"""The neutral-language check on the documentation note: flagged words underlined as the clinician types,
and below the field a list of findings, each with its neutral wording one click away.

The check itself is `boundary_journal.services.language`; it counts Python characters, Qt counts UTF-16
units, so every position crosses `utf16_offset` on its way into a Qt call.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from boundary_journal.catalog import Catalog
from boundary_journal.services.language import LanguageFinding, apply_suggestion, check_language
from ui.notices import rich_tooltip

# Amber reads on white and on a dark base alike; a wavy line is what spell checkers taught people to notice.
UNDERLINE_COLOR = QColor("#e08a00")
FLAGGED_BACKGROUND = QColor(240, 160, 0, 60)
KIND_LABELS = {
    "judgemental": "judgemental",
    "diagnostic_insult": "diagnosis as insult",
    "emotional": "emotional",
    "certainty": "stated as certain",
}


def utf16_offset(text: str, index: int) -> int:
    """Qt's text position for the Python index `index` into `text`: characters beyond the BMP take two units."""
    return index + sum(1 for char in text[:index] if ord(char) > 0xFFFF)


def first_slot(text: str) -> tuple[int, int] | None:
    """The first '[…]' placeholder in a suggestion (start, end), for the clinician to type over."""
    start = text.find("[")
    end = text.find("]", start + 1) if start >= 0 else -1
    return (start, end + 1) if start >= 0 and end > start else None


class LanguageHighlighter(QSyntaxHighlighter):
    """Underlines each flagged word in the note, block by block as Qt re-highlights what changed."""

    def __init__(self, catalog: Catalog, edit: QPlainTextEdit) -> None:
        super().__init__(edit.document())
        self._catalog = catalog
        self.flagged = QTextCharFormat()
        self.flagged.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self.flagged.setUnderlineColor(UNDERLINE_COLOR)
        self.flagged.setBackground(FLAGGED_BACKGROUND)

    def highlightBlock(self, text: str) -> None:
        for finding in check_language(self._catalog, text):
            start = utf16_offset(text, finding.start)
            self.setFormat(start, utf16_offset(text, finding.end) - start, self.flagged)


class WrappingButton(QPushButton):
    """A push button whose text wraps onto more lines instead of widening the form (QPushButton cannot wrap)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(text, self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setForegroundRole(QPalette.ColorRole.ButtonText)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        pad = self.fontMetrics().averageCharWidth()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(pad, pad // 2 + 2, pad, pad // 2 + 2)
        layout.addWidget(self.label)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def full_text(self) -> str:
        return self.label.text()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.layout().totalHeightForWidth(width)

    def sizeHint(self) -> QSize:
        return self.layout().totalSizeHint()

    def minimumSizeHint(self) -> QSize:
        return self.layout().totalMinimumSize()


class LanguageFindings(QWidget):
    """The findings in one note field, each with a "Use '<suggestion>'" button; hidden while there are none.

    Emits `rebuilt` when its buttons change, so the editor can put them into its tab order.
    """

    rebuilt = Signal()

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._edit: QPlainTextEdit | None = None
        self._tooltip_source: QWidget | None = None
        self.highlighter: LanguageHighlighter | None = None
        self._findings: list[LanguageFinding] = []
        self.buttons: list[WrappingButton] = []
        self.setAccessibleName("Wording to check")

        self.heading = QLabel("Wording to check — neutral alternatives:")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.rows = QVBoxLayout()
        self.rows.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(self.rows)
        self.hide()

    def attach(self, edit: QPlainTextEdit | None) -> None:
        """Check `edit` from now on (None: no note field shown); the highlighter lives with its document."""
        if self._tooltip_source is not None:
            self._tooltip_source.removeEventFilter(self)
            self._tooltip_source = None
        self._edit = edit
        self.highlighter = None
        if edit is not None:
            self.highlighter = LanguageHighlighter(self._catalog, edit)
            edit.textChanged.connect(self.refresh)
            edit.viewport().installEventFilter(self)
            self._tooltip_source = edit.viewport()
        self.refresh()

    def findings(self) -> list[LanguageFinding]:
        return list(self._findings)

    def refresh(self) -> None:
        """Re-check the field; rebuild the rows only when the findings differ, so typing stays smooth."""
        text = self._edit.toPlainText() if self._edit is not None else ""
        found = check_language(self._catalog, text)
        if found == self._findings:
            return
        self._findings = found
        while self.rows.count():
            widget = self.rows.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # at once: deletion waits for the event loop
                widget.deleteLater()
        self.buttons = []
        for finding in found:
            kind = KIND_LABELS.get(finding.kind, finding.kind)
            word = QLabel(f"“{finding.word}” — {kind}:")
            word.setTextFormat(Qt.TextFormat.PlainText)
            word.setToolTip(rich_tooltip(finding.why))
            button = WrappingButton(f"Use '{finding.suggestion}'")
            button.setAccessibleName(f"Use '{finding.suggestion}' instead of '{finding.word}'")
            button.setAccessibleDescription(finding.why)
            button.setToolTip(rich_tooltip(finding.suggestion, finding.why))
            button.clicked.connect(lambda _checked=False, chosen=finding: self.use(chosen))
            self.rows.addWidget(word)
            self.rows.addWidget(button)
            word.show()
            button.show()
            self.buttons.append(button)
        self.setVisible(bool(found))
        self.rebuilt.emit()

    def use(self, finding: LanguageFinding) -> None:
        """Put the suggestion in place of the flagged word as one undoable edit, its first [slot] selected."""
        edit = self._edit
        if edit is None:
            return
        text = edit.toPlainText()
        try:
            replaced = apply_suggestion(text, finding)
        except ValueError:  # typed over since it was checked: check again
            self._findings = []
            self.refresh()
            return
        start, end = utf16_offset(text, finding.start), utf16_offset(text, finding.end)
        cursor = QTextCursor(edit.document())
        cursor.beginEditBlock()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(finding.suggestion)
        cursor.endEditBlock()
        if edit.toPlainText() != replaced:  # never expected; the service's text is the one that counts
            edit.setPlainText(replaced)
            cursor = edit.textCursor()
        slot = first_slot(finding.suggestion)
        if slot is not None:
            cursor.setPosition(start + utf16_offset(finding.suggestion, slot[0]))
            cursor.setPosition(start + utf16_offset(finding.suggestion, slot[1]), QTextCursor.MoveMode.KeepAnchor)
        edit.setTextCursor(cursor)
        edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def finding_at(self, position: int) -> LanguageFinding | None:
        """The finding covering Qt text position `position` of the field, if any."""
        if self._edit is None:
            return None
        text = self._edit.toPlainText()
        for finding in self._findings:
            if utf16_offset(text, finding.start) <= position < utf16_offset(text, finding.end):
                return finding
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Hovering a flagged word explains it; anywhere else the field's own tooltip (its prompt) shows.
        if event.type() == QEvent.Type.ToolTip and self._edit is not None and watched is self._tooltip_source:
            assert isinstance(event, QHelpEvent)
            finding = self.finding_at(self._edit.cursorForPosition(event.pos()).position())
            if finding is not None:
                QToolTip.showText(
                    event.globalPos(),
                    rich_tooltip(finding.why, f"Neutral wording: {finding.suggestion}"),
                    self._edit.viewport(),
                )
                return True
        return super().eventFilter(watched, event)
