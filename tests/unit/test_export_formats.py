"""The registry of exports: every format declared once, and the command line's `export` built from it."""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from boundary_journal import cli
from boundary_journal.errors import InvalidInput
from boundary_journal.services import export_formats
from boundary_journal.services.export_formats import (
    COMMANDS,
    FORMATS,
    OPTIONS,
    ExportCommand,
    ExportFormat,
    ExportRequest,
    check_request,
    command_format,
    format_named,
)

MARCH = {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def export_parsers() -> dict[str, argparse.ArgumentParser]:
    return _subcommands(_subcommands(cli.build_parser())["export"])


def flags(parser: argparse.ArgumentParser) -> list[str]:
    return [a.option_strings[0] for a in parser._actions if a.option_strings and a.dest != "help"]


@pytest.mark.parametrize("export_format", FORMATS, ids=lambda f: f.name)
def test_every_format_is_declared_whole(export_format: ExportFormat) -> None:
    assert export_format.extension.startswith(".") and len(export_format.extension) > 1
    assert callable(export_format.write) and callable(export_format.gather) and callable(export_format.done)
    assert export_format.label and export_format.kind and export_format.file_name and export_format.description
    assert "out" in export_format.options
    assert set(export_format.options) <= {o.name for o in OPTIONS}
    if export_format.checked:  # the identifier check's own options
        assert {"redact", "allow_findings"} <= set(export_format.options)
    assert export_format.shortcut in export_format.label
    # Each format is written by exactly one command line subcommand.
    assert [c.name for c in COMMANDS if export_format.name in c.formats] == [export_format.command]


def test_names_are_unique_and_each_command_has_one_default() -> None:
    assert len({f.name for f in FORMATS}) == len(FORMATS)
    assert len({c.name for c in COMMANDS}) == len(COMMANDS)
    for command in COMMANDS:
        defaults = [name for name in command.formats if format_named(name).chosen_by is None]
        assert len(defaults) == 1, command.name


def test_the_json_export_is_the_one_not_checked() -> None:
    assert [f.name for f in FORMATS if not f.checked] == ["json"]
    assert format_named("json").options == ("out",)


def test_the_export_subcommands_and_their_flags_come_from_the_registry() -> None:
    parsers = export_parsers()
    assert list(parsers) == [c.name for c in COMMANDS]
    for command in COMMANDS:
        assert flags(parsers[command.name]) == [o.flag for o in command.options()]


def test_the_command_line_keeps_its_flags() -> None:
    """The README's and the scripts' spelling of `export`: these must not change."""
    parsers = export_parsers()
    assert flags(parsers["pdf"]) == ["--from", "--to", "--out", "--relationship", "--all-entries", "--name",
                                     "--question", "--redact", "--allow-findings"]
    assert flags(parsers["json"]) == ["--out"]
    args = cli.build_parser().parse_args(["export", "pdf", "--from", "2026-03-01", "--to", "2026-03-31", "--out",
                                          "x.pdf", "--name", "N", "--question", "A?", "--question", "B?"])
    assert (args.date_from, args.display_name, args.questions, args.handler) == (
        date(2026, 3, 1), "N", ["A?", "B?"], cli._export)


def test_a_new_format_is_one_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A format added to the registry (with its command) is a command line subcommand at once."""
    plain = ExportFormat(
        name="text", label="Plain text", kind="text", extension=".txt", file_name="journal", command="text",
        options=("out",), checked=False, gather=lambda *_: "", write=lambda *_: None, done=lambda *_: "Done.",
        shortcut="P", description="Everything as plain text.",
    )
    monkeypatch.setattr(export_formats, "FORMATS", (*FORMATS, plain))
    monkeypatch.setattr(export_formats, "COMMANDS", (*COMMANDS, ExportCommand("text", "as text", "As text.",
                                                                               ("text",))))
    parsers = export_parsers()
    assert "text" in parsers and flags(parsers["text"]) == ["--out"]
    assert format_named("text") is plain


class TestChoosingTheFormat:
    def test_the_pdf_command_writes_the_brief_with_a_relationship(self, tmp_path: Path) -> None:
        out = tmp_path / "x.pdf"
        assert command_format("pdf", ExportRequest("", out, **MARCH)) == "summary"
        assert command_format("pdf", ExportRequest("", out, relationship="Client K")) == "brief"
        assert command_format("pdf", ExportRequest("", out, relationship="")) == "summary"
        assert command_format("json", ExportRequest("", tmp_path / "x.json")) == "json"

    def test_an_unknown_format_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(InvalidInput, match="no export called 'zip'"):
            format_named("zip")


class TestCheckRequest:
    """A request is checked whole before the journal is opened: the messages the command line has always shown."""

    def test_a_summary_needs_its_period(self, tmp_path: Path) -> None:
        with pytest.raises(InvalidInput, match=r"Give the period with --from DATE --to DATE"):
            check_request(ExportRequest("summary", tmp_path / "x.pdf", date_from=date(2026, 3, 1)))
        with pytest.raises(InvalidInput, match="start date 2026-03-31 is after the end date 2026-03-01"):
            check_request(ExportRequest("summary", tmp_path / "x.pdf", date_from=date(2026, 3, 31),
                                        date_to=date(2026, 3, 1)))

    def test_a_brief_covers_the_whole_relationship(self, tmp_path: Path) -> None:
        request = ExportRequest("brief", tmp_path / "x.pdf", relationship="Client K")
        assert check_request(request).name == "brief"
        for change in ({"date_from": date(2026, 3, 1)}, {"all_entries": True}):
            with pytest.raises(InvalidInput, match="covers the whole relationship"):
                check_request(replace(request, **change))

    def test_an_option_the_format_does_not_take_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(InvalidInput, match="takes no --redact, --allow-findings"):
            check_request(ExportRequest("json", tmp_path / "x.json", redact=("Lee",), allow_findings=True))

    @pytest.mark.parametrize(("name", "out", "expected"), [
        ("summary", "x.json", "does not end in .pdf"), ("json", "x.pdf", "does not end in .json"),
        ("summary", "missing/x.pdf", "does not exist"),
    ])
    def test_the_file_is_checked_against_the_format(self, tmp_path: Path, name: str, out: str, expected: str
                                                    ) -> None:
        with pytest.raises(InvalidInput, match=expected):
            check_request(ExportRequest(name, tmp_path / out, **(MARCH if name == "summary" else {})))
