"""The journal's key: random, and stored only wrapped by secrets the clinician holds.

The journal file is encrypted with a random 256-bit key. That key is kept in a small JSON key file
beside the journal (`journal.key`), wrapped (AES-256-GCM) once by a key derived from the passphrase
with Argon2id and, if the clinician chose one, once for the printable recovery code. Every backup
carries a copy of the key file of its day. Without the passphrase or the recovery code, nobody can
unwrap the key.

A secret is changed because someone else may know it, so a change gives the journal a new random key
(`rekeyed`, and storage's re-encryption): an old key file, with the secret it was made for, opens
nothing written afterwards. The recovery code must keep working across a passphrase change without
being typed, so its slot holds a public key (X25519) derived from the code: a new journal key is
wrapped *to* it (ephemeral X25519, HKDF, AES-GCM), and only the code can unwrap it again. The public
key is bound to the journal key of its day by an HMAC, so a planted public key is not trusted.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
import threading
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from boundary_journal import bounded_json
from boundary_journal.errors import (
    InvalidInput,
    JournalDamaged,
    JournalTooNew,
    UserError,
    WrongPassphrase,
    WrongRecoveryCode,
)
from boundary_journal.store import files

KEY_FORMAT = "boundary-journal-key"
KEY_VERSION = 2  # 2: the recovery slot may hold a public key (version 1 files are read as ever)
KEY_BYTES = 32
_MIN_SALT, _SALT_BYTES, _NONCE_BYTES, _TAG_BYTES = 8, 16, 12, 16
PASSPHRASE_SLOT = "passphrase"
RECOVERY_SLOT = "recovery"
_PUBLIC_KIND = "x25519"
_PUBLIC_BYTES = 32
MAX_KEY_FILE_BYTES = 64 * 1024  # a key file with two slots takes about 2 KiB

# Crockford's base32: no I, L, O or U, so a code copied by hand is hard to misread.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_CHARS = 24  # 120 bits
_CODE_READS_AS = {"O": "0", "I": "1", "L": "1"}


# What a key file may ask of Argon2id, checked before any derivation: a tampered file asking for gigabytes would
# otherwise push a laptop into swap or get the app killed before the passphrase is even tried. Each bound is four
# times the production setting (256 MiB, 2 passes, 4 lanes), room to raise the setting later. 1 GiB is lent for
# a moment by any machine that runs the window; 8 passes at 1 GiB, the worst case, is 16 times the production
# work (some 8 seconds): slow, not harmful. Lanes add no memory; they cap the threads a derivation may use.
_MAX_MEMORY_KIB = 1024 * 1024
_MAX_ITERATIONS = 8
_MAX_LANES = 16


@dataclass(frozen=True)
class KdfParams:
    """Argon2id settings, stored with each wrapped key so they can be raised later."""

    memory_kib: int
    iterations: int
    lanes: int

    def to_json(self) -> dict[str, Any]:
        return {"name": "argon2id", "memory_kib": self.memory_kib, "iterations": self.iterations, "lanes": self.lanes}

    @classmethod
    def from_json(cls, data: Any) -> KdfParams:
        if not isinstance(data, dict) or data.get("name") != "argon2id":
            raise ValueError("kdf")
        values = [data.get(name) for name in ("memory_kib", "iterations", "lanes")]
        if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values):
            raise ValueError("kdf")
        memory, iterations, lanes = values
        if memory < 8 * lanes or memory > _MAX_MEMORY_KIB or iterations > _MAX_ITERATIONS or lanes > _MAX_LANES:
            raise ValueError("kdf")
        return cls(memory, iterations, lanes)


# About half a second on the development machine (2 cores); see the README's performance section.
PRODUCTION_KDF = KdfParams(memory_kib=256 * 1024, iterations=2, lanes=4)
# Tests swap this for a cheap setting; at least one test derives with PRODUCTION_KDF.
DEFAULT_KDF = PRODUCTION_KDF


@dataclass(frozen=True)
class Slot:
    """The journal key wrapped by one secret."""

    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "kdf": self.kdf.to_json(),
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }

    @classmethod
    def from_json(cls, data: Any) -> Slot:
        if not isinstance(data, dict):
            raise ValueError("slot")
        slot = cls(KdfParams.from_json(data.get("kdf")), _unb64(data.get("salt")), _unb64(data.get("nonce")),
                   _unb64(data.get("wrapped")))
        # Checked here, so a bad length reads as a damaged file instead of failing inside Argon2 or AES-GCM.
        if len(slot.salt) < _MIN_SALT or len(slot.nonce) != _NONCE_BYTES or len(slot.wrapped) != KEY_BYTES + _TAG_BYTES:
            raise ValueError("slot")
        return slot


@dataclass(frozen=True)
class PublicSlot:
    """The journal key wrapped to a public key that only the recovery code's private key opens.

    `salt` and `kdf` turn the code into the private key (Argon2id, then X25519); `public` is its public key,
    `public_tag` an HMAC of it under the journal key of the day, and `ephemeral`, `nonce` and `wrapped` one
    wrap of the journal key (ECIES: ephemeral X25519, HKDF-SHA256, AES-256-GCM).
    """

    kdf: KdfParams
    salt: bytes
    public: bytes
    public_tag: bytes
    ephemeral: bytes
    nonce: bytes
    wrapped: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": _PUBLIC_KIND,
            "kdf": self.kdf.to_json(),
            "salt": _b64(self.salt),
            "public": _b64(self.public),
            "public_tag": _b64(self.public_tag),
            "ephemeral": _b64(self.ephemeral),
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }

    @classmethod
    def from_json(cls, data: Any) -> PublicSlot:
        if not isinstance(data, dict) or data.get("kind") != _PUBLIC_KIND:
            raise ValueError("slot")
        slot = cls(
            KdfParams.from_json(data.get("kdf")),
            *(_unb64(data.get(name)) for name in ("salt", "public", "public_tag", "ephemeral", "nonce", "wrapped")),
        )
        if (len(slot.salt) < _MIN_SALT or len(slot.public) != _PUBLIC_BYTES or len(slot.public_tag) != 32
                or len(slot.ephemeral) != _PUBLIC_BYTES or len(slot.nonce) != _NONCE_BYTES
                or len(slot.wrapped) != KEY_BYTES + _TAG_BYTES):
            raise ValueError("slot")
        return slot


AnySlot = Slot | PublicSlot


@dataclass(frozen=True)
class KeyFile:
    journal_id: str
    created_at: str
    slots: dict[str, AnySlot] = field(default_factory=dict)

    @property
    def has_recovery_code(self) -> bool:
        return RECOVERY_SLOT in self.slots

    def to_json(self) -> dict[str, Any]:
        return {
            "format": KEY_FORMAT,
            "version": KEY_VERSION,
            "journal_id": self.journal_id,
            "created_at": self.created_at,
            "slots": {name: slot.to_json() for name, slot in sorted(self.slots.items())},
        }


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("base64")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError("base64") from None


# cryptography is imported where a key is wrapped or unwrapped, not with this module: the paths, the key file
# and the recovery code are needed by commands and windows that never derive a key.


def _derive(secret: str, salt: bytes, kdf: KdfParams) -> bytes:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    return Argon2id(
        salt=salt, length=KEY_BYTES, iterations=kdf.iterations, lanes=kdf.lanes, memory_cost=kdf.memory_kib
    ).derive(secret.encode("utf-8"))


# The label every wrap is bound to says "1" in every version of the key file: it names how a wrap is bound, not
# which version wrote the file, so files of every version unwrap with it. (Never change it: a wrap made with
# another label opens with nothing.)
_AAD_VERSION = 1


def _aad(journal_id: str, slot: str) -> bytes:
    # Binds a wrapped key to its journal and slot, so slots cannot be swapped between files.
    return f"{KEY_FORMAT}/{_AAD_VERSION}/{journal_id}/{slot}".encode()


def _wrap(key: bytes, secret: str, journal_id: str, slot: str, kdf: KdfParams) -> Slot:
    if len(key) != KEY_BYTES:
        # A closed journal has dropped its key (b""); wrapping that would lock the clinician out for good.
        raise ValueError("the journal key must be 32 bytes; is the journal closed?")
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(_SALT_BYTES), os.urandom(_NONCE_BYTES)
    wrapped = AESGCM(_derive(secret, salt, kdf)).encrypt(nonce, key, _aad(journal_id, slot))
    return Slot(kdf, salt, nonce, wrapped)


def _unwrap(keyfile: KeyFile, slot_name: str, secret: str) -> bytes | None:
    slot = keyfile.slots.get(slot_name)
    if slot is None:
        return None
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aad = _aad(keyfile.journal_id, slot_name)
    try:
        if isinstance(slot, PublicSlot):
            private = _private_key(secret, slot.salt, slot.kdf)
            if _public_bytes(private) != slot.public:
                return None
            kek = _shared_kek(private, slot.ephemeral, slot.public, aad)
        else:
            kek = _derive(secret, slot.salt, slot.kdf)
        key = AESGCM(kek).decrypt(slot.nonce, slot.wrapped, aad)
    except InvalidTag:
        return None
    return key if len(key) == KEY_BYTES else None


# --- the recovery code's public key ------------------------------------------------------------------


def _private_key(code: str, salt: bytes, kdf: KdfParams):  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    return X25519PrivateKey.from_private_bytes(_derive(code, salt, kdf))


def _public_bytes(private) -> bytes:  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _shared_kek(private, peer: bytes, own: bytes, aad: bytes) -> bytes:  # type: ignore[no-untyped-def]
    """The wrapping key both sides of one X25519 exchange arrive at; both public keys are in its label."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    shared = private.exchange(X25519PublicKey.from_public_bytes(peer))
    ends = sorted([peer, own])
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=aad + ends[0] + ends[1]).derive(shared)


