"""The key file: the journal key wrapped by the passphrase and the recovery code, bound to its journal."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from boundary_journal.errors import JournalDamaged, JournalTooNew, WrongPassphrase, WrongRecoveryCode
from boundary_journal.store import keys
from boundary_journal.store.paths import journal_path
from boundary_journal.store.storage import open_journal
from tests.conftest import PASSPHRASE, TEST_KDF

CODE = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"
VERSION = f'"version": {keys.KEY_VERSION}'.encode()  # as the key file writes it


def key_file_json(keyfile: keys.KeyFile) -> dict[str, Any]:
    return json.loads(keys.key_file_bytes(keyfile))


def parse(data: Any) -> keys.KeyFile:
    return keys.parse_key_file(json.dumps(data).encode(), "journal.key")


class TestWrapping:
    """The journal key comes back only with the secret it was wrapped by."""

    def test_round_trip_through_the_file(self, tmp_path: Path) -> None:
        key = keys.new_journal_key()
        keys.write_key_file(tmp_path / "journal.key", keys.new_key_file(key, PASSPHRASE))
        assert keys.unlock(keys.read_key_file(tmp_path / "journal.key"), PASSPHRASE) == key

    def test_key_is_random_and_full_length(self) -> None:
        first, second = keys.new_journal_key(), keys.new_journal_key()
        assert len(first) == keys.KEY_BYTES == 32 and first != second

    def test_key_never_appears_in_the_file(self) -> None:
        key = keys.new_journal_key()
        raw = keys.key_file_bytes(keys.new_key_file(key, PASSPHRASE, CODE))
        assert key not in raw and key.hex().encode() not in raw and PASSPHRASE.encode() not in raw
        assert keys._b64(key).encode() not in raw

    def test_wrong_passphrase(self) -> None:
        keyfile = keys.new_key_file(keys.new_journal_key(), PASSPHRASE)
        with pytest.raises(WrongPassphrase, match="does not open"):
            keys.unlock(keyfile, PASSPHRASE + " ")

    def test_non_ascii_passphrase(self) -> None:
        key = keys.new_journal_key()
        keyfile = keys.new_key_file(key, "Grüße, 日本語 🔑")
        assert keys.unlock(keyfile, "Grüße, 日本語 🔑") == key
        with pytest.raises(WrongPassphrase):
            keys.unlock(keyfile, "Grusse, 日本語 🔑")

    def test_each_wrap_has_its_own_salt_and_nonce(self) -> None:
        key = keys.new_journal_key()
        first, second = keys.new_key_file(key, PASSPHRASE), keys.new_key_file(key, PASSPHRASE)
        a, b = first.slots[keys.PASSPHRASE_SLOT], second.slots[keys.PASSPHRASE_SLOT]
        assert a.salt != b.salt and a.nonce != b.nonce and a.wrapped != b.wrapped
        assert first.journal_id != second.journal_id

    def test_a_slot_moved_to_another_journals_file_does_not_open(self) -> None:
        # Same key and passphrase: only the journal id in the associated data tells the files apart.
        key = keys.new_journal_key()
        mine, theirs = keys.new_key_file(key, PASSPHRASE), keys.new_key_file(key, PASSPHRASE)
        swapped = keys.KeyFile(mine.journal_id, mine.created_at, {keys.PASSPHRASE_SLOT: theirs.slots["passphrase"]})
        with pytest.raises(WrongPassphrase):
            keys.unlock(swapped, PASSPHRASE)

    def test_the_journal_id_in_the_file_cannot_be_edited(self) -> None:
        data = key_file_json(keys.new_key_file(keys.new_journal_key(), PASSPHRASE))
        data["journal_id"] = "00000000-0000-4000-8000-000000000000"
        with pytest.raises(WrongPassphrase):
            keys.unlock(parse(data), PASSPHRASE)

    def test_the_recovery_slot_cannot_stand_in_for_the_passphrase_slot(self) -> None:
        keyfile = keys.new_key_file(keys.new_journal_key(), CODE, CODE)
        data = key_file_json(keyfile)
        data["slots"]["passphrase"] = data["slots"]["recovery"]
        with pytest.raises(WrongPassphrase):
            keys.unlock(parse(data), keys.normalise_recovery_code(CODE))

    def test_a_tampered_wrapped_key_does_not_open(self) -> None:
        data = key_file_json(keys.new_key_file(keys.new_journal_key(), PASSPHRASE))
        wrapped = bytearray(keys._unb64(data["slots"]["passphrase"]["wrapped"]))
        wrapped[0] ^= 1
        data["slots"]["passphrase"]["wrapped"] = keys._b64(bytes(wrapped))
        with pytest.raises(WrongPassphrase):
            keys.unlock(parse(data), PASSPHRASE)

    def test_a_new_key_for_a_new_passphrase_keeps_the_id_and_the_recovery_code(self) -> None:
        key, new_key = keys.new_journal_key(), keys.new_journal_key()
        old = keys.new_key_file(key, PASSPHRASE, CODE)
        changed = keys.rekeyed(old, key, new_key, "a brand new passphrase")
        new = parse(key_file_json(changed.keyfile))
        assert changed.recovery_kept and new.journal_id == old.journal_id
        assert keys.unlock(new, "a brand new passphrase") == new_key
        with pytest.raises(WrongPassphrase):
            keys.unlock(new, PASSPHRASE)
        # The code was never typed, yet it opens the new key: the key was wrapped to the code's public key.
        assert keys.unlock_with_recovery_code(new, CODE) == new_key
        # The old file still gives the old key only: what it opened before is all it opens.
        assert keys.unlock(old, PASSPHRASE) == key and keys.unlock_with_recovery_code(old, CODE) == key

    def test_a_key_that_is_not_32_bytes_is_never_wrapped(self) -> None:
        # A closed journal has dropped its key (b""); wrapping that would lock the clinician out.
        key = keys.new_journal_key()
        keyfile = keys.new_key_file(key, PASSPHRASE, CODE)
        with pytest.raises(ValueError):
            keys.rekeyed(keyfile, key, b"", "a brand new passphrase")
        with pytest.raises(ValueError):
            keys.new_key_file(b"short", PASSPHRASE)


class TestRecoverySlot:
    """The recovery code's slot holds a public key, so a new journal key reaches it without the code."""

    def test_the_code_and_its_private_key_are_not_in_the_file(self) -> None:
        raw = keys.key_file_bytes(keys.new_key_file(keys.new_journal_key(), PASSPHRASE, CODE))
        assert keys.normalise_recovery_code(CODE).encode() not in raw and CODE.encode() not in raw
        assert json.loads(raw)["slots"]["recovery"]["kind"] == "x25519"

    def test_a_planted_public_key_is_not_trusted(self) -> None:
        # Someone who can write the key file swaps in a public key of their own: the next new key must not be
        # wrapped to it. The HMAC under the journal key of the day gives it away; the code is dropped instead.
        key = keys.new_journal_key()
        mine = key_file_json(keys.new_key_file(key, PASSPHRASE, CODE))
        theirs = key_file_json(keys.new_key_file(keys.new_journal_key(), PASSPHRASE, keys.make_recovery_code()))
        mine["slots"]["recovery"]["public"] = theirs["slots"]["recovery"]["public"]
        changed = keys.rekeyed(parse(mine), key, keys.new_journal_key(), "a brand new passphrase")
        assert not changed.recovery_kept and not changed.keyfile.has_recovery_code

    def test_a_code_of_the_first_key_file_version_cannot_be_carried(self) -> None:
        """Version 1 wrapped the key by the code itself: it opens as before, but a new key cannot reach it."""
        key = keys.new_journal_key()
        first_version = keys.KeyFile("id", "", {
            keys.PASSPHRASE_SLOT: keys._wrap(key, PASSPHRASE, "id", keys.PASSPHRASE_SLOT, TEST_KDF),
            keys.RECOVERY_SLOT: keys._wrap(key, keys.normalise_recovery_code(CODE), "id", keys.RECOVERY_SLOT, TEST_KDF),
        })
        data = key_file_json(first_version) | {"version": 1}
        assert keys.unlock_with_recovery_code(parse(data), CODE) == key
        changed = keys.rekeyed(parse(data), key, keys.new_journal_key(), "a brand new passphrase")
        assert not changed.recovery_kept and not changed.keyfile.has_recovery_code

    def test_key_ids_tell_keys_apart_and_show_nothing_of_them(self) -> None:
        key = keys.new_journal_key()
        assert keys.key_id(key) == keys.key_id(key) != keys.key_id(keys.new_journal_key())
        assert key.hex()[:8] not in keys.key_id(key)


