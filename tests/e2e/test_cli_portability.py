"""`export json` and `import json` through the installed command line, in a subprocess."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.conftest import JournalTemplates
from tests.e2e.test_cli import CLI, PASSPHRASE

pytestmark = pytest.mark.e2e

HOSTILE = "Emoji 😀, RTL שלום, markup <b>&amp;</b> & <, tab\tand a\nsecond line"


def _cli(tmp_path: Path, name: str) -> CLI:
    folder = tmp_path / name
    folder.mkdir()
    return CLI(folder)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory, journal_templates: JournalTemplates) -> CLI:
    """A journal with an entry, a self-check, a stage, a weekly exercise and its action (made once: slow).

    The journal is a copy of the session's new one, with the tests' cheap key derivation, as `ready` makes
    (TestInit runs the real `init`): every command below would otherwise derive the production key."""
    cli = CLI(tmp_path_factory.mktemp("source"))
    journal_templates.copy(cli.journal, PASSPHRASE)
    cli.ok("add", "--template", "late_night_text", "--relationship", "Client K", "--occurred", "2026-03-02T23:15",
           "--field", f"what_happened={HOSTILE}", "--field", "documentation_note=Redirected once to the portal.",
           "--tag", "night", "--supervision", "--flow", "outside_channels=yes")
    cli.ok("selfcheck", "add", "--relationship", "Client K", "--answer", "slope_look_forward=2")
    cli.ok("relationship", "stage", "Client K", "3", "--note", "Drifting.")
    cli.ok("exercise", "add", "--relationship", "Client K", "--unease", "The texts feel personal.",
           "--move", "talk_to_supervisor", "--on", "2026-03-04", "--week", "2026-W10")
    return cli


@pytest.fixture(scope="module")
def exported(source: CLI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "everything.json"
    said = source.ok("export", "json", "--out", str(out))
    assert "1 entry" in said and "not encrypted" in said
    return out


@pytest.fixture
def target(tmp_path: Path) -> CLI:
    """A data folder with no journal in it yet."""
    return _cli(tmp_path, "target")


def _write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _without_time(document: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in document.items() if k != "exported_at"}


class TestExportImport:
    """Everything moves to a new data folder and reads back the same."""

    @pytest.mark.slow
    def test_round_trip_into_a_new_data_folder(self, source: CLI, exported: Path, target: CLI,
                                               tmp_path: Path) -> None:
        assert stat.S_IMODE(exported.stat().st_mode) == 0o600
        document = json.loads(exported.read_text(encoding="utf-8"))
        assert document["format"] == "boundary-journal-export" and document["version"] == 1
        assert document["entries"][0]["fields"]["what_happened"] == HOSTILE

        said = target.ok("import", "json", str(exported))  # no journal there yet: the import creates one
        assert said.startswith("Imported 1 relationship, 1 entry, 1 self-check, 1 stage change")
        assert target.journal.exists()
        assert target.ok("list", "--json") == source.ok("list", "--json")
        assert [e["id"] for e in json.loads(target.ok("search", "שלום", "--json"))] == [document["entries"][0]["id"]]

        again = tmp_path / "again.json"
        target.ok("export", "json", "--out", str(again))
        assert _without_time(json.loads(again.read_text(encoding="utf-8"))) == _without_time(document)

    @pytest.mark.slow
    def test_into_an_existing_empty_journal(self, exported: Path, target: CLI) -> None:
        target.ok("init")
        assert target.ok("import", "json", str(exported)).startswith("Imported 1 relationship, 1 entry")


class TestRefusals:
    """Bad files exit 2 with one line on stderr, no traceback, and leave no journal behind."""

    def _nothing_created(self, target: CLI) -> None:
        assert not target.data.exists() or not any(target.data.glob("journal*.db*"))
        assert not target.data.exists() or not any(target.data.glob("*.key"))

    @pytest.mark.slow
    def test_malformed_file(self, target: CLI, tmp_path: Path) -> None:
        bad = tmp_path / "bad.json"
        bad.write_text('{"format": "boundary-journal-export",\n  "version": 1,,}', encoding="utf-8")
        line = target.fails(2, "import", "json", str(bad))
        assert "is not JSON" in line and "line 2, column 16" in line
        self._nothing_created(target)

    @pytest.mark.slow
    def test_newer_version(self, target: CLI, tmp_path: Path) -> None:
        newer = _write(tmp_path / "newer.json", {"format": "boundary-journal-export", "version": 2})
        line = target.fails(2, "import", "json", str(newer))
        assert "made by a newer version" in line
        self._nothing_created(target)

    @pytest.mark.slow
    def test_bad_record_names_where(self, exported: Path, target: CLI, tmp_path: Path) -> None:
        document = json.loads(exported.read_text(encoding="utf-8"))
        document["entries"][0]["occurred"] = "last Tuesday"
        line = target.fails(2, "import", "json", str(_write(tmp_path / "edited.json", document)))
        assert "entries[0].occurred is not a date and time" in line
        self._nothing_created(target)

    @pytest.mark.slow
    @pytest.mark.parametrize(("kind", "field", "value"), [
        ("entries", "occurred", "9999-12-31T23:59:00"),
        ("entries", "occurred", "0001-01-01T00:00:00"),
        ("entries", "occurred", "9999-12-31T23:59:00-12:00"),
        ("entries", "occurred", "0001-01-01T00:00:00+05:00"),
        ("stage_changes", "set_at", "9999-12-31T23:59:00"),
        ("self_checks", "taken_at", "0001-01-01T00:00:00"),
        ("relationships", "created_at", "0001-01-01T00:00:00+01:00"),
        ("actions", "due_on", "9999-12-31"),
        ("weekly_exercises", "on_date", "0001-01-01"),
    ])
    def test_dates_outside_the_services_range(self, exported: Path, target: CLI, tmp_path: Path, kind: str,
                                              field: str, value: str) -> None:
        """Year 1 and 9999 (or an offset past them) are refused like the services refuse them, naming the field."""
        document = json.loads(exported.read_text(encoding="utf-8"))
        document[kind][0][field] = value
        line = target.fails(2, "import", "json", str(_write(tmp_path / "dated.json", document)))
        assert f"{kind}[0].{field}" in line
        self._nothing_created(target)

    @pytest.mark.slow
    def test_not_into_a_journal_with_records(self, source: CLI, exported: Path) -> None:
        line = source.fails(2, "import", "json", str(exported))
        assert "already holds 1 relationship, 1 entry" in line and "empty journal" in line
        assert len(json.loads(source.ok("list", "--json"))) == 1

    @pytest.mark.slow
    def test_missing_file(self, target: CLI, tmp_path: Path) -> None:
        line = target.fails(2, "import", "json", str(tmp_path / "nowhere.json"))
        assert "Cannot read" in line
        self._nothing_created(target)

    @pytest.mark.slow
    @pytest.mark.parametrize(("args", "message"), [
        (["export", "json", "--out", "everything.txt"], "does not end in .json"),
        (["export", "json"], "--out"),
        (["import"], "Say what to do"),
        (["import", "json"], "FILE"),
    ])
    def test_bad_usage(self, target: CLI, args: list[str], message: str) -> None:
        assert message in target.fails(2, *args)
        self._nothing_created(target)