def _public_tag(key: bytes, journal_id: str, public: bytes) -> bytes:
    import hmac

    return hmac.digest(key, _aad(journal_id, RECOVERY_SLOT) + b"/public/" + public, "sha256")


def _wrap_to_public(key: bytes, journal_id: str, kdf: KdfParams, salt: bytes, public: bytes) -> PublicSlot:
    """Wrap `key` for whoever holds the private key of `public`, without needing it (or the code) here."""
    if len(key) != KEY_BYTES:
        raise ValueError("the journal key must be 32 bytes; is the journal closed?")
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _public_bytes(ephemeral)
    aad = _aad(journal_id, RECOVERY_SLOT)
    nonce = os.urandom(_NONCE_BYTES)
    wrapped = AESGCM(_shared_kek(ephemeral, public, ephemeral_public, aad)).encrypt(nonce, key, aad)
    return PublicSlot(kdf, salt, public, _public_tag(key, journal_id, public), ephemeral_public, nonce, wrapped)


def _recovery_slot(key: bytes, code: str, journal_id: str, kdf: KdfParams) -> PublicSlot:
    salt = os.urandom(_SALT_BYTES)
    public = _public_bytes(_private_key(normalise_recovery_code(code), salt, kdf))
    return _wrap_to_public(key, journal_id, kdf, salt, public)


