"""No test reaches the network: a socket connect, bind, send or name lookup fails the test that made it.

Registered from tests/conftest.py. A Python audit hook sees every socket operation of this interpreter,
including those made through the socket module by libraries, where patching `socket.socket` misses the
ones that hold `_socket` directly. Raising in the hook stops the operation; the attempt is also recorded,
so a test whose code swallows the error (`except OSError`) still fails at teardown. Sockets opened by
native code (Qt's own C++) are out of a Python hook's sight: tests/unit/test_no_network.py covers the
window by checking that Qt's network module is never loaded. Subprocesses (the e2e tests) are covered
there too, with an audit hook of their own.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

# Every audit event of the socket module that reaches, or prepares to reach, another machine or process.
BLOCKED_EVENTS = frozenset({
    "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
    "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo",
})


class NetworkUse(RuntimeError):
    """Raised in place of a socket operation during a test."""


class _Guard:
    def __init__(self) -> None:
        self.armed = False
        self.attempts: list[str] = []
        self._lock = threading.Lock()

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.armed or event not in BLOCKED_EVENTS:
            return
        attempt = f"{event}{_describe(args)} in thread {threading.current_thread().name}"
        with self._lock:
            self.attempts.append(attempt)
        raise NetworkUse(f"tests may not use the network: {attempt}")


def _describe(args: tuple[Any, ...]) -> str:
    """The event's arguments, with a socket shown by its family (AF_UNIX, AF_INET) instead of its repr."""
    shown = [
        f"<{getattr(a.family, 'name', a.family)} socket>" if hasattr(a, "family") and hasattr(a, "fileno") else repr(a)
        for a in args
    ]
    return "(" + ", ".join(shown) + ")"


_GUARD = _Guard()
# Audit hooks cannot be removed; the guard is armed only while a test (with its fixtures) runs.
sys.addaudithook(_GUARD.hook)


@pytest.fixture(autouse=True)
def _no_network() -> Iterator[list[str]]:
    """Arms the guard for one test; fails the test if it tried to use the network, even if it hid the error."""
    _GUARD.attempts.clear()
    _GUARD.armed = True
    try:
        yield _GUARD.attempts
    finally:
        _GUARD.armed = False
    if _GUARD.attempts:
        attempts = "; ".join(_GUARD.attempts)
        _GUARD.attempts.clear()
        pytest.fail(f"the test tried to use the network: {attempts}", pytrace=False)


@pytest.fixture
def network_attempts(_no_network: list[str]) -> list[str]:
    """The attempts the guard stopped in this test; a test of the guard itself empties it to pass."""
    return _no_network
