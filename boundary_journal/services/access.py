"""Who can open the journal: changing the passphrase, making a recovery code, using one.

Each operation rewrites only the small key file, atomically (see keys.write_key_file): a crash at
any moment leaves either the old key file, which opens with the old secrets, or the new one. The
journal file itself is never rewritten, so a passphrase change takes the same time at any size.
"""

from __future__ import annotations

from pathlib import Path

from boundary_journal import keys
from boundary_journal.errors import WrongRecoveryCode
from boundary_journal.storage import Journal, validate_new_passphrase


def change_passphrase(journal: Journal, new_passphrase: str, *, current: str | None = None) -> None:
    """Re-wrap the open journal's key with `new_passphrase`; the recovery code, if any, still works.

    With `current`, the passphrase in use is checked first (WrongPassphrase): an unlocked window left
    unattended must not let someone else set a passphrase.
    """
    validate_new_passphrase(new_passphrase)
    keyfile = _checked_key_file(journal, current)
    keys.write_key_file(journal.key_path, keys.with_passphrase(keyfile, journal.key, new_passphrase))


def new_recovery_code(journal: Journal, *, passphrase: str | None = None) -> str:
    """Make a new recovery code (the old one stops working) and return it, to be printed and kept.

    With `passphrase`, it is checked first, as for `change_passphrase`.
    """
    keyfile = _checked_key_file(journal, passphrase)
    code = keys.make_recovery_code()
    keys.write_key_file(journal.key_path, keys.with_recovery_code(keyfile, journal.key, code))
    return code


def _checked_key_file(journal: Journal, passphrase: str | None) -> keys.KeyFile:
    keyfile = keys.read_key_file(journal.key_path)
    if passphrase is not None:
        keys.unlock(keyfile, passphrase)
    return keyfile


def has_recovery_code(journal: Journal) -> bool:
    return keys.read_key_file(journal.key_path).has_recovery_code


def open_with_recovery_code(path: Path, code: str, new_passphrase: str) -> Journal:
    """Open a journal whose passphrase is lost, and set `new_passphrase` in the same step."""
    from boundary_journal.storage import ensure_exists, open_with_key

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
        change_passphrase(journal, new_passphrase)
    except BaseException:
        journal.close()
        raise
    return journal
