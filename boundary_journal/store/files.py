"""Writing files (PDF, calendar, exports, backups, key files): all of the file or nothing, never half."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from boundary_journal.errors import CannotWrite, InvalidInput, disk_full


def check_output_path(path: Path, suffix: str, *, field: str | None = None) -> None:
    """Refuse an output path that cannot be written to, before any work is done (InvalidInput.field: `field`)."""
    path = Path(path)
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name ending in {suffix}.", field=field)
    if not path.parent.is_dir():
        raise InvalidInput(f"The folder {path.parent} does not exist.", field=field)
    if path.suffix.lower() != suffix:
        raise InvalidInput(f"The file name {path.name} does not end in {suffix}.", field=field)


# Names of what is being written: hidden, and recognised by the sweeps (journal_files.leftovers) when a
# process that was killed left them behind.
TEMPORARY_PREFIX = ".boundary-journal-"
TEMPORARY_PATTERN = ".boundary-journal-*.tmp"
OLD_TEMPORARY_PATTERN = "boundary-journal-*.tmp"  # the names earlier versions used
SCRATCH_PREFIX = ".boundary-journal-scratch-"
SCRATCH_PATTERNS = (f"{SCRATCH_PREFIX}*", ".boundary-journal-backup-*")  # this version's, and earlier ones


def atomic_write(out: Path, write: Callable[[IO[bytes]], None], *, what: str) -> None:
    """Write all of `out` or nothing: a failure or a kill at any point leaves `out` as it was and no readable
    remainder of the new content anywhere under a name.

    On Linux the content is written to an unnamed file (O_TMPFILE) that is linked into place once it is
    complete and synced. Elsewhere it goes to a hidden temporary name, held with an OS lock while it is
    written, that a later run sweeps (`sweep_abandoned`, and at open for the data folder).
    """
    sweep_abandoned(out.parent)
    temp_path: Path | None = None
    fd = -1
    try:
        fd, temp_path = _open_temporary(out)
        with os.fdopen(os.dup(fd), "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        temp_path = _publish(fd, temp_path, out)
        sync_folder(out.parent)
    except OSError as exc:
        _remove(temp_path)
        raise disk_full(exc, f"the {what} {out} could not be written", "Nothing was changed") or CannotWrite(
            f"Cannot write the {what} {out}: {exc.strerror or exc}.") from None
    except BaseException:
        _remove(temp_path)
        raise
    finally:
        if fd >= 0:
            os.close(fd)


def _open_temporary(out: Path) -> tuple[int, Path | None]:
    """A descriptor to write to, and its temporary name (None for an unnamed file)."""
    unnamed = getattr(os, "O_TMPFILE", 0)
    if unnamed:
        try:
            # Readable too: where it cannot be linked, its content is copied to a temporary name instead.
            return os.open(out.parent, unnamed | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), 0o600), None
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                raise  # a file system without unnamed files says so with one of these; anything else is real
    fd, name = tempfile.mkstemp(dir=out.parent, prefix=TEMPORARY_PREFIX, suffix=out.suffix + ".tmp")
    _hold(fd)
    return fd, Path(name)


def _publish(fd: int, temp_path: Path | None, out: Path) -> None:
    """Give the written file its name `out`; returns None (nothing is left to clean up)."""
    if temp_path is None:
        try:
            _link_unnamed(fd, out)
            return None
        except FileExistsError:
            # `out` exists: link under a hidden name (held by our lock until the rename), then rename over it.
            _hold(fd)
            temp_path = out.with_name(f"{TEMPORARY_PREFIX}{secrets.token_hex(8)}{out.suffix}.tmp")
            _link_unnamed(fd, temp_path)
        except _CannotLink:
            _named_copy(fd, out)
            return None
    try:
        os.replace(temp_path, out)
    except BaseException:
        _remove(temp_path)
        raise
    return None


class _CannotLink(Exception):
    """This system cannot give an unnamed file a name."""


def _link_unnamed(fd: int, target: Path) -> None:
    """Give the unnamed file open at `fd` the name `target` (FileExistsError if the name is taken)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    # linkat(fd, "", AT_FDCWD, target, AT_EMPTY_PATH): Linux 6.10 and later allow it for a file the caller
    # opened; older kernels want /proc/self/fd/N followed instead (which some sandboxes refuse).
    if libc.linkat(fd, b"", _AT_FDCWD, os.fsencode(target), _AT_EMPTY_PATH) == 0:
        return
    code = ctypes.get_errno()
    if code == errno.EEXIST:
        raise FileExistsError(code, os.strerror(code), str(target))
    try:
        os.link(f"/proc/self/fd/{fd}", target, follow_symlinks=True)
    except FileExistsError:
        raise
    except OSError:
        raise _CannotLink from None


_AT_FDCWD, _AT_EMPTY_PATH = -100, 0x1000


def _named_copy(fd: int, out: Path) -> None:
    """Where unnamed files cannot be linked: copy the finished content to a held temporary name, renamed
    over `out` while still held."""
    copy_fd, name = tempfile.mkstemp(dir=out.parent, prefix=TEMPORARY_PREFIX, suffix=out.suffix + ".tmp")
    try:
        _hold(copy_fd)
        os.lseek(fd, 0, os.SEEK_SET)
        with os.fdopen(os.dup(fd), "rb") as source, os.fdopen(os.dup(copy_fd), "wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
            target.flush()
            os.fsync(target.fileno())
        os.replace(name, out)
    except BaseException:
        _remove(Path(name))
        raise
    finally:
        os.close(copy_fd)


def _hold(fd: int) -> None:
    """Take an OS lock on an open file or folder, released when the process ends however it ends."""
    try:
        import fcntl
    except ImportError:  # Windows: an open file cannot be removed there anyway
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def held(path: Path) -> bool | None:
    """Whether a running process holds `path` with `_hold`; None where that cannot be told (Windows)."""
    try:
        import fcntl
    except ImportError:
        return None
    if path.is_symlink():
        return False
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def sweep_abandoned(folder: Path, patterns: tuple[str, ...] = (TEMPORARY_PATTERN,)) -> list[Path]:
    """Remove temporary files in `folder` that a killed process left (no running process holds them)."""
    removed = []
    for pattern in patterns:
        for path in folder.glob(pattern):
            with contextlib.suppress(OSError):
                if held(path) is False and not path.is_dir():
                    path.unlink()
                    removed.append(path)
    return removed


@contextlib.contextmanager
def held_folder(parent: Path) -> Iterator[Path]:
    """A private temporary folder in `parent`, held while in use and removed afterwards whatever happens."""
    path = Path(tempfile.mkdtemp(dir=parent, prefix=SCRATCH_PREFIX))
    fd = -1
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        _hold(fd)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        if fd >= 0:
            os.close(fd)


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
