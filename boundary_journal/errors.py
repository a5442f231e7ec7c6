"""Errors a user can act on carry a message fit for a dialog and an exit status for the CLI.

Anything not derived from `UserError` is a bug and is reported as such.
"""

from __future__ import annotations

import errno


class UserError(Exception):
    """Something the user can fix; `str(error)` is one plain sentence."""

    exit_code = 2


class InvalidInput(UserError):
    """A value the user typed or passed is not acceptable.

    `field`: a short stable name of the value it is about ("when", "pseudonym", "passphrase", ...), which the
    window uses to put the problem next to that field; None when it is about no one field.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class CannotWrite(UserError):
    """The computer refused to write a file (no permission, a read-only folder); nothing was half-written."""

    exit_code = 1


class DiskFull(CannotWrite):
    """The disk, or the user's share of it, is full: what was being written was not finished, and freeing space
    is the fix (not restoring a backup: nothing is damaged)."""

    exit_code = 8

    @classmethod
    def saying(cls, what: str, kept: str) -> DiskFull:
        """The one wording of a full disk: what could not be done, what is as it was, and to free some space."""
        return cls(f"The disk is full: {what}. {kept}; free some space and try again.")


# ENOSPC: no space left on the device; EDQUOT: the user's quota is used up (not defined on Windows).
_FULL_ERRNOS = frozenset(code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if code is not None)
# SQLite's own report of a write that found no room: its code, and its text (the backup API gives only the text).
_SQLITE_FULL, _SQLITE_FULL_TEXT = 13, "database or disk is full"


def disk_full(error: BaseException, what: str = "what was being written could not be finished",
              kept: str = "Nothing was left half-written") -> DiskFull | None:
    """A DiskFull saying that `what` (e.g. "the backup could not be written") and `kept`, if `error`, or an error
    it wraps (a driver error inside SQLAlchemy's, a cause), is the disk or the quota being full; else None.
    Without `what` and `kept`, the words fit a full disk met anywhere (the command line's and the window's
    last resort)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DiskFull) or (isinstance(current, OSError) and current.errno in _FULL_ERRNOS):
            break
        code = getattr(current, "sqlite_errorcode", None)
        # sqlcipher_export reports a full disk as a plain SQLITE_ERROR with SQLite's words for it.
        if (isinstance(code, int) and code & 0xFF == _SQLITE_FULL) or str(current) == _SQLITE_FULL_TEXT:
            break
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    else:
        return None
    return DiskFull.saying(what, kept)


class WrongPassphrase(UserError):
    exit_code = 3


class WrongRecoveryCode(WrongPassphrase):
    """A recovery code that is malformed or does not unwrap the journal key."""


class BackupSecretNeeded(WrongPassphrase):
    """The backup is of an earlier key: besides today's passphrase, the secret of its day is needed."""


class WrongBackupSecret(WrongPassphrase):
    """The secret given for the backup's day does not open it (today's passphrase was right)."""


class JournalProblem(UserError):
    """The journal file cannot be used as it is (missing, foreign, damaged, too new)."""

    exit_code = 5


class JournalMissing(JournalProblem):
    exit_code = 2


class JournalExists(JournalProblem):
    exit_code = 2


class NotAJournal(JournalProblem):
    pass


class JournalTooNew(JournalProblem):
    pass


class JournalDamaged(JournalProblem):
    pass


class UpgradeNeeded(JournalProblem):
    """The journal was made by an earlier version; only the holder of the data folder may upgrade it."""


class KeyFileMissing(JournalProblem):
    """The journal's key file is not beside it (and the journal is not of the version before key files)."""


class BackupDamaged(JournalDamaged):
    """A backup file (not the journal) is damaged or did not read back; the journal was not changed."""


class JournalInUse(UserError):
    """Another window or command has the journal open; nothing was touched."""

    exit_code = 7


class IdentifiersFound(UserError):
    """An export was refused because likely identifiers remain in what would leave the journal."""

    exit_code = 4


class CatalogError(UserError):
    """A shipped catalogue file is malformed; the message names the file and the field."""

    exit_code = 6


class NotFound(UserError):
    """An entry or relationship the user named does not exist."""
