"""Errors a user can act on carry a message fit for a dialog and an exit status for the CLI.

Anything not derived from `UserError` is a bug and is reported as such.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix; `str(error)` is one plain sentence."""

    exit_code = 2


class InvalidInput(UserError):
    """A value the user typed or passed is not acceptable."""


class CannotWrite(UserError):
    """The computer refused to write a file (disk full, no permission); nothing was half-written."""

    exit_code = 1


class WrongPassphrase(UserError):
    exit_code = 3


class WrongRecoveryCode(WrongPassphrase):
    """A recovery code that is malformed or does not unwrap the journal key."""


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
