"""Answering a card before its due day (review ahead): only the days that passed count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from quizcalc.scheduling.answer import CardState, SchedulerSettings, apply_answer
from quizcalc.scheduling.early import apply_early_answer, is_early

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)
SETTINGS = SchedulerSettings()


def _learned(interval: int, due_in: int, repetitions: int = 3, easiness: float = 2.5) -> CardState:
    return CardState(
        repetitions=repetitions,
        easiness=easiness,
        interval=interval,
        due=TODAY + timedelta(days=due_in),
        reviews=repetitions,
    )


def test_a_pass_counts_only_the_days_that_passed() -> None:
    # Interval 10, due in 6 days: 4 days have passed; 4 × 2.5 = 10, so it stays at 10 days,
    # from today (SM-2 on time would give 25).
    step = apply_early_answer(_learned(10, 6), 4, NOW, SETTINGS)
    assert step.state.interval == 10
    assert step.state.due == TODAY + timedelta(days=10)
    assert apply_answer(_learned(10, 6), 4, NOW, SETTINGS).state.interval == 25


def test_a_pass_grows_the_interval_once_enough_time_has_passed() -> None:
    step = apply_early_answer(_learned(10, 2), 5, NOW, SETTINGS)  # 8 days passed: 8 × 2.5
    assert step.state.interval == 20
    assert step.state.easiness == 2.6  # EF moves as SM-2 moves it for the grade


def test_a_pass_never_shortens_the_interval_and_keeps_the_repetition_count() -> None:
    step = apply_early_answer(_learned(6, 5, repetitions=2), 3, NOW, SETTINGS)
    assert step.state.interval == 6
    assert step.state.repetitions == 2
    assert step.again_today  # graded 3: asked again later, as any step-7 card
    assert not step.lapsed


def test_a_fail_is_a_lapse_as_on_the_due_day() -> None:
    early = apply_early_answer(_learned(10, 6), 1, NOW, SETTINGS)
    on_time = apply_answer(_learned(10, 6), 1, NOW, SETTINGS)
    assert early == on_time
    assert early.lapsed and early.state.interval == 1 and early.state.repetitions == 0


@pytest.mark.parametrize("due_in", [0, -3])
def test_a_due_card_is_answered_as_usual(due_in: int) -> None:
    state = _learned(10, due_in)
    assert not is_early(state, NOW, SETTINGS)
    assert apply_early_answer(state, 4, NOW, SETTINGS) == apply_answer(state, 4, NOW, SETTINGS)


def test_a_new_card_is_answered_as_usual() -> None:
    state = CardState()
    assert apply_early_answer(state, 5, NOW, SETTINGS) == apply_answer(state, 5, NOW, SETTINGS)
