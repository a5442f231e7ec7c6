"""Lists of words kept in one `Setting` row ({field: [...]}), unique regardless of case: the words confirmed as not
identifying and the pseudonyms confirmed as only looking like names."""

from __future__ import annotations

from sqlalchemy.orm import Session

from boundary_journal.errors import InvalidInput
from boundary_journal.store.models import Setting


def read(session: Session, key: str, field: str) -> list[str]:
    stored = session.get(Setting, key)
    return list(stored.value.get(field, [])) if stored else []


def write(session: Session, key: str, field: str, items: list[str]) -> None:
    stored = session.get(Setting, key)
    if stored is None:
        session.add(Setting(key=key, value={field: items}))
    else:
        stored.value = {field: items}


def add_once(session: Session, key: str, field: str, item: str, *, limit: int | None = None,
             full: str = "") -> list[str]:
    """The list with `item` added unless it is there in any case; InvalidInput(`full`) past `limit` items."""
    items = read(session, key, field)
    if item.casefold() not in {i.casefold() for i in items}:
        if limit is not None and len(items) >= limit:
            raise InvalidInput(full)
        items.append(item)
    write(session, key, field, items)
    return items
