"""The neutral-language check: judgemental or emotional wording in a chart note, and what to write instead.

Some flagged words also have a plain clinical sense ("borderline QTc", "lying on the bed", "entitled to a
copy", "diagnosed with borderline personality disorder"). The catalogue's clinical senses name those words
and the context that marks the clinical sense; a word used in that sense is not flagged. A word joined to
the next by a hyphen ("psycho-education", "difficult-to-treat") is part of a compound and not flagged either.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from boundary_journal.catalog import Catalog, ClinicalSense, LanguageTerm


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
    return re.compile(rf"(?<![\w-])(?:{'|'.join(groups)})(?![\w]|-\w)", re.IGNORECASE)


SENTENCE_END = re.compile(r"[.!?;\n]")
BEFORE_WORDS = 5  # how far back a marking word may be ("QTc on today's ECG was borderline")
_WORD = re.compile(r"[\w'’-]+|[\"'“‘:]")


@functools.lru_cache(maxsize=4096)
def _cue(cue: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(part) for part in cue.split())
    edge = r"(?!\w)" if cue[-1:].isalnum() else ""
    return re.compile(rf"(?<!\w){body}{edge}", re.IGNORECASE)


def _clinical_sense(senses: tuple[ClinicalSense, ...], text: str, start: int, end: int) -> ClinicalSense | None:
    """The clinical sense the context around text[start:end] marks, if any."""
    word = " ".join(text[start:end].casefold().split())
    candidates = [s for s in senses if word in s.words]
    if not candidates:
        return None
    stop = SENTENCE_END.search(text, end)
    after = text[end : stop.start() if stop else len(text)].lstrip()
    head = text[:start]
    begin = max((m.end() for m in SENTENCE_END.finditer(head)), default=0)
    before = " ".join(_WORD.findall(head[begin:])[-BEFORE_WORDS:])
    for sense in candidates:
        if any(_cue(c).search(before) for c in sense.unless_before):
            continue
        if any(_cue(c).match(after) for c in sense.after) or any(_cue(c).search(before) for c in sense.before):
            return sense
    return None


def check_language(catalog: Catalog, text: str) -> list[LanguageFinding]:
    """Every flagged word or phrase in `text`, in order."""
    if not catalog.language or not text:
        return []
    pattern = _matcher(catalog.language)
    findings = []
    for match in pattern.finditer(text):
        term = catalog.language[int((match.lastgroup or "t0")[1:])]
        if _clinical_sense(catalog.clinical_senses, text, match.start(), match.end()) is not None:
            continue
        findings.append(
            LanguageFinding(match.start(), match.end(), match.group(0), term.id, term.kind, term.suggestion, term.why)
        )
    return findings


def apply_suggestion(text: str, finding: LanguageFinding) -> str:
    """`text` with the flagged word replaced by its neutral suggestion."""
    if text[finding.start : finding.end] != finding.word:
        raise ValueError("the text changed since it was checked")
    return text[: finding.start] + finding.suggestion + text[finding.end :]
