"""File ▸ Explore a Sample Journal: made beside the data folder, opened in a new window, marked as made up."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QProcess
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services import demo, entries
from boundary_journal.store.journal import Journal
from boundary_journal.store.paths import journal_path
from boundary_journal.store.storage import open_journal
from tests.ui.conftest import Prompts, SetClock
from ui import sample_journal
from ui.main_window import MainWindow
from ui.messages import UnsavedChoice


class Offer:
    """Stands in for the question and the new process: records both."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.texts: list[str] = []
        self.launched: list[Path] = []

    def confirm(self, text: str) -> bool:
        self.texts.append(text)
        return self.answer

    def launch(self, folder: Path) -> bool:
        self.launched.append(folder)
        return True


@pytest.fixture
def offer(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> Offer:
    monkeypatch.setattr(sample_journal, "SAMPLE_ENTRIES", 60)  # a small sample: the same code, quicker
    recorded = Offer()
    window.confirm_sample_journal = recorded.confirm  # type: ignore[method-assign]
    window.launch_sample_window = recorded.launch  # type: ignore[method-assign]
    return recorded


def test_made_beside_the_data_folder_and_opened_in_a_new_window(
    window: MainWindow, journal: Journal, data_dir: Path, offer: Offer, prompts: Prompts
) -> None:
    assert not window.sample_notice.isVisible() and "Sample" not in window.windowTitle()
    window.menus.explore_sample_action.trigger()

    folder = data_dir.with_name(f"{data_dir.name}-sample")
    assert offer.launched == [folder] and prompts.errors == []
    assert "made now" in offer.texts[0] and f"passphrase is: {sample_journal.SAMPLE_PASSPHRASE}" in offer.texts[0]
    assert str(folder) in offer.texts[0]
    sample = open_journal(journal_path(folder), sample_journal.SAMPLE_PASSPHRASE)
    try:
        assert demo.is_sample(sample) and entries.count_entries(sample) == 60
    finally:
        sample.close()
    assert entries.count_entries(journal) == 0  # the user's own journal holds nothing made up

    made = journal_path(folder).stat().st_mtime_ns
    window.menus.explore_sample_action.trigger()  # again: the same sample, opened, not made anew
    assert offer.launched == [folder, folder] and "made now" not in offer.texts[1]
    assert journal_path(folder).stat().st_mtime_ns == made


def test_cancel_makes_nothing(window: MainWindow, data_dir: Path, offer: Offer) -> None:
    offer.answer = False
    window.menus.explore_sample_action.trigger()
    assert offer.launched == [] and not data_dir.with_name(f"{data_dir.name}-sample").exists()


def test_a_sample_journal_says_so(
    qtbot: QtBot, tmp_path: Path, catalog: Catalog, prompts: Prompts, clock: SetClock
) -> None:
    path = journal_path(tmp_path / "sample")
    demo.create_sample_journal(path, sample_journal.SAMPLE_PASSPHRASE, catalog, entries=40)
    opened = open_journal(path, sample_journal.SAMPLE_PASSPHRASE)
    window = MainWindow(opened, catalog, clock=clock)
    window.show_error = prompts.show_error  # type: ignore[method-assign]
    prompts.answer = UnsavedChoice.DISCARD
    window.confirm_unsaved_changes = prompts.confirm_unsaved_changes  # type: ignore[method-assign]
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitExposed(window)
        assert window.sample_notice.isVisible() and "made up" in window.sample_notice.text_label.text()
        assert sample_journal.SAMPLE_TITLE in window.windowTitle()
        assert not window.menus.explore_sample_action.isEnabled()  # no sample of the sample
        window.locking.lock()
        assert sample_journal.SAMPLE_TITLE not in window.windowTitle()  # locked: nothing of the journal shown
        assert window.locking.unlock(sample_journal.SAMPLE_PASSPHRASE)
        assert sample_journal.SAMPLE_TITLE in window.windowTitle() and window.sample_notice.isVisible()
    finally:
        window.close()
        window.close_journal()


def test_the_new_window_is_this_program_on_the_sample_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(QProcess, "startDetached", lambda program, arguments: (started.append((program, arguments))
                                                                               or (True, 1)))
    assert sample_journal.launch_window(tmp_path / "data-sample")
    assert started == [(sys.executable, ["-m", "boundary_journal", "--data-dir", str(tmp_path / "data-sample")])]


def test_an_existing_journal_is_never_made_into_a_sample(tmp_path: Path, catalog: Catalog, journal: Journal) -> None:
    from boundary_journal.errors import JournalExists

    before = journal.path.read_bytes()
    with pytest.raises(JournalExists):
        demo.create_sample_journal(journal.path, "whatever passphrase", catalog, entries=10)
    assert journal.path.read_bytes() == before


def test_the_first_start_offers_it_before_a_journal_is_made(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt

    from ui.setup_dialog import SetupDialog

    monkeypatch.setattr(sample_journal, "SAMPLE_ENTRIES", 30)
    dialog = SetupDialog(journal_path(data_dir))
    qtbot.addWidget(dialog)
    offer = Offer()
    dialog.confirm_sample_journal = offer.confirm  # type: ignore[method-assign]
    dialog.launch_sample_window = offer.launch  # type: ignore[method-assign]
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.sample_button, Qt.MouseButton.LeftButton)

    folder = data_dir.with_name(f"{data_dir.name}-sample")
    assert offer.launched == [folder] and journal_path(folder).exists()
    assert dialog.isVisible() and not journal_path(data_dir).exists()  # the user's own set-up goes on


def test_a_sample_that_cannot_be_made_is_said_and_nothing_starts(
    window: MainWindow, data_dir: Path, offer: Offer, prompts: Prompts
) -> None:
    data_dir.with_name(f"{data_dir.name}-sample").write_text("a file where the sample folder would go")
    window.menus.explore_sample_action.trigger()
    assert offer.launched == [] and len(prompts.errors) == 1
    assert prompts.errors[0].startswith(f"The sample journal could not be made in {data_dir}-sample")


def test_a_window_that_does_not_start_is_said(window: MainWindow, data_dir: Path, offer: Offer,
                                              prompts: Prompts) -> None:
    window.launch_sample_window = lambda folder: False  # type: ignore[method-assign]
    window.menus.explore_sample_action.trigger()
    assert prompts.errors == [
        f"The sample journal is ready in {data_dir.with_name(data_dir.name + '-sample')}, "
        "but its window could not be started."
    ]
    assert "new window" not in window.statusBar().currentMessage()
