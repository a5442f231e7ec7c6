"""The identifier check from the command line: the confirmed-word list, deid-check, and pseudonyms refused."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_cli import CLI

pytestmark = pytest.mark.e2e

NOTE = "documentation_note=Patient asked for personal contact details; declined."


def add(cli: CLI, who: str, what: str, *extra: str) -> str:
    return cli.ok("add", "--template", "phone_number_request", "--relationship", who, "--occurred",
                  "2026-03-02T17:45", "--field", f"what_happened={what}", "--field", NOTE, *extra).strip()


class TestNotIdentifyingList:
    """deid allow / list / remove keep the window's "not identifying" list inside the journal."""

    @pytest.mark.slow
    def test_allow_list_remove(self, ready: CLI) -> None:
        assert json.loads(ready.ok("deid", "list", "--json")) == []
        ready.ok("deid", "allow", "Westfield")
        ready.ok("deid", "allow", "  westfield ")  # the same word in another case is kept once
        assert json.loads(ready.ok("deid", "list", "--json")) == ["Westfield"]
        assert ready.ok("deid", "list").splitlines() == ["Westfield"]
        ready.ok("deid", "remove", "WESTFIELD")
        assert json.loads(ready.ok("deid", "list", "--json")) == []
        assert "not on the list" in ready.fails(2, "deid", "remove", "Westfield")


class TestDeidCheck:
    """deid-check lists what an export would meet, writes nothing, and says so by its exit status."""

    @pytest.mark.slow
    def test_findings_are_listed_with_status_4_and_none_is_0(self, ready: CLI) -> None:
        add(ready, "Client K", "Eimear asked for my number; her insta is jess_h_92.")
        before = sorted(p.stat().st_mtime_ns for p in ready.data.rglob("*") if p.is_file())
        result = ready.run("deid-check", "--json")
        assert result.returncode == 4, result.stderr
        found = json.loads(result.stdout)
        assert {(f["kind"], f["text"]) for f in found} == {("name", "Eimear"), ("handle", "jess_h_92")}
        assert all(f["location"].startswith("Entry 2026-03-02 17:45 · Client K") for f in found)
        assert "2 likely identifiers" in result.stderr
        plain = ready.run("deid-check", "--from", "2026-03-01", "--to", "2026-03-31")
        assert plain.returncode == 4 and "Social media handle" in plain.stdout and "«jess_h_92»" in plain.stdout
        assert sorted(p.stat().st_mtime_ns for p in ready.data.rglob("*") if p.is_file()) == before
        ready.ok("deid", "allow", "Eimear")
        assert "handle" in ready.fails(2, "deid", "allow", "jess_h_92")  # only a name can be confirmed
        assert [f["text"] for f in json.loads(ready.run("deid-check", "--json").stdout)] == ["jess_h_92"]
        add(ready, "Client L", "Asked for my number again.")
        assert "found nothing it recognises" in ready.ok("deid-check", "--relationship", "Client L")
        assert ready.ok("deid-check", "--from", "2026-04-01", "--to", "2026-04-30", "--json").strip() == "[]"

    @pytest.mark.slow
    def test_without_dates_every_text_an_export_prints(self, ready: CLI) -> None:
        add(ready, "Client K", "Asked again.")
        ready.ok("exercise", "add", "--relationship", "Client K", "--unease", "Siobhan keeps asking.",
                 "--move", "talk_to_supervisor", "--on", "2025-06-04", "--week", "2025-W23")
        ready.ok("relationship", "context", "Client K", "--existing-channels", "Her sister Aoife rings the ward.")
        found = json.loads(ready.run("deid-check", "--json").stdout)
        assert {f["text"] for f in found} == {"Siobhan", "Aoife"}
        assert ready.run("deid-check", "--from", "2026-03-01", "--to", "2026-03-31").returncode == 0

    @pytest.mark.slow
    def test_bad_ranges_are_usage_errors(self, ready: CLI) -> None:
        assert "not both" in ready.fails(2, "deid-check", "--from", "2026-03-01", "--relationship", "Client K")
        assert "after the end date" in ready.fails(2, "deid-check", "--from", "2026-03-02", "--to", "2026-03-01")


    @pytest.mark.slow
    def test_allow_refuses_what_is_not_a_name(self, ready: CLI) -> None:
        for text, why in (("07700 900123", "phone number"), ("she is 87", "age")):
            assert why in ready.fails(2, "deid", "allow", text)
        assert json.loads(ready.ok("deid", "list", "--json")) == []

    @pytest.mark.slow
    def test_an_allowed_word_does_not_clear_a_titled_name_or_a_pseudonym(self, ready: CLI) -> None:
        ready.ok("deid", "allow", "Lee")
        add(ready, "Client K", "Mr Lee rang; Lee came later.")
        assert [f["text"] for f in json.loads(ready.run("deid-check", "--json").stdout)] == ["Mr Lee"]
        assert "Mr Lee" in ready.fails(2, "add", "--template", "phone_number_request", "--relationship", "Mr Lee",
                                       "--field", "what_happened=Asked.", "--field", NOTE)
        ready.ok("deid", "remove", "LEE")
        assert json.loads(ready.ok("deid", "list", "--json")) == []


