"""Writing files the user asked for (PDF, calendar, exports): all of the file or nothing, never half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from boundary_journal.errors import CannotWrite, InvalidInput, disk_full


def check_output_path(path: Path, suffix: str) -> None:
    """Refuse an output path that cannot be written to, before any work is done."""
    path = Path(path)
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name ending in {suffix}.")
    if not path.parent.is_dir():
        raise InvalidInput(f"The folder {path.parent} does not exist.")
    if path.suffix.lower() != suffix:
        raise InvalidInput(f"The file name {path.name} does not end in {suffix}.")


def atomic_write(out: Path, write: Callable[[IO[bytes]], None], *, what: str) -> None:
    """Write through a temporary file in the same folder, synced, then renamed over `out`.

    The temporary file is removed on any failure, so a failed write leaves `out` as it was.
    """
    temp_path: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=out.parent, prefix="boundary-journal-", suffix=out.suffix + ".tmp", delete=False
        ) as temporary:
            temp_path = Path(temporary.name)
            write(temporary)
            temporary.flush()
            os.fsync(temporary.fileno())
        os.replace(temp_path, out)
        sync_folder(out.parent)
    except OSError as exc:
        _remove(temp_path)
        raise disk_full(exc, f"the {what} {out} could not be written", "Nothing was changed") or CannotWrite(
            f"Cannot write the {what} {out}: {exc.strerror or exc}.") from None
    except BaseException:
        _remove(temp_path)
        raise


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove(temp_path: Path | None) -> None:
    if temp_path is not None:
        temp_path.unlink(missing_ok=True)
