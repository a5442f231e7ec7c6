"""One program at a time holds a data folder; the system frees the lock however the holder ends."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from boundary_journal.errors import JournalInUse
from boundary_journal.store import instance
from tests.unit.journal_files import folder_state, start_library

HOLD = """
from boundary_journal.store import instance
lock = instance.acquire(Path(sys.argv[1]))
print("held", flush=True)
sys.stdin.read()  # hold until the test closes our input or kills us
lock.release()
print("released", flush=True)
"""


@pytest.fixture
def holder(data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the data folder."""
    child = start_library(HOLD, str(data_dir))
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    assert line == "held", child.stderr.read() if child.stderr else line
    try:
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=60)


class TestSameProcess:
    def test_second_acquire_is_refused(self, data_dir: Path) -> None:
        first = instance.acquire(data_dir)
        try:
            with pytest.raises(JournalInUse, match="open in another Boundary Journal") as caught:
                instance.acquire(data_dir)
            assert caught.value.exit_code == 7
            assert first.held
        finally:
            first.release()

    def test_release_lets_the_next_one_in(self, data_dir: Path) -> None:
        first = instance.acquire(data_dir)
        first.release()
        assert not first.held
        instance.acquire(data_dir).release()

    def test_context_manager(self, data_dir: Path) -> None:
        with instance.InstanceLock(data_dir) as lock:
            assert lock.held
            with pytest.raises(JournalInUse):
                instance.acquire(data_dir)
        instance.acquire(data_dir).release()

    def test_other_folders_are_independent(self, tmp_path: Path) -> None:
        with instance.InstanceLock(tmp_path / "a"), instance.InstanceLock(tmp_path / "b") as second:
            assert second.held

    def test_creates_a_private_folder_and_lock_file(self, tmp_path: Path) -> None:
        folder = tmp_path / "new" / "data"
        with instance.InstanceLock(folder):
            assert folder.stat().st_mode & 0o777 == 0o700
            assert (folder / instance.LOCK_FILENAME).stat().st_mode & 0o777 == 0o600


class TestOtherProcess:
    def test_a_second_program_is_refused_and_changes_nothing(
        self, holder: subprocess.Popen[str], data_dir: Path
    ) -> None:
        before = folder_state(data_dir)
        with pytest.raises(JournalInUse) as caught:
            instance.acquire(data_dir)
        assert caught.value.exit_code == 7
        assert folder_state(data_dir) == before

    def test_released_when_the_holder_ends_normally(self, holder: subprocess.Popen[str], data_dir: Path) -> None:
        out, _ = holder.communicate(input="", timeout=60)
        assert "released" in out
        instance.acquire(data_dir).release()

    def test_released_when_the_holder_is_killed(self, holder: subprocess.Popen[str], data_dir: Path) -> None:
        holder.send_signal(signal.SIGKILL)
        holder.communicate(timeout=60)
        assert holder.returncode == -signal.SIGKILL
        instance.acquire(data_dir).release()

    def test_the_holder_sees_this_process_as_the_second_one(self, data_dir: Path) -> None:
        with instance.InstanceLock(data_dir):
            child = start_library(
                "from boundary_journal.store import instance\n"
                "from boundary_journal.errors import JournalInUse\n"
                "try:\n"
                "    instance.acquire(Path(sys.argv[1]))\n"
                "except JournalInUse as error:\n"
                "    sys.exit(error.exit_code)\n",
                str(data_dir),
            )
            child.communicate(timeout=60)
        assert child.returncode == 7
