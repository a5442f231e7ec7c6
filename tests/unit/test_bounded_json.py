"""The reader of JSON from outside the app: what json.loads reads, except what is too big, too deep, too long a
number, not finite, or a key given twice; and whatever the bytes, NotJson or a value, never another error."""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boundary_journal import bounded_json
from boundary_journal.bounded_json import NotJson, loads, nesting_depth

LIMIT = 1 << 20

values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**18), 10**18) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


def depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


class TestReadsJson:
    @pytest.mark.slow
    @settings(max_examples=300, deadline=None)
    @given(values)
    def test_what_json_writes_reads_back_and_its_depth_is_counted(self, value: Any) -> None:
        for text in (json.dumps(value), json.dumps(value, indent=2, ensure_ascii=False)):
            assert nesting_depth(text) == depth(value)
            assert loads(text.encode(), max_bytes=LIMIT) == value

    def test_brackets_and_quotes_inside_strings_do_not_count(self) -> None:
        text = json.dumps({"a": '[[[{{{ \\" "]]]', "b": ["\\", "\\\\\"", "}"]})
        assert nesting_depth(text) == 2
        assert loads(text.encode(), max_bytes=LIMIT)["b"] == ["\\", '\\\\"', "}"]

    def test_byte_order_mark(self) -> None:
        assert loads(b'\xef\xbb\xbf{"a": 1}', max_bytes=LIMIT) == {"a": 1}

    def test_the_limits_themselves_are_allowed(self) -> None:
        deepest = "[" * bounded_json.MAX_DEPTH + "]" * bounded_json.MAX_DEPTH
        assert nesting_depth(deepest) == bounded_json.MAX_DEPTH
        loads(deepest.encode(), max_bytes=LIMIT)
        assert loads(b"-" + b"9" * (bounded_json.MAX_DIGITS - 1), max_bytes=LIMIT) < 0
        assert loads(b'"x"', max_bytes=3) == "x"


class TestRefuses:
    @pytest.mark.parametrize(("raw", "why"), [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"[" * (bounded_json.MAX_DEPTH + 1) + b"]" * (bounded_json.MAX_DEPTH + 1), "nested too deeply"),
        (b'{"a": ' * 5000, "nested too deeply"),
        (b"1" * 5000, "a number of more than 32 characters"),
        (b"[1." + b"5" * 5000 + b"]", "a number of more than 32 characters"),
        (b"1e999", "a number too large"),
        (b"-1e999", "a number too large"),
        (b"NaN", "it contains NaN"),
        (b"[-Infinity]", "it contains -Infinity"),
        (b'{"a": 1, "a": 2}', 'has the key "a" twice'),
        (b'{"x": {"' + b"k" * 100 + b'": 1, "' + b"k" * 100 + b'": 1}}', "twice"),
        (b"\xff", "byte 0 is not UTF-8"),
        (b"", "Expecting value at line 1, column 1"),
        (b'{"a": "unterminated', "Unterminated string"),
        (b" " * (LIMIT + 1), "is larger than 1 MiB"),
    ])
    def test_with_a_reason(self, raw: bytes, why: str) -> None:
        with pytest.raises(NotJson, match=why) as refused:
            loads(raw, max_bytes=LIMIT)
        assert len(str(refused.value)) < 200

    @pytest.mark.parametrize("raw", [
        b'"' + b'\\"' * 500_000,  # one string never closed, full of escaped quotes
        b'"\\' * 300_000,
        b'["' * 300_000,
        b"[" * 1_000_000,
    ])
    def test_a_megabyte_of_unclosed_text_is_refused_in_linear_time(self, raw: bytes) -> None:
        started = time.perf_counter()
        with pytest.raises(NotJson):
            loads(raw, max_bytes=4 * LIMIT)
        assert time.perf_counter() - started < 2

    @pytest.mark.slow
    @settings(max_examples=500, deadline=None)
    @given(st.binary(max_size=200) | st.text(alphabet='[]{}",:\\ 0123456789.eE-+tfnaul', max_size=200).map(str.encode))
    def test_any_bytes_give_a_value_or_not_json(self, raw: bytes) -> None:
        with contextlib.suppress(NotJson):
            loads(raw, max_bytes=LIMIT)
