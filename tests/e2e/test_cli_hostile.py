"""Hostile input through the installed command line: `list --json` and `search --json` return what was typed
exactly, and any search text ends in results or one line on stderr, never a traceback."""

from __future__ import annotations

import json
import subprocess

import pytest

from boundary_journal.catalog import shipped_catalog
from boundary_journal.services import entries
from boundary_journal.store.storage import open_journal
from tests.e2e.test_cli import CLI, PASSPHRASE, ROOT, installed_command
from tests.unit.test_hostile_input import HOSTILE_TEXT, LINE, PSEUDONYM, TAG, WHEN, megabyte

pytestmark = pytest.mark.e2e


def add_hostile(cli: CLI) -> int:
    return int(cli.ok(
        "add", "--template", "gift_offered", "--relationship", PSEUDONYM, "--occurred", WHEN.isoformat(),
        "--field", f"what_happened={HOSTILE_TEXT}", "--field", f"documentation_note={LINE}", "--tag", TAG,
        "--tag", "&amp;",
    ).strip())


@pytest.mark.slow
def test_list_and_search_json_return_the_text_exactly(ready: CLI) -> None:
    entry_id = add_hostile(ready)
    listed = json.loads(ready.ok("list", "--json"))
    found = json.loads(ready.ok("search", "passwd שלום", "--json"))
    for result in (listed, found):
        [entry] = result
        assert entry["id"] == entry_id and entry["relationship"] == PSEUDONYM
        assert entry["fields"] == {"what_happened": HOSTILE_TEXT, "documentation_note": LINE}
        assert entry["tags"] == [TAG, "&amp;"]
    assert PSEUDONYM in ready.ok("list")  # the text listing prints it too, without a traceback


@pytest.mark.slow
def test_a_megabyte_entry_comes_back_exactly(ready: CLI) -> None:
    paste = megabyte()
    journal = open_journal(ready.journal, PASSPHRASE)
    try:
        entries.add_entry(journal, shipped_catalog(), entries.EntryDraft(
            "gift_offered", PSEUDONYM, WHEN, {"what_happened": paste, "documentation_note": LINE}))
    finally:
        journal.close()
    for args in (["list", "--json"], ["search", "ZEBRAQUOKKA", "--json"]):
        [entry] = json.loads(ready.ok(*args))
        assert entry["fields"]["what_happened"] == paste, args


# Text with nothing to search for, then text whose words the hostile entry holds, then words it does not.
UNSEARCHABLE = ['"', "*", "^", "-", "😀", "\u202e", "()"]
FOUND = ["NOT", "AND OR", "NEAR(x", "follow-up", "what_happened:x", "\x01passwd\x1f", "&#x41;", "مرحبا", "-passwd",
         "passwd " * 15_000]
NOT_FOUND = ['"unfound', "up-follow"]


@pytest.mark.slow
def test_any_search_text_ends_in_results_or_one_line(ready: CLI) -> None:
    entry_id = add_hostile(ready)
    # "--" ends the options, so a query starting with "-" is text, as for any argparse command.
    for query in UNSEARCHABLE:
        assert "at least one word" in ready.fails(2, "search", "--", query), query
    for query, expected in [*((q, [entry_id]) for q in FOUND), *((q, []) for q in NOT_FOUND)]:
        assert [e["id"] for e in json.loads(ready.ok("search", "--json", "--", query))] == expected, query[:40]


def test_too_many_different_words_is_one_line(ready: CLI) -> None:
    query = " ".join(f"w{i}" for i in range(10_000))
    assert "at most 100 different words" in ready.fails(2, "search", query)


@pytest.mark.slow
@pytest.mark.parametrize(("raw", "finds"), [(b"\xff\xfepasswd", True), (b"\xff", None)])
def test_search_text_that_is_not_utf8(ready: CLI, raw: bytes, finds: bool | None) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates; they separate words like punctuation."""
    entry_id = add_hostile(ready)
    result = subprocess.run(
        [*installed_command(), "--data-dir", str(ready.data), "--passphrase-file", str(ready.passphrase_file),
         "search", raw, "--json"],
        capture_output=True, env=ready.env, timeout=120, cwd=ROOT,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    if finds is None:
        assert result.returncode == 2 and "at least one word" in stderr, stderr
    else:
        assert result.returncode == 0, stderr
        assert [e["id"] for e in json.loads(result.stdout)] == [entry_id]


# Every C1 control and bidi embedding, override and isolate, with an escape sequence (CSI) that would act.
TERMINAL_COMMANDS = "\x9b31m red \x1b[2J \x85 \u202eesrever\u202c \u2066iso\u2069 \x07"


def _written_before_the_checks(cli: CLI) -> int:
    """An entry whose relationship and text hold terminal commands, as a journal written before the checks may."""
    from sqlalchemy import update

    from boundary_journal.store.models import Entry, Relationship

    journal = open_journal(cli.journal, PASSPHRASE)
    try:
        view = entries.add_entry(journal, shipped_catalog(), entries.EntryDraft(
            "gift_offered", "Client K", WHEN, {"what_happened": "placeholder text", "documentation_note": LINE}))
        with journal.transaction() as session:
            session.execute(update(Entry).where(Entry.id == view.id).values(
                fields={"what_happened": f"oldword {TERMINAL_COMMANDS}", "documentation_note": LINE}))
            session.execute(update(Relationship).values(pseudonym=f"K {TERMINAL_COMMANDS}"))
    finally:
        journal.close()
    return view.id


def _commands_in(printed: str) -> list[str]:
    return [c for c in printed if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0
            or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]


@pytest.mark.slow
def test_list_and_search_never_send_terminal_commands(ready: CLI) -> None:
    entry_id = _written_before_the_checks(ready)
    for args in (["list"], ["search", "placeholder"]):
        printed = ready.ok(*args)
        assert str(entry_id) in printed and "\ufffd" in printed and _commands_in(printed) == [], args
    for args in (["list", "--json"], ["search", "placeholder", "--json"]):
        printed = ready.ok(*args)
        assert _commands_in(printed) == [], args
        [entry] = json.loads(printed)  # escaped in the JSON, so the data is still exactly what is stored
        assert entry["fields"]["what_happened"] == f"oldword {TERMINAL_COMMANDS}"
        assert entry["relationship"] == f"K {TERMINAL_COMMANDS}"


@pytest.mark.slow
@pytest.mark.parametrize("bad", ["\x9b", "\x85", "\u202e", "\u2067"])
def test_text_with_terminal_commands_is_refused_at_the_door(ready: CLI, bad: str) -> None:
    for args in (["--relationship", f"Client {bad}K", "--field", "what_happened=w"],
                 ["--relationship", "Client K", "--field", f"what_happened=w{bad}"]):
        line = ready.fails(2, "add", "--template", "gift_offered", *args, "--field", "documentation_note=n")
        assert f"U+{ord(bad):04X}" in line and bad not in line
