"""The window checks every page of its journal in the background, and a damaged one is said and not written to."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.errors import JournalDamaged
from boundary_journal.services import entries
from boundary_journal.store.journal import Journal
from boundary_journal.store.storage import open_journal
from tests.conftest import PASSPHRASE
from tests.ui.conftest import Prompts, SetClock, type_text
from tests.unit.journal_files import PAGE, entry_draft, fill, flip_byte, folder_state
from ui.main_window import MainWindow
from ui.messages import UnsavedChoice


def shown_window(qtbot: QtBot, journal: Journal, catalog: Catalog, prompts: Prompts, clock: SetClock) -> MainWindow:
    window = MainWindow(journal, catalog, clock=clock)
    window.show_error = prompts.show_error  # type: ignore[method-assign]
    prompts.answer = UnsavedChoice.DISCARD  # closing at teardown never waits for an answer
    window.confirm_unsaved_changes = prompts.confirm_unsaved_changes  # type: ignore[method-assign]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_sound_journal_is_checked_and_takes_writes(
    qtbot: QtBot, journal: Journal, catalog: Catalog, prompts: Prompts, clock: SetClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    findings: list[tuple[object, object]] = []
    finished = MainWindow._journal_check_finished

    def recorded(self: MainWindow, checked: Journal, damage: JournalDamaged | None) -> None:
        findings.append((checked, damage))
        finished(self, checked, damage)

    monkeypatch.setattr(MainWindow, "_journal_check_finished", recorded)
    shown_window(qtbot, journal, catalog, prompts, clock)
    qtbot.waitUntil(lambda: findings != [], timeout=10_000)
    assert findings == [(journal, None)]
    entries.add_entry(journal, catalog, entry_draft("after the check"))
    assert prompts.errors == []


@pytest.fixture
def damaged(journal: Journal, catalog: Catalog) -> Journal:
    """A journal with a flipped byte in a middle page, closed cleanly and opened again as the window gets it:
    opening reads only its first pages, so the damage is not found there."""
    fill(journal, catalog, count=40)
    journal.close()
    flip_byte(journal.path, (journal.path.stat().st_size // PAGE // 2) * PAGE + 1000)
    return open_journal(journal.path, PASSPHRASE)


@pytest.mark.slow
def test_damage_found_in_the_background_is_said_and_nothing_is_written(
    qtbot: QtBot, damaged: Journal, catalog: Catalog, prompts: Prompts, clock: SetClock
) -> None:
    try:
        window = shown_window(qtbot, damaged, catalog, prompts, clock)
        qtbot.waitUntil(lambda: any("damaged" in error for error in prompts.errors), timeout=10_000)
        assert "nothing more is saved" in prompts.errors[0].lower()
        assert "Restore from Backup" in prompts.errors[0]
        assert "damaged" in window.statusBar().currentMessage()
        offered = window.security.dialog  # the restore dialog comes up by itself
        assert offered is not None and offered.isVisible() and "Restore" in offered.windowTitle()
        offered.reject()
        before = folder_state(Path(damaged.path).parent)
        with pytest.raises(JournalDamaged):
            entries.add_entry(damaged, catalog, entry_draft("must not be written"))
        qtbot.keyClicks(window.editor.template_combo, "Asked")  # a template, as the user picks one
        type_text(window.editor.field_edit("what_happened"), "Typed after the damage was found.")
        assert window.editor.is_dirty()
        assert not window.drafts.save_now()  # the editor's draft is refused too, said in the status bar
        assert "damaged" in window.statusBar().currentMessage()
        assert folder_state(Path(damaged.path).parent) == before
    finally:
        damaged.close()


def test_a_search_that_meets_the_damaged_page_says_damaged(damaged: Journal) -> None:
    """Reads that go past SQLAlchemy (the list's own SQL) say damage as damage too, never a driver error."""
    try:
        with pytest.raises(JournalDamaged, match="damaged"):
            entries.list_entries(damaged)  # reads every entry's text, so it meets the flipped page
    finally:
        damaged.close()
