"""Hostile input through the installed command line: `list --json` and `search --json` return what was typed
exactly, and any search text ends in results or one line on stderr, never a traceback."""

from __future__ import annotations

import json
import subprocess

import pytest

from boundary_journal.catalog import shipped_catalog
from boundary_journal.services import entries
from boundary_journal.storage import open_journal
from tests.e2e.test_cli import CLI, PASSPHRASE, ROOT, installed_command
from tests.unit.test_hostile_input import HOSTILE_TEXT, LINE, PSEUDONYM, TAG, WHEN, megabyte

pytestmark = pytest.mark.e2e


def add_hostile(cli: CLI) -> int:
    return int(cli.ok(
        "add", "--template", "gift_offered", "--relationship", PSEUDONYM, "--occurred", WHEN.isoformat(),
        "--field", f"what_happened={HOSTILE_TEXT}", "--field", f"documentation_note={LINE}", "--tag", TAG,
        "--tag", "&amp;",
    ).strip())


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
