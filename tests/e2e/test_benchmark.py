"""benchmarks/run.py runs every measurement on a small journal and prints its table (no timing is checked)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_quick_run_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--sizes", "50", "--runs", "1",
         "--no-jrnl", "--out", str(out), "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "BOUNDARY_JOURNAL_HOME": str(tmp_path / "home")},
    )
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.splitlines() if line.startswith("entries"))
    assert "median" in header and "target" in header and "result" in header
    result = json.loads(out.read_text(encoding="utf-8"))
    measures = {row["measure"] for row in result["rows"]}
    for expected in ("window shown: empty PySide6 window", "window shown: the app's first window (unlock)",
                     "unlock to list populated, excl. KDF", "search, the list's rows, 95th percentile",
                     "add one entry, committed (entries.add_entry)", "open one entry (entries.get_entry)",
                     "peak memory: list open (key handed in)", "CLI add, whole process"):
        assert expected in measures
    assert all(row["size"] == 50 and row["median"] is not None for row in result["rows"])
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("bj-bench-")] == []  # its journals removed
