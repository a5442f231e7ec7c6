"""The command line's own input handling, in-process: secrets read as the prompt would read them, and texts
given as @- (standard input), @FILE or @@literal."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import pytest

from boundary_journal.cli import _read_standard_input, _text_argument, build_parser, main, read_secret
from boundary_journal.errors import InvalidInput

# What a prompt gives for a line typed at the terminal: everything but the Enter key.
SECRETS = ["plain passphrase", "pa\fss\vword", "line\u2028sep\u2029para", "next\x85line", "sep\x1c\x1d\x1eok",
           "  spaces kept  ", "tab\tkept", "שלום עולם", "emoji 🙂"]


def stdin_of(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


class TestReadSecret:
    """A passphrase file, or standard input, gives the first line exactly as the prompt would give it."""

    @pytest.mark.parametrize("secret", SECRETS)
    @pytest.mark.parametrize(("before", "after"), [
        ("", "\n"), ("", "\r\n"), ("", ""), ("\ufeff", "\n"), ("\ufeff", "\r\n"), ("", "\nsecond line\n"),
    ])
    def test_file_and_stdin_read_the_line_as_typed(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   secret: str, before: str, after: str) -> None:
        data = (before + secret + after).encode("utf-8")
        path = tmp_path / "secret.txt"
        path.write_bytes(data)
        assert read_secret(str(path), "passphrase", "--passphrase-file") == secret
        stdin_of(monkeypatch, data)
        assert read_secret("-", "passphrase", "--passphrase-file") == secret

    def test_only_one_line_ending_is_removed(self, tmp_path: Path) -> None:
        path = tmp_path / "secret.txt"
        path.write_bytes(b"secret\r\r\n")
        assert read_secret(str(path), "passphrase", "--passphrase-file") == "secret\r"

    @pytest.mark.parametrize("data", [b"\n", b"", b"\xef\xbb\xbf\r\n"])
    def test_empty(self, tmp_path: Path, data: bytes) -> None:
        path = tmp_path / "secret.txt"
        path.write_bytes(data)
        with pytest.raises(InvalidInput, match="The passphrase is empty"):
            read_secret(str(path), "passphrase", "--passphrase-file")

    def test_not_utf8_names_the_option(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path = tmp_path / "secret.txt"
        path.write_bytes(b"caf\xe9\n")
        with pytest.raises(InvalidInput, match=r"--new-passphrase-file.*not valid text \(UTF-8\)"):
            read_secret(str(path), "new passphrase", "--new-passphrase-file")
        stdin_of(monkeypatch, b"caf\xe9\n")
        with pytest.raises(InvalidInput, match=r"--recovery-code-file.*not valid text \(UTF-8\)"):
            read_secret("-", "recovery code", "--recovery-code-file")

    def test_missing_file_names_the_option(self, tmp_path: Path) -> None:
        with pytest.raises(InvalidInput, match="--passphrase-file"):
            read_secret(str(tmp_path / "missing.txt"), "passphrase", "--passphrase-file")

    def test_a_line_that_never_ends_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "secret.txt"
        path.write_bytes(b"x" * 1_000_000)
        with pytest.raises(InvalidInput, match="longer than"):
            read_secret(str(path), "passphrase", "--passphrase-file")


class TestTextArguments:
    """One argparse type serves every option that takes the clinician's words."""

    @pytest.mark.parametrize(("value", "text"), [
        ("Client K", "Client K"), ("", ""), ("@@home visits", "@home visits"), ("@@", "@"), ("a@b", "a@b"),
    ])
    def test_literal_values(self, value: str, text: str) -> None:
        assert _text_argument(value) == text

    @pytest.mark.parametrize(("data", "text"), [
        (b"Client K\n", "Client K"), (b"two\nlines\r\n", "two\nlines"), (b"kept\n\n", "kept\n"),
        ("\ufeffBOM dropped".encode(), "BOM dropped"), ("שלום 🙂".encode(), "שלום 🙂"), (b"", ""),
    ])
    def test_a_file(self, tmp_path: Path, data: bytes, text: str) -> None:
        path = tmp_path / "text.txt"
        path.write_bytes(data)
        assert _text_argument(f"@{path}") == text

    def test_unreadable_or_not_utf8(self, tmp_path: Path) -> None:
        (tmp_path / "latin1.txt").write_bytes("café".encode("latin-1"))
        with pytest.raises(argparse.ArgumentTypeError, match=r"latin1\.txt is not valid text"):
            _text_argument(f"@{tmp_path / 'latin1.txt'}")
        with pytest.raises(argparse.ArgumentTypeError, match=r"cannot read the file .*missing\.txt"):
            _text_argument(f"@{tmp_path / 'missing.txt'}")
        with pytest.raises(argparse.ArgumentTypeError, match="cannot read the file"):
            _text_argument(f"@{tmp_path}")  # a folder
        with pytest.raises(argparse.ArgumentTypeError, match="names no file"):
            _text_argument("@")

    @pytest.mark.parametrize("argv", [
        ["search", "@-", "--relationship", "@-"],
        ["export", "pdf", "--relationship", "K", "--out", "x.pdf", "--question", "@-", "--question", "@-"],
        ["add", "--template", "t", "--relationship", "@-", "--field", "what_happened=@-"],
        ["--passphrase-file", "-", "search", "@-"],
        ["--passphrase-file", "-", "change-passphrase", "--new-passphrase-file", "-"],
        ["--passphrase-file", "-", "unlock-with-recovery-code", "--recovery-code-file", "-"],
    ])
    def test_standard_input_is_read_once(self, argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture
                                         ) -> None:
        assert main(["--data-dir", str(tmp_path), *argv]) == 2
        [line] = capsys.readouterr().err.splitlines()
        assert "standard input" in line.casefold()

    def test_standard_input_replaces_the_one_at_dash(self, monkeypatch: pytest.MonkeyPatch) -> None:
        stdin_of(monkeypatch, b"A question?\r\n")
        args = build_parser().parse_args(["export", "pdf", "--relationship", "K", "--out", "x.pdf",
                                          "--question", "First?", "--question", "@-"])
        _read_standard_input(args)
        assert args.questions == ["First?", "A question?"]
        stdin_of(monkeypatch, b"note text")
        args = build_parser().parse_args(["add", "--template", "t", "--relationship", "K",
                                          "--field", "what_happened=@-"])
        _read_standard_input(args)
        assert args.field == [("what_happened", "note text")]
