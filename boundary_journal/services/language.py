"""The neutral-language check: judgemental or emotional wording in a chart note, and what to write instead."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from boundary_journal.catalog import Catalog, LanguageTerm


@dataclass(frozen=True)
class LanguageFinding:
    """One flagged word or phrase; `start`/`end` index the checked text (Python characters)."""

    start: int
    end: int
    word: str
    term: str
    kind: str
    suggestion: str
    why: str

    def to_json(self) -> dict[str, object]:
        return {
            "start": self.start, "end": self.end, "word": self.word, "term": self.term, "kind": self.kind,
            "suggestion": self.suggestion, "why": self.why,
        }


@functools.lru_cache(maxsize=4)
def _matcher(terms: tuple[LanguageTerm, ...]) -> re.Pattern[str]:
    """One pattern with a named group per term, so a match names its term whatever case folding did."""
    groups = []
    for index, term in enumerate(terms):
        # Longest first so "acting out" wins over a shorter word inside it; spaces match any whitespace.
        words = sorted(term.words, key=len, reverse=True)
        body = "|".join(r"\s+".join(re.escape(part) for part in word.split()) for word in words)
        groups.append(f"(?P<t{index}>{body})")
    return re.compile(rf"(?<!\w)(?:{'|'.join(groups)})(?!\w)", re.IGNORECASE)


def check_language(catalog: Catalog, text: str) -> list[LanguageFinding]:
    """Every flagged word or phrase in `text`, in order."""
    if not catalog.language or not text:
        return []
    pattern = _matcher(catalog.language)
    findings = []
    for match in pattern.finditer(text):
        term = catalog.language[int((match.lastgroup or "t0")[1:])]
        findings.append(
            LanguageFinding(match.start(), match.end(), match.group(0), term.id, term.kind, term.suggestion, term.why)
        )
    return findings


def apply_suggestion(text: str, finding: LanguageFinding) -> str:
    """`text` with the flagged word replaced by its neutral suggestion."""
    if text[finding.start : finding.end] != finding.word:
        raise ValueError("the text changed since it was checked")
    return text[: finding.start] + finding.suggestion + text[finding.end :]
