"""The first window (unlock or set-up) is shown before the heavy libraries are imported; they are imported
while it waits for the passphrase, one module per turn of the event loop, and nothing typed meanwhile is lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from boundary_journal.store.journal import Journal
from boundary_journal.store.paths import journal_path
from ui.app import PRELOAD, preload_while_shown
from ui.preload import IdleImports
from ui.unlock_dialog import UnlockDialog

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery"  # tests/conftest.py; the journal fixture's key file has the cheap KDF
# Each takes tens to hundreds of milliseconds to import, and the unlock dialog needs none of them.
HEAVY = ("sqlalchemy", "cryptography", "PySide6.QtCharts", "reportlab", "icalendar",
         "boundary_journal.store.storage", "ui.main_window", "ui.security_dialogs")


def run_python(script: str, *args: str) -> dict[str, Any]:
    """Run `script` in a fresh interpreter (this one has imported everything already); it prints one JSON line."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


LIGHT_START = f"""\
import json, sys
from pathlib import Path
import ui.app, ui.unlock_dialog
app = ui.app.application()
dialog = ui.app.open_journal_dialog(Path(sys.argv[1]))
dialog.show()
app.processEvents()
print(json.dumps({{"dialog": type(dialog).__name__, "loaded": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""

PRELOADED = f"""\
import json, sys
from pathlib import Path
import ui.app
app = ui.app.application()
dialog = ui.app.open_journal_dialog(Path(sys.argv[1]))
preloader = ui.app.preload_while_shown(dialog)
before = [m for m in {HEAVY!r} if m in sys.modules]
dialog.show()
for _ in range(100_000):  # a guard against a hang, not a time limit
    if preloader.done:
        break
    app.processEvents()
print(json.dumps({{"before": before, "missing": [m for m in ui.app.PRELOAD if m not in sys.modules],
                  "loaded": [m for m in {HEAVY!r} if m in sys.modules], "open": [str(dialog.isVisible())]}}))
"""

# The whole window start (ui.app.run): once the preloading is done, unlocking and building the journal window
# import nothing more.
UNLOCK_AFTER_PRELOAD = """\
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import ui.app
from boundary_journal.catalog import shipped_catalog
from ui.preload import IdleImports
from ui.unlock_dialog import UnlockDialog

app = ui.app.application()
seen = {}


def drive():
    dialog = QApplication.activeModalWidget()
    windows = [w for w in QApplication.topLevelWidgets() if type(w).__name__ == "MainWindow" and w.isVisible()]
    if isinstance(dialog, UnlockDialog) and "modules" not in seen:
        preloader = dialog.findChild(IdleImports)
        if preloader is not None and preloader.done:
            seen["modules"] = set(sys.modules)
            dialog.passphrase_edit.setText(sys.argv[2])
            dialog.accept()
    elif windows:
        seen["new"] = sorted(set(sys.modules) - seen["modules"])
        windows[0].close()
        return
    QTimer.singleShot(10, drive)


QTimer.singleShot(0, drive)
code = ui.app.run(Path(sys.argv[1]), shipped_catalog())
print(json.dumps({"code": code, "new": seen.get("new")}))
"""


class TestLightStart:
    """Up to the unlock dialog's first paint, no database, cryptography, chart, PDF or calendar library."""

    def test_unlock_dialog_is_shown_without_them(self, tmp_path: Path) -> None:
        journal_path(tmp_path).write_bytes(b"")  # a journal file: the unlock dialog, which never reads it here
        result = run_python(LIGHT_START, str(tmp_path))
        assert result == {"dialog": "UnlockDialog", "loaded": []}

    @pytest.mark.slow
    def test_the_window_start_preloads_them_while_the_dialog_waits(self, tmp_path: Path) -> None:
        journal_path(tmp_path).write_bytes(b"")
        result = run_python(PRELOADED, str(tmp_path))
        assert result["before"] == []
        assert result["missing"] == []
        # All but the PDF library: ReportLab is imported when a PDF is written, never at start.
        assert result["loaded"] == [m for m in HEAVY if m != "reportlab"]
        assert result["open"] == ["True"]  # still waiting for the passphrase

    @pytest.mark.slow
    def test_unlocking_after_the_preloading_imports_nothing_more(self, journal: Journal, data_dir: Path) -> None:
        journal.close()
        result = run_python(UNLOCK_AFTER_PRELOAD, str(data_dir), PASSPHRASE)
        # A module listed here is imported between Unlock and the journal window: add it to ui.app.PRELOAD.
        assert result == {"code": 0, "new": []}


