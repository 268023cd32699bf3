"""``content/FORMAT.md`` is a guide, not a deck, and its examples do what it says they do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizcalc.cards import lint_paths, parse_document, parse_markdown

GUIDE = Path(__file__).resolve().parents[2] / "content" / "FORMAT.md"
_EXAMPLE = re.compile(r"^(`{3,})markdown\n(.*?)^\1$", re.MULTILINE | re.DOTALL)
_CARD_MARKERS = re.compile(r"^\s*(?:\*\*)?[QC]:|\{\{c\d::|::|^\?\??$|^```problem", re.MULTILINE)


def examples() -> list[str]:
    return [match.group(2) for match in _EXAMPLE.finditer(GUIDE.read_text(encoding="utf-8"))]


def test_the_guide_itself_has_no_cards_and_no_problems() -> None:
    result = parse_document(GUIDE.read_text(encoding="utf-8"), str(GUIDE))
    assert (result.cards, result.problems) == ([], [])
    assert lint_paths([GUIDE]) == []


@pytest.mark.parametrize("example", examples(), ids=lambda text: text.splitlines()[0][:30])
def test_every_example_parses_cleanly_and_makes_the_cards_it_shows(example: str) -> None:
    result = parse_document(example, "example.md")
    assert result.problems == []
    assert bool(result.cards) == bool(_CARD_MARKERS.search(example))


def test_guide_examples_of_labels_hold() -> None:
    [card] = parse_markdown(
        "---\ntags: [Machine Learning, '#calculus']\n---\n# Convex vs. non-convex 📉\nQ: a?\nA: b\n"
    )
    assert card.tags == ("machine-learning", "calculus", "convex-vs-non-convex")
    [card] = parse_markdown("Q: a?\nA: b\n", "content/01-calculus.md")
    assert card.deck == "Calculus"
