"""A session over one deck or section: its queue, its limits, and naming it from the CLI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.errors import UnknownScope
from quizcalc.study.scope import EVERYTHING, StudyScope, match_scope
from tests.conftest import FIXED_NOW

CALCULUS = """---
deck: Calculus
---

## 2.1 Derivatives

Q: d1?
A: a.

Q: d2?
A: a.

### Practice

Q: d3 practice?
A: a.

## 2.2 Gradients

Q: g1?
A: a.

Q: g2?
A: a.
"""

LINEAR = """---
deck: Linear algebra
---

## Matrices

Q: m1?
A: a.
"""


def _open(db_url: str, write_deck: Callable[..., Path], **settings: int) -> StudyService:
    write_deck(CALCULUS, "calculus.md")
    folder = write_deck(LINEAR, "linear.md")
    service = StudyService.open(db_url, Config(**settings))
    service.sync(folder, FIXED_NOW)
    return service


def _questions(service: StudyService, keys: list[int]) -> list[str]:
    return [service.card(key).question for key in keys]


def test_a_section_session_serves_only_that_section_and_its_subsections(
    db_url: str, write_deck: Callable[..., Path]
) -> None:
    service = _open(db_url, write_deck)
    scope = StudyScope("Calculus", "2.1 Derivatives")
    session = service.begin_session(FIXED_NOW, scope=scope)
    seen = []
    while (card := session.next_card(FIXED_NOW)) is not None:
        seen.append(card.question)
        session.answer(card, 5, FIXED_NOW)
    assert seen == ["d1?", "d2?", "d3 practice?"]
    # The rest of the collection is still waiting for the plain review (dealt deck by deck).
    assert _questions(service, service.queue(FIXED_NOW).new) == ["g1?", "m1?", "g2?"]


def test_a_deck_session_gets_its_new_cards_even_when_another_deck_comes_first(
    db_url: str, write_deck: Callable[..., Path]
) -> None:
    service = _open(db_url, write_deck, new_per_day=1)
    assert _questions(service, service.queue(FIXED_NOW).new) == ["d1?"]
    scoped = service.queue(FIXED_NOW, StudyScope("Linear algebra"))
    assert _questions(service, scoped.new) == ["m1?"]


def test_the_daily_new_card_limit_is_shared_by_every_scope(
    db_url: str, write_deck: Callable[..., Path]
) -> None:
    service = _open(db_url, write_deck, new_per_day=2)
    gradients = StudyScope("Calculus", "2.2 Gradients")
    session = service.begin_session(FIXED_NOW, scope=gradients)
    for _ in range(2):
        card = session.next_card(FIXED_NOW)
        assert card is not None
        session.answer(card, 5, FIXED_NOW)
    assert service.queue(FIXED_NOW).new == []  # both of today's new cards were used
    tomorrow = FIXED_NOW + timedelta(days=1)
    assert _questions(service, service.queue(tomorrow, gradients).due) == ["g1?", "g2?"]


def test_failed_cards_come_back_only_in_their_own_scope(
    db_url: str, write_deck: Callable[..., Path]
) -> None:
    service = _open(db_url, write_deck, relearn_gap=0)
    first = service.next_card(FIXED_NOW)
    assert first is not None and first.question == "d1?"
    service.answer(first.key, 1, FIXED_NOW)
    assert service.queue(FIXED_NOW, StudyScope("Calculus")).relearn_ready == [first.key]
    assert service.queue(FIXED_NOW, StudyScope("Linear algebra")).relearn_ready == []
    assert service.queue(FIXED_NOW, StudyScope(None, "2.1 Derivatives")).due_count == 1


def test_a_session_says_what_it_covers(db_url: str, write_deck: Callable[..., Path]) -> None:
    service = _open(db_url, write_deck)
    assert service.begin_session(FIXED_NOW).label == "all decks"
    scope = StudyScope("Calculus", "2.1 Derivatives::Practice")
    assert service.begin_session(FIXED_NOW, scope=scope).label == (
        "Calculus › 2.1 Derivatives › Practice"
    )


PRACTICE = "2.1 Derivatives::Practice"

PAIRS = [
    ("Calculus", "2.1 Derivatives"),
    ("Calculus", "2.1 Derivatives::Practice"),
    ("Calculus", "2.2 Gradients"),
    ("Linear algebra", "Matrices"),
    ("Linear algebra", ""),
]


@pytest.mark.parametrize(
    ("deck", "section", "expected"),
    [
        (None, None, EVERYTHING),
        ("calculus", None, StudyScope("Calculus")),
        ("Calculus", "2.1", StudyScope("Calculus", "2.1 Derivatives")),
        (
            "Calculus",
            "2.1 derivatives::practice",
            StudyScope("Calculus", "2.1 Derivatives::Practice"),
        ),
        ("Calculus", "2.1::Practice", StudyScope("Calculus", "2.1 Derivatives::Practice")),
        (None, "matrices", StudyScope(None, "Matrices")),
    ],
)
def test_names_match_without_regard_to_case_or_by_section_number(
    deck: str | None, section: str | None, expected: StudyScope
) -> None:
    assert match_scope(deck, section, PAIRS) == expected


def test_an_unknown_deck_lists_the_decks() -> None:
    assert match_scope("Calclus", None, PAIRS) == (
        "no deck named 'Calclus'; decks: Calculus, Linear algebra"
    )


def test_an_unknown_section_lists_the_deck_s_sections() -> None:
    assert match_scope("Calculus", "Matrices", PAIRS) == (
        "no section 'Matrices' in deck 'Calculus'; sections: 2.1 Derivatives; 2.2 Gradients"
    )


def test_finding_a_scope_reads_the_collection(db_url: str, write_deck: Callable[..., Path]) -> None:
    service = _open(db_url, write_deck)
    assert service.find_scope("linear algebra", None) == StudyScope("Linear algebra")
    with pytest.raises(UnknownScope, match="decks: Calculus, Linear algebra"):
        service.find_scope("Topology", None)