MIN_PASSPHRASE_LENGTH = 8


def check_passphrase_characters(passphrase: str) -> None:
    """InvalidInput if `passphrase` holds what no typed passphrase can (a NUL, text that is not text)."""
    if "\x00" in passphrase:
        raise InvalidInput("The passphrase cannot contain a NUL character.", field="passphrase")
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in passphrase):
        raise InvalidInput("The passphrase contains bytes that are not text; check its encoding (UTF-8).",
                           field="passphrase")


def validate_new_passphrase(passphrase: str) -> None:
    """InvalidInput unless `passphrase` will do for a new journal or a change of passphrase."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise InvalidInput(f"The passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters.", field="passphrase")
    check_passphrase_characters(passphrase)


def new_journal_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def new_key_file(key: bytes, passphrase: str, recovery_code: str | None = None,
                 *, kdf: KdfParams | None = None) -> KeyFile:
    kdf = kdf or DEFAULT_KDF
    journal_id = str(uuid.uuid4())
    slots = {PASSPHRASE_SLOT: _wrap(key, passphrase, journal_id, PASSPHRASE_SLOT, kdf)}
    if recovery_code is not None:
        slots[RECOVERY_SLOT] = _recovery_slot(key, recovery_code, journal_id, kdf)
    return KeyFile(journal_id, datetime.now(UTC).isoformat(timespec="seconds"), slots)


def unlock(keyfile: KeyFile, passphrase: str) -> bytes:
    """The journal key, or WrongPassphrase: the key file tells a wrong passphrase for certain."""
    key = _unwrap(keyfile, PASSPHRASE_SLOT, passphrase)
    if key is None:
        raise WrongPassphrase("The passphrase does not open this journal.")
    return key


class PendingUnlock:
    """`unlock(keyfile, passphrase)` running in a thread. Argon2id lets go of Python's lock while it works,
    so the command line loads the storage layer meanwhile instead of after it."""

    def __init__(self, keyfile: KeyFile, passphrase: str) -> None:
        self.keyfile = keyfile
        self._key: bytes | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(passphrase,), name="unlock", daemon=True)
        self._thread.start()

    def _run(self, passphrase: str) -> None:
        try:
            self._key = unlock(self.keyfile, passphrase)
        except BaseException as error:  # given to whoever asks for the result, in their thread
            self._error = error

    def result(self) -> bytes:
        """The journal key, or the error `unlock` raised (WrongPassphrase)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._key is not None
        return self._key


