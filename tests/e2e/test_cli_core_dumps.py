"""No core dumps: every process of the app, the command line and the window alike, has a core size limit of 0
(soft and hard) and, on Linux, is not dumpable, before it reads a secret; Ctrl+\\ (SIGQUIT) writes no core."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.test_cli import CLI, PASSPHRASE, installed_command

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not sys.platform.startswith("linux") or not Path("/proc/self/limits").exists(),
                       reason="reads /proc and asks prctl, which only Linux has"),
]

# Loaded by the app's Python before anything else (sitecustomize): notes, in the process itself, whether it is
# dumpable and its core size limit at start, when it reads the passphrase from standard input, and when the
# window's module is imported.
PROBE = '''
import ctypes, os, resource, sys

def _note(moment):
    dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)  # PR_GET_DUMPABLE
    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    with open(os.environ["BJ_PROBE"], "a") as out:
        out.write(f"{moment} {dumpable} {soft} {hard}\\n")

class _Reading:
    """Standard input (text or its bytes): notes the moment a line or everything is read from it."""
    def __init__(self, inner):
        self._inner = inner
    def readline(self, *args):
        _note("passphrase")
        return self._inner.readline(*args)
    def read(self, *args):
        _note("passphrase")
        return self._inner.read(*args)
    @property
    def buffer(self):
        return _Reading(self._inner.buffer)
    def __getattr__(self, name):
        return getattr(self._inner, name)

def _hook(event, args):
    if event == "import" and args[0] == "ui.app":
        _note("window")

_note("start")
sys.stdin = _Reading(sys.stdin)
sys.addaudithook(_hook)
'''


def core_limits(pid: int) -> tuple[str, str]:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max core file size"):
            soft, hard = line.split()[4:6]
            return soft, hard
    raise AssertionError("no core size limit in /proc")


def notes(path: Path) -> dict[str, tuple[int, int, int]]:
    found = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        moment, *values = line.split()
        found[moment] = tuple(int(v) for v in values)
    return found


def wait_for(path: Path, moment: str, process: subprocess.Popen[str]) -> dict[str, tuple[int, int, int]]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if moment in (found := notes(path)):
            return found
        time.sleep(0.05)
    raise AssertionError(f"the process did not get to '{moment}' (exit status {process.poll()})")


def allow_cores() -> None:
    """In the child before it starts: a core size limit as large as this user may set, so that only the app
    itself can be what turns cores off."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


def start(cli: CLI, tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], Path]:
    site = tmp_path / "probe-site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(PROBE, encoding="utf-8")
    probe = tmp_path / "probe.txt"
    env = {**cli.env, "PYTHONPATH": os.pathsep.join(filter(None, [str(site), cli.env.get("PYTHONPATH")])),
           "BJ_PROBE": str(probe), "QT_QPA_PLATFORM": "offscreen"}
    cwd = tmp_path / "cwd"
    cwd.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [*installed_command(), "--data-dir", str(cli.data), *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env, cwd=cwd, preexec_fn=allow_cores,
    )
    return process, probe


@pytest.mark.slow
def test_the_command_line_is_not_dumpable_before_it_reads_the_passphrase(ready: CLI, tmp_path: Path) -> None:
    process, probe = start(ready, tmp_path, "--passphrase-file", "-", "list")
    try:
        found = wait_for(probe, "passphrase", process)  # blocked on standard input from here on
        assert core_limits(process.pid) == ("0", "0")
        assert found["start"][0] == 1  # dumpable when Python started: the app itself turned it off
        assert found["passphrase"] == (0, 0, 0)  # not dumpable, core limit 0 / 0, before the passphrase
        _out, err = process.communicate(PASSPHRASE + "\n", timeout=60)
        assert process.returncode == 0, err  # and it still works
    finally:
        process.kill()
        process.communicate()


def test_the_window_is_not_dumpable(ready: CLI, tmp_path: Path) -> None:
    process, probe = start(ready, tmp_path, "gui")
    try:
        found = wait_for(probe, "window", process)
        assert found["window"] == (0, 0, 0)
        assert core_limits(process.pid) == ("0", "0")
    finally:
        process.kill()
        process.communicate()


@pytest.mark.skipif(Path("/proc/sys/kernel/core_pattern").read_text().startswith("|")
                    if Path("/proc/sys/kernel/core_pattern").exists() else True,
                    reason="cores go to a crash handler here, not to a file this test can look for")
def test_ctrl_backslash_writes_no_core(ready: CLI, tmp_path: Path) -> None:
    process, probe = start(ready, tmp_path, "--passphrase-file", "-", "list")
    try:
        wait_for(probe, "passphrase", process)
        process.send_signal(signal.SIGQUIT)
        process.communicate(timeout=60)
        assert process.returncode == -signal.SIGQUIT
    finally:
        process.kill()
    pattern = Path("/proc/sys/kernel/core_pattern").read_text().strip()
    folder = Path(pattern).parent if pattern.startswith("/") else tmp_path / "cwd"
    name = Path(pattern).name.split("%")[0] or "core"
    assert not [p for p in folder.iterdir() if p.name.startswith(name)], "a core file was written"

