"""The command line's key, backup and locking commands, run as installed in a subprocess."""

from __future__ import annotations

import json
import re
import tarfile
from pathlib import Path

import pytest

from boundary_journal import instance, keys
from tests.e2e.test_cli import CLI, digest

pytestmark = pytest.mark.e2e

ENTRY = ["add", "--template", "gift_offered", "--relationship", "Client K", "--occurred", "2026-03-02T10:00",
         "--field", "what_happened=Offered a scarf after the last session",
         "--field", "documentation_note=Declined with thanks; noted for supervision."]


def secret_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return path


def listed_ids(cli: CLI, passphrase: Path | None = None) -> list[int]:
    return [entry["id"] for entry in json.loads(cli.ok("list", "--json", passphrase=passphrase))]


class TestInitWithRecoveryCode:
    def test_real_key_derivation_and_a_code_that_resets_the_passphrase(self, cli: CLI, tmp_path: Path) -> None:
        out = cli.ok("init", "--recovery-code")
        code = re.search(r"Recovery code: ([0-9A-Z-]+)", out).group(1)  # type: ignore[union-attr]
        assert "nobody, including us, can open the journal" in out
        stored = keys.read_key_file(keys.key_path_for(cli.journal))
        # The CLI ran with the production Argon2id setting (tests in-process use a cheap one).
        assert {slot.kdf for slot in stored.slots.values()} == {keys.PRODUCTION_KDF}
        entry_id = int(cli.ok(*ENTRY))

        new = secret_file(tmp_path, "new.txt", "a brand new passphrase")
        code_file = secret_file(tmp_path, "code.txt", code.lower().replace("-", " "))
        out = cli.ok("unlock-with-recovery-code", "--recovery-code-file", str(code_file),
                     "--new-passphrase-file", str(new))
        assert "new passphrase" in out
        assert listed_ids(cli, passphrase=new) == [entry_id]
        assert "does not open" in cli.fails(3, "list")

    def test_wrong_or_malformed_code_exits_3(self, cli: CLI, tmp_path: Path) -> None:
        cli.ok("init", "--recovery-code")
        before = digest(keys.key_path_for(cli.journal))
        new = secret_file(tmp_path, "new.txt", "a brand new passphrase")
        wrong = secret_file(tmp_path, "wrong.txt", "0000-0000-0000-0000-0000-0000")
        assert "recovery code does not open" in cli.fails(
            3, "unlock-with-recovery-code", "--recovery-code-file", str(wrong), "--new-passphrase-file", str(new))
        short = secret_file(tmp_path, "short.txt", "ABCD")
        assert "24 letters and digits" in cli.fails(
            3, "unlock-with-recovery-code", "--recovery-code-file", str(short), "--new-passphrase-file", str(new))
        assert digest(keys.key_path_for(cli.journal)) == before


class TestPassphraseAndCodes:
    def test_change_passphrase_keeps_the_journal_file(self, ready: CLI, tmp_path: Path) -> None:
        entry_id = int(ready.ok(*ENTRY))
        before = digest(ready.journal)
        new = secret_file(tmp_path, "new.txt", "another long passphrase")
        ready.ok("change-passphrase", "--new-passphrase-file", str(new))
        assert digest(ready.journal) == before
        assert listed_ids(ready, passphrase=new) == [entry_id]
        assert "does not open" in ready.fails(3, "list")
        short = secret_file(tmp_path, "short.txt", "short")
        assert "at least 8 characters" in ready.fails(
            2, "change-passphrase", "--new-passphrase-file", str(short), passphrase=new)

    def test_new_recovery_code_replaces_the_old_one(self, ready: CLI, tmp_path: Path) -> None:
        first = re.search(r"Recovery code: (\S+)", ready.ok("recovery-code")).group(1)  # type: ignore[union-attr]
        second = re.search(r"Recovery code: (\S+)", ready.ok("recovery-code")).group(1)  # type: ignore[union-attr]
        assert first != second
        new = secret_file(tmp_path, "new.txt", "another long passphrase")
        old_code = secret_file(tmp_path, "old.txt", first)
        ready.fails(3, "unlock-with-recovery-code", "--recovery-code-file", str(old_code),
                    "--new-passphrase-file", str(new))
        new_code = secret_file(tmp_path, "code.txt", second)
        ready.ok("unlock-with-recovery-code", "--recovery-code-file", str(new_code), "--new-passphrase-file", str(new))

    def test_no_secret_source_without_a_terminal(self, ready: CLI) -> None:
        line = ready.fails(2, "change-passphrase")
        assert "--new-passphrase-file" in line


