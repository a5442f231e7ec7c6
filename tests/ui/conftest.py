"""Fixtures for the window tests: a shown main window on a fresh journal, prompts answered by the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services import entries
from boundary_journal.services.entries import EntryDraft, EntryView
from boundary_journal.store.journal import Journal
from ui.clock import Clock
from ui.main_window import MainWindow
from ui.messages import UnsavedChoice


@dataclass
class Prompts:
    """Stands in for the window's modal questions: records each one and answers as told."""

    answer: UnsavedChoice = UnsavedChoice.CANCEL
    unsaved_asked: int = 0
    errors: list[str] = field(default_factory=list)

    def confirm_unsaved_changes(self) -> UnsavedChoice:
        self.unsaved_asked += 1
        return self.answer

    def show_error(self, error: BaseException | str) -> None:
        self.errors.append(str(error))


def type_text(widget: QWidget, text: str) -> None:
    """Type like a keyboard would: printable Latin-1 through QTest, a newline as Return, anything else
    (Greek, Cyrillic, Hebrew, emoji) as key events carrying the text, as a keyboard layout or an
    input method delivers it (QTest cannot click those characters)."""
    for char in text:
        if char == "\n":
            QTest.keyClick(widget, Qt.Key.Key_Return)
        elif " " <= char <= "~" or "\xa0" <= char <= "\xff":
            QTest.keyClick(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


class SetClock(Clock):
    """A clock the test moves by hand; the window reads it like the system clock."""

    def __init__(self, start: datetime) -> None:
        self.current = start
        super().__init__(lambda: self.current)

    def set(self, when: datetime) -> None:
        self.current = when

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


# A Wednesday in 2026-W48 (Monday 23 to Sunday 29 November), mid-morning.
WEDNESDAY = datetime(2026, 11, 25, 10, 0)


@pytest.fixture
def clock() -> SetClock:
    return SetClock(WEDNESDAY)


@pytest.fixture
def typist() -> Callable[[QWidget, str], None]:
    return type_text


@pytest.fixture
def prompts() -> Prompts:
    return Prompts()


@pytest.fixture
def window(
    qtbot: QtBot, journal: Journal, catalog: Catalog, prompts: Prompts, clock: SetClock
) -> Iterator[MainWindow]:
    main = MainWindow(journal, catalog, clock=clock)
    main.confirm_unsaved_changes = prompts.confirm_unsaved_changes  # type: ignore[method-assign]
    main.show_error = prompts.show_error  # type: ignore[method-assign]
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()  # shortcuts reach the active window only
    qtbot.waitUntil(main.isActiveWindow)
    yield main
    prompts.answer = UnsavedChoice.DISCARD  # closing at teardown must never wait for an answer
    main.close()


@pytest.fixture
def stored(journal: Journal, catalog: Catalog) -> Callable[..., EntryView]:
    """Store an entry through the service (as another part of the app would); keywords override."""

    def store(**overrides: object) -> EntryView:
        values: dict[str, object] = {
            "template": "phone_number_request",
            "relationship": "Client K",
            "occurred": datetime(2026, 3, 2, 17, 45),
            "fields": {
                "what_happened": "Asked at the door for my personal number for emergencies.",
                "documentation_note": "Patient requested clinician's personal number; declined.",
            },
        }
        values.update(overrides)
        return entries.add_entry(journal, catalog, EntryDraft(**values))  # type: ignore[arg-type]

    return store