def start_unlock(key_path: Path, passphrase: str) -> PendingUnlock | None:
    """Start unlocking the key file at `key_path`; None if it cannot be read (opening then says why)."""
    try:
        keyfile = read_key_file(key_path)
    except (OSError, UserError):
        return None
    return PendingUnlock(keyfile, passphrase)


def unlock_with_recovery_code(keyfile: KeyFile, code: str) -> bytes:
    if not keyfile.has_recovery_code:
        raise WrongRecoveryCode("This journal has no recovery code; only its passphrase opens it.")
    key = _unwrap(keyfile, RECOVERY_SLOT, normalise_recovery_code(code))
    if key is None:
        raise WrongRecoveryCode("The recovery code does not open this journal; check it character by character.")
    return key


@dataclass(frozen=True)
class Rekeyed:
    """A key file for a new journal key, and whether the recovery code of the old one carries over."""

    keyfile: KeyFile
    recovery_kept: bool  # False when the old file had a code that could not be carried over (see `rekeyed`)


def rekeyed(keyfile: KeyFile, old_key: bytes, new_key: bytes, passphrase: str, *,
            recovery_code: str | None = None, kdf: KdfParams | None = None) -> Rekeyed:
    """The key file for `new_key`: wrapped by `passphrase`, and for the recovery code if there is one.

    With `recovery_code`, the recovery slot is made anew for that code. Without it, the code of the old file
    carries over when its slot holds a public key vouched for by `old_key`; a slot of the first key-file
    version (wrapped by the code itself) or one whose public key was tampered with cannot, and is dropped
    (`recovery_kept` False): the caller makes a new code.
    """
    kdf = kdf or DEFAULT_KDF
    slots: dict[str, AnySlot] = {PASSPHRASE_SLOT: _wrap(new_key, passphrase, keyfile.journal_id, PASSPHRASE_SLOT, kdf)}
    old = keyfile.slots.get(RECOVERY_SLOT)
    kept = True
    if recovery_code is not None:
        slots[RECOVERY_SLOT] = _recovery_slot(new_key, recovery_code, keyfile.journal_id, kdf)
    elif isinstance(old, PublicSlot) and _tag_matches(old, old_key, keyfile.journal_id):
        slots[RECOVERY_SLOT] = _wrap_to_public(new_key, keyfile.journal_id, old.kdf, old.salt, old.public)
    elif old is not None:
        kept = False
    return Rekeyed(replace(keyfile, slots=slots), kept)


