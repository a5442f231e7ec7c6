"""One program at a time writes a data folder: the window, or one writing command.

The lock is an OS file lock (flock on POSIX, LockFileEx on Windows, through `filelock`) on
`journal.lock` in the data folder. The system drops it when the process ends, however it ends, so a
crash never leaves the journal locked.
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from boundary_journal.errors import CannotWrite, JournalInUse

LOCK_FILENAME = "journal.lock"


class InstanceLock:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = FileLock(folder / LOCK_FILENAME, timeout=0, mode=0o600, thread_local=False, is_singleton=False)

    def acquire(self) -> InstanceLock:
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._lock.acquire()
        except Timeout:
            raise JournalInUse(
                f"The journal in {self.folder} is open in another Boundary Journal window or command; "
                "close that first. Nothing was changed."
            ) from None
        except OSError as exc:
            raise CannotWrite(f"Cannot use the data folder {self.folder} ({exc.strerror or exc}).") from None
        return self

    def release(self) -> None:
        self._lock.release(force=True)

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *_exc: object) -> None:
        self.release()


def acquire(folder: Path) -> InstanceLock:
    """Hold the data folder for this process, or JournalInUse if another program holds it."""
    return InstanceLock(folder).acquire()