class TestRecoveryCode:
    """A printable code: 24 characters of Crockford base32, forgiving of how it is typed back."""

    def test_format(self) -> None:
        code = keys.make_recovery_code()
        groups = code.split("-")
        assert len(groups) == 6 and all(len(group) == 4 for group in groups)
        assert set(code.replace("-", "")) <= set(keys._CODE_ALPHABET)
        assert not set(code) & set("ILOU")

    def test_codes_differ(self) -> None:
        assert len({keys.make_recovery_code() for _ in range(20)}) == 20

    def test_opens_the_journal_key(self) -> None:
        key = keys.new_journal_key()
        code = keys.make_recovery_code()
        assert keys.unlock_with_recovery_code(keys.new_key_file(key, PASSPHRASE, code), code) == key

    @pytest.mark.parametrize("typed", [
        "abcd-efgh-jkmn-pqrs-tvwx-yz01",
        "ABCD EFGH JKMN PQRS TVWX YZ01",
        "  abcdefghjkmnpqrstvwxyz01\n",
        "ABCD-EFGH-JKMN-PQRS-TVWX-YZOI",  # O read as 0, I as 1
        "ABCD-EFGH-JKMN-PQRS-TVWX-YZol",  # o as 0, l as 1
        "ABCD-EFGH-JKMN-PQRS-TVWX-YZ0L",
    ])
    def test_typing_variants_are_normalised(self, typed: str) -> None:
        assert keys.normalise_recovery_code(typed) == "ABCDEFGHJKMNPQRSTVWXYZ01"
        key = keys.new_journal_key()
        assert keys.unlock_with_recovery_code(keys.new_key_file(key, PASSPHRASE, CODE), typed) == key

    def test_wrong_code(self) -> None:
        keyfile = keys.new_key_file(keys.new_journal_key(), PASSPHRASE, CODE)
        with pytest.raises(WrongRecoveryCode, match="does not open"):
            keys.unlock_with_recovery_code(keyfile, "ABCD-EFGH-JKMN-PQRS-TVWX-YZ02")

    @pytest.mark.parametrize("typed", [
        "", "ABCD-EFGH", CODE + "2", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ0U", "ÄBCD-EFGH-JKMN-PQRS-TVWX-YZ01",
    ])
    def test_malformed_code_is_refused_with_the_expected_shape(self, typed: str) -> None:
        keyfile = keys.new_key_file(keys.new_journal_key(), PASSPHRASE, CODE)
        with pytest.raises(WrongRecoveryCode, match="24 letters and digits"):
            keys.unlock_with_recovery_code(keyfile, typed)

    def test_the_passphrase_is_not_a_recovery_code(self) -> None:
        keyfile = keys.new_key_file(keys.new_journal_key(), PASSPHRASE, CODE)
        with pytest.raises(WrongPassphrase):
            keys.unlock(keyfile, keys.normalise_recovery_code(CODE))

    def test_journal_without_a_code(self) -> None:
        keyfile = keys.new_key_file(keys.new_journal_key(), PASSPHRASE)
        assert not keyfile.has_recovery_code
        with pytest.raises(WrongRecoveryCode, match="no recovery code"):
            keys.unlock_with_recovery_code(keyfile, CODE)

    def test_new_code_replaces_the_old(self) -> None:
        key, new_key = keys.new_journal_key(), keys.new_journal_key()
        old = keys.new_key_file(key, PASSPHRASE, CODE)
        fresh = keys.make_recovery_code()
        new = keys.rekeyed(old, key, new_key, PASSPHRASE, recovery_code=fresh).keyfile
        assert keys.unlock_with_recovery_code(new, fresh) == new_key
        with pytest.raises(WrongRecoveryCode):
            keys.unlock_with_recovery_code(new, CODE)
        assert keys.unlock(new, PASSPHRASE) == new_key


