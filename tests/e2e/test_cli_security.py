"""The command line's key, backup and locking commands, run as installed in a subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

from boundary_journal.store import instance, keys
from tests.e2e.test_cli import CLI, PASSPHRASE, digest, installed_command

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
    @pytest.mark.slow
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

    @pytest.mark.slow
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
    @pytest.mark.slow
    def test_change_passphrase_re_encrypts_the_journal(self, ready: CLI, tmp_path: Path) -> None:
        entry_id = int(ready.ok(*ENTRY))
        before = digest(ready.journal)
        new = secret_file(tmp_path, "new.txt", "another long passphrase")
        out = ready.ok("change-passphrase", "--new-passphrase-file", str(new))
        assert "new key" in out and "saved elsewhere" in out
        assert digest(ready.journal) != before
        assert listed_ids(ready, passphrase=new) == [entry_id]
        assert "does not open" in ready.fails(3, "list")
        short = secret_file(tmp_path, "short.txt", "short")
        assert "at least 8 characters" in ready.fails(
            2, "change-passphrase", "--new-passphrase-file", str(short), passphrase=new)

    @pytest.mark.slow
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
    @pytest.mark.slow
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

    @pytest.mark.slow
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
        assert "passphrase in use now" in ready.fails(3, "restore", str(out), passphrase=wrong)
        assert digest(ready.journal) == before

    @pytest.mark.slow
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

    @pytest.mark.slow
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
    @pytest.mark.slow
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
    """Every option that takes the clinician's words takes @- (standard input), @PATH (a UTF-8 file) or @@text
    (a literal starting with @), so nothing private has to sit in the process list or the shell history."""

    @pytest.mark.slow
    def test_a_field_read_from_standard_input(self, ready: CLI) -> None:
        text = "Long text with <tags> & émoji 🙂\nsecond line"
        entry_id = int(ready.ok("add", "--template", "gift_offered", "--relationship", "Client K",
                                "--field", "what_happened=@-", "--field", "documentation_note=Declined.",
                                stdin=text))
        shown = json.loads(ready.ok("list", "--json"))
        assert shown[0]["id"] == entry_id and shown[0]["fields"]["what_happened"] == text
        line = ready.fails(2, "add", "--template", "gift_offered", "--relationship", "Client K",
                           "--field", "what_happened=@-", "--field", "documentation_note=@-", stdin=text)
        assert "Only one option can read standard input" in line

    def texts(self, tmp_path: Path, **texts: str) -> dict[str, str]:
        """Each text written to a file (with the newline a file ends in); the @PATH argument for each."""
        paths = {}
        for name, text in texts.items():
            (tmp_path / name).write_text(text + "\n", encoding="utf-8")
            paths[name] = f"@{tmp_path / name}"
        return paths

    @pytest.mark.slow
    def test_entries_search_and_export_take_their_texts_from_files_and_stdin(self, ready: CLI, tmp_path: Path
                                                                             ) -> None:
        at = self.texts(tmp_path, who="Client K", what="Asked for my number again\nat the door",
                        name="Dr A.", redact="Ward 9 annex", question="How do I hold this kindly?")
        ready.ok("add", "--template", "phone_number_request", "--relationship", at["who"], "--occurred",
                 "2026-03-02T10:00", "--field", f"what_happened={at['what']}", "--field",
                 "documentation_note=@-", "--supervision", stdin="Declined; met in the Ward 9 annex.\n")
        [entry] = json.loads(ready.ok("search", "@-", "--json", stdin="number door"))
        assert entry["relationship"] == "Client K"
        assert entry["fields"] == {"what_happened": "Asked for my number again\nat the door",
                                   "documentation_note": "Declined; met in the Ward 9 annex."}
        assert json.loads(ready.ok("list", "--json", "--relationship", at["who"]))[0]["id"] == entry["id"]
        out = tmp_path / "summary.pdf"
        ready.ok("export", "pdf", "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(out),
                 "--name", at["name"], "--question", at["question"], "--question", "@-", "--redact", at["redact"],
                 stdin="@ and a second question?")
        from pypdf import PdfReader

        flat = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
        for shown in ("Dr A.", "How do I hold this kindly?", "@ and a second question?", "[redacted]"):
            assert shown in flat, shown
        assert "Ward 9" not in flat
        brief = tmp_path / "brief.pdf"
        ready.ok("export", "pdf", "--relationship", "@-", "--out", str(brief), stdin="Client K")
        assert brief.exists()

    @pytest.mark.slow
    def test_self_checks_stages_exercises_and_actions(self, ready: CLI, tmp_path: Path) -> None:
        from datetime import date

        at = self.texts(tmp_path, who="Bed 4", note="A private note.", other="Re-read my notes",
                        outcome="Booked it.")
        ready.ok("selfcheck", "add", "--relationship", at["who"], "--answer", "slope_look_forward=1", "--note",
                 at["note"], "--context", "@-", stdin="A hard week.")
        [check] = json.loads(ready.ok("selfcheck", "trend", "--relationship", "@-", "--json",
                                      stdin="Bed 4"))["checkins"]
        assert (check["note"], check["context"]) == ("A private note.", "A hard week.")
        ready.ok("relationship", "stage", at["who"], "2", "--note", "@-", stdin="Softening.")
        [stage] = json.loads(ready.ok("selfcheck", "trend", "--relationship", "Bed 4", "--json"))["stages"]
        assert stage["note"] == "Softening."
        week = ready.ok("exercise", "add", "--relationship", "@@ home visits", "--unease", "@-", "--move", "other",
                        "--other", at["other"], "--on", date.today().isoformat(),
                        stdin="I keep saying yes.").strip()
        [exercise] = json.loads(ready.ok("exercise", "list", "--json"))["exercises"]
        assert (exercise["relationship"], exercise["unease"], exercise["move_other"]) == (
            "@ home visits", "I keep saying yes.", "Re-read my notes")
        ready.ok("action", "done", str(exercise["action_id"]), "--note", "@-", stdin="Done at last.")
        [action] = json.loads(ready.ok("action", "list", "--json"))
        assert action["outcome"] == "Done at last."
        ready.ok("exercise", "followup", week, "--outcome", "done", "--note", at["outcome"])
        [exercise] = json.loads(ready.ok("exercise", "list", "--json"))["exercises"]
        assert exercise["note"] == "Booked it."

    @pytest.mark.parametrize(("args", "message"), [
        (["search", "@-", "--relationship", "@-"], "Only one option can read standard input"),
        (["exercise", "add", "--relationship", "@-", "--unease", "@-", "--move", "talk_to_supervisor",
          "--on", "2026-03-02"], "Only one option can read standard input"),
        (["selfcheck", "add", "--answer", "slope_look_forward=1", "--note", "@MISSING"], "argument --note"),
        (["export", "pdf", "--relationship", "K", "--out", "x.pdf", "--name", "@LATIN1"], "argument --name"),
        (["add", "--template", "gift_offered", "--relationship", "K", "--field", "what_happened=@LATIN1"],
         "argument --field"),
        (["add", "--template", "gift_offered", "--relationship", "@", "--field", "what_happened=x"],
         "argument --relationship"),
    ])
    def test_refusals(self, ready: CLI, tmp_path: Path, args: list[str], message: str) -> None:
        (tmp_path / "latin1.txt").write_bytes("café".encode("latin-1"))
        args = [a.replace("@MISSING", f"@{tmp_path / 'missing.txt'}").replace("@LATIN1", f"@{tmp_path / 'latin1.txt'}")
                for a in args]
        line = ready.fails(2, *args, stdin="text")
        assert message in line
        if "MISSING" in " ".join(args) or "missing.txt" in " ".join(args):
            assert "missing.txt" in line
        if "latin1.txt" in " ".join(args):
            assert "UTF-8" in line

    def test_standard_input_is_the_passphrase_or_a_text_not_both(self, ready: CLI) -> None:
        line = ready.fails(2, "search", "@-", passphrase="-", stdin="a long and private passphrase\n")
        assert "--passphrase-file -" in line and "@-" in line


class TestSecretFilesReadAsThePromptReads:
    """A passphrase file or standard input gives the line a prompt would give: a leading byte order mark and the
    line end go, and \\f, \\v, U+2028 and the like stay part of the passphrase."""

    TYPED = "pass\fphrase\u2028with\x85odd\vbreaks"

    @pytest.fixture
    def typed(self, cli: CLI) -> CLI:
        from boundary_journal.store.storage import create_journal

        create_journal(cli.journal, self.TYPED).close()  # as if set at the prompt
        return cli

    @pytest.mark.slow
    def test_file_with_bom_and_crlf_and_stdin_open_it(self, typed: CLI, tmp_path: Path) -> None:
        saved = tmp_path / "bom.txt"
        saved.write_bytes(("\ufeff" + self.TYPED + "\r\n").encode("utf-8"))
        assert typed.ok("list", "--json", passphrase=saved).strip() == "[]"
        assert typed.ok("list", "--json", passphrase="-", stdin=self.TYPED + "\n").strip() == "[]"

    @pytest.mark.slow
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


class TestRevokedSecrets:
    """Issue 12, critical 1: a changed passphrase or recovery code locks the old one out of what comes after."""

    @pytest.mark.slow
    def test_an_old_key_file_and_passphrase_open_nothing_written_after_a_change(self, cli: CLI, tmp_path: Path) -> None:
        cli.ok("init")
        cli.ok(*ENTRY)
        cli.ok("backup")
        old_key_file = keys.key_path_for(cli.journal).read_bytes()
        new = secret_file(tmp_path, "new.txt", "another long passphrase")
        out = cli.ok("change-passphrase", "--new-passphrase-file", str(new))
        assert "Re-encrypted 1 backup" in out
        after = ["add", "--template", "gift_offered", "--relationship", "Client K", "--occurred", "2026-03-03T10:00",
                 "--field", "what_happened=Zanzibarian written after the change", "--field",
                 "documentation_note=Declined."]
        cli.ok(*after, passphrase=new)
        keys.key_path_for(cli.journal).write_bytes(old_key_file)
        result = cli.run("search", "Zanzibarian")
        assert result.returncode == 5 and "Zanzibarian" not in result.stdout
        # Nor does any backup in the data folder open with the old passphrase any more.
        for backup in (cli.data / "backups").glob("*.bjbackup"):
            with tarfile.open(backup) as tar:
                handle = tar.extractfile("journal.key")
                assert handle is not None
                with pytest.raises(keys.WrongPassphrase):
                    keys.unlock(keys.parse_key_file(handle.read(), "backup"), "a long and private passphrase")

    @pytest.mark.slow
    def test_a_revoked_recovery_code_opens_nothing_written_after(self, cli: CLI, tmp_path: Path) -> None:
        first = re.search(r"Recovery code: (\S+)", cli.ok("init", "--recovery-code")).group(1)  # type: ignore[union-attr]
        old_key_file = keys.key_path_for(cli.journal).read_bytes()
        cli.ok("recovery-code")
        cli.ok(*ENTRY)
        keys.key_path_for(cli.journal).write_bytes(old_key_file)
        old_code = secret_file(tmp_path, "old.txt", first)
        new = secret_file(tmp_path, "new.txt", "another long passphrase")
        assert "damaged" in cli.fails(5, "unlock-with-recovery-code", "--recovery-code-file", str(old_code),
                                      "--new-passphrase-file", str(new))

    @pytest.mark.slow
    def test_a_change_can_replace_the_recovery_code_in_the_same_step(self, cli: CLI, tmp_path: Path) -> None:
        first = re.search(r"Recovery code: (\S+)", cli.ok("init", "--recovery-code")).group(1)  # type: ignore[union-attr]
        new = secret_file(tmp_path, "new.txt", "another long passphrase")
        out = cli.ok("change-passphrase", "--new-passphrase-file", str(new))
        assert "recovery code keeps working" in out and "--new-recovery-code" in out
        third = secret_file(tmp_path, "third.txt", "a third long passphrase")
        out = cli.ok("change-passphrase", "--new-passphrase-file", str(third), "--new-recovery-code", passphrase=new)
        second = re.search(r"Recovery code: (\S+)", out).group(1)  # type: ignore[union-attr]
        assert second != first
        old_code = secret_file(tmp_path, "old.txt", first)
        assert "does not open" in cli.fails(3, "unlock-with-recovery-code", "--recovery-code-file", str(old_code),
                                            "--new-passphrase-file", str(new))
        assert "same as the current one" in cli.fails(2, "change-passphrase", "--new-passphrase-file", str(third),
                                                      passphrase=third)

    @pytest.mark.slow
    def test_old_backups_can_be_kept_or_removed_with_the_word_typed(self, ready: CLI, tmp_path: Path) -> None:
        ready.ok(*ENTRY)
        ready.ok("backup")
        new = secret_file(tmp_path, "new.txt", "another long passphrase")
        out = ready.ok("change-passphrase", "--new-passphrase-file", str(new), "--old-backups", "keep")
        assert "1 backup in" in out and "still open only with an earlier" in out
        # Later too (a change cut short by a kill leaves them the same way): `check` names them.
        assert "only with an earlier passphrase" in ready.ok("check", passphrase=new)
        third = secret_file(tmp_path, "third.txt", "a third long passphrase")
        assert "DELETE" in ready.fails(2, "change-passphrase", "--new-passphrase-file", str(third),
                                       "--old-backups", "remove", passphrase=new)
        out = ready.ok("change-passphrase", "--new-passphrase-file", str(third), "--old-backups", "remove",
                       "--confirm-remove", "DELETE", passphrase=new)
        assert "Removed 1 backup" in out
        assert list((ready.data / "backups").glob("*.bjbackup")) == []

    @pytest.mark.slow
    def test_removing_them_at_a_terminal_asks_for_the_word(self, ready: CLI, tmp_path: Path) -> None:
        import pty

        ready.ok(*ENTRY)
        ready.ok("backup")
        new = secret_file(tmp_path, "new.txt", "another long passphrase")
        main, terminal = pty.openpty()
        try:
            process = subprocess.Popen(
                [*installed_command(), "--data-dir", str(ready.data), "--passphrase-file", str(ready.passphrase_file),
                 "change-passphrase", "--new-passphrase-file", str(new), "--old-backups", "remove"],
                stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ready.env,
            )
            os.write(main, b"DELETE\n")
            out, err = process.communicate(timeout=120)
        finally:
            os.close(main)
            os.close(terminal)
        assert process.returncode == 0, err
        assert "Type DELETE" in out and "Removed 1 backup" in out
        assert list((ready.data / "backups").glob("*.bjbackup")) == []

    @pytest.mark.slow
    def test_restoring_a_backup_from_before_the_change(self, ready: CLI, tmp_path: Path) -> None:
        kept = int(ready.ok(*ENTRY))
        saved = tmp_path / "saved.bjbackup"
        ready.ok("backup", "--out", str(saved))
        new = secret_file(tmp_path, "new.txt", "another long passphrase")
        ready.ok("change-passphrase", "--new-passphrase-file", str(new))
        later = int(ready.ok(*ENTRY, passphrase=new))
        # The old passphrase alone may not replace today's journal, even though it opens the backup.
        assert "passphrase in use now" in ready.fails(3, "restore", str(saved))
        assert "--backup-passphrase-file" in ready.fails(3, "restore", str(saved), passphrase=new)
        out = ready.ok("restore", str(saved), "--backup-passphrase-file", str(ready.passphrase_file), passphrase=new)
        assert "re-encrypted with the journal's key of today" in out
        assert listed_ids(ready, passphrase=new) == [kept]
        assert "does not open" in ready.fails(3, "list")
        assert later not in listed_ids(ready, passphrase=new)


class TestReadersAndTheWriterLock:
    @pytest.mark.slow
    def test_a_reader_waiting_at_its_prompt_never_blocks_a_writer(self, ready: CLI) -> None:
        """Issue 12: `list | less` took the writer lock when it was free, and `add` then failed with exit 7."""
        reader = subprocess.Popen(
            [*installed_command(), "--data-dir", str(ready.data), "--passphrase-file", "-", "list"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ready.env,
        )
        try:
            time.sleep(1.0)  # long enough to have taken the lock, were it to take it (not a timing assertion)
            assert reader.poll() is None
            assert int(ready.ok(*ENTRY)) > 0
        finally:
            _out, err = reader.communicate(PASSPHRASE + "\n", timeout=60)
        assert reader.returncode == 0, err

    @pytest.mark.slow
    def test_a_missing_key_file_is_exit_5_naming_it(self, ready: CLI) -> None:
        keys.key_path_for(ready.journal).unlink()
        assert "journal.key is missing" in ready.fails(5, "list")


def read_only_mount(folder: Path) -> bool:
    """Make `folder` read-only as root does it (a read-only bind mount), or by its mode for other users."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return True
    made = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if made.returncode != 0:
        return False
    subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
    return True


