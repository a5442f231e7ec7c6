"""The weekly clock: the exercise banner, the exercise and its follow-up, the reminder and its settings.

"Today" comes from the `Clock`; `check_clock` runs once a minute: a new day refreshes the banner (and
says so with `new_day`: a new day is not a data change, so it is not on the change signal), a new week asks
last week's follow-up, and a due reminder notifies.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QStyle, QSystemTrayIcon, QWidget

from boundary_journal import APP_NAME
from boundary_journal.catalog import Catalog
from boundary_journal.errors import UserError
from boundary_journal.services import settings, weekly
from boundary_journal.services.settings import ReminderSetting
from boundary_journal.services.weekly import ExerciseView, IsoWeek
from ui.changes import Change, ChangeNotifier
from ui.clock import Clock
from ui.controllers.session import JournalSession, ShowError, Status
from ui.dialog_registry import DialogRegistry
from ui.exercise_model import streak_text
from ui.followup_dialog import FollowupDialog
from ui.reminder_dialog import ReminderDialog
from ui.weekly_banner import WeeklyBanner
from ui.weekly_dialog import WeeklyDialog

CLOCK_CHECK_MS = 60_000  # the day, the week and the reminder are looked at once a minute
STATUS_TIMEOUT_MS = 10_000
REMINDER_TITLE = "Weekly exercise"
# What a notification says: nothing from the journal, since notification centres keep a history in plain files.
REMINDER_TEXT = "Time for this week's grey-relationship exercise: one relationship, one sentence, one move."


class WeeklyClock(QObject):
    """The weekly exercise, its follow-up and its reminder, for the window `parent_widget`."""

    new_day = Signal()  # statuses that depend on the date may have changed

    def __init__(
        self,
        session: JournalSession,
        catalog: Catalog,
        clock: Clock,
        banner: WeeklyBanner,
        dialogs: DialogRegistry,
        changes: ChangeNotifier,
        parent_widget: QWidget,
        *,
        pseudonyms: Callable[[], list[str]],
        status: Status,
        show_error: ShowError,
    ) -> None:
        super().__init__(parent_widget)
        self.session, self.catalog, self.clock, self.banner = session, catalog, clock, banner
        self.dialogs, self.changes, self.parent_widget = dialogs, changes, parent_widget
        self._pseudonyms, self._status, self._show_error = pseudonyms, status, show_error
        self._checked_day: date | None = None
        self._reminded_week: IsoWeek | None = None
        self._tray: QSystemTrayIcon | None = None
        self.reminder = settings.get_reminder(session.journal)
        self.timer = QTimer(self)
        self.timer.setInterval(CLOCK_CHECK_MS)
        self.timer.timeout.connect(self.check_clock)
        banner.exercise_requested.connect(self.weekly_exercise)
        changes.changed.connect(self.on_change)

    # --- reading ---------------------------------------------------------------------------------

    def on_change(self, kinds: Change) -> None:
        if kinds & Change.SETTINGS and not self.session.is_locked:
            self.reminder = settings.get_reminder(self.session.journal)
        if kinds & Change.EXERCISES:
            self.refresh_banner()

    def refresh_banner(self) -> None:
        """Re-read whether this week's exercise is done, and the streak."""
        if self.session.is_locked:
            return
        today = self.clock.today()
        try:
            done = weekly.is_done_this_week(self.session.journal, today)
            weeks = weekly.streak(self.session.journal, today)
        except UserError as error:
            self._show_error(error)
            return
        self.banner.show_state(done=done, streak=weeks)

    # --- the clock -------------------------------------------------------------------------------

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def check_clock(self) -> None:
        """Once a minute (and at start): a new day refreshes statuses, a new week asks last week's follow-up;
        then the reminder, if it is due."""
        if not self.session.is_open():  # locked, or closed under the window (restore, or the app ending)
            return
        today = self.clock.today()
        if today != self._checked_day:
            self._checked_day = today
            self.refresh_banner()
            self.new_day.emit()
            self.offer_followup()
        self._remind_if_due()

    def _remind_if_due(self) -> None:
        now = self.clock.now()
        if not self.reminder.enabled:
            return
        try:
            done = weekly.is_done_this_week(self.session.journal, now.date())
        except UserError:
            return  # a reminder is not worth a message box; the next minute tries again
        if settings.reminder_due(self.reminder, now, done_this_week=done, last_fired_week=self._reminded_week):
            self._reminded_week = IsoWeek.of(now.date())
            self.notify(REMINDER_TEXT)

    def notify(self, text: str) -> None:
        """A system notification while the app runs, or the status bar where there is no system tray."""
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self._tray is None:
                window = self.parent_widget
                icon = window.windowIcon()
                if icon.isNull():
                    icon = QIcon(window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation))
                self._tray = QSystemTrayIcon(icon, self)
                self._tray.setToolTip(APP_NAME)
                self._tray.messageClicked.connect(self._notification_clicked)
                self._tray.show()
            self._tray.showMessage(REMINDER_TITLE, text, QSystemTrayIcon.MessageIcon.Information)
        self._status(text)

    def _notification_clicked(self) -> None:
        window = self.parent_widget
        window.showNormal()
        window.raise_()
        window.activateWindow()
        if not self.session.is_locked:
            self.weekly_exercise()

    # --- the exercise --------------------------------------------------------------------------------

    @property
    def weekly_dialog(self) -> WeeklyDialog | None:
        return self.dialogs.current(WeeklyDialog)  # type: ignore[return-value]

    @property
    def followup_dialog(self) -> FollowupDialog | None:
        return self.dialogs.current(FollowupDialog)  # type: ignore[return-value]

    @property
    def reminder_dialog(self) -> ReminderDialog | None:
        return self.dialogs.current(ReminderDialog)  # type: ignore[return-value]

    def weekly_exercise(self) -> WeeklyDialog:
        """Open this week's exercise (pre-filled if it is written already); window-modal, not blocking."""

        def make() -> WeeklyDialog:
            dialog = WeeklyDialog(self.session.journal, self.catalog, self._pseudonyms(), self.clock.today(),
                                  self.parent_widget)
            dialog.saved.connect(self._after_exercise)
            dialog.finished.connect(lambda _result: self._weekly_closed(dialog))
            return dialog

        return self.dialogs.open(WeeklyDialog, make, activate=True)

    def _after_exercise(self, view: ExerciseView) -> None:
        self.changes.did_change(Change.EXERCISES | Change.ACTIONS | Change.RELATIONSHIPS)
        weeks = weekly.streak(self.session.journal, self.clock.today())
        self._status(
            f"Exercise for week {view.week} saved; the step is on the actions list — {streak_text(weeks)}",
            STATUS_TIMEOUT_MS,
        )

    def _weekly_closed(self, dialog: WeeklyDialog) -> None:
        if dialog.calendar_written is not None:
            self._status(f"Calendar file saved to {dialog.calendar_written}", STATUS_TIMEOUT_MS)

    def offer_followup(self) -> FollowupDialog | None:
        """Ask once whether last week's step happened, if it has no answer yet; None when there is nothing to ask."""
        if self.followup_dialog is not None:
            return None
        today = self.clock.today()
        try:
            pending = weekly.pending_followup(self.session.journal, today)
            if pending is None:
                return None
            # Remembered before it is shown: closing it, or the app, must not bring it back at every start.
            weekly.mark_followup_offered(self.session.journal, pending.week, today)
        except UserError as error:
            self._show_error(error)
            return None
        return self.record_outcome(pending)

    def record_outcome(self, exercise: ExerciseView) -> FollowupDialog:
        """Open the follow-up for `exercise` (from the offer, or from the weekly history); window-modal."""

        def make() -> FollowupDialog:
            dialog = FollowupDialog(self.session.journal, self.catalog, exercise, self.clock.today(),
                                    self.parent_widget)
            dialog.recorded.connect(self._after_followup)
            return dialog

        return self.dialogs.open(FollowupDialog, make)

    def _after_followup(self, view: ExerciseView) -> None:
        self.changes.did_change(Change.EXERCISES | Change.ACTIONS)
        self._status(f"Week {view.week}: answer saved and its action closed", STATUS_TIMEOUT_MS)

    # --- the reminder --------------------------------------------------------------------------------

    def reminder_settings(self) -> ReminderDialog:
        def make() -> ReminderDialog:
            dialog = ReminderDialog(self.session.journal, self.parent_widget)
            dialog.saved.connect(self._reminder_saved)
            return dialog

        return self.dialogs.open(ReminderDialog, make)

    def _reminder_saved(self, reminder: ReminderSetting) -> None:
        self.changes.did_change(Change.SETTINGS)  # re-read in on_change, with any other settings-derived state
        self._reminded_week = None  # a new time this week may fire again
        if reminder.enabled:
            text = f"Reminder set: {settings.WEEKDAYS[reminder.weekday]}s at {reminder.at:%H:%M}"
        else:
            text = "Reminder turned off"
        self._status(text, STATUS_TIMEOUT_MS)
        self.check_clock()
