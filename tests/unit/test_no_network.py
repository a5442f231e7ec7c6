"""No network: the command line and the window never open a socket or look up a name, and Qt's network
module is never loaded. In this process tests/_network_guard.py fails any test that tries; here the CLI and
the window run in subprocesses whose sitecustomize.py installs an audit hook that aborts on any attempt.

No exception is made for AF_UNIX: tracing the system calls (strace -f) of `gui` and `export pdf` on the
offscreen platform shows no socket of any family, Qt's own included, so nothing needs one.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests._network_guard import NetworkUse
from tests.e2e.test_cli import installed_command

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "a long and private passphrase"
ABORTED = 97

SITECUSTOMIZE = f'''\
"""Abort the process on any network use: imported by Python at start-up when its folder is on PYTHONPATH."""
import os
import sys

BLOCKED = {{"socket.connect", "socket.bind", "socket.getaddrinfo", "socket.sendto", "socket.sendmsg",
           "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo"}}


def _hook(event, args):
    if event in BLOCKED:
        os.write(2, f"NETWORK USE: {{event}} {{args!r}}\\n".encode("utf-8", "replace"))
        os._exit({ABORTED})


sys.addaudithook(_hook)
'''

# Starts the window the way `boundary-journal gui` does, unlocks it, searches, and closes it; then reports
# whether Qt's network module was imported, or its library loaded, and how the program exited.
DRIVE_WINDOW = '''\
import json, os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from ui.launcher import main
from ui.app import application
from ui.main_window import MainWindow
from ui.unlock_dialog import UnlockDialog

data_dir, passphrase = sys.argv[1], sys.argv[2]
app = application()
steps = []


def drive():
    for widget in QApplication.topLevelWidgets():
        if not widget.isVisible():
            continue
        if isinstance(widget, UnlockDialog) and "unlocked" not in steps:
            steps.append("unlocked")
            widget.passphrase_edit.setText(passphrase)
            widget.accept()
        elif isinstance(widget, MainWindow) and "searched" not in steps:
            steps.append("searched")
            widget.entry_list.search_edit.setText('passwd* "etc" 😀 (')
            widget.entry_list.reload()
            steps.append(f"found {widget.entry_list.model.rowCount()}")
            widget.close()
        elif isinstance(widget, QDialog) and not isinstance(widget, UnlockDialog):
            steps.append(f"dismissed {type(widget).__name__}")
            widget.reject()


def give_up():
    visible = [type(w).__name__ for w in QApplication.topLevelWidgets() if w.isVisible()]
    print(json.dumps({"timeout": steps, "visible": visible}), flush=True)
    os._exit(98)


timer = QTimer()
timer.timeout.connect(drive)
timer.start(50)
QTimer.singleShot(90_000, give_up)
code = main(["--data-dir", data_dir, "gui"])
native = []
if os.path.exists("/proc/self/maps"):
    with open("/proc/self/maps") as maps:
        native = sorted({line.split()[-1] for line in maps if "Qt6Network" in line})
network_modules = sorted(m for m in sys.modules if "QtNetwork" in m)
print(json.dumps({"code": code, "steps": steps, "modules": network_modules, "native": native}))
sys.exit(code)
'''


@pytest.fixture
def guarded(tmp_path: Path) -> dict[str, str]:
    """The environment of a subprocess that aborts on network use, with its own data folder and passphrase."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    (tmp_path / "passphrase.txt").write_text(PASSPHRASE + "\n", encoding="utf-8")
    return {
        **os.environ,
        "PYTHONPATH": str(site),
        "QT_QPA_PLATFORM": "offscreen",
        "BOUNDARY_JOURNAL_HOME": str(tmp_path / "home"),
    }


def run_cli(tmp_path: Path, env: dict[str, str], *args: str, wrapper: tuple[str, ...] = ()
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*wrapper, *installed_command(), "--data-dir", str(tmp_path / "data"),
         "--passphrase-file", str(tmp_path / "passphrase.txt"), *args],
        capture_output=True, text=True, env=env, timeout=180, cwd=ROOT,
    )


