"""How the journal stores moments: when things happened as naive local wall-clock time, its own bookkeeping as
naive UTC. Below every other module (the store's backups stamp their manifests with it, the services their rows)."""

from __future__ import annotations

from datetime import UTC, datetime


def local_naive(moment: datetime) -> datetime:
    """A moment as naive local wall-clock time (how the journal stores when things happened)."""
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo is not None else moment


def utc_naive(moment: datetime) -> datetime:
    """A moment as naive UTC (how the journal stores its bookkeeping times); a naive moment is taken as UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo is not None else moment
