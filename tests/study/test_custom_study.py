"""Custom study: review ahead N days, and today's forgotten cards.

The undo of an early answer runs on SQLite and on PostgreSQL (``ON_BOTH_BACKENDS``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.custom_study import CustomStudy, read_days_ahead
from quizcalc.study.scope import EVERYTHING, StudyScope
from tests.conftest import FIXED_NOW
from tests.postgres import ON_BOTH_BACKENDS, db_url_by_backend

__all__ = ["db_url_by_backend"]  # the tests marked ON_BOTH_BACKENDS run on both backends

DECK = """---
deck: Calculus
---

## Derivatives

Q: d1?
A: a.

Q: d2?
A: a.

## Gradients

Q: g1?
A: a.
"""


def _open(db_url: str, write_deck: Callable[..., Path], **settings: int) -> StudyService:
    service = StudyService.open(db_url, Config(**settings))
    service.sync(write_deck(DECK), FIXED_NOW)
    return service


def _day(n: int) -> datetime:
    return FIXED_NOW + timedelta(days=n)


def _study_all(service: StudyService, day: int) -> None:
    while (card := service.next_card(_day(day))) is not None:
        service.answer(card.key, 5, _day(day))


def test_review_ahead_serves_cards_due_within_the_days_soonest_first(
    db_url: str, write_deck: Callable[..., Path]
) -> None:
    service = _open(db_url, write_deck)
    _study_all(service, 0)  # all three due on day 1
    d1, d2, g1 = service.queue(_day(1)).due
    service.answer(d1, 5, _day(1))  # due on day 7
    service.answer(g1, 5, _day(1))  # due on day 7
    service.answer(d2, 5, _day(2))  # a day late: due on day 8
    assert service.next_card(_day(3)) is None  # nothing due on day 3

    def ahead(days: int, scope: StudyScope = EVERYTHING) -> list[int]:
        session = service.begin_session(_day(3), scope=scope, custom=CustomStudy("ahead", days))
        return session.queue(_day(3)).due

    assert ahead(3) == []  # nothing due by day 6
    assert ahead(4) == [d1, g1]
    assert ahead(5) == [d1, g1, d2]
    assert ahead(30, StudyScope("Calculus", "Gradients")) == [g1]


def test_an_early_pass_moves_the_card_by_the_days_that_passed_only(
    db_url: str, write_deck: Callable[..., Path]
) -> None:
    service = _open(db_url, write_deck)
    _study_all(service, 0)
    _study_all(service, 1)  # every card: interval 6, due on day 7, EF 2.7
    session = service.begin_session(_day(3), custom=CustomStudy("ahead", days=7))
    card = session.next_card(_day(3))
    assert card is not None and card.reason == "review"
    outcome = session.answer(card, 4, _day(3))
    # Two days passed: 2 × 2.7 rounds up to 6, never less than the interval: due on day 9
    # (on time, SM-2 would have given 6 × 2.7 → 17 days).
    assert outcome.after.interval == 6
    assert outcome.due == (_day(3) + timedelta(days=6)).date()
    assert outcome.kind == "review" and outcome.after.repetitions == 2
    assert card.key not in session.queue(_day(3)).due


def test_an_early_fail_is_a_lapse_and_is_relearned_in_the_session(
    db_url: str, write_deck: Callable[..., Path]
) -> None:
    service = _open(db_url, write_deck, relearn_gap=0)
    _study_all(service, 0)
    _study_all(service, 1)
    session = service.begin_session(_day(3), custom=CustomStudy("ahead", days=7))
    card = session.next_card(_day(3))
    assert card is not None
    outcome = session.answer(card, 1, _day(3))
    assert outcome.after.repetitions == 0 and outcome.due == _day(4).date()
    queue = session.queue(_day(3))
    assert queue.relearn_ready == [card.key]
    again = session.next_card(_day(3))
    assert again is not None and again.key == card.key and again.reason == "relearn"


@ON_BOTH_BACKENDS
def test_undo_restores_an_early_card_s_schedule(
    db_url: str, write_deck: Callable[..., Path]
) -> None:
    service = _open(db_url, write_deck)
    _study_all(service, 0)
    _study_all(service, 1)
    session = service.begin_session(_day(3), custom=CustomStudy("ahead", days=7))
    card = session.next_card(_day(3))
    assert card is not None
    before = service.queue(_day(7), EVERYTHING).due
    session.answer(card, 5, _day(3))
    assert session.undo() is not None
    assert service.queue(_day(7), EVERYTHING).due == before
    assert session.next_card(_day(3)) == card


def test_forgotten_cards_are_today_s_failing_grades_practised_without_rescheduling(
    db_url: str, write_deck: Callable[..., Path]
) -> None:
    service = _open(db_url, write_deck, relearn_gap=0)
    for key, grade in zip(service.queue(FIXED_NOW).new, [1, 5, 2], strict=True):
        service.answer(key, grade, FIXED_NOW)
    session = service.begin_session(FIXED_NOW, custom=CustomStudy("forgotten"))
    assert [service.card(k).question for k in session.queue(FIXED_NOW).due] == ["d1?", "g1?"]
    first = session.next_card(FIXED_NOW)
    assert first is not None and first.question == "d1?"
    practised = session.answer(first, 5, FIXED_NOW)
    assert practised.kind == "relearn"  # logged, and the schedule is left as today set it
    assert practised.after == practised.before
    second = session.next_card(FIXED_NOW)
    assert second is not None and second.question == "g1?"
    session.answer(second, 1, FIXED_NOW)
    # Failed again: it comes back in this session; the passed one is done.
    assert session.queue(FIXED_NOW).order == [second.key]
    session.answer(second, 4, FIXED_NOW)
    assert session.next_card(FIXED_NOW) is None


def test_forgotten_cards_keep_to_the_scope(db_url: str, write_deck: Callable[..., Path]) -> None:
    service = _open(db_url, write_deck)
    for key in service.queue(FIXED_NOW).new:
        service.answer(key, 0, FIXED_NOW)
    gradients = StudyScope("Calculus", "Gradients")
    session = service.begin_session(FIXED_NOW, scope=gradients, custom=CustomStudy("forgotten"))
    assert [service.card(k).question for k in session.queue(FIXED_NOW).order] == ["g1?"]
    assert session.label == "Calculus › Gradients: today's forgotten cards"


def test_custom_study_sizes_are_counted_per_scope(
    db_url: str, write_deck: Callable[..., Path]
) -> None:
    service = _open(db_url, write_deck)
    _study_all(service, 0)  # all three due on day 1
    d1, _d2, g1 = service.queue(_day(1)).due
    service.answer(d1, 1, _day(1))
    service.answer(g1, 2, _day(1))
    derivatives = service.custom_study_choices(StudyScope("Calculus", "Derivatives"), _day(1), 1)
    assert (derivatives.ahead, derivatives.forgotten) == (1, 1)  # d2 still due; d1 failed
    everything = service.custom_study_choices(EVERYTHING, _day(1), 1)
    assert (everything.ahead, everything.forgotten) == (1, 2)


def test_days_ahead_are_read_with_one_clear_line() -> None:
    assert read_days_ahead(" 7 ") == 7
    assert read_days_ahead("0") == "days ahead must be a whole number from 1 to 3650; got '0'"
    assert read_days_ahead("") == "days ahead must be a whole number from 1 to 3650; got nothing"
    assert "got 'two'" in str(read_days_ahead("two"))