class TestTheAuthorsName:
    """--name is exempt where it is printed as the author, and nowhere else."""

    @pytest.mark.slow
    def test_the_name_in_a_note_is_still_a_finding(self, ready: CLI, tmp_path) -> None:
        ready.ok("add", "--template", "gift_offered", "--relationship", "Client K", "--supervision",
                 "--occurred", "2026-03-02T17:45", "--field", "what_happened=Mr Lee rang; Jenny Lee asked",
                 "--field", "documentation_note=y")
        out = tmp_path / "n.pdf"
        result = ready.run("export", "pdf", "--from", "2026-01-01", "--to", "2026-12-31", "--out", str(out),
                           "--name", "Dr Jenny Lee")
        assert result.returncode == 4 and not out.exists()
        assert "«Mr Lee»" in result.stdout and "«Jenny Lee»" in result.stdout
        check = ready.run("deid-check", "--from", "2026-01-01", "--to", "2026-12-31")
        assert check.returncode == 4 and check.stdout == result.stdout  # the two agree


class TestPseudonymsAreChecked:
    """A new pseudonym that looks like a real name, or holds a phone number or a date, is refused and says why."""

    @pytest.mark.slow
    @pytest.mark.parametrize(("who", "why"), [
        ("Maria Gonzalez", "person's or place's name"),
        ("Mr Okafor", "person's or place's name"),
        ("Client K 07700 900123", "phone number"),
        ("Client K 12/03/1961", "date"),
    ])
    def test_refused_with_the_reason(self, ready: CLI, who: str, why: str) -> None:
        line = ready.fails(2, "add", "--template", "phone_number_request", "--relationship", who,
                           "--field", "what_happened=Asked.", "--field", NOTE)
        assert who in line and why in line
        assert json.loads(ready.ok("list", "--json")) == []

    @pytest.mark.slow
    def test_a_pseudonym_that_only_looks_like_a_name_can_be_confirmed(self, ready: CLI) -> None:
        line = ready.fails(2, "add", "--template", "phone_number_request", "--relationship", "Rose",
                           "--field", "what_happened=Asked.", "--field", NOTE)
        assert "--confirm-pseudonym" in line
        add(ready, "Rose", "Rose asked again.", "--confirm-pseudonym")
        add(ready, "Rose", "Rose Smith came with her.")  # known now: no confirmation needed again
        found = json.loads(ready.run("deid-check", "--json").stdout)
        # The confirmation is for the pseudonym only: "Rose Smith" elsewhere is still a name.
        assert [(f["kind"], f["text"]) for f in found] == [("name", "Rose Smith")]

    @pytest.mark.slow
    @pytest.mark.parametrize(("who", "why"), [("Maria Gonzalez", "full name"), ("Mr Okafor", "title and a name")])
    def test_a_real_name_cannot_be_confirmed(self, ready: CLI, who: str, why: str) -> None:
        line = ready.fails(2, "add", "--template", "phone_number_request", "--relationship", who,
                           "--confirm-pseudonym", "--field", "what_happened=Asked.", "--field", NOTE)
        assert why in line and "Client K" in line and "--confirm-pseudonym" not in line
        assert json.loads(ready.ok("list", "--json")) == []

    @pytest.mark.slow
    def test_a_phone_number_cannot_be_confirmed(self, ready: CLI) -> None:
        line = ready.fails(2, "add", "--template", "phone_number_request", "--relationship", "Client K 07700 900123",
                           "--confirm-pseudonym", "--field", "what_happened=Asked.", "--field", NOTE)
        assert "phone number" in line and "--confirm-pseudonym" not in line
