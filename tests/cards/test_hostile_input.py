"""Whatever a file holds (broken Markdown, binary junk, NULs, huge lines), parsing never fails.

A parser bug would surface as an "internal parser error" message rather than an exception
(``parse_document`` guards against that); these tests insist it never happens.
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizcalc.cards import ParseResult, latex_to_unicode, parse_document, parse_markdown

FRAGMENTS = [
    "Q:", "A:", "C:", "**Q:**", "Q: why? ", "{{c1::", "{{c2::", "::", ":::", "}}", "{", "}",
    "---", "\n", "\n\n", "`", "```", "```problem\n", "family: f\n", "difficulty: 9\n", "$",
    "$$", "\\(", "\\)", "\\[", "\\]", "?", "??", "[", "]", "(", ")", "# ", "- ", "> ", "1. ",
    "<!-- id: x -->", "<!--", "-->", "“", "”", '"', "e.g.", " ", "word", "\t", "\r", "\r\n",
    "\0", "\ufeff", "|a|b|\n|-|-|\n", "^", "_", "\\frac", "\\", "\\left", "\\begin{x}", "é",
]  # fmt: skip
card_like_text = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)
"""Text built from the pieces of card syntax, so generated inputs hit the parser's edges."""

HOSTILE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_sane(result: ParseResult, text: str) -> None:
    assert not [p for p in result.problems if "internal parser error" in p.message]
    last_line = max(1, len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")))
    for card in result.cards:
        assert card.id
        assert 1 <= card.line <= last_line
        assert card.question
    assert all(p.line >= 1 for p in result.problems)


@HOSTILE
@given(st.text())
def test_any_text_parses(text: str) -> None:
    assert_sane(parse_document(text, "any.md"), text)


@HOSTILE
@given(card_like_text, st.sampled_from(["notes.md", "page.txt"]))
def test_text_made_of_card_syntax_parses(text: str, source: str) -> None:
    assert_sane(parse_document(text, source), text)


@HOSTILE
@given(st.binary(max_size=400))
def test_binary_junk_decoded_leniently_parses(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    assert_sane(parse_document(text, "junk.md"), text)


@HOSTILE
@given(st.one_of(st.text(), card_like_text))
def test_latex_display_never_raises_and_leaves_math_free_text_alone(text: str) -> None:
    shown = latex_to_unicode(text)
    assert isinstance(shown, str)
    if "$" not in text and "\\(" not in text and "\\[" not in text:
        assert shown == text


def test_pathological_inputs_stay_fast() -> None:
    cases = [
        "Q: " + "word " * 100_000 + "?",
        "Q: what? " + "$a " * 20_000,
        "{{c1::" * 20_000,
        "C: " + "[" * 20_000 + "]" * 20_000,
        "Q: " + "(" * 50_000,
        "a" + "::b" * 20_000,
        "> " * 2_000 + "Q: deep",
    ]
    for text in cases:
        started = time.perf_counter()
        parse_markdown(text)
        latex_to_unicode(text)
        assert time.perf_counter() - started < 10, text[:40]
