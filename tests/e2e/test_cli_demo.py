"""`boundary-journal demo`: a new journal of sample data, never written into an existing one."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_cli import CLI, digest

pytestmark = pytest.mark.e2e


class TestDemo:
    @pytest.mark.slow
    def test_creates_a_sample_journal(self, cli: CLI) -> None:
        out = cli.ok("demo", "--entries", "40", "--seed", "4")
        assert "40 made-up entries" in out and "sample data" in out
        listed = json.loads(cli.ok("list", "--json"))
        assert len(listed) == 40
        assert len({e["template"] for e in listed}) > 5
        assert json.loads(cli.ok("exercise", "list", "--json"))

    @pytest.mark.slow
    def test_the_sample_passes_its_own_identifier_check(self, cli: CLI) -> None:
        # Made-up pseudonyms and texts ("Bed 6 (ward West)") must not read as identifiers, or every sample
        # export would stop at the check.
        cli.ok("demo", "--entries", "400", "--seed", "1")
        assert "found nothing" in cli.ok("deid-check")

    @pytest.mark.slow
    def test_refuses_an_existing_journal(self, ready: CLI) -> None:
        before = {path.name: digest(path) for path in ready.data.iterdir() if path.is_file()}
        message = ready.fails(2, "demo", "--entries", "10")
        assert "already exists" in message and "new journal" in message
        assert {path.name: digest(path) for path in ready.data.iterdir() if path.is_file()} == before
        assert json.loads(ready.ok("list", "--json")) == []

    @pytest.mark.slow
    @pytest.mark.parametrize("count", ["0", "1000001", "many"])
    def test_size_out_of_bounds(self, cli: CLI, count: str) -> None:
        message = cli.fails(2, "demo", "--entries", count)
        assert "--entries" in message
        assert not cli.journal.exists()
