"""Writer processes for tests/unit/test_crash_safety.py to kill with SIGKILL, started by a fork server.

Starting Python and importing the app takes a second or more, so this server pays for it once and
then forks one fresh writer process per request: a test can kill dozens of writers in a few seconds.
Each writer is a real process, so SIGKILL ends it with no cleanup at all, as a crash would. Nothing
is opened before the fork; each writer opens the journal itself.

Protocol, one line each way: the test sends a JSON request, the server answers the writer's pid; the
test kills the writer and sends "reap", the server answers its wait status. The writer stays a zombie
until reaped, so its pid cannot be reused while the test signals it. A writer logs one JSON object per
line to the request's log with a single unbuffered write each (which survives the kill): "open" once
it may write, then for each change an "intent" before the call and an "ack" after the call returned,
that is after the commit.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sys
import tempfile
import time
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

from boundary_journal import cli
from boundary_journal.catalog import shipped_catalog
from boundary_journal.services import entries
from boundary_journal.store import backups, keys
from boundary_journal.store.paths import journal_path
from boundary_journal.store.storage import create_journal, open_journal

TEMPLATE = "late_night_text"
RELATIONSHIP = "Client K"
NOTE = "Redirected to the portal."
# A writer that outlives this was never killed: it stops, and the test reports that.
MAX_SECONDS = 20.0
_FILLER = ["after", "hours", "message", "about", "the", "week", "ahead", "with", "a", "question", "left", "open"]


class Log:
    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def write(self, **record: Any) -> None:
        os.write(self.fd, (json.dumps(record) + "\n").encode("utf-8"))


def token(round_: int, seq: int) -> str:
    """A word found by search only in its own entry: all tokens have one length, so none is a prefix of another."""
    return f"tk{round_:03d}n{seq:05d}"


def entry_text(rng: random.Random, word: str) -> str:
    # Mostly short entries, now and then a long one that spills onto overflow pages and fills the WAL.
    count = rng.choice([0, 3, 10, 40]) if rng.random() < 0.9 else rng.randint(2_000, 6_000)
    return " ".join([word, *(rng.choice(_FILLER) for _ in range(count))])


def draft(text: str) -> entries.EntryDraft:
    return entries.EntryDraft(
        template=TEMPLATE, relationship=RELATIONSHIP, occurred=datetime.now(),
        fields={"what_happened": text, "documentation_note": NOTE},
    )


def write_with_library(request: dict[str, Any], log: Log, limit: int = 1_000_000) -> None:
    """Open once, then add, edit and delete entries until killed."""
    rng = random.Random(request["seed"])
    catalog = shipped_catalog()
    journal = open_journal(journal_path(Path(request["data_dir"])), request["passphrase"])
    log.write(state="open")
    live: list[int] = []
    started = time.monotonic()
    seq = 0
    try:
        while seq < limit and time.monotonic() - started < MAX_SECONDS:
            seq += 1
            word = token(request["round"], seq)
            choice = rng.random()
            if live and choice < 0.15:
                entry_id = rng.choice(live)
                log.write(state="intent", op="delete", id=entry_id)
                entries.delete_entry(journal, entry_id)
                live.remove(entry_id)
                log.write(state="ack", op="delete", id=entry_id)
            elif live and choice < 0.35:
                entry_id = rng.choice(live)
                log.write(state="intent", op="edit", id=entry_id, token=word)
                entries.update_entry(journal, catalog, entry_id, draft(entry_text(rng, word)))
                log.write(state="ack", op="edit", id=entry_id, token=word)
            else:
                log.write(state="intent", op="add", token=word)
                view = entries.add_entry(journal, catalog, draft(entry_text(rng, word)))
                live.append(view.id)
                log.write(state="ack", op="add", id=view.id, token=word)
    finally:
        journal.close()


def write_with_cli(request: dict[str, Any], log: Log, limit: int = 1_000_000) -> None:
    """Run the command line's `add` (open, add, close, print the id) again and again until killed."""
    rng = random.Random(request["seed"])
    log.write(state="open")
    started = time.monotonic()
    seq = 0
    while seq < limit and time.monotonic() - started < MAX_SECONDS:
        seq += 1
        word = token(request["round"], seq)
        argv = [
            "--data-dir", request["data_dir"], "--passphrase-file", request["passphrase_file"],
            "add", "--template", TEMPLATE, "--relationship", RELATIONSHIP,
            "--field", f"what_happened={entry_text(rng, word)}", "--field", f"documentation_note={NOTE}",
        ]
        printed = io.StringIO()
        log.write(state="intent", op="add", token=word)
        with contextlib.redirect_stdout(printed):
            status = cli.main(argv)
        if status != 0:
            raise RuntimeError(f"boundary-journal add exited with {status}")
        log.write(state="ack", op="add", id=int(printed.getvalue().strip()), token=word)


def write_backups(request: dict[str, Any], log: Log, limit: int = 1_000_000) -> None:
    """Open once, then make backups into the data folder's backups/ until killed."""
    journal = open_journal(journal_path(Path(request["data_dir"])), request["passphrase"])
    log.write(state="open")
    started = time.monotonic()
    try:
        for _ in range(limit):
            if time.monotonic() - started > MAX_SECONDS:
                break
            info = backups.make_backup(journal, reason=backups.Reason.MANUAL)
            log.write(state="ack", op="backup", path=str(info.path))
    finally:
        journal.close()


WRITERS = {"library": write_with_library, "cli": write_with_cli, "backup": write_backups}


def run_writer(request: dict[str, Any]) -> int:
    log = Log(request["log"])
    try:
        WRITERS[request["mode"]](request, log)
    except BaseException:
        log.write(state="error", traceback=traceback.format_exc())
        return 3
    return 0


def warm_up() -> None:
    """Run each writer once on a throwaway journal, so the modules the app imports on first use are loaded
    before the forks and a writer starts writing at once. Everything opened here is closed again."""
    keys.DEFAULT_KDF = keys.KdfParams(memory_kib=64, iterations=1, lanes=1)  # for this throwaway journal only
    with tempfile.TemporaryDirectory() as folder:
        passphrase = "warm-up passphrase"
        (Path(folder) / "passphrase").write_text(passphrase, encoding="utf-8")
        create_journal(journal_path(Path(folder)), passphrase).close()
        request = {"data_dir": folder, "passphrase": passphrase, "passphrase_file": str(Path(folder) / "passphrase"),
                   "round": 0, "seed": 0}
        for writer in WRITERS.values():
            writer(request, Log(str(Path(folder) / "log")), limit=1)


def serve() -> None:
    warm_up()
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            os._exit(run_writer(request))
        print(pid, flush=True)
        if sys.stdin.readline().strip() != "reap":
            os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
        print(status, flush=True)


if __name__ == "__main__":
    serve()