class TestBackupAndRestore:
    def test_backup_list_restore_round_trip(self, ready: CLI, tmp_path: Path) -> None:
        kept = int(ready.ok(*ENTRY))
        out = tmp_path / "elsewhere.bjbackup"
        assert str(out) in ready.ok("backup", "--out", str(out))
        assert out.stat().st_mode & 0o777 == 0o600
        ready.ok("backup")
        listed = json.loads(ready.ok("backup", "--list", "--json"))
        assert [b["reason"] for b in listed] == ["manual"]
        later = int(ready.ok(*ENTRY))
        assert listed_ids(ready) == [later, kept]

        restored = ready.ok("restore", str(out))
        assert "before is kept at" in restored
        assert listed_ids(ready) == [kept]
        reasons = {b["reason"] for b in json.loads(ready.ok("backup", "--list", "--json"))}
        assert reasons == {"manual", "before-restore"}
        before_restore = next(b for b in json.loads(ready.ok("backup", "--list", "--json"))
                              if b["reason"] == "before-restore")
        ready.ok("restore", before_restore["path"])
        assert listed_ids(ready) == [later, kept]
        assert "passes its integrity checks (2 entries)" in ready.ok("check")

    def test_refusals(self, ready: CLI, tmp_path: Path) -> None:
        ready.ok(*ENTRY)
        assert "does not end in .bjbackup" in ready.fails(2, "backup", "--out", str(tmp_path / "b.zip"))
        assert "no backup file" in ready.fails(2, "restore", str(tmp_path / "missing.bjbackup"))
        junk = tmp_path / "junk.bjbackup"
        junk.write_bytes(b"not a tar at all" * 64)
        before = digest(ready.journal)
        assert "not a usable Boundary Journal backup" in ready.fails(5, "restore", str(junk))
        out = tmp_path / "good.bjbackup"
        ready.ok("backup", "--out", str(out))
        wrong = secret_file(tmp_path, "wrong.txt", "not the passphrase")
        assert "does not open this backup" in ready.fails(3, "restore", str(out), passphrase=wrong)
        assert digest(ready.journal) == before

    def test_a_damaged_backup_is_said_without_pointing_to_another(self, ready: CLI, tmp_path: Path) -> None:
        ready.ok(*ENTRY)
        out = tmp_path / "kept.bjbackup"
        ready.ok("backup", "--out", str(out))
        with tarfile.open(out) as tar:
            offset = tar.getmember("journal.db").offset_data
        data = bytearray(out.read_bytes())
        data[offset + 5000] ^= 0xFF
        out.write_bytes(bytes(data))
        before = digest(ready.journal)
        line = ready.fails(5, "restore", str(out))
        assert f"The backup {out} is damaged" in line and "checksum" in line
        assert "newest backup is" not in line  # the journal is fine: no hint to restore over it
        assert digest(ready.journal) == before

    def test_damaged_journal_names_the_newest_backup(self, ready: CLI) -> None:
        ready.ok(*ENTRY)
        ready.ok("backup")
        data = bytearray(ready.journal.read_bytes())
        data[len(data) // 2] ^= 0x01
        ready.journal.write_bytes(bytes(data))
        # A clean open reads the first pages only; `check` (and the window, in the background) reads them all.
        line = ready.fails(5, "check")
        assert "damaged" in line and "newest backup is" in line and ".bjbackup" in line
        assert ready.journal.read_bytes() == bytes(data)


class TestSecondInstance:
    def test_writing_commands_wait_for_the_window_reading_ones_do_not(self, ready: CLI) -> None:
        entry_id = int(ready.ok(*ENTRY))
        with instance.acquire(ready.data):
            before = digest(ready.journal)
            line = ready.fails(7, *ENTRY)
            assert "open in another Boundary Journal window or command" in line
            assert listed_ids(ready) == [entry_id]
            assert digest(ready.journal) == before
        assert int(ready.ok(*ENTRY)) > entry_id


class TestTextOffTheCommandLine:
    def test_a_field_read_from_standard_input(self, ready: CLI) -> None:
        text = "Long text with <tags> & émoji 🙂\nsecond line"
        entry_id = int(ready.ok("add", "--template", "gift_offered", "--relationship", "Client K",
                                "--field", "what_happened=@-", "--field", "documentation_note=Declined.",
                                stdin=text))
        shown = json.loads(ready.ok("list", "--json"))
        assert shown[0]["id"] == entry_id and shown[0]["fields"]["what_happened"] == text
        line = ready.fails(2, "add", "--template", "gift_offered", "--relationship", "Client K",
                           "--field", "what_happened=@-", "--field", "documentation_note=@-", stdin=text)
        assert "Only one --field" in line


class TestSecretFilesReadAsThePromptReads:
    """A passphrase file or standard input gives the line a prompt would give: a leading byte order mark and the
    line end go, and \\f, \\v, U+2028 and the like stay part of the passphrase."""

    TYPED = "pass\fphrase\u2028with\x85odd\vbreaks"

    @pytest.fixture
    def typed(self, cli: CLI) -> CLI:
        from boundary_journal.storage import create_journal

        create_journal(cli.journal, self.TYPED).close()  # as if set at the prompt
        return cli

    def test_file_with_bom_and_crlf_and_stdin_open_it(self, typed: CLI, tmp_path: Path) -> None:
        saved = tmp_path / "bom.txt"
        saved.write_bytes(("\ufeff" + self.TYPED + "\r\n").encode("utf-8"))
        assert typed.ok("list", "--json", passphrase=saved).strip() == "[]"
        assert typed.ok("list", "--json", passphrase="-", stdin=self.TYPED + "\n").strip() == "[]"

    def test_new_passphrase_and_recovery_code_files_alike(self, typed: CLI, tmp_path: Path) -> None:
        plain = tmp_path / "plain.txt"
        plain.write_bytes(self.TYPED.encode("utf-8"))
        new = tmp_path / "new.txt"
        new.write_bytes("\ufeffnew\fpassphrase\u2028here\r\nsecond line\n".encode())
        typed.ok("change-passphrase", "--new-passphrase-file", str(new), passphrase=plain)
        typed.ok("list", "--json", passphrase="-", stdin="new\fpassphrase\u2028here")
        code = typed.ok("recovery-code", passphrase=new).split("Recovery code: ")[1].split()[0]
        code_file = tmp_path / "code.txt"
        code_file.write_bytes(("\ufeff" + code + "\r\n").encode())
        typed.ok("unlock-with-recovery-code", "--recovery-code-file", str(code_file), "--new-passphrase-file",
                 str(plain), passphrase=plain)
        assert typed.ok("list", "--json", passphrase=plain).strip() == "[]"
