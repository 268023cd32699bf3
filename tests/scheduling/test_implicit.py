"""Implicit credit and blame: exact dates for SM-2 and FSRS, and the credit's properties."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizcalc.scheduling import NEW_CARD_STATE, CardState, SchedulerSettings
from quizcalc.scheduling.early import apply_early_answer
from quizcalc.scheduling.fsrs import FsrsMemory, fsrs_interval, fsrs_review, retrievability
from quizcalc.scheduling.implicit import (
    CREDIT_RETENTION_MARGIN,
    SM2_CREDIT_STRETCH,
    blame,
    blamed_due,
    credited_due,
    fsrs_credit,
    sm2_credit,
)
from quizcalc.scheduling.ratings import Rating

SETTINGS = SchedulerSettings(rollover_hour=4)
REVIEWED = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
LEARNED = CardState(
    repetitions=3,
    easiness=2.5,
    interval=15,
    due=date(2026, 11, 16),
    reviews=3,
    last_reviewed_at=REVIEWED,
)
"""Reviewed on 1 November with a 15-day interval: due on the 16th. A credit may stretch the
interval to at most ceil(15 × 1.9) = 29 days: 30 November."""
MEMORY = FsrsMemory(stability=10.0, difficulty=5.0)
"""S = 10: due 10 days after its review at 90 %; 85 % comes 19 days after it."""


def at(day: date) -> datetime:
    """Nine in the morning of ``day`` (well after the rollover)."""
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


def test_a_quarter_review_on_the_due_day_moves_only_the_due_day_a_quarter_of_the_way() -> None:
    """A real Good review on the 16th gives ceil(15 × 2.5) = 38 days: 24 December. A quarter
    of 38 is 9.5, rounded half up to 10: due 26 November. The memory stays."""
    credited = sm2_credit(LEARNED, 0.25, at(date(2026, 11, 16)), SETTINGS)
    assert credited == CardState(
        repetitions=3,
        easiness=2.5,
        interval=15,
        due=date(2026, 11, 26),
        reviews=3,
        last_reviewed_at=REVIEWED,
    )


def test_a_larger_credit_stops_at_the_stretch_cap() -> None:
    """Half of 38 days would be 5 December, past the cap of 30 November."""
    assert sm2_credit(LEARNED, 0.5, at(date(2026, 11, 16)), SETTINGS).due == date(2026, 11, 30)
    assert sm2_credit(LEARNED, 1.0, at(date(2026, 11, 16)), SETTINGS).due == date(2026, 11, 30)


def test_a_credit_before_the_due_day_counts_only_the_days_that_passed() -> None:
    """On 6 November (5 days in), a real Good review would count 5 × 2.5 → 13 days, so it
    keeps the 15-day interval: due 21 November, 5 days past the 16th. Half of 5 is 2.5,
    rounded half up to 3: due 19 November."""
    assert sm2_credit(LEARNED, 0.5, at(date(2026, 11, 6)), SETTINGS).due == date(2026, 11, 19)


def test_an_overdue_card_is_credited_from_its_due_day() -> None:
    """Due on the 16th, credited on the 26th: a real Good review would give 38 days from
    the 26th (3 January), 48 days past the 16th; a quarter of 48 is 12: 28 November."""
    assert sm2_credit(LEARNED, 0.25, at(date(2026, 11, 26)), SETTINGS).due == date(2026, 11, 28)


def test_a_card_never_reviewed_or_with_no_known_last_review_gets_no_credit() -> None:
    assert sm2_credit(NEW_CARD_STATE, 1.0, at(date(2026, 11, 16)), SETTINGS) == NEW_CARD_STATE
    unknown = CardState(repetitions=2, interval=6, due=date(2026, 11, 16), reviews=2)
    assert sm2_credit(unknown, 1.0, at(date(2026, 11, 16)), SETTINGS) == unknown


def test_a_weight_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        sm2_credit(LEARNED, 1.5, at(date(2026, 11, 16)), SETTINGS)
    with pytest.raises(ValueError, match="between 0 and 1"):
        credited_due(date(2026, 11, 16), date(2026, 12, 1), -0.1)


def test_a_credit_never_moves_a_due_day_earlier_even_when_a_review_would() -> None:
    """A due day set later than a review now would give (say, by hand) stays where it is."""
    assert credited_due(date(2026, 12, 10), date(2026, 12, 1), 0.5) == date(2026, 12, 10)
    assert credited_due(date(2026, 12, 10), date(2026, 12, 1), 1.0) == date(2026, 12, 10)


def test_the_sm2_stretch_is_fsrs6s_ratio_of_the_85_and_90_percent_intervals() -> None:
    """R(t, S) = 0.85 comes ~1.906 S after the review, R = 0.9 at S: 1.9 rounds it down."""
    floor = 0.9 - CREDIT_RETENTION_MARGIN
    days_to_floor = next(t / 100 for t in range(100, 1000) if retrievability(t / 100, 1) <= floor)
    assert SM2_CREDIT_STRETCH == math.floor(days_to_floor * 10) / 10 == 1.9


def test_fsrs_credit_on_the_due_day_moves_the_due_day_a_quarter_of_the_way() -> None:
    """A Good review on the due day (11 November) makes S ≈ 32.03, a 32-day interval; a
    quarter of 32 days is 8: due 19 November."""
    assert fsrs_interval(fsrs_review(MEMORY, Rating.GOOD, 10).stability) == 32
    credit = fsrs_credit(MEMORY, date(2026, 11, 1), date(2026, 11, 11), 0.25, date(2026, 11, 11))
    assert credit == date(2026, 11, 19)


def test_fsrs_credit_stops_where_the_uncredited_recall_falls_to_85_percent() -> None:
    """Half of 32 days would be 27 November; S = 10 falls to 85 % after 19 days: the 20th."""
    assert fsrs_interval(10.0, 0.85) == 19
    for weight in (0.5, 1.0):
        credit = fsrs_credit(
            MEMORY, date(2026, 11, 1), date(2026, 11, 11), weight, date(2026, 11, 11)
        )
        assert credit == date(2026, 11, 20)


def test_fsrs_credit_before_the_due_day_uses_the_days_that_passed() -> None:
    """Three days after the review a Good review gives S ≈ 18.38, an 18-day interval: due
    22 November, 11 days past the 11th; half of 11 is 5.5 → 6: due 17 November."""
    credit = fsrs_credit(MEMORY, date(2026, 11, 1), date(2026, 11, 11), 0.5, date(2026, 11, 4))
    assert credit == date(2026, 11, 17)


def test_blame_makes_a_learned_card_due_today_and_keeps_its_memory() -> None:
    blamed = blame(LEARNED, at(date(2026, 11, 6)), SETTINGS)
    assert blamed.due == date(2026, 11, 6)
    assert (blamed.interval, blamed.easiness, blamed.repetitions) == (15, 2.5, 3)


def test_blame_leaves_a_new_or_already_due_card() -> None:
    assert blame(NEW_CARD_STATE, at(date(2026, 11, 6)), SETTINGS) == NEW_CARD_STATE
    assert blame(LEARNED, at(date(2026, 11, 20)), SETTINGS) == LEARNED
    assert blamed_due(date(2026, 11, 3), date(2026, 11, 6)) == date(2026, 11, 3)
    assert blamed_due(date(2026, 11, 30), date(2026, 11, 6)) == date(2026, 11, 6)


# --- properties ------------------------------------------------------------------------------


@st.composite
def learned_cards(draw: st.DrawFn) -> tuple[CardState, datetime]:
    """A reviewed SM-2 card and a moment on or after its last review."""
    interval = draw(st.integers(1, 400))
    last = REVIEWED + timedelta(days=draw(st.integers(0, 1000)))
    state = CardState(
        repetitions=draw(st.integers(0, 12)),
        easiness=draw(st.floats(1.3, 3.0)),
        interval=interval,
        due=last.date() + timedelta(days=interval),
        reviews=draw(st.integers(1, 30)),
        last_reviewed_at=last,
    )
    return state, last + timedelta(days=draw(st.integers(0, 2 * interval + 30)))


def stretch_cap(state: CardState) -> date:
    assert state.last_reviewed_at is not None
    days = math.ceil(round(state.interval * SM2_CREDIT_STRETCH, 9))
    return state.last_reviewed_at.date() + timedelta(days=days)


@given(learned_cards())
def test_full_credit_is_a_real_good_review_up_to_the_cap_and_zero_credit_nothing(
    card: tuple[CardState, datetime],
) -> None:
    state, now = card
    assert state.due is not None
    real = apply_early_answer(state, 4, now, SETTINGS).state.due
    assert real is not None
    full = sm2_credit(state, 1.0, now, SETTINGS)
    assert full.due == max(state.due, min(real, stretch_cap(state)))
    assert sm2_credit(state, 0.0, now, SETTINGS) == state


@given(learned_cards(), st.floats(0, 1), st.floats(0, 1))
def test_credit_is_monotone_in_the_weight_never_earlier_and_within_the_cap(
    card: tuple[CardState, datetime], first: float, second: float
) -> None:
    state, now = card
    low, high = sorted((first, second))
    credited_low = sm2_credit(state, low, now, SETTINGS)
    credited_high = sm2_credit(state, high, now, SETTINGS)
    assert state.due is not None and credited_low.due is not None
    assert credited_high.due is not None
    assert state.due <= credited_low.due <= credited_high.due
    assert credited_high.due <= max(state.due, stretch_cap(state))
    assert credited_high.memory == state.memory


@given(
    st.floats(0.5, 300),
    st.floats(1, 10),
    st.integers(0, 400),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_fsrs_credit_is_monotone_never_earlier_and_capped(
    stability: float, difficulty: float, elapsed: int, first: float, second: float
) -> None:
    memory = FsrsMemory(stability, difficulty)
    last = date(2026, 1, 1)
    due = last + timedelta(days=fsrs_interval(stability))
    today = last + timedelta(days=elapsed)
    low, high = sorted((first, second))
    due_low = fsrs_credit(memory, last, due, low, today)
    due_high = fsrs_credit(memory, last, due, high, today)
    assert due <= due_low <= due_high
    assert due_high <= max(due, last + timedelta(days=fsrs_interval(stability, 0.85)))
    assert fsrs_credit(memory, last, due, 0.0, today) == due
    good = fsrs_review(memory, Rating.GOOD, elapsed)
    real = today + timedelta(days=fsrs_interval(good.stability))
    cap = last + timedelta(days=fsrs_interval(stability, 0.85))
    assert fsrs_credit(memory, last, due, 1.0, today) == max(due, min(real, cap))
