"""Reading JSON that comes from outside the app (key files, backup manifests, imports): bounded and total.

`json.loads` alone recurses once per level of nesting (a deeply nested file raises RecursionError), turns a
number of thousands of digits into a ValueError, reads NaN and 1e999, and keeps the last of two equal keys.
`loads` refuses all of these, and anything larger than the caller's limit, with `NotJson`.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_DEPTH = 32
MAX_DIGITS = 32  # a number's characters: more than any id, version or count the app writes

# A string, from its opening quote to its closing one or to the end of a text cut short: every quote starts a
# match that succeeds, so removing them all takes one pass whatever the text holds.
_STRING = re.compile(r'"[^"\\]*(?:\\[\s\S][^"\\]*)*(?:"|\\?\Z)')
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class NotJson(ValueError):
    """Why some bytes are not JSON the app reads: `str()` completes a sentence such as "The file x.json …"."""


def read_at_most(path: Path, max_bytes: int) -> bytes:
    """The bytes of `path`, or NotJson if it holds more than `max_bytes`: a file is refused by its size before it
    is read, anything else (a pipe) once more than that has come."""
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size > max_bytes:
            raise _too_large(max_bytes)
        raw = handle.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise _too_large(max_bytes)
    return raw


def loads(raw: bytes, *, max_bytes: int, max_depth: int = MAX_DEPTH, max_digits: int = MAX_DIGITS) -> Any:
    """The JSON document in `raw` (UTF-8, a byte order mark allowed), or NotJson saying why not."""
    if len(raw) > max_bytes:
        raise _too_large(max_bytes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotJson(f"is not JSON: byte {exc.start} is not UTF-8 text") from None
    if nesting_depth(text) > max_depth:
        raise NotJson(f"is nested too deeply (more than {max_depth} levels)")

    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants,
                          parse_int=_number(int, max_digits), parse_float=_number(float, max_digits))
    except json.JSONDecodeError as exc:
        raise NotJson(f"is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:  # not reached below MAX_DEPTH; kept so that no input can escape as a crash
        raise NotJson(f"is nested too deeply (more than {max_depth} levels)") from None


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in `text`, counted without recursion (exact for valid JSON)."""
    brackets = _NOT_A_BRACKET.sub("", _STRING.sub("", text))
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets), initial=0))


def _number(kind: Callable[[str], float], max_digits: int) -> Callable[[str], float]:
    def parse(digits: str) -> float:
        if len(digits) > max_digits:
            raise NotJson(f"is not JSON that can be read: it holds a number of more than {max_digits} characters")
        value = kind(digits)
        if not math.isfinite(value):
            raise NotJson(f"is not JSON: it contains {digits}, a number too large to read")
        return value

    return parse


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            shown = json.dumps(key if len(key) <= 40 else key[:39] + "…", ensure_ascii=False)
            raise NotJson(f"has the key {shown} twice in one object")
        found[key] = value
    return found


def _no_constants(name: str) -> Any:
    raise NotJson(f"is not JSON: it contains {name}, which JSON does not allow")


def _too_large(max_bytes: int) -> NotJson:
    return NotJson(f"is larger than {_size(max_bytes)}, more than this kind of file ever holds")


def _size(count: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= scale and count % scale == 0:
            return f"{count // scale} {unit}"
    return f"{count:,} bytes"
