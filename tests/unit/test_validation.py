"""The checks every service applies to what the user typed, and the view of stored text a terminal gets."""

from __future__ import annotations

import pytest

from boundary_journal.errors import InvalidInput
from boundary_journal.services import settings
from boundary_journal.services.validation import clean_text, for_terminal

RTL = "\u200fשלום עולם\u200f \u200eok\u200e مرحبا\u061c"
UNSAFE = [*(chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))),
          "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


class TestCleanText:
    """Controls and bidi controls are refused, naming the character and where it is; RTL text and marks pass."""

    def test_right_to_left_text_and_marks_pass(self) -> None:
        assert clean_text(RTL, "The note") == RTL

    @pytest.mark.parametrize("char", [c for c in UNSAFE if c != "\r"])
    def test_unsafe_characters_are_refused(self, char: str) -> None:
        with pytest.raises(InvalidInput, match=f"^The note contains .*U\\+{ord(char):04X} at character 3\\)"):
            clean_text(f"ab{char}cd", "The note")


class TestForTerminal:
    """Text read from the journal is printed with every control but tab and newline, and every bidi control,
    shown as U+FFFD, so a journal written before the checks cannot drive the terminal."""

    @pytest.mark.parametrize("char", UNSAFE)
    def test_unsafe_characters_are_replaced(self, char: str) -> None:
        assert for_terminal(f"a{char}b") == "a\ufffdb"

    def test_text_tabs_newlines_and_rtl_pass(self) -> None:
        text = f"line one\tcell\nline two {RTL} <b>&amp;</b> 😀"
        assert for_terminal(text) == text


def test_confirmed_words_are_cleaned_too(journal) -> None:
    with pytest.raises(InvalidInput, match="text-direction control"):
        settings.remember_not_identifying(journal, "West\u202efield")