@pytest.fixture
def fake_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path for small modules written by the test; they leave sys.modules afterwards."""
    folder = tmp_path / "modules"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    before = set(sys.modules)
    yield folder
    for name in set(sys.modules) - before:
        if name.startswith("bj_fake_"):
            del sys.modules[name]


def write_module(folder: Path, name: str, body: str = "") -> str:
    (folder / f"{name}.py").write_text(body, encoding="utf-8")
    return name


# A module whose import, like a long one, sees key presses arrive meanwhile: they are queued for the dialog's
# passphrase field, as the keyboard would queue them while the event loop is busy.
TYPED_DURING_IMPORT = """\
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
import bj_fake_log
for char in {chars!r}:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.postEvent(bj_fake_log.field, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))
bj_fake_log.steps.append({chars!r})
"""


def unlock_dialog(qtbot: QtBot, tmp_path: Path) -> UnlockDialog:
    dialog = UnlockDialog(journal_path(tmp_path))
    qtbot.addWidget(dialog)
    return dialog


class TestIdleImports:
    """Modules are imported after the first paint, in order, one per turn of the event loop."""

    def test_nothing_before_the_first_paint_then_everything(
        self, qtbot: QtBot, tmp_path: Path, fake_modules: Path
    ) -> None:
        names = [write_module(fake_modules, f"bj_fake_{n}") for n in ("one", "two", "three")]
        dialog = unlock_dialog(qtbot, tmp_path)
        preloader = IdleImports(dialog, names)
        qtbot.wait(1)
        assert not any(name in sys.modules for name in names)  # not shown, not painted: nothing yet

        with qtbot.waitSignal(preloader.finished):
            dialog.show()
        assert all(name in sys.modules for name in names)
        assert preloader.done and preloader.pending == []

    def test_keys_pressed_during_an_import_reach_the_passphrase_field_in_order(
        self, qtbot: QtBot, tmp_path: Path, fake_modules: Path
    ) -> None:
        log = write_module(fake_modules, "bj_fake_log", "steps = []\nfield = None\n")
        names = [write_module(fake_modules, f"bj_fake_typing_{chars}", TYPED_DURING_IMPORT.format(chars=chars))
                 for chars in ("pass", "phrase")]
        dialog = unlock_dialog(qtbot, tmp_path)
        __import__(log)
        sys.modules[log].field = dialog.passphrase_edit
        preloader = IdleImports(dialog, names)
        qtbot.keyClicks(dialog.passphrase_edit, "my ")
        with qtbot.waitSignal(preloader.finished):
            dialog.show()
        qtbot.keyClicks(dialog.passphrase_edit, " typed")
        assert sys.modules[log].steps == ["pass", "phrase"]
        assert dialog.passphrase_edit.text() == "my passphrase typed"
        assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted

    def test_events_queued_by_a_step_are_handled_before_the_next_step(
        self, qtbot: QtBot, tmp_path: Path, fake_modules: Path
    ) -> None:
        write_module(fake_modules, "bj_fake_order", "order = []\n")
        posting = write_module(fake_modules, "bj_fake_posting", (
            "from PySide6.QtCore import QTimer\nimport bj_fake_order\n"
            "bj_fake_order.order.append('first import')\n"
            "QTimer.singleShot(0, lambda: bj_fake_order.order.append('its event'))\n"
        ))
        second = write_module(fake_modules, "bj_fake_second", (
            "import bj_fake_order\nbj_fake_order.order.append('second import')\n"
        ))
        dialog = unlock_dialog(qtbot, tmp_path)
        preloader = IdleImports(dialog, [posting, second])
        with qtbot.waitSignal(preloader.finished):
            dialog.show()
        assert sys.modules["bj_fake_order"].order == ["first import", "its event", "second import"]

    def test_a_module_that_fails_is_passed_over(self, qtbot: QtBot, tmp_path: Path, fake_modules: Path) -> None:
        broken = write_module(fake_modules, "bj_fake_broken", "raise RuntimeError('not today')\n")
        fine = write_module(fake_modules, "bj_fake_fine")
        dialog = unlock_dialog(qtbot, tmp_path)
        preloader = IdleImports(dialog, [broken, "bj_fake_missing", fine])
        with qtbot.waitSignal(preloader.finished):
            dialog.show()
        assert broken not in sys.modules and fine in sys.modules

    def test_no_steps_after_the_dialog_is_gone(self, qtbot: QtBot, tmp_path: Path, fake_modules: Path) -> None:
        write_module(fake_modules, "bj_fake_holder", "dialog = None\n")
        closing = write_module(fake_modules, "bj_fake_closing", (
            "import bj_fake_holder\nbj_fake_holder.dialog.close()\nbj_fake_holder.dialog.deleteLater()\n"
        ))
        later = write_module(fake_modules, "bj_fake_later")
        dialog = UnlockDialog(journal_path(tmp_path))
        __import__("bj_fake_holder")
        sys.modules["bj_fake_holder"].dialog = dialog
        preloader = IdleImports(dialog, [closing, later])
        finished: list[bool] = []
        preloader.finished.connect(lambda: finished.append(True))
        destroyed: list[bool] = []
        dialog.destroyed.connect(lambda: destroyed.append(True))
        dialog.show()
        qtbot.waitUntil(lambda: destroyed == [True])
        qtbot.wait(20)
        assert closing in sys.modules and later not in sys.modules and finished == []


def test_the_app_preloads_for_the_dialog_it_shows(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = unlock_dialog(qtbot, tmp_path)
    preloader = preload_while_shown(dialog)
    assert preloader.parent() is dialog and preloader.pending == list(PRELOAD)
    with qtbot.waitSignal(preloader.finished):
        dialog.show()
    qtbot.keyClicks(dialog.passphrase_edit, "still typing")
    assert dialog.passphrase_edit.text() == "still typing"
