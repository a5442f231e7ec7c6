"""Alembic owns the journal's schema; these helpers run it against an open engine."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

# The newest revision. Opening a journal already at it needs no Alembic at all (its import and the
# walk of the scripts cost more than the rest of an open); a test keeps this equal to Alembic's head.
HEAD = "0009_warning_acks"


@functools.cache
def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "boundary_journal.store:migrations")
    return config


@functools.cache
def _known_revisions() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    return frozenset(rev.revision for rev in script.walk_revisions())


def head() -> str:
    return HEAD


def scripts_head() -> str:
    """The head as Alembic reads it from the revision scripts (tests compare it with HEAD)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head() or ""


def is_known(revision: str | None) -> bool:
    return revision is None or revision == HEAD or revision in _known_revisions()


def stored_revision(dbapi_connection: Any) -> str | None:
    """The revision recorded in a raw DB-API connection, without writing anything."""
    row = dbapi_connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if row is None:
        return None
    row = dbapi_connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the journal's schema up to `revision` in one transaction."""
    from alembic import command

    with engine.begin() as connection:
        config = _config()
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, revision)
        finally:
            config.attributes.pop("connection", None)
