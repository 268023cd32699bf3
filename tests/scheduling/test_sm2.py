"""SM-2 against sequences worked by hand from the original 1990 description."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizcalc.scheduling.sm2 import (
    MAX_INTERVAL_DAYS,
    MIN_EASINESS,
    Quality,
    SM2State,
    needs_relearning,
    review,
)

# (grades, expected (repetitions, EF, interval) after each grade), worked by hand:
# EF' = EF + 0.1 - (5-q)(0.08 + (5-q)*0.02); interval 1, 6, then ceil(I * EF_before).
HAND_WORKED = [
    ([5, 5, 5, 5], [(1, 2.6, 1), (2, 2.7, 6), (3, 2.8, 17), (4, 2.9, 48)]),
    ([4, 4, 4, 4], [(1, 2.5, 1), (2, 2.5, 6), (3, 2.5, 15), (4, 2.5, 38)]),
    ([3, 3, 3], [(1, 2.36, 1), (2, 2.22, 6), (3, 2.08, 14)]),
    ([5, 5, 2, 4], [(1, 2.6, 1), (2, 2.7, 6), (0, 2.38, 1), (1, 2.38, 1)]),
    ([4, 5, 3, 5, 1], [(1, 2.5, 1), (2, 2.6, 6), (3, 2.46, 16), (4, 2.56, 40), (0, 2.02, 1)]),
    ([0, 0, 0], [(0, 1.7, 1), (0, 1.3, 1), (0, 1.3, 1)]),
]


@pytest.mark.parametrize(("grades", "expected"), HAND_WORKED)
def test_grade_sequences_match_hand_worked_schedule(
    grades: list[int], expected: list[tuple[int, float, int]]
) -> None:
    state = SM2State()
    for grade, (reps, ef, interval) in zip(grades, expected, strict=True):
        state = review(state, grade)
        assert (state.repetitions, state.interval) == (reps, interval)
        assert state.easiness == pytest.approx(ef)


def test_review_returns_a_new_state_and_leaves_the_old_one_alone() -> None:
    before = SM2State(repetitions=2, easiness=2.5, interval=6)
    after = review(before, 5)
    assert before == SM2State(repetitions=2, easiness=2.5, interval=6)
    assert after is not before


def test_interval_uses_the_easiness_from_before_the_update() -> None:
    # 6 × 2.5 = 15 (old EF); 6 × 2.6 would give 16.
    assert review(SM2State(2, 2.5, 6), 5).interval == 15


@pytest.mark.parametrize("bad", [-1, 6, 10])
def test_out_of_range_quality_is_refused(bad: int) -> None:
    with pytest.raises(ValueError, match=r"0\.\.5"):
        review(SM2State(), bad)


def test_step_seven_asks_again_below_four() -> None:
    assert [needs_relearning(q) for q in range(6)] == [True, True, True, True, False, False]
    assert Quality.BLACKOUT.label == "blackout" and Quality.PERFECT.label == "perfect"


@given(st.lists(st.integers(min_value=0, max_value=5), max_size=40))
def test_any_sequence_keeps_the_invariants(grades: list[int]) -> None:
    state = SM2State()
    for grade in grades:
        state = review(state, grade)
        assert state.easiness >= MIN_EASINESS
        assert state.interval >= 1
        assert state.repetitions == 0 or grade >= 3


def test_the_interval_stops_growing_at_a_hundred_years() -> None:
    state = SM2State()
    intervals = []
    for _ in range(200):
        state = review(state, Quality.PERFECT)
        intervals.append(state.interval)
    assert max(intervals) == MAX_INTERVAL_DAYS == intervals[-1]
    assert intervals == sorted(intervals)  # it grows, then stays at the cap


def test_an_interval_from_elsewhere_past_the_cap_comes_back_to_it() -> None:
    imported = SM2State(repetitions=9, easiness=2.5, interval=10**9)
    assert review(imported, Quality.CORRECT_HESITANT).interval == MAX_INTERVAL_DAYS
