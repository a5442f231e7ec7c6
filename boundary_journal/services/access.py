"""Who can open the journal: changing the passphrase, making a recovery code, using one.

A secret is changed because someone else may have seen it, so every change gives the journal a new random
key: the journal is re-encrypted into a new file and installed with its new key file as one crash-safe step
(storage.replace_key). After it, neither the old secret nor any copy of the old key file opens anything
written from then on. The recovery code carries over a passphrase change without being typed (keys.py).

Backups made before the change keep the key file of their day, so they still open with the old secrets;
`reencrypt_backups` gives those in the app's backups folder the new key, `remove_backups_of_older_keys`
deletes them. Copies saved elsewhere are out of reach: the front ends say so.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from boundary_journal.errors import InvalidInput, WrongRecoveryCode
from boundary_journal.store import backups, keys
from boundary_journal.store.journal import Journal
from boundary_journal.store.storage import replace_key, validate_new_passphrase


@dataclass(frozen=True)
class KeyChange:
    """What a change of secret did: the journal's key before it, and whether the recovery code stopped working.

    `recovery_dropped`: a recovery code made by the first key-file version wraps the key by the code itself, so
    a new key cannot reach it without the code being typed; it stopped working and a new one should be made.
    """

    previous_key: bytes = field(repr=False)
    recovery_code: str | None = field(repr=False, default=None)  # a new code made by the change, shown once
    recovery_dropped: bool = False


def change_passphrase(journal: Journal, new_passphrase: str, *, current: str | None = None,
                      new_recovery_code: bool = False) -> KeyChange:
    """Give the open journal a new key wrapped by `new_passphrase`; the recovery code, if any, keeps working,
    or with `new_recovery_code` is replaced by a new one (`KeyChange.recovery_code`) in the same step.

    Replacing it matters when the old passphrase may be known: whoever had it, and could write the key file,
    could have added a recovery code of their own, which a plain change carries over like the clinician's.
    With `current`, the passphrase in use is checked first (WrongPassphrase): an unlocked window left
    unattended must not let someone else set a passphrase. The caller holds the data folder.
    """
    validate_new_passphrase(new_passphrase)
    if current is not None and new_passphrase == current:
        raise InvalidInput("The new passphrase is the same as the current one; nothing was changed.",
                           field="passphrase")
    keyfile = _checked_key_file(journal, current)
    return _rekey(journal, keyfile, new_passphrase,
                  recovery_code=keys.make_recovery_code() if new_recovery_code else None)


def new_recovery_code(journal: Journal, *, passphrase: str) -> KeyChange:
    """Make a new recovery code (`KeyChange.recovery_code`, to be printed and kept) and give the journal a new
    key: the old code, with any copy of the old key file, opens nothing written from now on.

    The passphrase is checked (WrongPassphrase) and wraps the new key.
    """
    keyfile = _checked_key_file(journal, passphrase)
    return _rekey(journal, keyfile, passphrase, recovery_code=keys.make_recovery_code())


def _rekey(journal: Journal, keyfile: keys.KeyFile, passphrase: str, *, recovery_code: str | None = None) -> KeyChange:
    if not journal.is_open:  # a closed (locked) journal has dropped its key
        raise ValueError("the journal is closed; open it again first")
    previous, new_key = journal.key, keys.new_journal_key()
    change = keys.rekeyed(keyfile, previous, new_key, passphrase, recovery_code=recovery_code)
    replace_key(journal, new_key, keys.key_file_bytes(change.keyfile))
    return KeyChange(previous, recovery_code, recovery_dropped=not change.recovery_kept)


def _checked_key_file(journal: Journal, passphrase: str | None) -> keys.KeyFile:
    keyfile = keys.read_key_file(journal.key_path)
    if passphrase is not None:
        keys.unlock(keyfile, passphrase)
    return keyfile


def has_recovery_code(journal: Journal) -> bool:
    return keys.read_key_file(journal.key_path).has_recovery_code


def open_with_recovery_code(path: Path, code: str, new_passphrase: str) -> tuple[Journal, KeyChange]:
    """Open a journal whose passphrase is lost and, in the same step, give it a new key wrapped by
    `new_passphrase` and by the same recovery code. The caller holds the data folder."""
    from boundary_journal.store.storage import ensure_exists, open_with_key

    ensure_exists(path)
    validate_new_passphrase(new_passphrase)
    key_path = keys.key_path_for(path)
    try:
        keyfile = keys.read_key_file(key_path)
    except FileNotFoundError:
        raise WrongRecoveryCode(
            f"The key file {key_path.name} is not beside the journal, so no recovery code can open it; "
            "if the journal was moved, move that file with it."
        ) from None
    key = keys.unlock_with_recovery_code(keyfile, code)
    journal = open_with_key(path, key)
    try:
        change = _rekey(journal, keyfile, new_passphrase, recovery_code=code)
    except BaseException:
        journal.close()
        raise
    return journal, KeyChange(change.previous_key)


# --- the backups of earlier keys -----------------------------------------------------------------------------


def backups_of_older_keys(journal: Journal, *, certain: bool = False) -> list[Path]:
    """The backups in the app's backups folder that still open with an earlier secret, not today's. `certain`:
    only those whose manifest says so (not the backups of versions before manifests named their key)."""
    found = backups.of_older_keys(backups.backup_folder(journal.folder), journal.key)
    if not certain:
        return found
    known = {info.path for info in backups.list_backups(backups.backup_folder(journal.folder))
             if info.opens_with(journal.key) is False}
    return [path for path in found if path in known or path.suffix != backups.BACKUP_SUFFIX]


def reencrypt_backups(journal: Journal, previous_key: bytes,
                      progress: Callable[[int, int], None] | None = None) -> backups.OlderKeys:
    """Give the backups of `previous_key` in the backups folder the journal's key and key file (what each holds
    is unchanged); backups of keys before that one are left, and listed."""
    key_file = journal.key_path.read_bytes()
    keys.parse_key_file(key_file, str(journal.key_path))
    return backups.reencrypt(backups.backup_folder(journal.folder), previous_key, journal.key, key_file, progress)


class OldBackups(enum.StrEnum):
    """What becomes, after a change of secret, of the backups in the backups folder that open with the old one."""

    REENCRYPT = "reencrypt"
    KEEP = "keep"
    REMOVE = "remove"


def settle_old_backups(journal: Journal, previous_key: bytes, choice: OldBackups,
                       progress: Callable[[int, int], None] | None = None) -> backups.OlderKeys:
    """After a change of secret: re-encrypt the backups of `previous_key` under the journal's key, keep them, or
    remove every backup of an earlier secret (confirmed by the caller). `done`: those re-encrypted or removed;
    `left`: those that still open only with an earlier secret."""
    done: tuple[Path, ...] = ()
    if choice is OldBackups.REENCRYPT:
        done = reencrypt_backups(journal, previous_key, progress).done
    elif choice is OldBackups.REMOVE:
        done = remove_backups_of_older_keys(journal).done
    return backups.OlderKeys(done, tuple(backups_of_older_keys(journal)))


def remove_backups_of_older_keys(journal: Journal) -> backups.OlderKeys:
    """Delete the backups in the backups folder that open only with an earlier secret (the caller has had the
    deletion confirmed, typed)."""
    return backups.remove_older_keys(backups.backup_folder(journal.folder), journal.key)
