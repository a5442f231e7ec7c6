"""The command line's own input handling, in-process: secrets read as the prompt would read them."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from boundary_journal.cli import read_secret
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
