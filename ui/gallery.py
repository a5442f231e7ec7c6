"""Render the window's views to PNGs, offscreen, for looking at them: `python -m ui.gallery --out DIR [--scale 2]
[--dark]`.

Each view is shown at the size it opens in, on a made-up screen of 1920×1080 (3840×2160 at --scale 2): the set-up
and unlock dialogs, the main window on an empty journal and on a sample journal (each tab), the lock screen, and
the dialogs the menus open. The journals are made in a temporary folder and removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

PASSPHRASE = "gallery passphrase"
SAMPLE_ENTRIES = 300


def dark_palette():  # type: ignore[no-untyped-def]
    """A dark palette for Fusion (the offscreen platform has no system colour scheme to follow)."""
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, "#2d2d2d"), (roles.WindowText, "#eeeeee"), (roles.Base, "#1e1e1e"),
                         (roles.AlternateBase, "#2a2a2a"), (roles.Text, "#eeeeee"), (roles.Button, "#353535"),
                         (roles.ButtonText, "#eeeeee"), (roles.ToolTipBase, "#353535"), (roles.ToolTipText, "#eeeeee"),
                         (roles.Highlight, "#3d6ea8"), (roles.HighlightedText, "#ffffff"), (roles.Link, "#8ab4f8"),
                         (roles.PlaceholderText, "#9a9a9a")):
        palette.setColor(role, QColor(colour))
    return palette


def _settle(rounds: int = 30) -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(rounds):
        QApplication.processEvents()


def _shoot(widget, out: Path, name: str, written: list[Path]) -> None:  # type: ignore[no-untyped-def]
    widget.show()
    _settle()
    path = out / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    written.append(path)


@contextmanager
def _window(journal_path: Path, catalog) -> Iterator:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from boundary_journal.services import journal_access
    from ui.main_window import MainWindow

    window = MainWindow(journal_access.unlock(journal_path, PASSPHRASE), catalog)
    try:
        yield window
    finally:
        for dialog in window.findChildren(QDialog):
            dialog.reject()
        window.close_journal()
        window.deleteLater()
        _settle(5)


def render(out: Path, *, log: Callable[[str], None] = lambda _line: None) -> list[Path]:
    """Write one PNG per view into `out` (a QApplication must exist); returns the files written."""
    from boundary_journal.catalog import shipped_catalog
    from boundary_journal.services import demo, journal_access
    from ui.export_dialog import ExportDialog
    from ui.setup_dialog import SetupDialog
    from ui.unlock_dialog import UnlockDialog

    out.mkdir(parents=True, exist_ok=True)
    catalog = shipped_catalog()
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="boundary-journal-gallery-") as scratch:
        empty_path, sample_path = Path(scratch) / "empty" / "journal.db", Path(scratch) / "sample" / "journal.db"
        _shoot(SetupDialog(empty_path), out, "setup-dialog", written)
        journal_access.create(empty_path, PASSPHRASE, recovery_code=False).journal.close()
        log("sample journal…")
        demo.create_sample_journal(sample_path, PASSPHRASE, catalog, entries=SAMPLE_ENTRIES, seed=1)
        _shoot(UnlockDialog(sample_path), out, "unlock-dialog", written)

        with _window(empty_path, catalog) as window:
            _shoot(window, out, "main-empty", written)
        with _window(sample_path, catalog) as window:
            for index, name in enumerate(("entries", "trends", "actions")):
                window.left_tabs.setCurrentIndex(index)
                _shoot(window, out, f"main-sample-{name}", written)
            window.left_tabs.setCurrentIndex(0)
            views: Sequence[tuple[str, Callable[[], object]]] = (
                ("self-check-dialog", window.panels.self_check),
                ("weekly-dialog", window.weekly.weekly_exercise),
                ("sources-dialog", window.show_sources),
            )
            for name, opener in views:
                dialog = opener()
                _shoot(dialog, out, name, written)
                dialog.reject()  # type: ignore[attr-defined]
                _settle(5)
            export = ExportDialog(window.journal, catalog, window.entry_list.pseudonyms(), window)
            _shoot(export, out, "export-dialog", written)
            export.reject()
            window.locking.lock()
            _shoot(window, out, "lock-screen", written)
    log(f"{len(written)} views written to {out}")
    return written


def _offscreen_screen(scale: float) -> None:
    """The offscreen platform, with a screen of 1920×1080 logical pixels at `scale`."""
    if os.environ.get("QT_QPA_PLATFORM", "offscreen").split(":")[0] != "offscreen":
        return
    config = Path(tempfile.mkdtemp(prefix="boundary-journal-gallery-screen-")) / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "gallery", "x": 0, "y": 0, "width": int(1920 * scale),
                                                "height": int(1080 * scale), "logicalDpi": 96}]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    if scale != 1:
        os.environ["QT_SCALE_FACTOR"] = f"{scale:g}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.gallery", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder for the PNGs")
    parser.add_argument("--scale", type=float, default=1.0, help="device pixel ratio, e.g. 2 for 200 %%")
    parser.add_argument("--dark", action="store_true", help="a dark palette (Fusion)")
    args = parser.parse_args(argv)
    if not 0.5 <= args.scale <= 4:
        parser.error("--scale must be between 0.5 and 4")
    _offscreen_screen(args.scale)
    from PySide6.QtWidgets import QApplication

    from ui.app import application

    app: QApplication = application()
    if args.dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    render(args.out, log=lambda line: print(line, file=sys.stderr))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
