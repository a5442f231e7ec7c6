"""One window start, timed from outside: run by benchmarks/run.py in a fresh process each time.

    window_probe.py empty                                   an empty PySide6 window (the floor)
    window_probe.py main DATA_DIR --passphrase-stdin        the journal window, unlocked with the passphrase
    window_probe.py main DATA_DIR --key-stdin               the same, with the journal key handed in (no KDF)
    window_probe.py unlock DATA_DIR                         the first window the app shows: the unlock dialog

It prints one JSON line: `shown` (time.time() at the window's first paint, which run.py subtracts from the
moment it started the process), `kdf` (seconds spent deriving the key in here), `rows` (entries in the
list) and `max_rss_kib` (the process's resident-memory high-water mark). The journal window is built the
way ui.app.run builds it once the unlock dialog has opened the journal. The unlock dialog is the real start,
`boundary-journal --data-dir DATA_DIR` (catalogue check and instance lock included); the process ends at the
first paint of its first top-level window.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Imports below are part of what is timed: they are what a start costs.
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class _FirstPaint(QObject):
    """Notes the moment the watched window is first painted, then ends the event loop."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.app = app
        self.at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.at is None and event.type() == QEvent.Type.Paint:
            self.at = time.time()
            QTimer.singleShot(0, self.app.quit)
        return False


def _max_rss_kib() -> int | None:
    # Linux's VmHWM starts afresh at exec; ru_maxrss would still count the benchmark process this was forked from.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KiB elsewhere


def _show(app: QApplication, window: QWidget) -> float:
    watcher = _FirstPaint(app)
    window.installEventFilter(watcher)
    window.show()
    QTimer.singleShot(120_000, app.quit)  # never hang a benchmark run
    app.exec()
    if watcher.at is None:
        raise SystemExit("the window was not painted within two minutes")
    return watcher.at


def _empty() -> dict[str, object]:
    app = QApplication([sys.argv[0]])
    window = QWidget()
    window.setWindowTitle("Empty")
    window.resize(800, 600)
    shown = _show(app, window)
    return {"shown": shown, "kdf": 0.0, "rows": 0}


def _main(data_dir: Path, *, key_from_stdin: bool) -> dict[str, object]:
    from boundary_journal.catalog import shipped_catalog
    from boundary_journal.store import keys
    from boundary_journal.store.paths import journal_path
    from boundary_journal.store.storage import open_with_key
    from ui.app import application
    from ui.clock import Clock
    from ui.main_window import MainWindow

    app = application()
    path = journal_path(data_dir)
    secret = sys.stdin.readline().rstrip("\r\n")
    started = time.perf_counter()
    if key_from_stdin:
        key, kdf = bytes.fromhex(secret), 0.0
    else:
        key = keys.unlock(keys.read_key_file(keys.key_path_for(path)), secret)
        kdf = time.perf_counter() - started
    journal = open_with_key(path, key)
    try:
        window = MainWindow(journal, shipped_catalog(), clock=Clock())
        shown = _show(app, window)
        rows = window.entry_list.model.rowCount()
        window.close()
    finally:
        journal.close()
    return {"shown": shown, "kdf": kdf, "rows": rows}


class _ExitOnFirstPaint(QObject):
    """Application-wide: at the first paint of a top-level window, print the result line and end the process.

    The start under test runs its own event loop (the unlock dialog's exec()), so the probe cannot return from
    it; ending here also keeps whatever the app does after its first paint out of the measurement. A first
    window that is not the unlock or set-up dialog (a "journal in use" message box, say) fails the run.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget) and watched.isWindow():
            shown = time.time()
            if type(watched).__name__ not in ("UnlockDialog", "SetupDialog"):
                print(f"the first window was {type(watched).__name__}: {watched.windowTitle()!r}", file=sys.stderr)
                sys.stderr.flush()
                os._exit(1)
            print(json.dumps({"shown": shown, "kdf": 0.0, "rows": 0, "max_rss_kib": _max_rss_kib()}), flush=True)
            os._exit(0)
        return False


def _unlock(data_dir: Path) -> NoReturn:
    app = QApplication([sys.argv[0]])  # created first: the start below reuses it (ui.app.application)
    watcher = _ExitOnFirstPaint()
    # Installed at the first turn of the event loop (the dialog's exec()), which comes before the window's first
    # paint: a Python filter present while the dialog is built would have PySide wrap every object that gets an
    # event, Qt's internal text documents and their enums included — about 40 ms the app itself never spends.
    QTimer.singleShot(0, lambda: app.installEventFilter(watcher))
    QTimer.singleShot(120_000, lambda: os._exit(3))  # never hang a benchmark run

    from ui.launcher import main as start

    code = start(["--data-dir", str(data_dir)])
    raise SystemExit(f"the app ended (status {code}) without painting a window")


def main(argv: list[str]) -> int:
    mode = argv[0] if argv else ""
    if mode == "empty":
        result = _empty()
    elif mode == "main" and len(argv) == 3 and argv[2] in ("--passphrase-stdin", "--key-stdin"):
        result = _main(Path(argv[1]), key_from_stdin=argv[2] == "--key-stdin")
    elif mode == "unlock" and len(argv) == 2:
        _unlock(Path(argv[1]))  # prints its line and ends the process at the first paint
    else:
        print(__doc__, file=sys.stderr)
        return 2
    result["max_rss_kib"] = _max_rss_kib()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
