"""The answer step: one pure function from (state, grade, moment, settings) to the new state."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizcalc.scheduling import (
    NEW_CARD_STATE,
    CardState,
    SchedulerSettings,
    apply_answer,
    is_leech_lapse,
    review,
)

MORNING = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
SETTINGS = SchedulerSettings(rollover_hour=4, leech_threshold=8)


def test_a_new_card_answered_perfectly_is_due_tomorrow() -> None:
    step = apply_answer(NEW_CARD_STATE, 5, MORNING, SETTINGS)
    assert step.state == CardState(
        repetitions=1,
        easiness=2.6,
        interval=1,
        due=date(2026, 11, 27),
        lapses=0,
        reviews=1,
        last_reviewed_at=MORNING,
    )
    assert (step.study_day, step.lapsed, step.leech, step.again_today) == (
        date(2026, 11, 26),
        False,
        False,
        False,
    )


def test_the_due_day_counts_from_the_study_day_not_the_calendar_day() -> None:
    """02:30 before a 04:00 rollover still belongs to yesterday's study day."""
    late = datetime(2026, 11, 27, 2, 30, tzinfo=timezone(timedelta(hours=-5)))
    step = apply_answer(CardState(repetitions=1, interval=1), 4, late, SETTINGS)
    assert step.study_day == date(2026, 11, 26)
    assert step.state.due == date(2026, 11, 26) + timedelta(days=6)


def test_failing_a_learned_card_is_a_lapse_and_it_comes_back_today() -> None:
    learned = CardState(repetitions=3, easiness=2.5, interval=15, due=MORNING.date(), lapses=2)
    step = apply_answer(learned, 1, MORNING, SETTINGS)
    assert step.lapsed and step.state.lapses == 3
    assert step.state.repetitions == 0 and step.state.interval == 1
    assert step.again_today and not step.leech


def test_failing_a_new_card_is_not_a_lapse() -> None:
    step = apply_answer(NEW_CARD_STATE, 0, MORNING, SETTINGS)
    assert not step.lapsed and step.state.lapses == 0


@pytest.mark.parametrize(
    ("lapses_before", "leech"), [(6, False), (7, True), (10, False), (11, True)]
)
def test_the_lapse_that_reaches_the_leech_rule_flags_a_leech(
    lapses_before: int, leech: bool
) -> None:
    learned = CardState(repetitions=2, interval=6, lapses=lapses_before)
    step = apply_answer(learned, 2, MORNING, SETTINGS)
    assert step.leech is leech
    assert step.again_today is not leech  # a leech is suspended, not asked again


def test_no_threshold_never_flags_a_leech() -> None:
    learned = CardState(repetitions=2, interval=6, lapses=99)
    assert not apply_answer(learned, 0, MORNING, SchedulerSettings(leech_threshold=None)).leech


@given(
    st.integers(0, 20),
    st.floats(1.3, 3.5),
    st.integers(0, 400),
    st.integers(0, 5),
)
def test_memory_is_exactly_sm2_and_the_input_is_left_alone(
    repetitions: int, easiness: float, interval: int, quality: int
) -> None:
    state = CardState(repetitions=repetitions, easiness=easiness, interval=interval)
    snapshot = asdict(state)
    step = apply_answer(state, quality, MORNING, SETTINGS)
    assert step.state.memory == review(state.memory, quality)
    assert step.state.due == step.study_day + timedelta(days=step.state.interval)
    assert step.state.reviews == state.reviews + 1
    assert asdict(state) == snapshot


def test_anki_leech_rule_counts() -> None:
    assert [n for n in range(1, 25) if is_leech_lapse(n, 8)] == [8, 12, 16, 20, 24]


def test_the_new_card_state_is_what_every_layer_starts_from() -> None:
    """The store's model, a new schedule row and the exchange format share one constant."""
    from quizcalc.exchange.model import ExchangeSchedule
    from quizcalc.store.models import ScheduleRecord

    assert ScheduleRecord.new().state == NEW_CARD_STATE
    exchange = ExchangeSchedule()
    assert {f.name: getattr(exchange, f.name) for f in fields(ExchangeSchedule)} == asdict(
        NEW_CARD_STATE
    )
    columns = ScheduleRecord.__table__.columns
    for name in ("repetitions", "easiness", "interval", "lapses", "reviews"):
        assert columns[name].default.arg == getattr(NEW_CARD_STATE, name), name


def test_two_hundred_perfect_answers_in_a_row_keep_a_calendar_due_day() -> None:
    """Uncapped, SM-2's interval outgrew the calendar (OverflowError) after ~90 answers."""
    state = NEW_CARD_STATE
    for _ in range(200):
        state = apply_answer(state, 5, MORNING, SETTINGS).state
    assert state.interval == 36_500
    assert state.due == MORNING.date() + timedelta(days=36_500)