class TestKeyDerivation:
    """Argon2id, with its settings stored beside each wrapped key."""

    def test_cheap_setting_in_tests_is_stored(self) -> None:
        data = key_file_json(keys.new_key_file(keys.new_journal_key(), PASSPHRASE))
        assert data["slots"]["passphrase"]["kdf"] == TEST_KDF.to_json()

    def test_stored_settings_are_used_to_unwrap(self, monkeypatch: pytest.MonkeyPatch) -> None:
        key = keys.new_journal_key()
        keyfile = keys.new_key_file(key, PASSPHRASE)
        # The default changing later (a raised cost) must not lock out files made with the old one.
        monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(memory_kib=128, iterations=2, lanes=1))
        assert keys.unlock(keyfile, PASSPHRASE) == key

    def test_bounds_leave_room_above_the_production_setting(self) -> None:
        raised = keys.KdfParams(keys.PRODUCTION_KDF.memory_kib * 4, keys.PRODUCTION_KDF.iterations * 4,
                                keys.PRODUCTION_KDF.lanes * 4)
        assert keys.KdfParams.from_json(raised.to_json()) == raised
        assert keys.KdfParams.from_json(TEST_KDF.to_json()) == TEST_KDF

    def test_a_tampered_setting_is_refused_before_any_derivation(
        self, journal, data_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        journal.close()
        key_path = keys.key_path_for(journal.path)
        data = json.loads(key_path.read_bytes())
        data["slots"]["passphrase"]["kdf"]["memory_kib"] = 4 * 1024 * 1024
        key_path.write_text(json.dumps(data), encoding="utf-8")

        def derive(*_args: object) -> bytes:
            raise AssertionError("a key was derived with a tampered setting")

        monkeypatch.setattr(keys, "_derive", derive)
        assert keys.start_unlock(key_path, PASSPHRASE) is None
        with pytest.raises(JournalDamaged, match=r"key file .* is damaged"):
            open_journal(journal.path, PASSPHRASE)

    @pytest.mark.slow
    def test_production_setting_is_the_default(self, data_dir: Path) -> None:
        """Unpatched, a new journal's key file is wrapped with PRODUCTION_KDF (costs about half a second)."""
        assert keys.PRODUCTION_KDF.memory_kib >= 64 * 1024 and keys.PRODUCTION_KDF.iterations >= 2
        path = journal_path(data_dir)
        script = (
            "import sys; from pathlib import Path; from boundary_journal.store.storage import create_journal; "
            "create_journal(Path(sys.argv[1]), sys.argv[2]).close()"
        )
        subprocess.run([sys.executable, "-c", script, str(path), PASSPHRASE], check=True, timeout=120)
        stored = json.loads(keys.key_path_for(path).read_bytes())
        assert stored["slots"]["passphrase"]["kdf"] == keys.PRODUCTION_KDF.to_json()
        assert keys.KdfParams.from_json(stored["slots"]["passphrase"]["kdf"]) == keys.PRODUCTION_KDF
        open_journal(path, PASSPHRASE).close()  # derives with the production setting in this process


class TestKeyFileFormat:
    """A key file is checked field by field; a newer one is refused as such, never misread."""

    @pytest.fixture
    def good(self) -> dict[str, Any]:
        return key_file_json(keys.new_key_file(keys.new_journal_key(), PASSPHRASE, CODE))

    def test_round_trip(self, good: dict[str, Any]) -> None:
        assert key_file_json(parse(good)) == good

    def test_newer_version(self, good: dict[str, Any]) -> None:
        good["version"] = keys.KEY_VERSION + 1
        with pytest.raises(JournalTooNew, match="newer version"):
            parse(good)

    @pytest.mark.parametrize("raw", [b"", b"{bad json", b"\xff\xfe", b"[]", b"null", b'"text"'])
    def test_not_json_or_not_an_object(self, raw: bytes) -> None:
        with pytest.raises(JournalDamaged, match=r"key file journal\.key"):
            keys.parse_key_file(raw, "journal.key")

    @pytest.mark.parametrize("change", [
        pytest.param(lambda d: d.update(format="something-else"), id="other format"),
        pytest.param(lambda d: d.pop("format"), id="no format"),
        pytest.param(lambda d: d.pop("version"), id="no version"),
        pytest.param(lambda d: d.update(version="1"), id="version as text"),
        pytest.param(lambda d: d.update(version=None), id="version null"),
        pytest.param(lambda d: d.update(version=0), id="version 0"),
        pytest.param(lambda d: d.update(version=True), id="version bool"),
        pytest.param(lambda d: d.pop("journal_id"), id="no journal id"),
        pytest.param(lambda d: d.update(journal_id=7), id="journal id not text"),
        pytest.param(lambda d: d.pop("slots"), id="no slots"),
        pytest.param(lambda d: d.update(slots=[]), id="slots a list"),
        pytest.param(lambda d: d.update(slots={}), id="slots empty"),
        pytest.param(lambda d: d["slots"].pop("passphrase"), id="no passphrase slot"),
        pytest.param(lambda d: d["slots"].update(passphrase="x"), id="slot not an object"),
        pytest.param(lambda d: d["slots"]["passphrase"].update(salt="not base64!"), id="salt not base64"),
        pytest.param(lambda d: d["slots"]["passphrase"].update(salt=""), id="salt empty"),
        pytest.param(lambda d: d["slots"]["passphrase"].update(salt=12), id="salt a number"),
        pytest.param(lambda d: d["slots"]["passphrase"].update(nonce=""), id="nonce empty"),
        pytest.param(lambda d: d["slots"]["passphrase"].update(nonce=keys._b64(b"n" * 200)), id="nonce too long"),
        pytest.param(lambda d: d["slots"]["passphrase"].update(wrapped=""), id="wrapped empty"),
        pytest.param(lambda d: d["slots"]["passphrase"].pop("wrapped"), id="no wrapped"),
        pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(name="scrypt"), id="kdf scrypt"),
        pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(memory_kib=0), id="memory 0"),
        pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(memory_kib=1), id="memory below lanes"),
        pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(memory_kib=10**9), id="memory huge"),
        pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(iterations=-1), id="iterations negative"),
        pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(iterations=1.5), id="iterations float"),
        pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(lanes=True), id="lanes bool"),
        pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(lanes=1000), id="lanes huge"),
        pytest.param(lambda d: d["slots"]["passphrase"].pop("kdf"), id="no kdf"),
        pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(memory_kib=4 * 1024 * 1024), id="memory 4 GiB"),
        pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(memory_kib=2 * 1024 * 1024), id="memory 2 GiB"),
        pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(iterations=64), id="iterations 64"),
        pytest.param(lambda d: d["slots"]["passphrase"]["kdf"].update(lanes=64, memory_kib=65536), id="lanes 64"),
        pytest.param(lambda d: d["slots"]["recovery"]["kdf"].update(memory_kib=4 * 1024 * 1024),
                     id="recovery memory 4 GiB"),
        pytest.param(lambda d: d["slots"]["recovery"].update(nonce=""), id="recovery nonce empty"),
    ])
    def test_malformed_fields_are_damage(self, good: dict[str, Any], change) -> None:
        change(good)
        with pytest.raises(JournalDamaged, match=r"key file journal\.key is damaged"):
            parse(good)

    @pytest.mark.parametrize("hostile", [
        pytest.param(lambda raw: b"[" * 100_000 + b"]" * 100_000, id="nested 100,000 deep"),
        pytest.param(lambda raw: raw.replace(VERSION, b'"version": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['
                                             b"1" + b"]" * 38), id="nested value"),
        pytest.param(lambda raw: raw.replace(VERSION, b'"version": ' + b"1" * 5000), id="5,000-digit version"),
        pytest.param(lambda raw: raw.replace(b'"iterations": 1', b'"iterations": ' + b"9" * 5000),
                     id="5,000-digit iterations"),
        pytest.param(lambda raw: raw.replace(b'"iterations": 1', b'"iterations": 1e999'), id="infinite number"),
        pytest.param(lambda raw: raw.replace(b'"iterations": 1', b'"iterations": NaN'), id="NaN"),
        pytest.param(lambda raw: raw.replace(VERSION, VERSION + b', "version": 1'), id="duplicate key"),
        pytest.param(lambda raw: raw.replace(VERSION, b'"version": 1, "padding": "' + b"x" * 100_000 + b'"'),
                     id="larger than a key file"),
    ])
    def test_hostile_json_is_damage_not_a_crash(self, good: dict[str, Any], hostile) -> None:
        raw = hostile(json.dumps(good, indent=2).encode())
        with pytest.raises(JournalDamaged, match=r"key file journal\.key is damaged"):
            keys.parse_key_file(raw, "journal.key")

    def test_a_huge_key_file_is_not_read_whole(self, tmp_path: Path) -> None:
        path = tmp_path / "journal.key"
        with path.open("wb") as handle:
            handle.truncate(64 * 2**20)  # sparse: a terabyte would be refused the same way, without reading it
        tracemalloc.start()
        try:
            with pytest.raises(JournalDamaged, match="is damaged"):
                keys.read_key_file(path)
            _now, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 2**20

    def test_reading_a_missing_file_is_left_to_the_caller(self, tmp_path: Path) -> None:
        # open_journal tells a missing key file (an older journal) from a damaged one.
        with pytest.raises(FileNotFoundError):
            keys.read_key_file(tmp_path / "journal.key")

    def test_key_file_is_written_whole_and_private(self, tmp_path: Path) -> None:
        path = tmp_path / "journal.key"
        keyfile = keys.new_key_file(keys.new_journal_key(), PASSPHRASE)
        keys.write_key_file(path, keyfile)
        keys.write_key_file(path, keyfile)
        assert path.stat().st_mode & 0o777 == 0o600
        assert [p.name for p in tmp_path.iterdir()] == ["journal.key"]
        assert keys.read_key_file(path) == keyfile


