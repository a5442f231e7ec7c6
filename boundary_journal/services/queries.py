"""What a list or search asks for: the filters, and the search words made safe for FTS5.

Kept apart from the entries service (and SQLAlchemy), so the command line checks a search and its filters
before it asks for the passphrase, and derives the key while the storage layer loads.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from boundary_journal.errors import InvalidInput


@dataclass(frozen=True)
class EntryFilter:
    """Narrowing for list and search; None means "any"."""

    relationship: str | None = None
    category: str | None = None
    channel: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    supervision: bool | None = None
    limit: int | None = None

    def check(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidInput(
                f"The start date {self.date_from} is after the end date {self.date_to}.", field="date_from"
            )


_WORD = re.compile(r"[^\W_]")  # a letter or a digit: what the FTS tokenizer keeps
# Control characters and the halves of broken surrogate pairs separate words like punctuation does: a NUL
# would end the FTS5 query string early (a syntax error) and SQLite cannot take a lone surrogate as UTF-8.
_SEPARATOR = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Each word is one more FTS5 phrase to intersect: a pasted page of different words would take seconds.
MAX_SEARCH_WORDS = 100


def search_words(user_text: str) -> list[str]:
    """The words of a search: the pieces between whitespace that hold a letter or a digit, each once.

    A piece joined by punctuation (follow-up, what_happened:x) is one word; FTS5 reads it as its parts
    side by side. Operators (AND, OR, NOT, NEAR) are plain words; symbols and emoji alone are not words.
    """
    text = unicodedata.normalize("NFC", _SEPARATOR.sub(" ", user_text))
    return list(dict.fromkeys(w for w in text.split() if _WORD.search(w)))


def fts_query(user_text: str) -> str:
    """Turn what the user typed into an FTS5 query of quoted words (prefix-matched, all required).

    Nothing the user types is read as query syntax: each word is a quoted string, with embedded
    quotes doubled, so AND/OR/NEAR, *, ^, :, ( and - are just characters.
    """
    return _match(search_words(user_text))


def _match(words: Sequence[str]) -> str:
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def fts_query_or_fail(user_text: str) -> str:
    """`fts_query`, refusing text with nothing to search for or too many words to search quickly."""
    words = search_words(user_text)
    if not words:
        raise InvalidInput("Type at least one word (a letter or a digit) to search for.", field="query")
    if len(words) > MAX_SEARCH_WORDS:
        raise InvalidInput(
            f"Search for at most {MAX_SEARCH_WORDS} different words at a time; this search has {len(words):,}.",
            field="query",
        )
    return _match(words)
