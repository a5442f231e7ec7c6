"""The de-identification check: likely identifiers in text that is about to leave the journal.

Seed 004 §5: if there is any realistic chance someone could recognise the patient, it is not ready
to share. The scanner errs on the side of asking: the clinician fixes, redacts or confirms each finding.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import phonenumbers

# Regions whose national formats are recognised besides international (+…) numbers.
PHONE_REGIONS = ("US", "GB", "CA", "AU", "IE", "NZ", "DE", "FR", "NL")
MIN_PHONE_DIGITS = 7
CONTEXT_CHARS = 30
REDACTION = "[redacted]"

KINDS = {
    "phone": "Phone number",
    "email": "Email address",
    "url": "Web address",
    "handle": "Social media handle",
    "date": "Full date next to an identifying word",
    "age": "Age",
    "record_number": "Record or account number",
    "address": "Street address",
    "name": "Capitalised word that looks like a person's name",
}

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|me|co|uk|de|fr|nl)"
                  r"(?:/[^\s<>\"']*)?\b", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,29})\b")
_MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|"
           "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_FULL_DATE = re.compile(
    rf"\b(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b",
    re.IGNORECASE,
)
_DATE_CUES = re.compile(
    r"\b(?:born|birth|birthday|dob|d\.o\.b|date of birth|died|death|admitted|admission|discharged|discharge|"
    r"delivered|surgery|operated|diagnosed|accident)\b", re.IGNORECASE)
_AGE = re.compile(
    r"\b\d{1,3}[- ](?:year|yr|month)s?[- ]old\b|\b(?:aged?|age:)\s*\d{1,3}\b|\b\d{1,3}\s?(?:yo|y/o|y\.o\.)(?!\w)",
    re.IGNORECASE)
_RECORD = re.compile(
    r"\b(?:mrn|nhs(?: number)?|ssn|social security(?: number)?|record(?: number| no\.?)?|account(?: number| no\.?)?|"
    r"patient (?:id|number|no\.?)|hospital number|case number|chart(?: number)?|insurance(?: number)?|policy number|"
    r"id)(?:\s*(?:#|no\.?|number|:)\s*|\s+)(?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{3,}\b|\b\d{3}-\d{2}-\d{4}\b|\b\d{8,}\b",
    re.IGNORECASE)
_ADDRESS = re.compile(
    r"\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][\w'-]*\s+){1,4}(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|"
    r"court|ct|place|pl|square|sq|terrace|way|close|crescent|gardens|parkway|highway|hwy|strasse|straße|rue)\b\.?",
    re.IGNORECASE)
_NAME = re.compile(r"\b(?:[A-Z][a-z'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.))*\b")
_TITLED_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sr|Fr|Rev)\.?\s+[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)*")

# Capitalised words that are not names: weekdays, months, the pronoun, clinical and everyday terms.
COMMON_CAPITALISED = frozenset((
    "i", "i'm", "i've", "i'd", "i'll", "today", "tomorrow", "yesterday", "english",
    "north", "south", "east", "west",  # wings and wards ("Bed 12 (ward East)")
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
    "patient", "client", "clinician", "doctor", "nurse", "therapist", "supervisor", "resident", "ethics",
    "committee", "board", "clinic", "hospital", "ward", "portal", "er", "ed", "icu", "gp", "pcp", "ok", "okay",
    "dm", "dms", "sms", "email", "whatsapp", "instagram", "facebook", "tiktok", "linkedin", "snapchat", "twitter",
))


@dataclass(frozen=True)
class Finding:
    """A likely identifier: where it is (`location`, `start`/`end` in that text) and what kind it is."""

    location: str
    kind: str
    start: int
    end: int
    text: str
    context: str

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def _context(text: str, start: int, end: int) -> str:
    left = max(0, start - CONTEXT_CHARS)
    right = min(len(text), end + CONTEXT_CHARS)
    snippet = text[left:start] + "«" + text[start:end] + "»" + text[end:right]
    return ("…" if left else "") + " ".join(snippet.split()) + ("…" if right < len(text) else "")


def _phones(text: str) -> Iterable[tuple[int, int]]:
    for region in PHONE_REGIONS:
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
            digits = re.sub(r"\D", "", match.raw_string)
            if len(digits) >= MIN_PHONE_DIGITS and not _FULL_DATE.fullmatch(match.raw_string):
                yield match.start, match.end


def _dates(text: str, *, cued: bool = True) -> Iterable[tuple[int, int]]:
    for match in _FULL_DATE.finditer(text):
        window = text[max(0, match.start() - 40): match.end() + 40]
        if not cued or _DATE_CUES.search(window):
            yield match.start(), match.end()


@functools.lru_cache(maxsize=8)
def _known_words(pseudonyms: frozenset[str], allowed: frozenset[str]) -> frozenset[str]:
    words = {w.casefold() for p in pseudonyms for w in re.findall(r"[\w'’-]+", p)}
    return frozenset(words | {a.casefold() for a in allowed} | COMMON_CAPITALISED)


def _at_sentence_start(text: str, start: int) -> bool:
    """True when only spaces, quotes or brackets stand between `start` and a sentence end or line start."""
    index = start - 1
    while index >= 0 and text[index] in " \t\"“‘'(":
        index -= 1
    return index < 0 or text[index] in ".!?:;…\n"


def _names(text: str, known: frozenset[str], allowed: frozenset[str]) -> Iterable[tuple[int, int]]:
    for match in _TITLED_NAME.finditer(text):
        name_words = re.findall(r"[\w'’-]+", match.group(0))[1:]  # without the title
        if match.group(0).casefold() in allowed or all(w.casefold() in known for w in name_words):
            continue  # a titled pseudonym ("Mrs Blue") or a confirmed name
        yield match.start(), match.end()
    for match in _NAME.finditer(text):
        words = list(re.finditer(r"[\w'’.-]+", match.group(0)))
        if _at_sentence_start(text, match.start()):
            words = words[1:]  # a capital at the start of a sentence says nothing
        if not words or match.group(0).casefold() in allowed:
            continue
        if all(w.group(0).rstrip(".").casefold() in known for w in words):
            continue
        yield match.start() + words[0].start(), match.end()


def scan_text(
    text: str, location: str, *, pseudonyms: Iterable[str] = (), allowed: Iterable[str] = (),
    every_date: bool = False,
) -> list[Finding]:
    """Likely identifiers in one piece of text, in order, without overlaps (the more specific kind wins).

    Words of `pseudonyms` and `allowed` are not names; `every_date` counts a full date even without a word
    such as "born" near it.
    """
    allowed_set = frozenset(a.casefold() for a in allowed)
    known = _known_words(frozenset(pseudonyms), allowed_set)
    spans: list[tuple[int, int, str]] = []
    detectors: list[tuple[str, Iterable[tuple[int, int]]]] = [
        ("email", ((m.start(), m.end()) for m in _EMAIL.finditer(text))),
        ("url", ((m.start(), m.end()) for m in _URL.finditer(text))),
        ("handle", ((m.start(), m.end()) for m in _HANDLE.finditer(text))),
        ("date", _dates(text, cued=not every_date)),
        ("record_number", ((m.start(), m.end()) for m in _RECORD.finditer(text))),
        ("phone", _phones(text)),
        ("address", ((m.start(), m.end()) for m in _ADDRESS.finditer(text))),
        ("age", ((m.start(), m.end()) for m in _AGE.finditer(text))),
        ("name", _names(text, known, allowed_set)),
    ]
    for kind, found in detectors:
        for start, end in found:
            while end > start and text[end - 1] in ".,;:!?)»”’'\"":
                end -= 1  # sentence punctuation after an address or a link is not part of it
            if text[start:end].casefold() in allowed_set:
                continue
            if any(start < e and s < end for s, e, _ in spans):
                continue
            spans.append((start, end, kind))
    spans.sort()
    return [Finding(location, kind, s, e, text[s:e], _context(text, s, e)) for s, e, kind in spans]


def scan_pseudonym(pseudonym: str, location: str, *, allowed: Iterable[str] = ()) -> list[Finding]:
    """Likely identifiers in a pseudonym itself.

    No pseudonym vouches for its own words (or another's: "Smith family" must not clear "John Smith"), and any
    full date counts, since a date in what names a person is about that person (birth, admission).
    """
    return scan_text(pseudonym, location, allowed=allowed, every_date=True)


def scan_texts(
    texts: Mapping[str, str], *, pseudonyms: Iterable[str] = (), allowed: Iterable[str] = ()
) -> list[Finding]:
    """`scan_text` over several named texts (e.g. "Entry 12 · Documentation note": text)."""
    pseudonyms, allowed = tuple(pseudonyms), tuple(allowed)
    return [f for location, text in texts.items() for f in scan_text(text, location, pseudonyms=pseudonyms,
                                                                          allowed=allowed)]


def redact(text: str, findings: Iterable[Finding]) -> str:
    """`text` with the given findings (from this text) replaced by a redaction mark."""
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        text = text[: finding.start] + REDACTION + text[finding.end :]
    return text