def _tag_matches(slot: PublicSlot, key: bytes, journal_id: str) -> bool:
    import hmac

    return hmac.compare_digest(slot.public_tag, _public_tag(key, journal_id, slot.public))


def key_id(key: bytes) -> str:
    """A fingerprint of a journal key that tells keys apart and reveals nothing of them (HMAC-SHA-256)."""
    import hmac

    return hmac.digest(key, b"boundary-journal key id", "sha256")[:16].hex()


def make_recovery_code() -> str:
    """A fresh code of 24 characters (120 bits) in groups of four, meant to be printed and kept."""
    chars = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_CHARS))
    return "-".join(chars[i:i + 4] for i in range(0, _CODE_CHARS, 4))


def normalise_recovery_code(code: str) -> str:
    """Ignore case, spaces and hyphens, and read O as 0 and I or L as 1, as Crockford's base32 does."""
    cleaned = "".join(ch for ch in code.upper() if ch not in " -\t\r\n")
    cleaned = "".join(_CODE_READS_AS.get(ch, ch) for ch in cleaned)
    if len(cleaned) != _CODE_CHARS or any(ch not in _CODE_ALPHABET for ch in cleaned):
        raise WrongRecoveryCode(
            f"A recovery code has {_CODE_CHARS} letters and digits (like ABCD-EFGH-…); check what you typed."
        )
    return cleaned


def key_path_for(journal: Path) -> Path:
    return journal.with_suffix(".key")


def _damaged(source: str) -> JournalDamaged:
    return JournalDamaged(f"The key file {source} is damaged or not a Boundary Journal key file; "
                          "restore it from a backup.")


def parse_key_file(raw: bytes, source: str) -> KeyFile:
    damaged = _damaged(source)
    try:
        data = bounded_json.loads(raw, max_bytes=MAX_KEY_FILE_BYTES)
    except bounded_json.NotJson:
        raise damaged from None
    if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
        raise damaged
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise damaged
    if version > KEY_VERSION:
        raise JournalTooNew(f"The key file {source} was made by a newer version of Boundary Journal; update the app.")
    try:
        journal_id = data["journal_id"]
        slots = {name: _slot_from_json(name, value) for name, value in data["slots"].items()}
        if not isinstance(journal_id, str) or PASSPHRASE_SLOT not in slots:
            raise ValueError("fields")
    except (KeyError, AttributeError, TypeError, ValueError):
        raise damaged from None
    return KeyFile(journal_id, str(data.get("created_at", "")), slots)


def _slot_from_json(name: str, data: Any) -> AnySlot:
    if name == RECOVERY_SLOT and isinstance(data, dict) and "kind" in data:
        return PublicSlot.from_json(data)
    return Slot.from_json(data)


def read_key_file(path: Path) -> KeyFile:
    try:
        raw = bounded_json.read_at_most(path, MAX_KEY_FILE_BYTES)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise JournalDamaged(f"The key file {path} cannot be read ({exc.strerror}).") from None
    except bounded_json.NotJson:
        raise _damaged(str(path)) from None
    return parse_key_file(raw, str(path))


def key_file_bytes(keyfile: KeyFile) -> bytes:
    return (json.dumps(keyfile.to_json(), indent=2) + "\n").encode("utf-8")


def write_key_file(path: Path, keyfile: KeyFile) -> None:
    """Replace the key file atomically: after a crash at any point, the old file or the new one is whole."""
    data = key_file_bytes(keyfile)
    files.atomic_write(path, lambda out: out.write(data), what="key file")
