"""The parser never drops text silently: what it cannot read is a ``file:line: message``.

markdown-it stops reading at 10 nested lists (its ``maxNesting``) and used to skip everything
after that point, so every card below a deep list vanished while ``cards check`` was clean.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizcalc.cards import parse_document
from quizcalc.cli.main import cli


def nested_list(depth: int, first_line: str = "item") -> str:
    """A bullet list ``depth`` levels deep, one item per level."""
    return "\n".join("  " * level + f"- {first_line} {level}" for level in range(depth))


def cards_after(count: int) -> str:
    return "\n".join(f"Q: Question number {n}?\nA: Answer {n}.\n" for n in range(count))


def test_cards_after_a_list_nested_ten_levels_deep_are_all_read() -> None:
    text = "Q: Before?\nA: Yes.\n\n" + nested_list(12) + "\n\n" + cards_after(92)
    result = parse_document(text, "deck.md")
    assert len(result.cards) == 93
    [problem] = result.problems
    assert str(problem) == (
        "deck.md:13: lines 13-15 are nested too deeply to read "
        "(at most 10 lists or 20 quotes inside each other); indent less"
    )


def test_nine_levels_are_read_without_a_problem() -> None:
    text = nested_list(9) + "\n\n" + cards_after(3)
    result = parse_document(text, "deck.md")
    assert (len(result.cards), result.problems) == (3, [])


def test_a_card_inside_too_many_quotes_is_reported_not_dropped() -> None:
    text = ">" * 25 + " Q: Deep?\n" + ">" * 25 + " A: Yes.\n\n" + cards_after(2)
    result = parse_document(text, "deck.md")
    assert len(result.cards) == 2
    assert [(p.line, "nested too deeply" in p.message) for p in result.problems] == [(1, True)]


def test_cards_check_names_the_deep_list_and_fails(tmp_path: Path) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text(nested_list(11) + "\n\n" + cards_after(2), encoding="utf-8")
    outcome = CliRunner().invoke(cli, ["cards", "check", str(deck)])
    assert outcome.exit_code == 1
    assert outcome.output.startswith(f"{deck}:10: lines 10-11 are nested too deeply to read")


# ---------------------------------------------------------------- card-like text left unread

UNREAD = [
    # (text, line of the message, what the message says)
    ("```\n\nQ: In code?\nA: Yes.\n", 3, "which is never closed"),
    ("<!-- draft\n\nQ: Open comment?\nA: Yes.\n", 3, "inside the HTML block that starts at"),
    ("<div>\nQ: In html?\nA: Yes.\n</div>\n", 2, "inside the HTML block that starts at line 1"),
    ("> Q: Quoted?\n> A: Yes.\n", 1, "inside a list or quote"),
    ("- Q: Listed?\n  A: Yes.\n", 1, "inside a list or quote"),
    ("Some prose.\nQ: Glued on?\nA: Yes.\n", 2, "start it on a line of its own"),
    ("Text\n\n    Q: Indented?\n    A: Yes.\n", 3, "indented 4 spaces or more"),
    ("# The {{c1::chain}} rule\n", 1, "it is a heading"),
    ("---\nQ: In front matter?\nA: Yes.\n---\n", 2, "front matter holds a card line"),
    ("```\n\n```problem\nfamily: chain_rule\n```\n", 3, "a ``` above was left open"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "says"), UNREAD, ids=[u[2][:30] for u in UNREAD])
def test_card_like_text_that_is_not_read_is_reported(text: str, line: int, says: str) -> None:
    result = parse_document(text, "deck.md")
    assert result.cards == []
    [problem] = result.problems
    assert problem.line == line
    assert says in problem.message


def test_many_card_lines_in_one_unclosed_block_are_one_message() -> None:
    result = parse_document("```\n\n" + cards_after(50), "deck.md")
    [problem] = result.problems
    assert str(problem) == (
        "deck.md:3: this line looks like a card (Q:) but is not read as one: it is inside the "
        "code block opened at line 1, which is never closed; close that block with ``` "
        "(49 more such line(s) below, in the same block)"
    )


SHOWN_ON_PURPOSE = [
    "```markdown\nQ: An example?\nA: In a closed code block.\n```\n",
    "````markdown\n```problem\nfamily: chain_rule\n```\n````\n",
    "<!--\nQ: A card commented out?\nA: Yes.\n-->\n",
    "Q: A question whose answer shows syntax?\nA: Write it like this:\n\n```\nC: The [x].\n```\n",
]


@pytest.mark.parametrize("text", SHOWN_ON_PURPOSE)
def test_card_syntax_in_closed_code_or_a_comment_is_left_alone(text: str) -> None:
    assert parse_document(text, "deck.md").problems == []


CARD_TEMPLATES = [
    "Q: Question {t}?\nA: Answer {t}.",
    "Q: Question {t}?\n\nA: Answer {t}.",
    "The {{{{c1::hidden}}}} word {t}.",
    "C: The [hidden] word {t}.",
    "```problem\nfamily: fam_{t}\n```",
]
JUNK = [
    "plain prose", "- item", "1. item", "* a\n  * b", "> quote", "# Heading", "## Sub", "---",
    "***", "<div>", "</div>", "<details>", "<?php", "<![CDATA[", "<!DOCTYPE html>", "<pre>",
    "    indented code", "| a | b |\n|---|---|", "[ref]: /url", "$$", "\\", "*", "_", "`", "``",
    "{{c1::", "-", "+", ">", "1)", "> - > - nested", "\t- tab", "[link](url", "**", "A: stray",
    "Q: q?", "Term\n: def", "family: x", "a :: b",
]  # fmt: skip
OPENERS = ["```", "~~~", "```python", "```problem", "<!-- comment", "<!-- id: x -->", "<script>"]
"""Junk that pairs with a later line of its kind (a fence closes a fence, ``-->`` a comment):
at most one per document, else the junk itself could fence cards in on purpose."""

junk = st.one_of(
    st.sampled_from(JUNK),
    st.integers(1, 14).map(nested_list),
    st.text(max_size=20).filter(lambda t: not any(c in t for c in "`~<")),
)
separators = st.sampled_from(["\n\n", "\n", "\n\n\n", " \n\n"])


@st.composite
def cards_among_junk(draw: st.DrawFn) -> tuple[int, str]:
    """(N, a document of N cards with junk before, between and after them)."""
    count = draw(st.integers(1, 6))
    opener = draw(st.sampled_from(OPENERS)) if draw(st.booleans()) else None
    opener_at = draw(st.integers(0, count))
    parts: list[str] = []
    for number in range(count + 1):
        parts.extend(draw(junk) + draw(separators) for _ in range(draw(st.integers(0, 2))))
        if opener is not None and number == opener_at:
            parts.append(opener + draw(separators))
        if number < count:
            template = draw(st.sampled_from(CARD_TEMPLATES))
            parts.append(template.format(t=f"zq{number}x") + draw(separators))
    return count, "".join(parts)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cards_among_junk())
def test_n_cards_among_junk_are_all_read_or_a_line_is_reported(document: tuple[int, str]) -> None:
    count, text = document
    result = parse_document(text, "deck.md")
    read = {
        number
        for number in range(count)
        for card in result.cards
        if f"zq{number}x" in card.question + card.answer + str(card.problem)
    }
    if len(read) < count:
        assert result.problems, f"cards {set(range(count)) - read} vanished without a word"
        assert all(problem.line >= 1 for problem in result.problems)


@pytest.mark.parametrize(
    "text",
    ["*" * 5000 + "a" + "*" * 5000, "# " + "*a " * 3000 + "x" + " b*" * 3000],
    ids=["paragraph", "heading"],
)
def test_thousands_of_nested_emphasis_marks_lose_no_card(text: str) -> None:
    """Such a tree took Python past its recursion limit: 'internal parser error', no card."""
    result = parse_document(text + "\n\n" + cards_after(3), "deck.md")
    assert (len(result.cards), result.problems) == (3, [])