def undo_read_only(folder: Path) -> None:
    if os.geteuid() != 0:
        folder.chmod(0o700)
    else:
        subprocess.run(["umount", str(folder)], check=False)


class TestReadOnlyDataFolder:
    """Reading works in a folder that cannot be written; writing says why."""

    @pytest.mark.slow
    def test_reading_commands_work_and_writing_says_why(self, ready: CLI) -> None:
        entry_id = int(ready.ok(*ENTRY))
        if not read_only_mount(ready.data):
            pytest.skip("cannot make a read-only folder here (no bind mounts)")
        try:
            assert listed_ids(ready) == [entry_id]
            assert [e["id"] for e in json.loads(ready.ok("search", "scarf", "--json"))] == [entry_id]
            assert "passes its integrity checks" in ready.ok("check")
            line = ready.fails(1, *ENTRY)
            assert "read-only" in line or "Read-only" in line
        finally:
            undo_read_only(ready.data)

    @pytest.mark.slow
    def test_changes_a_crash_left_in_the_log_are_read_or_refused_never_skipped(self, ready: CLI) -> None:
        """Review of issue 12: in a read-only folder the journal was read as it is on disk (immutable), so entries
        committed to the write-ahead log before a crash were silently missing from list and backups."""
        from tests.unit.journal_files import CRASH_AFTER_COMMIT, run_library

        ready.ok(*ENTRY)
        crashed = run_library(CRASH_AFTER_COMMIT, str(ready.journal), PASSPHRASE)
        assert crashed.returncode == 0, crashed.stderr
        if not read_only_mount(ready.data):
            pytest.skip("cannot make a read-only folder here (no bind mounts)")
        try:
            assert "only in the write-ahead log" in ready.ok("list")
        finally:
            undo_read_only(ready.data)


class TestRestoreSaysOneLine:
    @pytest.mark.slow
    def test_a_backup_whose_journal_its_key_file_does_not_open(self, ready: CLI, tmp_path: Path) -> None:
        """Issue 12: restore printed SQLCipher's raw 'ERROR CORE' lines on stderr before its own."""
        from tests.unit.test_backups import with_journal_of

        ready.ok(*ENTRY)
        saved = tmp_path / "saved.bjbackup"
        ready.ok("backup", "--out", str(saved))
        (tmp_path / "other").mkdir()
        other = CLI(tmp_path / "other")
        other.ok("init")
        other_backup = tmp_path / "other.bjbackup"
        other.ok("backup", "--out", str(other_backup))
        mixed = with_journal_of(saved, other_backup, tmp_path / "mixed.bjbackup")
        line = ready.fails(5, "restore", str(mixed))  # exactly one line on stderr
        assert "ERROR CORE" not in line and "damaged" in line
