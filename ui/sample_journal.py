"""Explore with a sample journal: years of made-up entries in a folder of their own, opened in a second window.

The sample is made by `demo.create_sample_journal` (as `boundary-journal demo` makes it) beside the data
folder, never in it, and opens in a new process of the app, so the clinician's own journal and its window
are not touched. A window showing a sample journal says so in its title and in a line above the list.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QProcess, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStyle, QWidget

from boundary_journal.errors import UserError
from boundary_journal.services.journal_access import journal_file
from ui.notices import TintedFrame, reminder_palette
from ui.sizing import WaitCursor

if TYPE_CHECKING:
    from boundary_journal.catalog import Catalog

# Made-up data behind a passphrase everyone may know: it is said on screen, so the sample opens like any journal.
SAMPLE_PASSPHRASE = "sample journal"
SAMPLE_ENTRIES = 3_000  # about six years of a busy clinician's boundary notes
SAMPLE_TITLE = "Sample journal (made-up entries)"
SAMPLE_LINE = (
    "Sample journal: every entry, check-in and exercise here is made up, to show what years of use look "
    "like. Your own journal is in another folder and is not affected."
)


def sample_folder(data_folder: Path) -> Path:
    """Where the sample journal lives: beside the data folder, never in it."""
    return data_folder.with_name(f"{data_folder.name}-sample")


def offer_text(folder: Path, *, exists: bool) -> str:
    made = "" if exists else f"It is made now ({SAMPLE_ENTRIES:,} made-up entries over six years, a few seconds). "
    return (
        "A sample journal opens in a second window, so you can try search, trends, the weekly exercise and "
        f"the supervision PDF on years of entries. {made}It lives in its own folder, {folder}, and nothing in "
        "it is anyone's real data; your journal stays as it is.\n\n"
        f"Its passphrase is: {SAMPLE_PASSPHRASE}"
    )


def make_sample_journal(folder: Path, catalog: Callable[[], Catalog]) -> Path:
    """The sample journal's file in `folder`, made first (with the catalogue `catalog()` gives) if it is not there."""
    path = journal_file(folder)
    if not path.exists():
        from boundary_journal.services import demo

        with WaitCursor():
            demo.create_sample_journal(path, SAMPLE_PASSPHRASE, catalog(), entries=SAMPLE_ENTRIES)
    return path


def explore(
    data_folder: Path,
    catalog: Callable[[], Catalog],
    *,
    confirm: Callable[[str], bool],
    launch: Callable[[Path], bool],
    show_error: Callable[[str], None],
) -> bool:
    """Offer the sample journal of `data_folder` (say where, and its passphrase); if taken, make it if needed
    and open it in a new window. True once that window was started."""
    folder = sample_folder(data_folder)
    if not confirm(offer_text(folder, exists=journal_file(folder).exists())):
        return False
    try:
        make_sample_journal(folder, catalog)
    except UserError as error:
        show_error(str(error))
        return False
    except OSError as error:
        show_error(f"The sample journal could not be made in {folder}: {error.strerror or error}")
        return False
    if not launch(folder):
        show_error(f"The sample journal is ready in {folder}, but its window could not be started.")
        return False
    return True


def launch_window(folder: Path) -> bool:
    """Start another Boundary Journal window on `folder`; False if the process could not be started."""
    started, _pid = QProcess.startDetached(sys.executable, ["-m", "boundary_journal", "--data-dir", str(folder)])
    return bool(started)


class SampleNotice(TintedFrame):
    """The line above a sample journal's list: what the user sees is made up."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, make=reminder_palette)
        self.setAccessibleName("Sample journal")
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(size, size))
        self.text_label = QLabel(SAMPLE_LINE)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setWordWrap(True)
        layout = QHBoxLayout(self)
        margin = self.fontMetrics().height() // 3
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.text_label, 1)
        self.hide()
