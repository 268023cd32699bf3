"""Implicit credit and blame: exact dates for SM-2 and FSRS, and the credit's properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizcalc.scheduling import NEW_CARD_STATE, CardState, SchedulerSettings
from quizcalc.scheduling.early import apply_early_answer
from quizcalc.scheduling.fsrs import FsrsMemory, fsrs_interval, fsrs_review
from quizcalc.scheduling.implicit import (
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
"""Reviewed on 1 November with a 15-day interval: due on the 16th."""


def at(day: date) -> datetime:
    """Nine in the morning of ``day`` (well after the rollover)."""
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


def test_half_a_review_on_the_due_day_moves_the_due_day_half_way() -> None:
    """A real Good review on the 16th gives ceil(15 × 2.5) = 38 days: 24 December. Half of
    the 38 days is 19: due 5 December, 34 days after the last real review."""
    credited = sm2_credit(LEARNED, 0.5, at(date(2026, 11, 16)), SETTINGS)
    assert credited == CardState(
        repetitions=3,
        easiness=2.5,
        interval=34,
        due=date(2026, 12, 5),
        reviews=3,
        last_reviewed_at=REVIEWED,
    )


def test_a_credit_before_the_due_day_counts_only_the_days_that_passed() -> None:
    """On 6 November (5 days in), a real Good review would count 5 × 2.5 → 13 days, so it
    keeps the 15-day interval: due 21 November, 5 days past the 16th. Half of 5 is 2.5,
    rounded half up to 3: due 19 November."""
    credited = sm2_credit(LEARNED, 0.5, at(date(2026, 11, 6)), SETTINGS)
    assert (credited.due, credited.interval) == (date(2026, 11, 19), 18)


def test_a_card_never_reviewed_gets_no_credit() -> None:
    assert sm2_credit(NEW_CARD_STATE, 1.0, at(date(2026, 11, 16)), SETTINGS) == NEW_CARD_STATE


def test_a_weight_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        sm2_credit(LEARNED, 1.5, at(date(2026, 11, 16)), SETTINGS)
    with pytest.raises(ValueError, match="between 0 and 1"):
        credited_due(date(2026, 11, 16), date(2026, 12, 1), -0.1)


def test_an_overdue_card_is_credited_from_its_due_day() -> None:
    """Due on the 16th, credited on the 26th: a real Good review would give 38 days from
    the 26th (3 January), 48 days past the 16th; a quarter of 48 is 12."""
    credited = sm2_credit(LEARNED, 0.25, at(date(2026, 11, 26)), SETTINGS)
    assert credited.due == date(2026, 11, 28)


def test_fsrs_credit_on_the_due_day_moves_due_and_stability_half_way() -> None:
    """S = 10 is due 10 days after the review at 90 %. A Good review on the due day makes
    S ≈ 32.03 (a 32-day interval): half way is 16 days and S ≈ 21.01."""
    memory = FsrsMemory(stability=10.0, difficulty=5.0)
    good = fsrs_review(memory, Rating.GOOD, 10)
    assert fsrs_interval(good.stability) == 32
    credit = fsrs_credit(memory, date(2026, 11, 1), date(2026, 11, 11), 0.5, date(2026, 11, 11))
    assert credit.due == date(2026, 11, 27)
    assert credit.memory.stability == pytest.approx(10 + 0.5 * (good.stability - 10))
    assert credit.memory.difficulty == 5.0


def test_fsrs_credit_before_the_due_day_uses_the_days_that_passed() -> None:
    """Three days after the review a Good review gives S ≈ 18.38, an 18-day interval: due
    22 November, 11 days past the 11th; half of 11 is 5.5 → 6: due 17 November."""
    memory = FsrsMemory(stability=10.0, difficulty=5.0)
    credit = fsrs_credit(memory, date(2026, 11, 1), date(2026, 11, 11), 0.5, date(2026, 11, 4))
    assert credit.due == date(2026, 11, 17)


def test_fsrs_full_credit_equals_a_real_good_review() -> None:
    memory = FsrsMemory(stability=4.0, difficulty=7.0)
    today = date(2026, 11, 9)
    credit = fsrs_credit(memory, date(2026, 11, 5), date(2026, 11, 9), 1.0, today)
    good = fsrs_review(memory, Rating.GOOD, 4)
    assert credit.memory.stability == pytest.approx(good.stability)
    assert credit.due == today + timedelta(days=fsrs_interval(good.stability))


def test_blame_makes_a_learned_card_due_today_and_shortens_its_interval() -> None:
    blamed = blame(LEARNED, at(date(2026, 11, 6)), SETTINGS)
    assert (blamed.due, blamed.interval) == (date(2026, 11, 6), 5)
    assert (blamed.easiness, blamed.repetitions, blamed.reviews) == (2.5, 3, 3)


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


@given(learned_cards())
def test_full_credit_is_a_real_good_review_and_zero_credit_nothing(
    card: tuple[CardState, datetime],
) -> None:
    state, now = card
    real = apply_early_answer(state, 4, now, SETTINGS).state.due
    assert sm2_credit(state, 1.0, now, SETTINGS).due == real
    assert sm2_credit(state, 0.0, now, SETTINGS) == state


@given(learned_cards(), st.floats(0, 1), st.floats(0, 1))
def test_credit_is_monotone_in_the_weight_and_never_earlier(
    card: tuple[CardState, datetime], first: float, second: float
) -> None:
    state, now = card
    low, high = sorted((first, second))
    due_low = sm2_credit(state, low, now, SETTINGS).due
    due_high = sm2_credit(state, high, now, SETTINGS).due
    assert state.due is not None and due_low is not None and due_high is not None
    assert state.due <= due_low <= due_high


@given(
    st.floats(0.5, 300),
    st.floats(1, 10),
    st.integers(0, 400),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_fsrs_credit_is_monotone_never_earlier_and_never_weakens(
    stability: float, difficulty: float, elapsed: int, first: float, second: float
) -> None:
    memory = FsrsMemory(stability, difficulty)
    last = date(2026, 1, 1)
    due = last + timedelta(days=fsrs_interval(stability))
    today = last + timedelta(days=elapsed)
    low, high = sorted((first, second))
    credit_low = fsrs_credit(memory, last, due, low, today)
    credit_high = fsrs_credit(memory, last, due, high, today)
    assert due <= credit_low.due <= credit_high.due
    assert stability <= credit_low.memory.stability <= credit_high.memory.stability
    assert fsrs_credit(memory, last, due, 0.0, today).due == due


def test_a_credit_never_moves_a_due_day_earlier_even_when_a_review_would() -> None:
    """A due day set later than a review now would give (say, by hand) stays where it is."""
    assert credited_due(date(2026, 12, 10), date(2026, 12, 1), 0.5) == date(2026, 12, 10)
    assert credited_due(date(2026, 12, 10), date(2026, 12, 1), 1.0) == date(2026, 12, 10)
