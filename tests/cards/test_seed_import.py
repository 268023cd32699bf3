"""Importing the seed chapter (a web page saved as text): exactly its 39 Q&A cards.

The chapter lives beside the repository (``../shared/seeds/``), never inside it; these tests
skip, saying why, where it is absent. Only short fragments of it are quoted here.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from quizcalc.cards import Card, CardKind, lint_paths, parse_markdown
from tests.conftest import SEED_PATH, read_seed_chapter

SECTION_TITLE = re.compile(r"^2\.\d — ", re.MULTILINE)
CARDS_PER_SECTION = [4, 5, 5, 4, 4, 4, 5, 4, 4]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return read_seed_chapter()


@pytest.fixture(scope="module")
def seed_cards(seed_text: str) -> list[Card]:
    return parse_markdown(seed_text)


def test_seed_yields_exactly_its_39_question_cards(seed_text: str, seed_cards: list[Card]) -> None:
    assert len(seed_cards) == 39
    assert all(card.kind is CardKind.BASIC for card in seed_cards)
    lines = seed_text.splitlines()
    assert all(lines[card.line - 1].startswith("Q: ") for card in seed_cards)
    assert len({card.id for card in seed_cards}) == 39


def test_seed_cards_per_section(seed_text: str, seed_cards: list[Card]) -> None:
    section_starts = [
        seed_text.count("\n", 0, m.start()) + 1 for m in SECTION_TITLE.finditer(seed_text)
    ]
    counts = Counter(sum(start <= card.line for start in section_starts) for card in seed_cards)
    assert [counts[number] for number in range(1, 10)] == CARDS_PER_SECTION


def test_seed_as_a_txt_file_gets_numbered_sections(seed_text: str) -> None:
    cards = parse_markdown(seed_text, source="chapter-02.txt")
    sections = list(Counter(card.section for card in cards).items())
    assert [count for _, count in sections] == CARDS_PER_SECTION
    assert sections[0][0].startswith("2.1 — The derivative")
    assert cards[0].tags[0].startswith("2-1-the-derivative")


def test_two_sentence_question_splits_before_the_answer(seed_cards: list[Card]) -> None:
    card = seed_cards[1]
    assert card.question.startswith(r"Why the limit as \(h \to 0\)?")
    assert card.question.endswith(r"Why not just use a small fixed \(h\)?")
    assert card.answer.startswith(r"A fixed \(h\) gives the slope")
    assert card.answer.endswith("the true derivative is the limit.")


def test_exact_splits_of_several_seed_cards(seed_cards: list[Card]) -> None:
    by_question = {card.question: card for card in seed_cards}
    convex = by_question["Are neural networks convex? What follows from that?"]
    assert convex.answer.startswith("No — neural network loss surfaces")
    walk = by_question["Walk through the gradient descent update rule."]
    assert walk.answer.startswith(r"Compute the gradient \(\nabla L(w)\)")
    noise = by_question["Is the “stochastic” noise good or bad?"]
    assert noise.answer.startswith("Both. The noise")
    epoch = by_question["What is an epoch versus an iteration?"]
    assert epoch.answer.endswith("Training usually runs for many epochs.")


def test_every_seed_question_is_a_question(seed_cards: list[Card]) -> None:
    statements = [card.question for card in seed_cards if not card.question.endswith("?")]
    assert statements == ["Walk through the gradient descent update rule."]
    assert all(not card.question.startswith("Q:") for card in seed_cards)


def test_no_seed_card_takes_text_from_navigation_code_tables_or_callouts(
    seed_cards: list[Card],
) -> None:
    text = "\n".join(card.question + "\n" + card.answer for card in seed_cards)
    for fragment in ("All chapters", "import numpy", "def grad", "flowchart", "Tip", "Gotcha"):
        assert fragment not in text
    assert all("\n" not in card.answer for card in seed_cards)


def test_seed_file_lints_clean(seed_text: str) -> None:
    assert lint_paths([SEED_PATH]) == []
