"""Turning core dumps off never stops the app from starting, whatever the system lacks."""

from __future__ import annotations

import pytest

from tests.unit.journal_files import run_library

# Each case runs in a fresh Python: turning dumps off cannot be undone in the process that did it.
CASES = {
    "no resource module": "import sys; sys.modules['resource'] = None",
    "no prctl": "import ctypes\nclass NoLibc:\n    def __init__(self, *a, **k): raise OSError('no libc')\n"
                "ctypes.CDLL = NoLibc",
    "Windows calls on another system": "import sys; sys.platform = 'win32'",
    "an unknown system": "import sys; sys.platform = 'plan9'",
    "limits refused": "import resource\ndef refuse(*a): raise ValueError('not allowed')\nresource.setrlimit = refuse",
}


@pytest.mark.parametrize("patch", CASES.values(), ids=CASES.keys())
def test_starts_whatever_is_missing(patch: str) -> None:
    result = run_library(patch + "\nfrom boundary_journal.hardening import disable_core_dumps\n"
                         "disable_core_dumps()\nprint('started')")
    assert result.returncode == 0 and result.stdout.strip() == "started", result.stderr