class TestUnlockStartedEarly:
    """The command line starts the key derivation before it loads the storage layer; the result is the same."""

    def test_the_key_and_a_wrong_passphrase_come_out_as_from_unlock(self, journal, data_dir: Path) -> None:
        key_path = keys.key_path_for(journal_path(data_dir))
        good = keys.start_unlock(key_path, PASSPHRASE)
        wrong = keys.start_unlock(key_path, "not the passphrase")
        assert good is not None and wrong is not None
        assert good.result() == keys.unlock(keys.read_key_file(key_path), PASSPHRASE) == journal.key
        with pytest.raises(WrongPassphrase):
            wrong.result()

    def test_no_key_file_is_left_to_the_open_to_explain(self, tmp_path: Path) -> None:
        assert keys.start_unlock(tmp_path / "journal.key", PASSPHRASE) is None
        (tmp_path / "journal.key").write_text("{not json", encoding="utf-8")
        assert keys.start_unlock(tmp_path / "journal.key", PASSPHRASE) is None

    def test_open_uses_it_only_for_the_key_file_it_was_started_on(self, journal, data_dir: Path) -> None:
        path, key = journal_path(data_dir), journal.key
        journal.close()
        pending = keys.start_unlock(keys.key_path_for(path), "not the passphrase")
        with pytest.raises(WrongPassphrase):
            open_journal(path, PASSPHRASE, pending=pending).close()  # its (wrong) result is what counts
        other = keys.rekeyed(keys.read_key_file(keys.key_path_for(path)), key, key, "another passphrase").keyfile
        stale = keys.PendingUnlock(other, "another passphrase")
        open_journal(path, PASSPHRASE, pending=stale).close()  # another key file's: unlocked afresh