def run_window(tmp_path: Path, env: dict[str, str], *, wrapper: tuple[str, ...] = ()) -> dict[str, object]:
    driver = tmp_path / "drive_window.py"
    driver.write_text(DRIVE_WINDOW, encoding="utf-8")
    result = subprocess.run(
        [*wrapper, sys.executable, str(driver), str(tmp_path / "data"), PASSPHRASE],
        capture_output=True, text=True, env=env, timeout=180, cwd=ROOT,
    )
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    assert "NETWORK USE" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def cli_session(tmp_path: Path, env: dict[str, str], *, wrapper: tuple[str, ...] = ()) -> None:
    """init, add, search, export pdf and a calendar file, each a clean exit without network use."""
    commands = [
        ["init"],
        ["add", "--template", "gift_offered", "--relationship", "Client K", "--occurred", "2026-03-02T10:00",
         "--field", 'what_happened=<img src="/etc/passwd"/> <b>&amp;</b>',
         "--field", "documentation_note=Declined the gift.", "--supervision"],
        ["search", "passwd", "--json"],
        ["export", "pdf", "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(tmp_path / "summary.pdf")],
        ["export", "pdf", "--relationship", "Client K", "--out", str(tmp_path / "brief.pdf")],
        ["exercise", "add", "--relationship", "Client K", "--unease", "Gifts keep coming", "--move", "other",
         "--other", "Say no kindly", "--on", "2026-03-04", "--week", "2026-W10", "--ics", str(tmp_path / "step.ics")],
    ]
    for command in commands:
        result = run_cli(tmp_path, env, *command, wrapper=wrapper)
        assert result.returncode == 0, (command[0], result.returncode, result.stderr)
        assert "NETWORK USE" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert (tmp_path / "summary.pdf").exists() and (tmp_path / "brief.pdf").exists()
    assert (tmp_path / "step.ics").exists()


def strace(trace: Path) -> tuple[str, ...]:
    """strace writing every socket system call to `trace`, following threads and children; () if strace is
    not installed or may not trace here (not in every container)."""
    found = shutil.which("strace")
    if found is None or subprocess.run([found, "-o", os.devnull, "true"], capture_output=True).returncode != 0:
        return ()
    return (found, "-f", "-qq", "-e", "trace=socket,socketpair,connect,bind,sendto,sendmsg", "-o", str(trace))


def socket_calls(trace: Path) -> list[str]:
    return [line for line in trace.read_text().splitlines() if "(" in line] if trace.exists() else []


class TestGuardedSubprocess:
    """The CLI and the window run to a clean exit under a hook that would abort them on any network use.

    Where strace may run, their system calls are traced too: no socket at all, Qt's C++ included.
    """

    def test_the_hook_aborts_on_network_use(self, guarded: dict[str, str]) -> None:
        for code in ("import socket; socket.getaddrinfo('localhost', 80)",
                     "import socket; socket.socket(socket.AF_UNIX).connect('/nowhere')"):
            result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=guarded,
                                    timeout=60)
            assert result.returncode == ABORTED and "NETWORK USE" in result.stderr, (code, result.stderr)

    @pytest.mark.slow
    def test_cli(self, tmp_path: Path, guarded: dict[str, str]) -> None:
        trace = tmp_path / "cli.trace"
        cli_session(tmp_path, guarded, wrapper=strace(trace))
        assert socket_calls(trace) == []

    @pytest.mark.slow
    def test_window_never_loads_qt_network(self, tmp_path: Path, guarded: dict[str, str]) -> None:
        assert run_cli(tmp_path, guarded, "init").returncode == 0
        assert run_cli(tmp_path, guarded, "add", "--template", "gift_offered", "--relationship", "Client K",
                       "--field", 'what_happened=<img src="/etc/passwd"/>', "--field",
                       "documentation_note=n").returncode == 0
        trace = tmp_path / "window.trace"
        report = run_window(tmp_path, guarded, wrapper=strace(trace))
        assert report["code"] == 0
        assert report["steps"][:3] == ["unlocked", "searched", "found 1"], report
        assert report["modules"] == [] and report["native"] == [], report
        assert socket_calls(trace) == []


@pytest.mark.slow
def test_no_module_imports_a_network_library() -> None:
    """No code of the app imports sockets, HTTP, TLS or Qt's network module."""
    forbidden = {"socket", "ssl", "http", "urllib.request", "requests", "httpx", "aiohttp", "ftplib", "smtplib",
                 "xmlrpc", "socketserver", "asyncio", "webbrowser", "PySide6.QtNetwork", "PySide6.QtWebEngineCore"}
    found = []
    for folder in ("boundary_journal", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
                found += [f"{path.relative_to(ROOT)}: {n}" for n in names
                          if any(n == f or n.startswith(f + ".") for f in forbidden)]
    assert found == []


class TestInProcessGuard:
    """tests/_network_guard.py: a network attempt in a test raises, and fails the test even if swallowed."""

    def test_connect_bind_send_and_lookups_are_stopped(self, network_attempts: list[str]) -> None:
        attempts = [
            lambda: socket.create_connection(("127.0.0.1", 9), timeout=1),
            lambda: socket.getaddrinfo("localhost", 80),
            lambda: socket.gethostbyname("localhost"),
            lambda: socket.socket(socket.AF_INET).bind(("127.0.0.1", 0)),
            lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", 9)),
            lambda: socket.socket(socket.AF_UNIX).connect("/nowhere"),
        ]
        for attempt in attempts:
            with pytest.raises(NetworkUse):
                attempt()
        assert len(network_attempts) == len(attempts)
        assert "AF_UNIX" in network_attempts[-1]
        network_attempts.clear()  # stopped on purpose: let this test pass

    @pytest.mark.slow
    def test_a_swallowed_attempt_still_fails_the_test(self, tmp_path: Path) -> None:
        (tmp_path / "test_swallows.py").write_text(
            "import socket\n\n\n"
            "def test_swallows():\n"
            "    try:\n"
            "        socket.create_connection(('127.0.0.1', 9), timeout=1)\n"
            "    except Exception:\n"
            "        pass\n",
            encoding="utf-8",
        )
        (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "tests._network_guard", "-p", "no:cacheprovider", "-q",
             str(tmp_path / "test_swallows.py")],
            capture_output=True, text=True, timeout=120, cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert result.returncode == 1, result.stdout + result.stderr
        assert "the test tried to use the network: socket.getaddrinfo" in result.stdout, result.stdout
