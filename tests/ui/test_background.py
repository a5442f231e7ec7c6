"""run_in_background: the job runs off the UI thread; its result or error arrives on the UI thread."""

from __future__ import annotations

import threading
import time

import shiboken6
from PySide6.QtCore import QRunnable, QThreadPool
from pytestqt.qtbot import QtBot

from ui.background import run_in_background


class TestRunInBackground:
    """One helper for every job off the UI thread."""

    def test_a_finished_job_leaves_no_python_handle_on_deleted_qt_memory(self, qtbot: QtBot) -> None:
        # A runnable the pool deleted while its wrapper stayed registered came back later as another Qt object
        # made at the same address (a text document's layout was handed out as a QRunnable).
        pool = QThreadPool()
        done: list[object] = []

        def slow() -> int:
            time.sleep(0.02)
            return 1

        for _ in range(5):
            run_in_background(slow, done.append, done.append, pool=pool)
        pool.waitForDone()
        qtbot.waitUntil(lambda: len(done) == 5)
        assert [w for w in shiboken6.getAllValidWrappers() if isinstance(w, QRunnable)] == []

    def test_the_result_reaches_on_done_on_the_ui_thread(self, qtbot: QtBot) -> None:
        ui_thread = threading.get_ident()
        ran_in: list[int] = []
        done: list[tuple[object, int]] = []

        def work() -> int:
            ran_in.append(threading.get_ident())
            return 42

        job = run_in_background(work, lambda result: done.append((result, threading.get_ident())), pytest_fail)
        qtbot.waitUntil(lambda: bool(done))
        assert done == [(42, ui_thread)] and ran_in != [ui_thread] and not job.running

    def test_an_error_reaches_on_failed_on_the_ui_thread(self, qtbot: QtBot) -> None:
        ui_thread = threading.get_ident()
        failed: list[tuple[BaseException, int]] = []

        def work() -> None:
            raise OSError("disk full")

        run_in_background(work, pytest_fail, lambda error: failed.append((error, threading.get_ident())))
        qtbot.waitUntil(lambda: bool(failed))
        assert isinstance(failed[0][0], OSError) and str(failed[0][0]) == "disk full" and failed[0][1] == ui_thread

    def test_progress_reaches_the_ui_thread_before_the_result(self, qtbot: QtBot) -> None:
        seen: list[object] = []
        pool = QThreadPool()

        def work(progress) -> str:
            progress(1, 2)
            progress(2, 2)
            return "done"

        run_in_background(work, seen.append, pytest_fail, on_progress=lambda d, t: seen.append((d, t)), pool=pool)
        pool.waitForDone()  # the caller's own pool: it can wait for its jobs
        qtbot.waitUntil(lambda: "done" in seen)
        assert seen == [(1, 2), (2, 2), "done"]


def pytest_fail(_outcome: object) -> None:
    raise AssertionError(f"unexpected outcome: {_outcome!r}")
