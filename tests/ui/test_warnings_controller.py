"""The drift warnings controller on its own: the banner re-read for the kinds it is drawn from, and a
warning acknowledged with a note (none when the clinician cancels)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services import selfchecks
from boundary_journal.services.entries import EntryView
from boundary_journal.store.journal import Journal
from tests.ui.conftest import SetClock
from ui.changes import Change, ChangeNotifier
from ui.controllers.session import JournalSession
from ui.controllers.warnings import DriftWarnings
from ui.warning_banner import WarningBanner


def test_the_banner_follows_changes_and_acknowledgements(
    qtbot: QtBot, journal: Journal, catalog: Catalog, clock: SetClock, stored: Callable[..., EntryView]
) -> None:
    banner = WarningBanner()
    qtbot.addWidget(banner)
    changes = ChangeNotifier()
    notes: list[str | None] = [None, "Raised with Dr B; plan agreed."]
    statuses: list[str] = []
    warnings = DriftWarnings(JournalSession(journal), catalog, clock, banner, changes,
                             ask_note=lambda _warning: notes.pop(0), show_error=lambda e: statuses.append(str(e)),
                             status=lambda text, _timeout=0: statuses.append(text))
    changes.changed.connect(warnings.on_change)
    refreshed: list[bool] = []
    warnings.refreshed.connect(lambda: refreshed.append(True))
    stored()
    higher = next(f.id for f in catalog.red_flags if f.warrants_higher_input)
    selfchecks.add_self_check(journal, catalog, selfchecks.SelfCheckDraft(
        {higher: 2}, relationship="Client K", taken_at=clock.now() - timedelta(days=1)))
    changes.did_change(Change.SETTINGS)  # not drawn from the settings
    assert banner.warnings() == [] and refreshed == []
    changes.did_change(Change.SELF_CHECKS)
    [warning] = banner.warnings()
    assert warning.kind == "higher_input" and refreshed == [True]
    warnings.acknowledge(warning)  # cancelled
    assert banner.warnings() == [warning]
    warnings.acknowledge(warning)
    assert banner.warnings() == [] and statuses == [f"Warning acknowledged: {warning.title}"]
