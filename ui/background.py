"""One way to run a job off the UI thread: `run_in_background(fn, on_done, on_failed)`.

`fn` runs in a pool thread and touches no widget; its result reaches `on_done`, or its exception reaches
`on_failed`, on the UI thread (Anki's QueryOp has the same shape). A pool the caller keeps lets it wait
for its jobs (`pool.waitForDone()`) before the journal they read is closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

Progress = Callable[[int, int], None]


class BackgroundJob(QObject):
    """A job handed to a pool; it lives on the UI thread, so its signals are delivered there."""

    _finished = Signal(bool, object)  # succeeded, result or error
    _progressed = Signal(int, int)

    def __init__(
        self,
        fn: Callable[..., Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException], None],
        on_progress: Progress | None,
    ) -> None:
        super().__init__()
        self._fn, self._on_done, self._on_failed, self._on_progress = fn, on_done, on_failed, on_progress
        self.running = True
        self._finished.connect(self._deliver)
        self._progressed.connect(self._report)

    def _work(self) -> None:  # in the pool's thread
        try:
            result = self._fn(self._progressed.emit) if self._on_progress is not None else self._fn()
        except Exception as error:  # shown by on_failed; messages.error_text names a bug as one
            self._finished.emit(False, error)
            return
        self._finished.emit(True, result)

    @Slot(bool, object)
    def _deliver(self, succeeded: bool, outcome: object) -> None:
        self.running = False
        _running.discard(self)
        if succeeded:
            self._on_done(outcome)
        else:
            self._on_failed(outcome)  # type: ignore[arg-type]

    @Slot(int, int)
    def _report(self, done: int, total: int) -> None:
        if self._on_progress is not None:
            self._on_progress(done, total)


class _Runnable(QRunnable):
    """The pool's handle on a job, as a Python subclass. The pool deletes it after `run` (auto-delete), and a
    subclass's C++ side tells shiboken so, which forgets its Python wrapper. A `QRunnable.create()` runnable is
    deleted behind shiboken's back: its wrapper stayed registered, and another Qt object later made at the same
    address (a text document's layout) came back from Qt as that stale QRunnable."""

    def __init__(self, work: Callable[[], None]) -> None:
        super().__init__()
        self._work = work

    def run(self) -> None:
        self._work()


_running: set[BackgroundJob] = set()  # kept alive until their outcome has been delivered


def run_in_background(
    fn: Callable[..., Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    *,
    on_progress: Progress | None = None,
    pool: QThreadPool | None = None,
) -> BackgroundJob:
    """Run `fn()` off the UI thread (or `fn(progress)` when `on_progress` is given: `progress(done, total)`
    from the job reaches `on_progress` on the UI thread). Call from the UI thread."""
    job = BackgroundJob(fn, on_done, on_failed, on_progress)
    _running.add(job)
    (pool or QThreadPool.globalInstance()).start(_Runnable(job._work))
    return job
