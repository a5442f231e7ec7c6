"""The de-identification check: likely identifiers in text that is about to leave the journal.

Seed 004 §5: if there is any realistic chance someone could recognise the patient, it is not ready
to share. The check is a heuristic that errs on the side of asking: the clinician fixes, redacts or confirms
each finding. Names are found with word lists (name_knowledge): a capitalised word that is not an English word,
a known given name where the sentence uses it as one, a title before a surname.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import phonenumbers

from boundary_journal.services.name_knowledge import COMMON_SURNAME_RANK, Lexicon, lexicon

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
    "date": "Full date (with a year)",
    "age": "Age",
    "record_number": "Record or account number",
    "address": "Street address",
    "postcode": "Postcode or ZIP code",
    "vehicle": "Vehicle registration",
    "name": "Word that looks like a person's or place's name",
    "mixed_script": "Word mixing alphabets (look-alike letters)",
    "unread_script": "Text in a script the check cannot read; names in it are not recognised",
}
# Findings the clinician may confirm as not identifying: the rest must be fixed or redacted.
CONFIRMABLE_KINDS = frozenset(("name", "mixed_script", "unread_script"))

_DIGIT = re.compile(r"\d")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Top-level domains a link in a note is likely to carry (country codes and the common generic and new ones).
_TLDS = (
    "com|org|net|edu|gov|info|biz|io|me|co|ly|ee|gg|tv|fm|am|to|be|so|sh|ai|app|dev|xyz|online|site|shop|store|"
    "blog|page|link|live|life|world|today|club|design|art|studio|media|news|space|tech|website|online|fun|"
    "social|chat|email|health|care|help|love|photo|photos|pics|video|music|band|bio|me|id|uk|ie|au|nz|ca|us|"
    "de|fr|nl|es|it|pt|pl|se|no|dk|fi|at|ch|be|in|sg|hk|za|ng|ke|gh|ph|my|jp|cn|kr|tk|ws|cc|lk|pk|ae|nu|is"
)
_TLD_WORDS = frozenset(("me", "to", "be", "so", "am", "is", "in", "my", "no", "it", "us", "at", "id", "care",
                        "help", "love", "life", "art", "fun", "page", "link", "live", "news", "band", "chat"))
_URL = re.compile(
    rf"\b(?:https?://|www\.)[^\s<>\"']+|\b(?P<host>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*)"
    rf"\.(?P<tld>{_TLDS})\b(?P<path>/[^\s<>\"']*)?"
    r"|\b[a-z0-9][a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}/[^\s<>\"']*[a-z0-9]", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,29})\b")
_PLATFORMS = (r"insta(?:gram)?|ig|snap(?:chat)?|sc|tik\s?tok|tt|twitter|x|discord|telegram|kik|facebook|fb|"
              r"threads|bluesky|reddit|youtube|twitch|steam|xbox|psn|playstation|onlyfans|tumblr|pinterest|"
              r"whatsapp|signal|wechat|line|viber|skype|gamertag|user\s?name|handle|screen\s?name|account|profile|"
              r"channel|page")
_NAMED_HANDLE = re.compile(
    rf"\b(?:{_PLATFORMS})(?:\s+(?:handle|user\s?name|name|account|profile|id|tag|channel|page))?"
    rf"(?:\s*(?::|=|-)\s*|\s+(?:is|was|as|called|named|of|at)\s+(?:@\s*)?|\s+(?:@\s*)?)"
    r"(?P<handle>[A-Za-z0-9][\w.#]{2,40}[A-Za-z0-9])",
    re.IGNORECASE)
# "follows me as mgonzalez88 on instagram", "goes by darkstar77 on discord": a handle before its platform.
_HANDLE_ON_PLATFORM = re.compile(
    rf"\b(?:as|is|by|called|named|handle|username)\s+(?P<handle>[A-Za-z0-9][\w.]{{1,40}}[A-Za-z0-9])\s+"
    rf"(?:on|in|at)\s+(?:{_PLATFORMS})\b", re.IGNORECASE)
# A link read out: "tinyurl com slash abc123", "bit dot ly slash xyz".
_SPOKEN_LINK = re.compile(rf"\b[a-z0-9-]+(?:\s+dot\s+|\s+)(?:{_TLDS})\s+(?:forward\s+)?slash\s+[\w-]+", re.IGNORECASE)
# A street named without a number: "lives on Elm St", "a flat on Maple Avenue".
_NAMED_STREET = re.compile(
    r"\b(?:on|in|off|along|down|near)\s+(?P<name>(?:[A-Z][a-z'’-]+\s+){1,3})(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|"
    r"Drive|Boulevard|Blvd|Close|Crescent|Cres|Terrace|Tce|Grove|Parade|Mews)\b\.?")
_NOT_STREETS = frozenset(("memory", "easy", "high", "main", "the", "queer", "civvy", "fleet", "wall", "harley",
                          "downing", "sesame"))
_HANDLE_LIKE = re.compile(r"(?<![\w@])[A-Za-z][A-Za-z._]{2,}\d{2,}\b")
_INITIALS_AND_YEAR = re.compile(r"(?<!\w)[A-Z]{1,3}\.?\s?(?:19|20)\d\d\b")
_UNDERSCORED = re.compile(r"(?<![\w@/.])[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b")
_MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|"
           "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_FULL_DATE = re.compile(
    rf"\b(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|"
    rf"\d{{1,2}}[ ./-](?:{_MONTHS})[ ./-]\d{{2,4}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}|"
    rf"(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b",
    re.IGNORECASE,
)
_DATE_CUES = re.compile(
    r"\b(?:born|birth|birthday|dob|d\.o\.b|date of birth|died|death|admitted|admission|discharged|discharge|"
    r"delivered|surgery|operated|diagnosed|accident)\b", re.IGNORECASE)
_BIRTH = re.compile(
    rf"\b(?:born|dob|d\.o\.b\.?|date of birth|birthday)\b[^.;\n]{{0,25}}?\b(?:(?:in|on)\s+)?"
    rf"(?:(?:19|20)\d\d|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b)",
    re.IGNORECASE)
_PERSON = (r"(?:he|she|they|patient|pt|client|resident|man|woman|boy|girl|lady|gentleman|son|daughter|husband|wife|"
           r"partner|mother|father|mum|mom|dad|brother|sister|child|kid|baby|grandson|granddaughter|student|"
           r"carer|caller|neighbour|neighbor|friend|aunt|uncle|cousin|nephew|niece|teen|teenager|person)")
_UNIT_AFTER = (r"(?!\s*(?:%|mg|mcg|g\b|kg|ml|l\b|mmol|cm|mm|km|m\b|minutes?|mins?|hours?|hrs?|days?|weeks?|"
               r"months?|times|sessions?|units?|points?|out of|/|of \d|x\b|am\b|pm\b|o'clock|:|\.\d|,\d|"
               r"foot|feet|ft\b|inch(?:es)?|stone|st\b|lbs?\b|pounds?|percent|per cent))")
_AGE = re.compile(
    r"\b\d{1,3}[- ](?:year|yr|month)s?[- ]old\b|\b(?:aged?|age:)\s*\d{1,3}\b"
    r"|\b\d{1,3}\s?(?:yo|y/o|y\.o\.|yrs? old)(?!\w)"
    r"|\b\d{1,3}\s+years?\s+(?:of\s+age|old)\b|\bat the age of\s+\d{1,3}\b"
    rf"|\b{_PERSON}(?:\s+(?:is|was|'s|’s|turned|turns|will be|is now|was only|is only|is almost|is nearly))\s+"
    rf"(?:now\s+|only\s+|almost\s+|nearly\s+|just\s+)?\d{{1,3}}\b{_UNIT_AFTER}"
    rf"|\b(?:he|she|they)(?:'s|’s)\s+\d{{1,3}}\b{_UNIT_AFTER}"
    rf"|\b(?:[Hh]e|[Ss]he)\s+(?:is|was|turned|turns)\s+\d{{1,3}}\b{_UNIT_AFTER}"
    rf"|\b{_PERSON}(?:\s*\([^)]{{0,12}}\))?,\s+(?:aged\s+)?\d{{1,3}}\s*[,)]"
    rf"|\b{_PERSON}\s*\((?:aged?\s+)?\d{{1,3}}\)"
    rf"|(?:^|(?<=[.;!?]\s))(?:at\s+)?\d{{1,3}},\s+(?:he|she|they)\b"
    rf"|\b[Aa]t\s+\d{{2,3}},?\s+(?:he|she|they)\b"
    rf"|(?<=[A-Za-z]),\s+\d{{1,3}}(?=,\s+[a-z])"  # "Client M, 52, said", "the teacher, 61, cried"
    rf"|\bwho(?:'s|’s|\s+is|\s+was|\s+turned)\s+(?:only\s+|now\s+|just\s+)?\d{{1,3}}\b{_UNIT_AFTER}"
    rf"|\bis\s+only\s+\d{{1,3}}\b{_UNIT_AFTER}"
    rf"|\b(?:girl|boy|man|woman|lady|child|kid|teen|youngster|gentleman|lad|lass|fella|bloke|chap|gent|"
    rf"young (?:man|woman|person))\s+of\s+\d{{1,3}}\b{_UNIT_AFTER}"
    rf"|(?-i:\(\s*[MFX]\s*,\s*\d{{1,3}}\s*\)|\(\s*\d{{1,3}}\s*[MFX]\s*\)|\b\d{{1,3}}\s?[MF]\b)",
    re.IGNORECASE | re.MULTILINE)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_SPELLED_AGE = (rf"(?:(?:{_TENS})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|"
                r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a hundred(?: and \w+)?)")
# An age in words: "aged seventy-two", "she is eighty-seven", "he turned sixty" (not "in her eighties").
_WORDED_AGE = re.compile(
    rf"\b(?:aged|turned|turns|turning)\s+{_SPELLED_AGE}\b"
    rf"|\b{_PERSON}(?:\s+(?:is|was|'s|’s|is now|will be|is nearly|is almost)|'s|’s)\s+(?:now\s+|only\s+|nearly\s+)?"
    rf"{_SPELLED_AGE}\b(?!\s*(?:minutes?|mins?|hours?|days?|weeks?|months?|times|percent|per cent|%|pounds|kg))"
    rf"|\b{_SPELLED_AGE}[- ]years?[- ]old\b|\b{_SPELLED_AGE} years of age\b"
    rf"|(?:^|(?<=[.;!?]\s))(?:{_TENS})[- ](?:one|two|three|four|five|six|seven|eight|nine)\s+and\b"
    rf"|(?<=[A-Za-z]),\s+{_SPELLED_AGE}(?=,\s+(?:[a-z]|I\b))",
    re.IGNORECASE)
_RECORD = re.compile(
    r"\b(?:mrn|urn|nhs(?: number| no\.?)?|chi(?: number)?|ssn|sin|ird(?: number)?|pps(?: number)?|tfn|"
    r"tax file number|medicare(?: number| no\.?)?|medicaid(?: id| number)?|social security(?: number)?|"
    r"record(?: number| no\.?)?|account(?: number| no\.?)?|passport(?: number| no\.?)?|"
    r"(?:driver'?s? )?licen[cs]e(?: number| no\.?)|patient (?:id|number|no\.?)|hospital (?:number|no\.?)|"
    r"medical record(?: number)?|case(?: number| no\.?| file)?|chart(?: number| no\.?)?|file(?: number| no\.?)|"
    r"insurance(?: number)?|policy(?: number| no\.?)?|id)"
    r"(?:\s*(?:#|no\.?|number|:)\s*|\s+(?:is|was)\s+|\s+)(?=[A-Z/-]*\d)[A-Z0-9](?:[A-Z0-9/-]|\s(?=\d)){3,}"
    r"[A-Z0-9]?\b",
    re.IGNORECASE)
# Numbers without a label: a social security or NHS-style grouping, a long run of digits, letters and digits.
_UNLABELLED_RECORD = re.compile(
    r"\b\d{3}-\d{2}-\d{4}\b|\b\d{3}[ -]\d{3}[ -]\d{4}\b|\b\d{3}[ -]\d{3}[ -]\d{3}\b|\b\d{6,}\b"
    r"|\b[A-Z]{1,3}\d{6,9}\b|\b\d{7}[A-Z]{1,2}\b"
    r"|(?-i:\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b)"  # UK National Insurance
    r"|(?-i:\b[A-HJ-NP-Z]{3}\d{4}\b)",  # New Zealand NHI (written together: "MDT 1400" is a meeting)
    re.IGNORECASE)
_NOT_RECORD = re.compile(r"\d{1,3}(?:,\d{3})+|\b\d{6,}\s*(?:steps|mg|ml|dollars|pounds|euros)\b", re.IGNORECASE)
_ADDRESS = re.compile(
    r"\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][\w'-]*\s+){1,4}(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|"
    r"court|ct|place|pl|square|sq|terrace|tce|way|close|crescent|cres|gardens|parkway|highway|hwy|grove|parade|"
    r"row|mews|walk|strasse|straße|rue)\b\.?"
    r"|\b\d{1,5}\s+[NSEW]\.?\s+\d{1,3}(?:st|nd|rd|th)\s+(?:street|st|avenue|ave|road|rd|place|pl|blvd|drive|dr)\b",
    re.IGNORECASE)
_SMALL_NUMBER = re.compile(r"(?<![\d.,:/])\d{1,3}(?![\d.,:/]\d|\d)")  # what an age needs: "87", not "14:30"
_STREET = re.compile(
    r"\b(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|place|pl|square|sq|terrace|tce|"
    r"way|close|crescent|cres|gardens|parkway|highway|hwy|grove|parade|row|mews|walk|strasse|straße|rue)\b",
    re.IGNORECASE)
_POSTCODE = re.compile(
    r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b"  # UK
    r"|\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\s?\d[ABCEGHJ-NPRSTV-Z]\d\b"  # Canada
    r"|\b[ACDEFHKNPRTVWXY]\d{2}\s?[0-9ACDEFHKNPRTVWXY]{4}\b"  # Ireland (Eircode)
    r"|\b\d{5}-\d{4}\b"  # US ZIP+4
    r"|\b(?:NSW|VIC|QLD|SA|WA|TAS|NT|ACT|[A-Z]{2})\s+\d{4,5}\b"  # Australian state or US state and the code
    r"|(?i:\b(?:zip|zip code|postcode|post code|postal code|eircode)\b(?:\s+(?:is|was|of))?\s*:?\s*"
    r"[A-Z\d]{3,4}\s?[A-Z\d]{3,4}\b)"
    r"|(?i:\b(?:zip|zip code|postcode|post code|postal code)\b(?:\s+(?:is|was|of))?\s*[:,]?\s*\d{4,5}(?:-\d{4})?\b)"
    r"|(?i:\b(?:moved to|lives in|living in|live in|address(?: is)?)\s+\d{4,5}\b)")
_PLATE = re.compile(
    r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b"  # UK current format
    r"|(?i:\b(?:reg|rego|registration|plate|plates|number plate|licen[cs]e plate|plate number|tag)"
    r"(?:\s+(?:number|no\.?))?(?:\s*(?:is|was|:|-)\s*|\s+)(?=[A-Z]{1,4}[ -]?\d|\d)(?=[\d-]*[A-Z])"
    r"[A-Z0-9]{1,4}(?:[ -]?[A-Z0-9]{1,4}){1,2}\b)"
)
_DIGIT_WORDS = {"zero": 1, "oh": 1, "o": 1, "nought": 1, "one": 1, "two": 1, "three": 1, "four": 1, "five": 1,
                "six": 1, "seven": 1, "eight": 1, "nine": 1}
_SPOKEN_DIGITS = re.compile(
    r"\b(?:(?:double|triple)\s+)?(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine|\d)\b"
    r"(?:\s+hundred\b)?"
    r"(?:[\s,.-]+(?:(?:double|triple)\s+)?(?:zero|oh|o|nought|one|two|three|four|five|six|seven|eight|nine|\d)\b"
    r"(?:\s+hundred\b)?)+",
    re.IGNORECASE)
_SPOKEN_EMAIL = re.compile(
    r"\b[\w.-]+(?:\s+(?:dot|underscore|dash|hyphen)\s+[\w-]+)*\s*(?:\s(?:at)\s|\(at\)|\[at\]|\{at\})\s*"
    r"[\w-]+(?:\s*(?:\s(?:dot)\s|\(dot\)|\[dot\]|\{dot\}|\.)\s*[\w-]+)*",
    re.IGNORECASE)
_SPOKEN_AT = re.compile(r"\s+at\s+|\s*[(\[{]at[)\]}]\s*", re.IGNORECASE)
_SPOKEN_LOCAL = re.compile(r"[\w.-]+(?:\s+(?:dot|underscore|dash|hyphen)\s+[\w-]+)*$", re.IGNORECASE)
_SPOKEN_DOMAIN = re.compile(r"[\w-]+(?:\s*(?:\s(?:dot)\s|[(\[{]dot[)\]}]|\.)\s*[\w-]+)*", re.IGNORECASE)
_SPOKEN_DOT = re.compile(r"\sdot\s|[(\[{]dot[)\]}]", re.IGNORECASE)
_MAIL_HOSTS = re.compile(
    r"\b(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|live|msn|aol|protonmail|proton|gmx|bigpond|ozemail|"
    r"optusnet|xtra|eircom|btinternet|sky|virginmedia|mail|example)\b|\b(?:dot)\s+(?:com|org|net|co|ie|uk|au|nz|ca)\b",
    re.IGNORECASE)

_TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sr", "fr", "rev", "revd", "reverend",
           "sister", "father", "nurse", "aunty", "auntie", "aunt", "uncle", "pastor", "imam", "rabbi", "sheikh",
           "elder", "brother", "matron", "doctor", "sir", "dame", "lady", "lord", "councillor", "cllr", "judge",
           "officer", "constable", "sergeant", "detective", "coach", "mister", "madam", "nana", "nan", "grandma",
           "grandpa", "granny", "nanna", "koro", "kuia", "whaea", "matua")
_FAMILY_TITLES = frozenset(("aunty", "auntie", "aunt", "uncle", "sister", "father", "brother", "nana", "nan"))
_LOWER_TITLES = frozenset(("mr", "mrs", "ms", "dr", "miss", "mx", "prof"))
_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*(?:['’]s?)?")
_CONNECTORS = frozenset(("de", "da", "di", "del", "della", "van", "von", "der", "den", "le", "la", "du", "bin",
                         "bint", "al", "el", "ibn", "ap", "dos", "das", "ter", "te"))
_LATIN = re.compile(r"[a-z'\u00c0-\u024f-]+")
_FIRST_WORD = re.compile(r"[^\W_]+")
_POSSESSIVE = re.compile(r"['’]s(?![^\W_])")
_SENTENCE_END = ".!?…\n"
# Capitalised words that are everywhere in a clinician's notes and never a name on their own.
COMMON_CAPITALISED = frozenset((
    "i", "i'm", "i've", "i'd", "i'll", "today", "tomorrow", "yesterday", "tonight", "ok", "okay", "hmm",
    "north", "south", "east", "west",  # wings and wards ("Bed 12 (ward East)")
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "patient", "client", "clinician", "doctor", "nurse", "therapist", "supervisor", "resident", "ethics",
    "committee", "board", "clinic", "hospital", "ward", "portal", "whatsapp", "instagram", "facebook", "tiktok",
    "linkedin", "snapchat", "twitter", "youtube", "google", "zoom", "teams", "datix", "ulysses", "covid",
    # clinical shorthand that is not an English word
    "pt", "pts", "hx", "dx", "tx", "rx", "sx", "fx", "bx", "ix", "mx", "obs", "meds", "sats", "resps", "nocte",
    "mane", "prn", "stat", "appt", "appts", "approx", "re", "eg", "ie", "etc", "vs", "nb", "ps", "fyi", "asap",
    "tbc", "tba", "imo", "pm", "am", "mins", "hrs", "yrs", "wks", "hcp", "hca", "rmn", "rgn", "rn", "mdt",
    "whānau", "whanau", "hapū", "hapu", "iwi", "marae", "hui", "tangi", "tangihanga", "kaumātua", "kaumatua",
    "mana", "kai", "karakia", "pākehā", "tikanga", "te", "reo", "mob", "elders", "country",
))
# A given name that is also an English word begins a sentence as a name only before such a word ("Grace was…").
_NAME_CUE_AFTER = frozenset((
    "said", "says", "asked", "asks", "told", "tells", "texted", "texts", "rang", "rings", "phoned", "phones",
    "called", "calls", "emailed", "emails", "messaged", "messages", "mentioned", "came", "comes", "arrived",
    "wants", "wanted", "replied", "explained", "reported", "disclosed", "cried", "shouted", "brought", "gave",
    "gives", "sent", "sends", "left", "visited", "attended", "missed", "refused", "agreed", "admitted", "denied",
    "was", "is", "has", "had", "and", "turned", "keeps", "kept", "offered", "offers", "invited", "wrote",
    "writes", "seems", "seemed", "looked", "became", "felt", "feels", "thinks", "thought", "knows", "knew",
    "likes", "loves", "hates", "lives", "lived", "works", "worked", "hugged", "followed", "found", "tried",
    "tries", "insisted", "complained", "apologised", "apologized", "waited", "waits", "walked", "stayed",
    "declined", "accepted", "returned", "turns", "appeared", "presented", "laughed", "smiled", "shared",
))
_FUNCTION_STARTERS = frozenset(("an", "in", "so", "my", "see", "many", "man", "else", "ha", "pa", "ma", "mi", "nu",
                                "era", "long", "may", "numbers", "son", "sun", "soon", "min"))
_SPEECH_CUES = frozenset((
    "said", "says", "asked", "asks", "told", "tells", "texted", "rang", "phoned", "emailed", "messaged",
    "mentioned", "wants", "wanted", "brought", "gave", "sent", "visited", "invited", "cried", "hugged", "keeps",
    "kept", "replied", "offered"))
# Given names that are also everyday words and begin sentences as words: never a name on their own there.
_EVERYDAY_STARTERS = frozenset((
    "an", "in", "so", "my", "see", "many", "man", "long", "else", "numbers", "era", "ha", "pa", "ma", "mi", "nu",
    "chance", "hope", "faith", "love", "joy", "glory", "liberty", "mercy", "patience", "charity", "destiny",
    "harmony", "karma", "genesis", "echo", "delta", "alpha", "omega", "spring", "summer", "autumn", "winter",
    "season", "sun", "moon", "star", "china", "may", "june", "april", "august", "royal", "golden", "major", "junior",
    "noble", "precious", "sunny", "young", "rich", "lean", "lady", "miss", "queen", "king", "prince", "princess",
    "manual", "conception", "desire", "marine", "temple", "page", "lane", "forest", "clay", "grant", "chase",
    "marry", "carry", "earnest", "trinity", "sterling", "brandy", "candy", "ginger", "honey", "sage", "dot", "son",
    "song", "soon", "min", "ping", "hang", "hung", "loan", "wan", "yen", "bong", "dung", "sang", "shin", "chin",
    "meta", "sol", "bell", "berry", "brook", "diamond", "ivory", "art", "stormy", "aide", "fairy",
    "dawn", "grace", "rose", "frank", "will",
))
# After an everyday word that is also a given name, "was"/"has" and one of these make it a person ("Grace was
# tearful", "Mark has been texting"), as does "and her"/"and his".
_PERSON_STATES = frozenset((
    "tearful", "teary", "upset", "angry", "late", "early", "quiet", "distressed", "anxious", "tired", "withdrawn",
    "calm", "happy", "sad", "cheerful", "agitated", "been", "texting", "crying", "furious", "worried",
    "back", "here", "unwell", "off", "sick", "discharged", "admitted", "referred",
))
# Given names that are also countries or regions: a place after "in", "from", "to" ("grew up in India").
_PLACE_NAMES = frozenset(("argentina", "asia", "burma", "chad", "china", "dominica", "france", "georgia", "india",
                          "israel", "jordan", "kenya", "sierra", "trinidad", "carolina", "virginia",
                          "victoria", "florida", "america", "asia", "savannah", "austin", "dallas", "adelaide",
                          "sydney", "wellington", "nelson", "chelsea", "paris", "lourdes", "orlando", "madison"))
_PLACE_CUES = frozenset(("in", "across", "around", "near", "visiting"))
# "from Jordan" is a place only after a word of origin ("originally from", "moved from"), else a text's sender.
_ORIGIN_WORDS = frozenset(("originally", "moved", "came", "migrated", "emigrated", "immigrated", "fled", "is", "are",
                           "was", "were", "family", "flew", "returned", "back", "home"))
# Nouns after which a capitalised word is a brand or a shop ("a Tesco voucher", "Cadbury chocolates").
_PRODUCT_NOUNS = frozenset((
    "card", "cards", "voucher", "vouchers", "bunny", "chocolate", "chocolates", "gift", "order", "delivery",
    "account", "bar", "bars", "box", "hamper", "coffee", "bag", "token", "subscription", "app", "driver", "ride",
    "parcel", "meal", "egg", "eggs", "biscuits", "store", "shop", "receipt", "points", "basket",
))
# Endings of medical words the dictionaries lack ("Schizoaffective", "Fibromyalgia", "Colitis").
_MEDICAL_ENDINGS = ("osa", "itis", "osis", "emia", "aemia", "pathy", "phrenia", "affective", "algia", "ectomy",
                    "ology", "ologist", "otomy", "iasis", "plasia", "trophy", "lepsy", "mania", "phobia", "ative",
                    "oma", "uria", "opathy", "ism", "exia", "imia", "esia", "oria", "ysia")
_CONTRACTIONS = ("n't", "'re", "'d", "'ll", "'ve", "'m")
_DEPARTMENT_WORDS = frozenset((
    "ward", "unit", "team", "teams", "service", "services", "department", "clinic", "centre", "center", "hospital",
    "house", "lodge", "wing", "suite", "school", "college", "university", "trust", "practice", "surgery",
    "programme", "program", "group", "office", "hub", "court", "tribunal", "board", "committee", "panel",
    "lead", "manager", "officer", "worker", "workers", "nurse", "coordinator", "director", "guardian",
    "act", "code", "policy", "scale", "inventory", "score", "test", "assessment", "questionnaire", "chart",
    "syndrome", "disease", "disorder", "day", "week", "eve",
))
_DRUG_ENDINGS = ("osin", "pram", "ridone", "tadine", "axine", "iptan", "zosin", "olam", "ipine", "oxacin",
                 "mab", "tinib", "ciclovir", "navir", "sartan", "dipine", "xaban", "gatran", "glitazone", "lutide",
                 "glutide", "parib", "zumab", "ximab", "cept", "stim", "tropin", "relin", "pressin", "lukast",
                 "ine", "pam", "lam", "zole", "pine", "done", "mab", "nib", "pril", "sartan", "olol", "statin",
                 "cycline", "cillin", "mycin", "floxacin", "tidine", "prazole", "triptan", "oxetine", "afil",
                 "gliptin", "gliflozin", "parin", "vir", "dronate", "lukast", "terol", "sone", "olone", "caine",
                 "azepam", "azine", "idone", "apine", "xetine", "zepam", "barb", "phen", "fen", "dol", "oxone",
                 "azole", "profen", "semide", "thiazide", "triptyline", "ipramine", "peridol", "ium", "ol")


# A named workplace or venue: capitalised words after one of these, ending in a kind of place
# ("works at Bright Stars Nursery", "the chef at The Copper Pot"), unless a word says it is a service.
_VENUE_CUES = frozenset(("at", "in", "near", "from", "outside", "runs", "owns", "of", "for", "behind", "opposite",
                         "by", "into", "manages", "joined", "leaves", "left"))
_PLACE_TYPES = frozenset((
    "centre", "center", "practice", "surgery", "school", "primary", "academy", "college", "church", "mosque",
    "temple", "synagogue", "chapel", "pub", "inn", "arms", "café", "cafe", "kitchen", "bakery", "salon", "garage",
    "farm", "nursery", "kindergarten", "kindy", "preschool", "store", "shop", "stores", "restaurant", "bar",
    "hotel", "motel", "gym", "studio", "studios", "club", "diner", "takeaway", "bistro", "deli", "pharmacy",
    "chemist", "market", "mart", "garden", "gardens", "estate", "park", "tavern", "lodge", "barbers", "grill",
))
_SERVICE_WORDS = frozenset((
    "mental", "health", "community", "child", "children", "children's", "adult", "adolescent", "youth", "family",
    "crisis", "emergency", "general", "care", "social", "early", "intervention", "recovery", "addiction", "drug",
    "alcohol", "psychiatric", "psychology", "sexual", "specialist", "national", "regional", "district", "county",
    "public", "local", "women's", "men's", "student", "counselling", "wellbeing", "rehabilitation", "assessment",
    "treatment", "memory", "eating", "perinatal", "maternity", "cancer", "dental", "eye", "sleep", "pain", "respite",
    "day", "resource", "job", "citizens", "leisure", "sports", "urgent", "walk-in", "medical", "primary",
    "secondary", "high", "junior", "senior", "middle", "sunday", "saturday", "special", "independent", "state",
    "catholic", "anglican", "baptist", "methodist", "islamic", "jewish", "visitor", "visitors", "times", "news",
    "bible", "lancet", "herald", "post", "guardian", "telegraph", "economist", "lord", "lord's", "prayer",
    "resources", "therapy", "therapies", "year", "term", "class", "room", "block", "level", "stage", "grade",
    "phase", "module", "session", "week", "part", "step", "section", "chapter", "new", "old", "great", "english",
    "maths", "science", "history", "art", "music", "drama", "studies", "skills", "training", "support",
    "young", "people's", "older", "wellness", "drop-in", "boxing", "football", "rugby", "cricket", "golf",
    "tennis", "swimming", "bowls", "chess", "book", "dance", "youth", "scout", "scouts", "guides", "town", "city",
    "village", "parish", "civic", "arts", "learning", "family", "services", "women", "men",
    "shopping", "health", "job", "sixth", "form", "further", "education", "university", "hospital", "ward",
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
    reason: str = ""  # a finding in a pseudonym counted as a name: the kind it was found as ("unread_script")

    @property
    def label(self) -> str:
        return KINDS[self.reason or self.kind]

    @property
    def confirmable(self) -> bool:
        """Only looks like a name, or is in a script the check cannot read: the clinician may confirm it."""
        return self.kind in CONFIRMABLE_KINDS

    def to_json(self) -> dict[str, object]:
        return {"location": self.location, "kind": self.kind, "label": self.label, "text": self.text,
                "context": self.context, "start": self.start, "end": self.end}


def _context(text: str, start: int, end: int) -> str:
    left = max(0, start - CONTEXT_CHARS)
    right = min(len(text), end + CONTEXT_CHARS)
    snippet = text[left:start] + "«" + text[start:end] + "»" + text[end:right]
    return ("…" if left else "") + " ".join(snippet.split()) + ("…" if right < len(text) else "")


def _phones(text: str) -> Iterable[tuple[int, int]]:
    if sum(c.isdigit() for c in text) < MIN_PHONE_DIGITS:
        return
    for region in PHONE_REGIONS:
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
            digits = re.sub(r"\D", "", match.raw_string)
            if len(digits) >= MIN_PHONE_DIGITS and not _FULL_DATE.fullmatch(match.raw_string):
                yield match.start, match.end


def _spoken_numbers(text: str) -> Iterable[tuple[int, int]]:
    """A phone number read out in words: seven or more digits ("oh seven seven double oh nine …")."""
    for match in _SPOKEN_DIGITS.finditer(text):
        count = 0
        words = re.findall(r"\w+", match.group(0).lower())
        for index, word in enumerate(words):
            if word in ("double", "triple"):
                continue
            if word == "hundred":
                count += 2  # "nine hundred": 9, 0, 0
                continue
            times = {"double": 2, "triple": 3}.get(words[index - 1], 1) if index else 1
            count += times * (len(word) if word.isdigit() else 1)
        spelled = sum(1 for w in words if not w.isdigit() and w != "hundred")
        if count >= MIN_PHONE_DIGITS and spelled >= 3:
            yield match.start(), match.end()


_NUMBER_WORD_BEFORE = re.compile(rf"\b(?:{_SPELLED_AGE}|one|two|three|four|five|six|seven|eight|nine|\d+),\s*$",
                                 re.IGNORECASE)


def _worded_ages(text: str) -> Iterable[tuple[int, int]]:
    """Ages in words; an appositive one ("the widow, eighty-one, lives") not inside a count ("ten, twenty, …")."""
    for match in _WORDED_AGE.finditer(text):
        if text[match.start()] == "," and \
                _NUMBER_WORD_BEFORE.search(text, max(0, match.start() - 30), match.start() + 1):
            continue
        yield match.start(), match.end()


def _spoken_emails(text: str) -> Iterable[tuple[int, int]]:
    """An email address read out ("jane dot doe at gmail dot com", "kate [at] yahoo")."""
    for at in _SPOKEN_AT.finditer(text):
        left = _SPOKEN_LOCAL.search(text, max(0, at.start() - 80), at.start())
        right = _SPOKEN_DOMAIN.match(text, at.end())
        if left is None or right is None:
            continue
        domain = right.group(0)
        if _MAIL_HOSTS.search(domain) or _SPOKEN_DOT.search(domain):
            yield left.start(), right.end()


_SPACED = re.compile(r"(?<!\S)[^\W_](?:[ ]+[^\W_.@]|[ ]*[.@][ ]*[^\W_]){3,}(?!\S)")


@functools.lru_cache(maxsize=4)
def _spaced_runs(text: str) -> tuple[re.Match[str], ...]:
    return tuple(_SPACED.finditer(text))  # read once for the email and the name pass


def _letter_spaced(text: str, *, names: bool = False) -> Iterable[tuple[int, int]]:
    """An address or a name typed a letter at a time ("j o h n at g m a i l dot com", "m . s m i t h @ …"):
    the runs are closed up and read again, and a finding there maps back to the letters."""
    runs = _spaced_runs(text)
    if not runs:
        return
    kept: list[int] = []  # for each character of the closed-up text, its place in `text`
    pieces: list[str] = []
    position = 0
    for run in runs:
        for index in range(position, run.start()):
            kept.append(index)
        pieces.append(text[position: run.start()])
        for index in range(run.start(), run.end()):
            if not text[index].isspace():
                kept.append(index)
                pieces.append(text[index])
        position = run.end()
    pieces.append(text[position:])
    kept.extend(range(position, len(text)))
    closed = "".join(pieces)
    found = [] if names else [(m.start(), m.end()) for m in _EMAIL.finditer(closed)] + list(_spoken_emails(closed))
    lex = lexicon()
    offset = 0
    for run in runs:
        word = re.sub(r"\s", "", run.group(0))
        start = run.start() - offset
        offset += len(run.group(0)) - len(word)
        if names and word.isalpha() and len(word) >= 4 and (word.casefold() in lex.given or
                                                   word.casefold() in lex.surname_rank):
            found.append((start, start + len(word)))
    for start, end in found:
        yield kept[start], kept[end - 1] + 1


def _urls(text: str) -> Iterable[tuple[int, int]]:
    for match in _URL.finditer(text):
        tld = (match.group("tld") or "").lower()
        host = match.group("host")
        if host is not None:
            if match.group("tld") != tld:
                continue  # "asked.Me": a missing space, not a link
            if tld in _TLD_WORDS and not match.group("path") and "." not in host and len(host) < 4:
                continue
            if host.isdigit() or (re.fullmatch(r"[a-z]", host, re.IGNORECASE) and not match.group("path")):
                continue  # "2.5", "e.g" and the like
            if tld in _TLD_WORDS and not match.group("path") and host.lower() in _lexicon_english():
                continue  # "upset.me": a missing space between words
        yield match.start(), match.end()


def _handles(text: str) -> Iterable[tuple[int, int]]:
    for match in _HANDLE.finditer(text):
        yield match.start(), match.end()
    for match in _NAMED_HANDLE.finditer(text):
        handle = match.group("handle")
        folded = handle.casefold()
        if folded in _lexicon_english() or folded in COMMON_CAPITALISED or folded in lexicon().not_names or \
                folded.rstrip("s") in _lexicon_english() or folded.isdigit():
            continue  # "her insta is private", "on Facebook yesterday": words, not a handle
        yield match.start("handle"), match.end("handle")
    for match in _UNDERSCORED.finditer(text):
        yield match.start(), match.end()
    for match in _HANDLE_ON_PLATFORM.finditer(text):
        folded = match.group("handle").casefold()
        if folded not in _lexicon_english() and not folded.isdigit() and folded not in ("me", "her", "him", "them"):
            yield match.start("handle"), match.end("handle")


def _named_streets(text: str) -> Iterable[tuple[int, int]]:
    for match in _NAMED_STREET.finditer(text):
        if match.group("name").split()[0].casefold() not in _NOT_STREETS:
            yield match.start("name"), match.end()


def _dates(text: str, *, cued: bool = True) -> Iterable[tuple[int, int]]:
    for match in _FULL_DATE.finditer(text):
        window = text[max(0, match.start() - 40): match.end() + 40]
        if not cued or _DATE_CUES.search(window) or re.search(r"\d{4}", match.group(0)):
            yield match.start(), match.end()
    for match in _BIRTH.finditer(text):
        yield match.start(), match.end()


def _plates(text: str) -> Iterable[tuple[int, int]]:
    for match in _PLATE.finditer(text):
        end = match.end()
        last = re.search(r"[ ]([A-Za-z]+)$", match.group(0))
        if last and last.group(1).islower():
            end -= len(last.group(0))  # "tag number ABC 1234 from the ticket": the word after is no part of it
        yield match.start(), end


def _records(text: str, pattern: re.Pattern[str]) -> Iterable[tuple[int, int]]:
    skip = [(m.start(), m.end()) for m in _NOT_RECORD.finditer(text)]
    for match in pattern.finditer(text):
        if any(s <= match.start() < e for s, e in skip):
            continue
        found = match.group(0)
        if re.fullmatch(r"(?i)(?:19|20)\d\d", found.strip()):
            continue
        if re.fullmatch(r"\d{6,}", found) and re.match(r"\s*(?:steps|mg|ml|mcg|dollars|pounds|euros|%)",
                                                        text[match.end():], re.IGNORECASE):
            continue
        yield match.start(), match.end()


def _postcodes(text: str) -> Iterable[tuple[int, int]]:
    for match in _POSTCODE.finditer(text):
        found = match.group(0)
        if re.fullmatch(r"[A-Z]{2}\s+\d{4,5}", found) and found[:2] not in _STATE_CODES:
            continue
        yield match.start(), match.end()


_STATE_CODES = frozenset((
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
    "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA",
    "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "SA", "NT",
))


@functools.cache
def _lexicon_english() -> frozenset[str]:
    return lexicon().english


def _at_sentence_start(text: str, start: int) -> bool:
    """True when only spaces, quotes, brackets or a list mark stand between `start` and a sentence end."""
    index = start - 1
    while index >= 0 and text[index] in " \t\"“‘'(*-–—•[":
        index -= 1
    return index < 0 or text[index] in _SENTENCE_END or (text[index] in ":;" and _after_label(text, index))


def _after_label(text: str, colon: int) -> bool:
    """A colon after a label ("Note: …", "Plan: …") starts a sentence; a colon inside one does not matter here."""
    return True


def _bare(word: str) -> str:
    """A word without its possessive ending, case-folded."""
    lowered = word.casefold().replace("’", "'")
    for ending in ("'s", "'"):
        if lowered.endswith(ending) and len(lowered) > len(ending):
            return lowered[: -len(ending)]
    return lowered


def _acronym(word: str) -> bool:
    """"QTc", "MoCA", "HbA1c": shorthand with capitals inside, not a name ("MacLeod" has more lower case)."""
    upper = sum(c.isupper() for c in word)
    return upper >= 2 and sum(c.islower() for c in word) <= 2


def _drug_like(word: str) -> bool:
    return len(word) > 5 and word.endswith(_DRUG_ENDINGS)


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    bare: str


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group(0), _bare(m.group(0))) for m in _WORD.finditer(text)]


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and not (len(word) > 1 and word.isupper())


class _NameFinder:
    """Names in one text: titled names, runs of capitalised words, and lowercase given names."""

    def __init__(self, lex: Lexicon, known: frozenset[str], phrases: tuple[str, ...], *, strict: bool) -> None:
        self.lex = lex
        self.known = known
        self.phrases = phrases
        # The phrases by their first word (longest first), so a text is read once whatever their number.
        self._by_first: dict[str, list[str]] = {}
        for phrase in phrases:
            first = _FIRST_WORD.match(phrase)
            if first is not None:
                self._by_first.setdefault(first.group(0), []).append(phrase)
        self.strict = strict  # a pseudonym: a given name counts even as its first word ("Rose")

    def word_class(self, bare: str) -> str:
        """strong (not an English word: a likely name), given (a given name that is also a word), surname
        (a common surname that is also a word), or none."""
        lex = self.lex
        if bare in self.known or bare in COMMON_CAPITALISED or bare in lex.not_names or len(bare) < 2 or \
                bare in _TITLES:
            return "none"
        if bare.endswith("s") and (bare[:-1] in COMMON_CAPITALISED or bare[:-1] in lex.not_names):
            return "none"  # "Mondays", "Christians"
        if "'" in bare or "’" in bare:
            folded = bare.replace("’", "'")
            for ending in _CONTRACTIONS:
                if folded.endswith(ending) and (folded[: -len(ending)] in lex.english or
                                                folded[: -len(ending)] in ("ca", "wo", "sha")):
                    return "none"  # "You're", "Don't", "Couldn't": an English word's contraction
        if "-" in bare:
            parts = [self.word_class(part) for part in bare.split("-") if part]
            return "strong" if "strong" in parts else "given" if "given" in parts else "none"
        if "." in bare:
            return "none"  # an abbreviation ("e.g.", "St.")
        if not bare.isascii() and not _LATIN.fullmatch(bare):
            return "none"  # another script: the word lists cannot judge it
        english = bare in lex.english
        if not english:
            if bare in lex.given:
                return "strong"
            if _drug_like(bare) or len(bare) < 3 or (len(bare) > 6 and bare.endswith(_MEDICAL_ENDINGS) and
                                                      bare not in lex.surname_rank):
                return "none"
            return "strong"
        if bare in lex.given:
            return "given"
        if lex.surname_rank.get(bare, COMMON_SURNAME_RANK * 10) <= COMMON_SURNAME_RANK * 3:
            return "surname"
        return "none"

    def find(self, text: str) -> Iterator[tuple[int, int]]:
        masked = self._masked(text)
        tokens = _tokens(text)
        used: list[tuple[int, int]] = []
        passes = [self._titled(text, tokens, masked), self._cued(text, tokens, masked),
                  self._initialled(text, tokens, masked),
                  self._in_context(tokens, self._lowercase_pairs(text, tokens, masked)),
                  self._in_context(tokens, self._capitals(text, tokens, masked)),
                  self._capitalised_runs(text, tokens, masked),
                  self._in_context(tokens, self._lowercase(text, tokens, masked))]
        if self.strict:
            passes.append(self._any_case(text, tokens, masked))
        for start, end in itertools.chain.from_iterable(passes):
            if all(_bare(w) in _WARD_PLACES for w in re.findall(r"[\w'’]+", text[start:end])):
                continue  # "ward West", "the East wing": a part of the hospital named by its direction
            if not any(start < e and s < end for s, e in used):
                used.append((start, end))
                yield start, end

    def _in_context(self, tokens: list[_Token], spans: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
        """Names in lower case or capitals, less what the words around make something else: a saint's day
        ("st patrick's day"), an eponym ("fraser guidelines", "HAMILTON DEPRESSION RATING SCALE"), a place
        ("grew up in india")."""
        lex = self.lex
        starts: dict[int, int] = {}
        for start, end in spans:
            if not starts:  # most texts have no span: the index is made only when one comes
                starts = {t.start: i for i, t in enumerate(tokens)}
            first = starts.get(start)
            if first is None:
                yield start, end
                continue
            last = first
            while last + 1 < len(tokens) and tokens[last + 1].start < end:
                last += 1
            before = tokens[first - 1].bare if first else ""
            if before in ("st", "saint") or (tokens[last].bare in _PLACE_NAMES and before in _PLACE_CUES | _COMPASS):
                continue
            ahead = tokens[last + 1: last + 5]
            eponym = next((i for i, t in enumerate(ahead) if t.bare in _EPONYM_NOUNS), None)
            if eponym is not None and all(t.bare in lex.english and t.bare not in lex.given
                                          for t in ahead[:eponym]):
                continue
            yield start, end

    def _namelike(self, bare: str) -> bool:
        """A given name or a surname from the lists that is no English word nor a known non-name."""
        lex = self.lex
        return (bare in lex.given or bare in lex.surname_rank) and bare not in lex.english and len(bare) >= 2 and \
            bare not in lex.not_names and bare not in COMMON_CAPITALISED and bare not in self.known and \
            bare not in _TITLES and bare not in _FUNCTION_STARTERS

    def _cued(self, text: str, tokens: list[_Token], masked: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
        """"Her name is maria", "she is called elena", "a boy named kai": the word after the cue is a name."""
        if not _NAME_CUE.search(text):
            return
        lex = self.lex
        for index, token in enumerate(tokens[:-1]):
            cue = token.bare in ("named", "called") or (token.bare == "is" and index and
                                                          tokens[index - 1].bare == "name")
            if not cue or (token.bare == "called" and (not index or tokens[index - 1].bare not in _BE_WORDS)):
                continue
            name = tokens[index + 1]
            if self._inside(name, masked) or name.bare in self.known or (name.text.isupper() and len(name.text) < 3):
                continue
            if not (self._namelike(name.bare) or (name.bare in lex.given and name.bare not in _EVERYDAY_STARTERS)
                    or self._unknown_lowercase(name.bare)):
                continue
            end = name.end
            if index + 2 < len(tokens) and re.fullmatch(r"[ \t]+", text[end: tokens[index + 2].start]) and \
                    tokens[index + 2].bare in lex.surname_rank and tokens[index + 2].bare not in lex.english:
                end = tokens[index + 2].end
            yield name.start, end

    def _initialled(self, text: str, tokens: list[_Token], masked: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
        """An initial and a surname: "J. Smith", "J Smith" (not "A Smith", "I Brown": a word)."""
        lex = self.lex
        for match in _INITIAL_SURNAME.finditer(text):
            initial, surname = match.group("initial"), match.group("surname")
            bare = _bare(surname)
            if initial in "AI" and not match.group("dot"):
                continue
            if bare not in lex.surname_rank or bare in lex.not_names or bare in COMMON_CAPITALISED or \
                    bare in _DEPARTMENT_WORDS or bare in self.known or bare in _TITLES:
                continue
            if bare in lex.english and lex.surname_rank[bare] > COMMON_SURNAME_RANK:
                continue
            if any(s <= match.start() < e for s, e in masked):
                continue
            if not match.group("dot") and re.search(r"(?:[A-Z][\w'’]*|\d+)[ \t]+$", text[max(0, match.start() - 20):
                                                                                       match.start()]):
                continue  # "Plan B Rose", "Room 4 B Clark": a letter that goes with the word before
            yield match.start(), match.end()

    def _lowercase_pairs(self, text: str, tokens: list[_Token], masked: list[tuple[int, int]]
                         ) -> Iterator[tuple[int, int]]:
        """"maria gonzalez": a lower-case given name and a lower-case surname that is no English word."""
        lex = self.lex
        for first, second in itertools.pairwise(tokens):
            if not (first.text.islower() and second.text.islower()) or first.bare not in lex.given or \
                    first.bare in _FUNCTION_STARTERS or first.bare in lex.not_names or len(first.bare) < 2:
                continue
            common = lex.surname_rank.get(second.bare, COMMON_SURNAME_RANK) < COMMON_SURNAME_RANK // 4 and \
                first.bare not in _EVERYDAY_STARTERS and first.bare not in _EVERYDAY_WORDS  # "john smith"
            if second.bare not in lex.surname_rank or (second.bare in lex.english and not common) or \
                    second.bare in lex.not_names or _drug_like(second.bare) or \
                    not re.fullmatch(r"[ \t]+", text[first.end: second.start]):
                continue
            if self._inside(first, masked) or self._inside(second, masked) or \
                    first.bare in self.known or second.bare in self.known:
                continue
            yield first.start, second.end

    def _capitals(self, text: str, tokens: list[_Token], masked: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
        """Words in capitals ("JOHN SMITH called", "then GONZALEZ rang"): a given name or surname that is no
        English word nor a known abbreviation, or two name words in a row."""
        if not _CAPITALS_WORD.search(text):
            return
        lex = self.lex
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if not (token.text.isupper() and len(token.bare) >= 2) or self._inside(token, masked):
                index += 1
                continue
            run = [token]
            while index + len(run) < len(tokens):
                nxt = tokens[index + len(run)]
                if not (nxt.text.isupper() and len(nxt.bare) >= 2) or \
                        not re.fullmatch(r"[ \t]+", text[run[-1].end: nxt.start]):
                    break
                run.append(nxt)
            index += len(run)
            for first, second in itertools.pairwise(run):
                if first.bare in lex.given and first.bare not in _EVERYDAY_STARTERS and "'" not in first.text and \
                        lex.surname_rank.get(second.bare, COMMON_SURNAME_RANK + 1) <= COMMON_SURNAME_RANK and \
                        not self._inside(second, masked):
                    yield first.start, second.end
                    break
            else:
                for word in run:
                    position = tokens.index(word)
                    following = tokens[position + 1].bare if position + 1 < len(tokens) else ""
                    if word.bare in lex.given and word.bare not in _EVERYDAY_STARTERS and len(word.bare) >= 3 and \
                            word.bare not in _EVERYDAY_WORDS and word.bare not in lex.not_names and \
                            following in _SPEECH_CUES | {"came", "cried", "was", "is"} - {"will"}:
                        yield word.start, word.end  # "JOHN came in", "SHE SAID MARIA WAS LATE"
                        continue
                    if len(word.bare) >= 3 and self._namelike(word.bare) and not _drug_like(word.bare) and \
                            not word.bare.endswith(_MEDICAL_ENDINGS) and re.search(r"[AEIOUY]", word.text):
                        yield word.start, word.end

    def _any_case(self, text: str, tokens: list[_Token], masked: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
        """In a pseudonym: any word, in any case, that is a given name or a surname and no English word, and two
        name words in a row ("maria gonzalez", "rose smith")."""
        lex = self.lex
        for first, second in itertools.pairwise(tokens):
            if self._inside(first, masked) or self._inside(second, masked):
                continue
            names = [t.bare in lex.given or lex.surname_rank.get(t.bare, COMMON_SURNAME_RANK + 1) <=
                     COMMON_SURNAME_RANK for t in (first, second)]
            if all(names) and (first.bare in lex.given or second.bare in lex.given) and \
                    not any(t.bare in lex.not_names or t.bare in _TITLES or t.bare in self.known
                            for t in (first, second)):
                yield first.start, second.end
        for token in tokens:
            given = token.bare in lex.given and token.bare not in lex.not_names and token.bare not in self.known \
                and token.bare not in _FUNCTION_STARTERS and token.bare not in _TITLES \
                and token.bare not in _DEPARTMENT_WORDS and token.bare not in COMMON_CAPITALISED \
                and not (token.bare in lex.english and token.bare in _EVERYDAY_WORDS)
            if (given or self._namelike(token.bare)) and not self._inside(token, masked) and len(token.bare) >= 3:
                yield token.start, token.end

    def _masked(self, text: str) -> list[tuple[int, int]]:
        """Spans of the pseudonyms and confirmed phrases in `text`: their words are not names there."""
        if not self._by_first:
            return []
        folded = text.casefold()
        if len(folded) != len(text):
            folded = text.lower()  # casefold changes lengths ("ß"): positions must stay those of `text`
        spans: list[tuple[int, int]] = []
        for word in _FIRST_WORD.finditer(folded):
            start = word.start()
            if (spans and start < spans[-1][1]) or (start and (folded[start - 1].isalnum() or
                                                                folded[start - 1] == "_")):
                continue
            for phrase in self._by_first.get(word.group(0), ()):
                end = start + len(phrase)
                if folded.startswith(phrase, start) and not (end < len(folded) and (folded[end].isalnum() or
                                                                                    folded[end] == "_")):
                    possessive = _POSSESSIVE.match(folded, end)
                    spans.append((start, possessive.end() if possessive else end))
                    break
        return spans

    @staticmethod
    def _inside(token: _Token, spans: list[tuple[int, int]]) -> bool:
        return any(s <= token.start and token.end <= e for s, e in spans)

    def _titled(self, text: str, tokens: list[_Token], masked: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
        for index, token in enumerate(tokens[:-1]):
            title = token.bare.rstrip(".")
            if title not in _TITLES or self._inside(token, masked):
                continue
            if not _is_capitalised(token.text) and title not in _LOWER_TITLES:
                continue
            gap = text[token.end: tokens[index + 1].start]
            if not re.fullmatch(r"\.?\s+", gap):
                continue
            name = tokens[index + 1]
            if self._inside(name, masked) or (len(name.bare) < 2 and not name.text.isupper()):
                continue
            if len(name.text) == 1 or (name.text.isupper() and len(name.text) <= 2):
                continue  # "Mr X", "Mrs G": a pseudonym
            lowercase_name = not _is_capitalised(name.text)
            if lowercase_name and (title not in _LOWER_TITLES or name.bare in self.lex.english):
                continue
            if name.bare in self.known:
                continue
            if self._pseudonym_after_title(name.bare, title):
                continue
            end = name.end
            following = index + 2
            while following < len(tokens) and re.fullmatch(r"[\s-]+", text[end: tokens[following].start]) and \
                    (_is_capitalised(tokens[following].text) or tokens[following].bare in _CONNECTORS):
                if tokens[following].bare in self.known or (self.word_class(tokens[following].bare) == "none" and \
                        tokens[following].bare not in _CONNECTORS and tokens[following].bare not in self.lex.given \
                        and tokens[following].bare not in self.lex.surname_rank):
                    break
                end = tokens[following].end
                following += 1
            yield token.start, end

    def _pseudonym_after_title(self, bare: str, title: str) -> bool:
        """"Mrs Blue", "Mr Green-Tea": everyday words after a title are the clinician's pseudonym, unless one is a
        given name or a common surname ("Mrs Brown", "Mr Will")."""
        lex = self.lex
        parts = [part for part in bare.split("-") if part]
        if all(lex.surname_rank.get(p, COMMON_SURNAME_RANK + 1) <= COMMON_SURNAME_RANK for p in parts):
            return False  # "Mr Ward", "Mrs Graves": a common surname, whatever else the word means
        if all(p in lex.not_names or p in COMMON_CAPITALISED for p in parts) and title not in _FAMILY_TITLES:
            return True
        if not all(p in lex.english and p not in lex.given for p in parts):
            return False
        uncommon = [lex.surname_rank.get(p, COMMON_SURNAME_RANK + 1) > COMMON_SURNAME_RANK for p in parts]
        return all(uncommon) or (len(parts) > 1 and any(uncommon))

    def _capitalised_runs(
        self, text: str, tokens: list[_Token], masked: list[tuple[int, int]]
    ) -> Iterator[tuple[int, int]]:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if not _is_capitalised(token.text):
                index += 1
                continue
            run = [index]
            following = index + 1
            while following < len(tokens) and re.fullmatch(r"[ \t]+|[ \t]*-[ \t]*", text[tokens[run[-1]].end:
                                                                                         tokens[following].start]):
                candidate = tokens[following]
                connector = candidate.bare in _CONNECTORS and following + 1 < len(tokens) and \
                    _is_capitalised(tokens[following + 1].text)
                if _is_capitalised(candidate.text) or connector:
                    run.append(following)
                else:
                    break
                following += 1
            index = following
            yield from self._judge_run(text, [tokens[i] for i in run], tokens, following, masked, run[0])

    def _judge_run(
        self, text: str, run: list[_Token], tokens: list[_Token], after: int, masked: list[tuple[int, int]],
        index: int,
    ) -> Iterator[tuple[int, int]]:
        words = [t for t in run if t.bare not in _CONNECTORS]
        if not words:
            return
        if len(words) == 2 and len(words[1].bare) == 1 and words[0].bare not in self.lex.given and \
                words[0].bare not in self.lex.surname_rank:
            return  # a role and an initial ("Ärztin Ö", "Caller K"): the form of a pseudonym
        before = tokens[index - 1].bare.rstrip(".") if index else ""
        after_the = before == "the" and index > 1 and tokens[index - 2].bare in _VENUE_CUES
        if len(words) >= 2 and (before in _VENUE_CUES or (after_the and words[-1].bare in _PLACE_TYPES)) and \
                not _at_sentence_start(text, run[0].start) and \
                not any(self._inside(t, masked) or t.bare in self.known for t in words):
            body = words[1:] if words[0].bare == "the" else words
            if body and (body[0].bare in self.lex.not_names or body[0].bare in COMMON_CAPITALISED):
                body = []  # "at The Samaritans", "from The Salvation Army": a service or a common word
            town = before in ("in", "near", "outside", "from") and all(
                self.word_class(t.bare) != "none" or t.bare in self.lex.english for t in body) and not any(
                t.bare in self.lex.not_names or t.bare in COMMON_CAPITALISED for t in body)
            if body and (words[0].bare == "the" or words[-1].bare in _PLACE_TYPES or town) and \
                    not any(t.bare in _SERVICE_WORDS or t.bare in _DEPARTMENT_WORDS - _PLACE_TYPES
                            for t in (body if town or words[-1].bare not in _PLACE_TYPES else body[:1])) and \
                    not all(t.bare in _PLACE_TYPES for t in body):
                yield run[0].start, run[-1].end  # a named workplace or venue
                return
        origin = before == "from" and index > 1 and tokens[index - 2].bare in _ORIGIN_WORDS
        if words[-1].bare in _PLACE_NAMES and (before in _PLACE_CUES or origin) and \
                all(self.word_class(t.bare) == "none" for t in words[:-1]):
            return  # "grew up in India", "moved from North Carolina"
        if words[-1].bare == "day" and (before in ("st", "saint") or words[0].bare in ("st", "saint")):
            return  # "St Patrick's Day", "St Andrew's Day"
        if words[0].bare == "all" and len(words) == 2 and words[1].bare == "saints":
            return
        if len(words) == 1:
            nxt = tokens[after].bare if after < len(tokens) else ""
            if before in ("a", "an") or nxt in _PRODUCT_NOUNS:
                return  # "a Starbucks card", "an Uber", "Cadbury chocolates": a brand or a shop

        nxt = tokens[after].bare if after < len(tokens) else ""
        if words[-1].bare in _EPONYM_NOUNS or (nxt in _EPONYM_NOUNS and tokens[after].text.islower()):
            return  # an eponymous diagnosis, scale or guidance ("Tourette Syndrome", "Fraser guidelines")
        if words[0].bare == "the" and any(t.bare in _MUSIC_WORDS for t in tokens[max(0, index - 3): index]):
            return  # "listening to The Beatles": a band
        pairs = self.lex.not_name_pairs
        cleared: set[int] = set()
        for first, second in itertools.pairwise(words):
            if (first.bare, second.bare) in pairs:
                cleared |= {first.start, second.start}
        # "Rose Ward", "Social Work Team", "Mental Health Act": a named service or document, not a person,
        # unless a word in it cannot be an English word ("Ballarat Hospital").
        if words[-1].bare in _DEPARTMENT_WORDS and len(words) > 1 and \
                not any(self.word_class(t.bare) == "strong" for t in words[:-1]):
            return
        classes = []
        for position, token in enumerate(words):
            if token.start in cleared or self._inside(token, masked):
                classes.append("none")
                continue
            kind = "none" if _acronym(token.text) else self.word_class(token.bare)
            if position == 0 and not self.strict and _at_sentence_start(text, token.start):
                kind = self._sentence_start(token, kind, words, tokens, after)
            classes.append(kind)
        if len(words) > 1 and any(t.bare in self.lex.not_names for t in words):
            # "Invega Sustenna", "Panadol Osteo", "Oranga Tamariki": a word beside a medicine's or a service's name
            # is part of that name, unless it is a given name.
            classes = ["none" if kind == "strong" and t.bare not in self.lex.given else kind
                       for t, kind in zip(words, classes, strict=True)]
        if any(self._inside(t, masked) for t in words):
            # "Rose Smith" beside the pseudonym "Rose": the pseudonym does not vouch for a surname next to it.
            classes = ["given" if kind == "surname" else kind for kind in classes]
        flagged = [i for i, kind in enumerate(classes) if kind in ("strong", "given")]
        if not flagged:
            return
        # A common surname that is also a word ("Brown") counts beside a name ("Will Brown").
        first, last = flagged[0], flagged[-1]
        while first > 0 and (classes[first - 1] == "surname" or self._inside(words[first - 1], masked)):
            first -= 1
        while last + 1 < len(classes) and classes[last + 1] in ("surname", "none") and \
                words[last + 1].bare in self.lex.surname_rank and not self._inside(words[last + 1], masked):
            last += 1
        yield words[first].start, words[last].end

    def _sentence_start(self, token: _Token, kind: str, words: list[_Token], tokens: list[_Token], after: int) -> str:
        """A capital at the start of a sentence says nothing: the word must be a name by itself, or a given name
        the sentence uses as one ("Grace was tearful", "Will's mother", "Tom Hughes")."""
        if kind == "strong":
            return kind
        if kind == "surname" and len(words) > 1:
            return kind
        if kind != "given":
            return "none"
        if token.text.endswith(("'s", "’s")) and token.bare not in _FUNCTION_STARTERS:
            return kind
        if len(words) > 1:
            second = self.word_class(words[1].bare)
            return kind if second in ("strong", "given", "surname") else "none"
        following = tokens[after].bare if after < len(tokens) else ""
        if token.bare in _EVERYDAY_STARTERS:
            then = tokens[after + 1].bare if after + 1 < len(tokens) else ""
            person = following in _SPEECH_CUES or (following == "and" and then in ("her", "his", "their")) or \
                (following in ("was", "has", "had", "seemed", "looked", "is") and then in _PERSON_STATES)
            return kind if person else "none"
        return kind if following in _NAME_CUE_AFTER - {"is"} else "none"

    def _person_slot(self, text: str, tokens: list[_Token], index: int) -> bool:
        """Where a person stands: before a person's verb, after "with/re:/from/to/and", or "X's mother"."""
        token = tokens[index]
        following = tokens[index + 1].bare if index + 1 < len(tokens) else ""
        if token.text.endswith(("'s", "’s")):
            return following in _FAMILY_NOUNS
        before = tokens[index - 1].bare if index else ""
        if following in _PERSON_VERBS:
            return before not in ("the", "a", "an", "my", "your", "his", "her", "their", "this", "that", "our",
                                  "of", "in", "on", "no", "any", "some", "to", "be", "been")
        return before in _PERSON_BEFORE and following in ("and", "about", "re", "said", "asked", "who", "", "again",
                                                          "today", "yesterday", "at", "on", "to", "for", "her",
                                                          "his", "too", "as", "last", "this", "after", "before",
                                                          "in", "when", "while", "because", "but", "so",
                                                          "that", "no", "not", "off", "everything", "yesterday")

    def _unknown_lowercase(self, bare: str) -> bool:
        """A lower-case word no list knows: not English, no medicine, abbreviation, or clinical word."""
        lex = self.lex
        plain = bare.replace("'", "").replace("’", "")
        if "-" in bare and plain == bare:
            parts = bare.split("-")
            # "hyun-woo", "jun-seo": a hyphenated given name; not "self-care", "x-ray", "co-worker"
            return all(p.isalpha() and len(p) >= 2 for p in parts) and len(parts) == 2 and \
                parts[0] not in _HYPHEN_PREFIXES and any(p not in lex.english for p in parts) and \
                not any(_drug_like(p) or p in lex.not_names for p in parts)
        if plain != bare or len(plain) < 3 or not plain.isalpha() or bare in lex.not_names or \
                bare in COMMON_CAPITALISED or bare in _LOWERCASE_NOT_NAMES or bare in self.known or bare in _TITLES:
            return False
        if (bare.endswith("s") and bare[:-1] in lex.english) or bare in lex.english:
            return False
        if bare in lex.given:
            return True
        if _drug_like(bare) or bare.endswith(_MEDICAL_ENDINGS) or not re.search(r"[aeiouy]", bare):
            return False  # a medicine, a diagnosis, an abbreviation ("cbt", "mdt")
        stem = bare[:-1] if bare.endswith("s") else bare
        if any(stem[:cut] in lex.english and stem[cut:] in lex.english for cut in range(3, len(stem) - 2)):
            return False  # a compound of two words ("housemates", "groupwork")
        return bare in lex.given or (re.search(r"[aeiouy]", bare[1:]) is not None and len(bare) >= 4)

    def _lowercase(self, text: str, tokens: list[_Token], masked: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
        """Names typed in lower case ("priya said"): a given name that is not an English word."""
        lex = self.lex
        for index, token in enumerate(tokens):
            word, bare = token.text, token.bare
            if bare not in lex.english and word[:1].islower() and self._person_slot(text, tokens, index) and \
                    not self._inside(token, masked) and self._unknown_lowercase(bare):
                yield token.start, token.end  # "so tamati asked", "re: declan", "met with kateryna and her"
                continue
            if "-" not in bare and bare not in lex.given:
                continue  # most words: no given name, so nothing more to ask
            if not word[:1].islower() or self._inside(token, masked):
                continue
            if bare in self.known or bare in lex.not_names or bare in COMMON_CAPITALISED or bare in _KIN_WORDS:
                continue
            if bare in _LOWERCASE_NOT_NAMES or bare in lex.english:
                # "wei asked", "ana cried", "met with maria today": a short or word-like given name where the
                # sentence puts a person, unless it is an everyday word ("met with grace", "spoke to will")
                cue_after = index + 1 < len(tokens) and tokens[index + 1].bare in _SPEECH_CUES | {"cried", "came"}
                everyday = bare in _EVERYDAY_STARTERS or bare in _EVERYDAY_WORDS
                if bare not in _FUNCTION_STARTERS and len(bare) >= 3 and bare not in _PERSON_VERBS and \
                        (cue_after or not everyday) and self._person_slot(text, tokens, index):
                    yield token.start, token.end
                continue
            if len(bare) < 3:
                continue
            parts = bare.split("-")
            if (bare in lex.given and bare not in lex.english) or \
                    (len(parts) > 1 and all(p in lex.given and p not in lex.english for p in parts)):
                yield token.start, token.end
            elif bare in lex.given and bare not in _EVERYDAY_STARTERS and index + 1 < len(tokens) and \
                    tokens[index + 1].bare in ("said", "asked", "told", "texted", "rang", "phoned", "emailed"):
                before = tokens[index - 1].bare if index else ""
                if before not in ("the", "a", "an", "my", "your", "his", "her", "their", "this", "that", "our"):
                    yield token.start, token.end


# Verbs after which a lower-case word that is no English word stands where a person stands ("tamati asked").
_PERSON_VERBS = frozenset((
    "said", "says", "asked", "asks", "told", "tells", "texted", "texts", "rang", "rings", "phoned", "emailed",
    "messaged", "mentioned", "wants", "wanted", "started", "began", "offered", "replied", "cried", "laughed",
    "shouted", "arrived", "came", "turned", "refused", "agreed", "admitted", "denied", "left", "called", "sobbed",
    "smiled", "hugged", "brought", "gave", "sent", "visited", "explained", "insisted", "disclosed", "stormed",
    "walked", "missed", "cancelled", "canceled", "thinks", "thought", "feels", "felt", "seems", "seemed", "needs",
    "keeps", "kept", "tried", "tries", "won't", "can't", "doesn't", "didn't", "is", "was", "has", "had", "will",
))
_PERSON_BEFORE = frozenset(("with", "re", "from", "to", "and", "for", "about", "called", "named", "see", "saw",
                            "met", "meet", "visit", "visited", "told", "asked", "phoned", "rang", "texted", "by"))
_HYPHEN_PREFIXES = frozenset(("self", "non", "ex", "co", "re", "pre", "post", "anti", "sub", "semi", "multi",
                              "inter", "intra", "over", "under", "mid", "de", "dis", "un", "well", "ill", "half",
                              "step", "mis", "e", "x", "t", "mum", "dad", "in", "out", "up", "on", "off"))
_FAMILY_NOUNS = frozenset(("mother", "mum", "mom", "father", "dad", "daughter", "son", "wife", "husband", "partner",
                           "sister", "brother", "boyfriend", "girlfriend", "kids", "children", "baby", "nan",
                           "grandmother", "grandfather", "aunt", "uncle", "family", "teacher", "carer"))


# Everyday words that are also given names, a pseudonym's description rather than a name ("Young mum", "Cafe owner").
_EVERYDAY_WORDS = (_EVERYDAY_STARTERS | _PLACE_TYPES | _SERVICE_WORDS | _PRODUCT_NOUNS) - {"rose", "grace", "dawn",
                                                                                         "frank", "will"}
_COMPASS = frozenset(("from", "north", "south", "east", "west", "new", "central", "northern", "southern"))
# A ward, wing or unit named by a compass direction ("ward West", "North Wing") is a place in the building.
_WARD_PLACES = frozenset(("ward", "wing", "unit", "block", "bay", "floor", "building", "north", "south", "east",
                          "west", "central", "upper", "lower"))
_KIN_WORDS = frozenset(("nan", "oma", "mum", "mom", "dad", "papa", "mama", "nana", "nanna", "granny", "aunty",
                        "auntie", "whānau", "whanau", "koro", "kuia", "ward", "obs", "abs", "mac", "tama", "tane",
                        "baba", "amma", "appa", "ammi", "abba", "abu", "ama", "opa", "babcia", "nonna", "nonno"))
_CAPITALS_WORD = re.compile(r"[A-Z][A-Z]")
_NAME_CUE = re.compile(r"(?i)\b(?:named|called|name\s+is)\b")
_EPONYM_NOUNS = frozenset(("syndrome", "disease", "rating", "disorder", "scale", "criteria", "palsy", "sign", "test",
                           "rounds", "guidelines", "guideline", "principles", "principle", "competence", "competent",
                           "procedure", "manoeuvre", "maneuver", "questionnaire", "inventory", "protocol",
                           "method", "technique", "model", "reflex", "phenomenon", "effect", "classification"))
_MUSIC_WORDS = frozenset(("listening", "listen", "listens", "listened", "concert", "gig", "album", "song", "songs",
                          "band", "music", "tickets", "tour"))
_BE_WORDS = frozenset(("is", "was", "are", "were", "be", "been", "being", "gets", "got", "get", "likes", "wants",
                       "prefers", "asked", "asks", "herself", "himself", "themselves", "themself", "now", "also"))
_INITIAL_SURNAME = re.compile(r"(?<![\w.])(?P<initial>[A-Z])(?P<dot>\.)?[ \t]+(?P<surname>[A-Z][a-z]+(?:['’]s)?)\b")

_LOWERCASE_NOT_NAMES = frozenset((
    "nan", "oma", "kai", "hui", "ana", "mac", "ira", "sal", "ima", "ina", "ila", "mee", "yer", "pok", "lue", "cuc",
    "bok", "ola", "ona", "ora", "ula", "una", "oda", "eda", "les", "von", "rea", "rex", "rey", "paz", "luz", "mao",
    "soo", "sau", "tod", "toi", "wai", "yee", "lon", "len", "lai", "dee", "del", "dia", "ena", "fae", "gil", "hal",
    "han", "hee", "kip", "kum", "sha", "shu", "suk", "thi", "thu", "nga", "hae", "hai", "hoa", "hwa", "hye", "hyo",
    "jae", "mui", "pei", "pia", "tai", "toi", "ute", "wes", "yer", "yun", "ami", "asa", "ara", "bao", "chu", "eun",
    "ema", "ena", "ewa", "gia", "ike", "isa", "iva", "kam", "kia", "kym", "lia", "lin", "mae", "mai", "mee", "mei",
    "nam", "nia", "noe", "ola", "oma", "pam", "ria", "sid", "wai", "wei", "yan", "yee", "ali", "tia", "obs",
    "prn", "stat", "mane", "nocte", "meds", "sats", "hx", "dx", "tx", "rx", "appt", "approx", "abs", "ward",
    "mum", "mom", "dad", "papa", "mama", "nana", "nanna", "granny", "aunty", "auntie", "whānau", "whanau",
    "tama", "tane", "mere", "rangi", "moana", "huia", "awhina",
))


def _known_words(pseudonyms: frozenset[str], allowed: frozenset[str]) -> frozenset[str]:
    """Single words that are not names wherever they stand: the confirmed ones (pseudonyms are phrases)."""
    return frozenset(_bare(a) for a in allowed if " " not in a.strip())


@functools.lru_cache(maxsize=32)
def _finder(pseudonyms: frozenset[str], allowed: frozenset[str], strict: bool) -> _NameFinder:
    phrases = tuple(sorted({" ".join(p.casefold().split()) for p in pseudonyms | allowed if p.strip()},
                           key=len, reverse=True))
    return _NameFinder(lexicon(), _known_words(pseudonyms, allowed), phrases, strict=strict)


# Scripts the word lists cannot read (CJK, Hangul, Kana, Arabic, Hebrew, Devanagari, Thai and the like): a run of
# them, with the spaces and marks between, is one finding.
_UNREAD = ("\u0590-\u05ff\u0600-\u06ff\u0700-\u074f\u0750-\u077f\u08a0-\u08ff\u0900-\u0dff\u0e00-\u0eff"
           "\u0f00-\u0fff\u1000-\u109f\u10a0-\u10ff\u1100-\u11ff\u1200-\u139f\u1780-\u17ff\u3040-\u30ff"
           "\u3100-\u318f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff"
           "\ufb1d-\ufdff\ufe70-\ufefc\U00020000-\U0003134f")
_UNREAD_RUN = re.compile(f"[{_UNREAD}](?:[{_UNREAD}\\s\u3000-\u303f\u200c\u200d\u00b7]*[{_UNREAD}])?")
_UNREAD_ANY = re.compile(f"[{_UNREAD}]")
_OTHER_ALPHABET = re.compile("[\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f]")
_MIXED_WORD = re.compile("(?=[^\\W\\d_]*[A-Za-z\u00c0-\u024f])(?=[^\\W\\d_]*[\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f])"
                         "[^\\W\\d_]+")


def _mixed_words(text: str) -> Iterable[tuple[int, int]]:
    """Words mixing Latin with Cyrillic or Greek letters ("Mаria" with a Cyrillic "а"): look-alike letters."""
    if not _OTHER_ALPHABET.search(text):
        return
    for match in re.finditer(r"(?<![^\W\d_])[^\W\d_]+", text):
        word = match.group(0)
        if _MIXED_WORD.fullmatch(word) and not (word[0] in "μΜ" and len(word) <= 4):  # "μg", "μmol": a unit
            yield match.start(), match.end()


def _unread_runs(text: str) -> Iterable[tuple[int, int]]:
    if not _UNREAD_ANY.search(text):
        return
    for match in _UNREAD_RUN.finditer(text):
        yield match.start(), match.end()


# Full-width forms (U+FF01–FF5E) and the ideographic space, folded one character for one so positions stay.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_WIDE = re.compile("[\uff01-\uff5e\u3000]")


def scan_text(
    text: str, location: str, *, pseudonyms: Iterable[str] = (), allowed: Iterable[str] = (),
    every_date: bool = False,
) -> list[Finding]:
    """Likely identifiers in one piece of text, in order, without overlaps (the more specific kind wins).

    A pseudonym, where the text uses it whole ("Client K", "Client K's"), is not a name, and neither are the
    `allowed` words and phrases; a pseudonym's words elsewhere still count ("Rose" as a pseudonym does not clear
    "Rose Smith"). `every_date` (for a pseudonym) counts a full date even without a word such as "born" near it,
    and a given name even where it starts the text.
    """
    allowed_set = frozenset(" ".join(a.casefold().split()) for a in allowed if a.strip())
    original = text
    if _WIDE.search(text):
        text = text.translate(_FULL_WIDTH)  # "Ｍａｒｉａ" read as "Maria", one character for one
    finder = _finder(frozenset(pseudonyms), allowed_set, every_date)
    spans: list[tuple[int, int, str]] = []
    detectors: list[tuple[str, Iterable[tuple[int, int]]]] = [
        ("mixed_script", _mixed_words(text)),
        ("email", ((m.start(), m.end()) for m in _EMAIL.finditer(text))),
        ("url", _urls(text)),
        ("url", ((m.start(), m.end()) for m in _SPOKEN_LINK.finditer(text)) if "slash" in text.lower() else ()),
        ("handle", _handles(text)),
        ("email", _spoken_emails(text)),
        ("email", _letter_spaced(text)),
        ("name", _letter_spaced(text, names=True)),
    ]
    if _DIGIT.search(text):  # most notes have no digit at all: these patterns all need one
        detectors += [
            ("date", _dates(text, cued=not every_date)),
            ("address", ((m.start(), m.end()) for m in _ADDRESS.finditer(text)) if _STREET.search(text) else ()),
            ("postcode", _postcodes(text)),
            ("vehicle", _plates(text)),
            ("record_number", _records(text, _RECORD)),
            ("phone", _phones(text)),
            ("record_number", _records(text, _UNLABELLED_RECORD)),
            ("age", ((m.start(), m.end()) for m in _AGE.finditer(text)) if _SMALL_NUMBER.search(text) else ()),
        ]
    if _STREET.search(text):
        detectors.append(("address", _named_streets(text)))
    if every_date:  # a pseudonym: "mgonzalez88" is a handle, "MG 1950" initials and a year of birth
        detectors += [("handle", ((m.start(), m.end()) for m in _HANDLE_LIKE.finditer(text))),
                      ("date", ((m.start(), m.end()) for m in _INITIALS_AND_YEAR.finditer(text)))]
    detectors += [
        ("phone", _spoken_numbers(text)),
        ("age", _worded_ages(text)),
        ("name", finder.find(text)),
        ("unread_script", _unread_runs(text)),
    ]
    for kind, found in detectors:
        for start, end in found:
            while end > start and text[end - 1] in ".,;:!?)»”’'\"":
                end -= 1  # sentence punctuation after an address or a link is not part of it
            while start < end and text[start] in " ,":
                start += 1
            if end <= start or " ".join(text[start:end].casefold().split()) in allowed_set or \
                    " ".join(original[start:end].casefold().split()) in allowed_set:
                continue
            if any(start < e and s < end for s, e, _ in spans):
                continue
            spans.append((start, end, kind))
    spans.sort()
    return [Finding(location, kind, s, e, original[s:e], _context(original, s, e)) for s, e, kind in spans]


def name_words(name: str) -> list[str]:
    """The words of a person's name as typed ("Dr A. Okafor" gives "A", "Okafor"), titles left out."""
    return [w for w in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", name) if w.casefold() not in _TITLES]


def scan_pseudonym(pseudonym: str, location: str, *, allowed: Iterable[str] = ()) -> list[Finding]:
    """Likely identifiers in a pseudonym itself.

    Text in a script the check cannot read, and words mixing alphabets, come back as "name" findings (their
    `reason` and label say which), so the clinician confirms them as a name-like pseudonym is confirmed.
    No pseudonym vouches for its own words (or another's: "Smith family" must not clear "John Smith"), and any
    full date counts, since a date in what names a person is about that person (birth, admission).
    """
    findings = scan_text(pseudonym, location, allowed=allowed, every_date=True)
    # Another script or look-alike letters in a pseudonym are confirmed as a name is: the callers confirm "name".
    return [Finding(f.location, "name", f.start, f.end, f.text, f.context, reason=f.kind)
            if f.kind in CONFIRMABLE_KINDS - {"name"} else f for f in findings]


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
