"""What the identifier check knows about words: English words, given names, surnames, and capitalised words that
are not names (holidays, faiths, services, clinical eponyms, medicines). Read once from resources/deid/.

A capitalised word that is not an English word is a likely name; a given name that is also an English word
("Grace", "Will") is one only where the sentence says so. See resources/deid/SOURCES.md for the lists' origins.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from boundary_journal.store.paths import resources_root

FOLDER = "deid"
# The census's most frequent surnames: an English word among them ("Brown", "Hall") is a name after a title
# or beside a given name; a rarer one ("Blue") reads as a pseudonym after a title.
COMMON_SURNAME_RANK = 1_000


@dataclass(frozen=True)
class Lexicon:
    english: frozenset[str]
    given: frozenset[str]
    surname_rank: dict[str, int]
    not_names: frozenset[str]
    not_name_pairs: frozenset[tuple[str, str]]


def _words(name: str) -> list[str]:
    text = (resources_root() / FOLDER / name).read_text(encoding="utf-8")
    return [word for line in text.splitlines() if not line.startswith("#") for word in line.split()]


@functools.cache
def lexicon() -> Lexicon:
    surnames = _words("surnames.txt")
    plain = [w for w in _words("not_names.txt") if "_" not in w]
    pairs = [tuple(w.split("_", 1)) for w in _words("not_names.txt") if "_" in w]
    return Lexicon(
        english=frozenset(_words("english_words.txt")),
        given=frozenset(_words("given_names.txt")) | frozenset(_words("given_names_extra.txt")),
        surname_rank={name: rank for rank, name in enumerate(surnames, start=1)},
        not_names=frozenset(plain),
        not_name_pairs=frozenset((a, b) for a, b in pairs),
    )
