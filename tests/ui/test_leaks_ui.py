"""Nothing the clinician writes lands in Qt's settings, caches or any other file of the user's profile.

The window is used the way a day goes (an entry shown, text typed but not saved, a copy, a lock and an
unlock, a close) with the home and XDG folders pointed at empty temporary ones; afterwards no file there,
nor any file in the data folder, holds the entry's words in UTF-8 or UTF-16.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from boundary_journal.services.entries import EntryView
from boundary_journal.store.journal import Journal
from tests.ui.test_lock import (
    CANARY_NAME,
    CANARY_TEXT,
    UNSAVED,
    Typist,
    entry,  # noqa: F401  (fixture)
    lock_by_key,
    open_entry,
    unlock,
)
from ui.main_window import MainWindow

PROFILE_FOLDERS = ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR")


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "profile"
    for name in PROFILE_FOLDERS:
        folder = root / name.lower()
        folder.mkdir(parents=True, mode=0o700)
        monkeypatch.setenv(name, str(folder))
    yield root


def encodings(text: str) -> list[bytes]:
    return [text.encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be")]


def files_holding(folder: Path, words: list[str]) -> list[str]:
    needles = [needle for word in words for needle in encodings(word)]
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            found += [f"{path}: {needle!r}" for needle in needles if needle in content]
    return found


def test_a_day_of_use_leaves_no_text_in_the_profile_or_the_data_folder(
    profile: Path, qtbot: QtBot, window: MainWindow, journal: Journal, entry: EntryView,  # noqa: F811
    typist: Typist, data_dir: Path,
) -> None:
    open_entry(qtbot, window, entry)
    typist(window.editor.field_edit("reflection"), UNSAVED)
    window.copy_documentation_note()
    lock_by_key(qtbot, window)  # saves the draft (inside the journal) and drops the key
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: not window.is_locked)
    assert window.editor.field_edit("reflection").toPlainText().endswith(UNSAVED)  # the draft came back
    window.close_journal()
    words = [CANARY_TEXT, CANARY_NAME, UNSAVED]
    assert files_holding(profile, words) == []
    assert files_holding(data_dir, words) == []
    assert any(data_dir.iterdir())  # the journal is there, encrypted
