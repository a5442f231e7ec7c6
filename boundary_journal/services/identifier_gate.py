"""The rules around the identifier scanner: what a confirmation may clear, and what may be confirmed at all.

The scanner (deidentify) finds likely identifiers; this module decides how the clinician's confirmations apply:
- a word on the "not identifying" list never clears a titled name ("Mr Lee" stays a finding after allowing "Lee");
- only a word that looks like a name can go on that list, never a phone number, an age or a date;
- a pseudonym is checked without that list, and a pseudonym can be confirmed only when it holds one word that
  merely looks like a name ("Rose", "Bed Rose"), never a full name ("Maria Gonzalez") or a title and a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from boundary_journal.services import deidentify

_WORDS = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*")


def is_title(word: str) -> bool:
    """"Mr", "Dr.", "Nurse": a word the scanner reads as a title before a name."""
    return bool(_WORDS.fullmatch(word.rstrip("."))) and not deidentify.name_words(word)


def _titled(finding: deidentify.Finding) -> bool:
    words = _WORDS.findall(finding.text)
    return len(words) > 1 and is_title(words[0])


def scan_text(
    text: str, location: str, *, pseudonyms: Iterable[str] = (), allowed: Sequence[str] = ()
) -> list[deidentify.Finding]:
    """`deidentify.scan_text` with the confirmed words, except that a single confirmed word does not clear a
    titled name: "Mr Lee" is a finding even when "Lee" is confirmed (the whole phrase "Mr Lee" confirmed is)."""
    pseudonyms = tuple(pseudonyms)
    found = deidentify.scan_text(text, location, pseudonyms=pseudonyms, allowed=allowed)
    if not allowed or not any(is_title(w) for w in _WORDS.findall(text)):
        return found
    phrases = {" ".join(a.casefold().split()) for a in allowed}
    restored = [
        f for f in deidentify.scan_text(text, location, pseudonyms=pseudonyms)
        if f.kind == "name" and _titled(f) and " ".join(f.text.casefold().split()) not in phrases
        and not any(f.start < g.end and g.start < f.end for g in found)
    ]
    return sorted(found + restored, key=lambda f: f.start) if restored else found


def a_label(finding: deidentify.Finding) -> str:
    """"a phone number", "an age": the finding's kind in a sentence."""
    label = finding.label.lower()
    return ("an " if label[:1] in "aeiou" else "a ") + label


def not_allowable(text: str) -> list[deidentify.Finding]:
    """What in `text` can never be confirmed as not identifying: anything the scanner finds but a name (or text
    the scanner cannot read)."""
    return [f for f in deidentify.scan_pseudonym(text, "Confirmed word") if not f.confirmable]


def pseudonym_findings(pseudonym: str, location: str, *, confirmed: Iterable[str] = ()) -> list[deidentify.Finding]:
    """Likely identifiers in a pseudonym, checked without the "not identifying" list; the name finding of a
    pseudonym the clinician confirmed (`confirmed`, any case) is dropped only where confirming it is allowed."""
    findings = deidentify.scan_pseudonym(pseudonym, location)
    if findings and pseudonym.casefold() in {c.casefold() for c in confirmed} and \
            why_not_confirmable(pseudonym, findings) is None:
        return []
    return findings


def why_not_confirmable(pseudonym: str, findings: Sequence[deidentify.Finding]) -> str | None:
    """None when the clinician may confirm this pseudonym as one that only looks like a name: its findings are
    one word that looks like a name, perhaps beside everyday words ("Rose", "Bed Rose"). Otherwise the reason."""
    others = [f for f in findings if f.kind != "name"]
    if others:
        return f"it holds {a_label(others[0])}"
    # Text in a script the check cannot read can only be vouched for by the clinician; a word with look-alike
    # letters is a Latin word in disguise, and counts as the name it looks like.
    named = [f for f in findings if f.reason != "unread_script"]
    if len(named) > 1:
        listed = " and ".join(f"'{f.text}'" for f in named[:2])
        return f"{listed} are two words that look like names"
    if not named:
        return None
    [finding] = named
    words = _WORDS.findall(finding.text)
    before = _WORDS.findall(pseudonym[: finding.start])
    if _titled(finding) or (before and is_title(before[-1])):
        return f"'{finding.text}' reads as a title and a name"
    if len(words) > 1:
        return f"'{finding.text}' reads as a full name (a given name and a surname)"
    return None
