"""The drift warnings banner: re-read after any change it is drawn from, and acknowledged with a note."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from boundary_journal.catalog import Catalog
from boundary_journal.errors import UserError
from boundary_journal.services import drift
from boundary_journal.services.drift import DriftWarning
from ui.changes import Change, ChangeNotifier
from ui.clock import Clock
from ui.controllers.session import JournalSession, ShowError, Status
from ui.warning_banner import WarningBanner

STATUS_TIMEOUT_MS = 10_000
# What the drift warnings are read from: everything but the settings.
WARNINGS_SHOW = Change.ALL & ~Change.SETTINGS


class DriftWarnings(QObject):
    """Keeps `banner` showing the warnings that hold now; `refreshed` follows each re-read."""

    refreshed = Signal()

    def __init__(
        self,
        session: JournalSession,
        catalog: Catalog,
        clock: Clock,
        banner: WarningBanner,
        changes: ChangeNotifier,
        *,
        ask_note: Callable[[DriftWarning], str | None],
        show_error: ShowError,
        status: Status,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.catalog, self.clock, self.banner, self.changes = session, catalog, clock, banner, changes
        self._ask_note, self._show_error, self._status = ask_note, show_error, status
        banner.acknowledge.connect(self.acknowledge)

    def on_change(self, kinds: Change) -> None:
        if kinds & WARNINGS_SHOW:
            self.refresh()

    def refresh(self) -> None:
        if self.session.is_locked:
            return
        try:
            every = drift.all_warnings(self.session.journal, self.catalog, as_of=self.clock.now())
        except UserError as error:
            self._show_error(error)
            return
        self.banner.show_warnings([w for w in every if not w.acknowledged], [w for w in every if w.acknowledged])
        self.refreshed.emit()

    def acknowledge(self, warning: DriftWarning) -> None:
        note = self._ask_note(warning)
        if note is None:
            return
        try:
            drift.acknowledge_warning(self.session.journal, warning, note, when=self.clock.now())
        except UserError as error:
            self._show_error(error)
            return
        self.changes.did_change(Change.WARNINGS)
        self._status(f"Warning acknowledged: {warning.title}", STATUS_TIMEOUT_MS)
