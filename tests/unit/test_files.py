"""Writing files whole, and leaving nothing readable behind when a writer is killed (issue 12, item 8).

A killed export once left the whole journal in plain text beside the file it was writing
(`boundary-journal-*.json.tmp`). Now the content is written to an unnamed file that gets its name only when
it is complete (Linux), or to a hidden temporary name held with an OS lock that later runs sweep.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from boundary_journal.store import files, journal_files
from boundary_journal.store.paths import journal_path
from boundary_journal.store.storage import create_journal
from tests.conftest import PASSPHRASE
from tests.unit.journal_files import kill_when

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="SIGKILL is POSIX")

CANARY = "CANARY-entry-text-of-a-patient-7361"

# Writes the canary, flushes it to the file, says so, and waits to be killed before the write finishes.
WRITE_AND_HANG = """
import time
from boundary_journal.store import files
out = Path(sys.argv[1])
if sys.argv[2] == "named":
    del os.O_TMPFILE  # as on a system without unnamed files

def write(handle):
    handle.write((sys.argv[3] * 2000).encode())
    handle.flush()
    os.fsync(handle.fileno())
    print("written", flush=True)
    time.sleep(60)

files.atomic_write(out, write, what="export")
"""


def killed_while_writing(out: Path, mode: str) -> None:
    kill_when("written", WRITE_AND_HANG, str(out), mode, CANARY)


def readable_canaries(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and CANARY.encode() in path.read_bytes()]


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="unnamed files are Linux's")
@pytest.mark.parametrize("existing", [False, True], ids=["new-file", "replacing-a-file"])
def test_a_killed_export_leaves_nothing_readable(tmp_path: Path, existing: bool) -> None:
    out = tmp_path / "everything.json"
    if existing:
        out.write_text("the previous export", encoding="utf-8")
    killed_while_writing(out, "unnamed")
    assert readable_canaries(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == (["everything.json"] if existing else [])


def test_without_unnamed_files_the_remainder_is_held_then_swept(tmp_path: Path) -> None:
    out = tmp_path / "everything.json"
    killed_while_writing(out, "named")
    [left] = list(tmp_path.iterdir())
    assert left.name.startswith(".boundary-journal-") and left.name.endswith(".json.tmp")
    assert files.held(left) is False  # its writer is gone, so nobody holds it
    # The next write into the folder sweeps it away.
    files.atomic_write(tmp_path / "other.pdf", lambda handle: handle.write(b"%PDF"), what="PDF")
    assert readable_canaries(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.pdf"]


def test_a_temporary_file_in_use_is_never_swept(tmp_path: Path) -> None:
    fd, name = files.tempfile.mkstemp(dir=tmp_path, prefix=files.TEMPORARY_PREFIX, suffix=".pdf.tmp")
    try:
        files._hold(fd)
        assert files.sweep_abandoned(tmp_path) == []
        assert Path(name).exists()
    finally:
        os.close(fd)
    assert files.sweep_abandoned(tmp_path) == [Path(name)]


def test_writing_over_a_file_keeps_it_whole_and_private(tmp_path: Path) -> None:
    out = tmp_path / "brief.pdf"
    out.write_bytes(b"old")
    files.atomic_write(out, lambda handle: handle.write(b"new content"), what="PDF")
    assert out.read_bytes() == b"new content" and out.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]


class TestDataFolderLeftovers:
    """What killed work leaves in the data folder is swept by the next holder of the folder (tidy)."""

    def test_killed_backups_and_key_file_writes_are_swept(self, data_dir: Path) -> None:
        path = journal_path(data_dir)
        create_journal(path, PASSPHRASE).close()
        backups_folder = data_dir / "backups"
        backups_folder.mkdir()
        scratch = backups_folder / ".boundary-journal-backup-abc123"  # an earlier version's scratch folder
        scratch.mkdir()
        (scratch / "journal.key").write_bytes(path.with_suffix(".key").read_bytes())
        (backups_folder / "boundary-journal-x1.bjbackup.tmp").write_bytes(b"half a backup")
        (data_dir / "boundary-journal-x2.key.tmp").write_bytes(b"an old key file")
        (data_dir / ".boundary-journal-x3.key.tmp").write_bytes(b"an old key file")
        (data_dir / f".{path.name}.x4.creating").write_bytes(b"a set-up that was killed")
        in_use = files.held_folder(data_dir)
        held = in_use.__enter__()
        try:
            removed = journal_files.tidy(path)
            assert held.exists() and held not in removed
        finally:
            in_use.__exit__(None, None, None)
        assert sorted(p.name for p in data_dir.rglob("*")) == ["backups", "journal.db", "journal.key"]

    def test_an_interrupted_install_is_carried_forward_once_complete(self, data_dir: Path) -> None:
        path = journal_path(data_dir)
        create_journal(path, PASSPHRASE).close()
        old_key_file = path.with_suffix(".key").read_bytes()
        # Step 2 done (the new pair complete), step 3 not begun.
        staged = journal_files.pending_journal(path)
        staged.write_bytes(path.read_bytes())
        journal_files.pending_key_file(path).write_bytes(old_key_file)
        assert journal_files.finish_interrupted_install(path)
        assert not staged.exists() and not journal_files.pending_key_file(path).exists()

    def test_an_incomplete_install_is_dropped(self, data_dir: Path) -> None:
        path = journal_path(data_dir)
        create_journal(path, PASSPHRASE).close()
        before = path.read_bytes()
        journal_files.pending_journal(path).write_bytes(b"half a new journal")
        # No key file waits beside it: the pair was never complete.
        assert journal_files.finish_interrupted_install(path)
        assert path.read_bytes() == before and not journal_files.pending_journal(path).exists()
