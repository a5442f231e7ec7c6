"""Keeping the process's secrets out of crash dumps.

While the journal is open, this process holds the passphrase, the raw journal key and entry text in memory; a
core dump (Ctrl+\\ at the terminal, a crash) would write them to disk in the clear, where no encryption covers
them. `disable_core_dumps` runs first thing in every process (cli.main, which also starts the window), before
any secret is read. Every step is best effort: a call the system does not offer is skipped, never a reason
not to start.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys

_PR_SET_DUMPABLE = 4
_SEM_NOGPFAULTERRORBOX = 0x0002
_WER_FAULT_REPORTING_FLAG_NOHEAP = 0x1


def disable_core_dumps() -> None:
    """No core file from this process or the processes it starts, on every system that has a way to say so."""
    _no_core_files()
    if sys.platform.startswith("linux"):
        _not_dumpable()
    elif sys.platform == "win32":
        _no_error_reporting_dumps()


def _no_core_files() -> None:
    # Linux, macOS and the BSDs: a core size limit of 0, hard as well as soft, so nothing in this process (or
    # a library it loads) can raise it again; children inherit it.
    with contextlib.suppress(ImportError, OSError, ValueError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _not_dumpable() -> None:
    # Linux also writes a core through a pipe (core_pattern "|systemd-coredump ..."), which ignores the size
    # limit; a process that is not dumpable gets no core at all, and other processes of the same user cannot
    # attach to it or read its memory.
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)


def _no_error_reporting_dumps() -> None:
    # Windows: no Windows Error Reporting box for a crash, and a report without the process's heap (where the
    # secrets are). Excluding the program from reporting altogether (WerAddExcludedApplication) is left out: it
    # is a per-user registry entry for the executable, which here is python.exe, and so would silence every
    # Python program of the user.
    with contextlib.suppress(OSError, AttributeError):
        kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined]
        kernel32.SetErrorMode(kernel32.GetErrorMode() | _SEM_NOGPFAULTERRORBOX)
        kernel32.WerSetFlags(_WER_FAULT_REPORTING_FLAG_NOHEAP)
