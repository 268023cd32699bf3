"""FSRS ratings from SM-2 qualities and from a problem attempt's evidence (the documented map)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizcalc.scheduling.ratings import (
    OWN_TIMES_NEEDED,
    ProblemEvidence,
    Rating,
    problem_rating,
    quality_rating,
    typical_seconds,
)


@pytest.mark.parametrize(
    ("quality", "rating"),
    [
        (0, Rating.AGAIN),
        (1, Rating.AGAIN),
        (2, Rating.AGAIN),
        (3, Rating.HARD),
        (4, Rating.GOOD),
        (5, Rating.EASY),
    ],
)
def test_a_self_graded_quality_maps_as_documented(quality: int, rating: Rating) -> None:
    assert quality_rating(quality) is rating


@pytest.mark.parametrize("quality", [-1, 6])
def test_a_quality_out_of_range_is_refused(quality: int) -> None:
    with pytest.raises(ValueError, match="not between 0 and 5"):
        quality_rating(quality)


def _solved(seconds: float, tries: int = 1, hints: int = 0) -> ProblemEvidence:
    return ProblemEvidence(solved=True, tries=tries, hints=hints, seconds=seconds)


@pytest.mark.parametrize(
    ("evidence", "rating"),
    [
        (ProblemEvidence(solved=False, tries=2, hints=0, seconds=30), Rating.AGAIN),
        (
            ProblemEvidence(solved=True, tries=2, hints=0, seconds=5, by_elimination=True),
            Rating.AGAIN,
        ),
        (_solved(10, tries=2), Rating.HARD),
        (_solved(10, hints=1), Rating.HARD),
        (_solved(30), Rating.EASY),  # half the typical 60 s
        (_solved(31), Rating.GOOD),
        (_solved(90), Rating.GOOD),
        (_solved(91), Rating.HARD),
    ],
    ids=["wrong", "by-elimination", "second-try", "hint", "quick", "steady", "steady-edge", "slow"],
)
def test_a_problem_attempt_is_rated_from_its_evidence(
    evidence: ProblemEvidence, rating: Rating
) -> None:
    assert problem_rating(evidence, typical=60) is rating


def test_the_typical_time_is_the_learners_median_once_there_are_enough() -> None:
    few = [10.0] * (OWN_TIMES_NEEDED - 1)
    assert typical_seconds(few, stated=120) == 120
    enough = [10.0] * (OWN_TIMES_NEEDED - 5) + [200.0] * 5
    assert typical_seconds(enough, stated=120) == 10  # the median: a few slow days do not count


@given(
    seconds=st.floats(min_value=0, max_value=10_000),
    typical=st.floats(min_value=1, max_value=1_000),
    tries=st.integers(min_value=1, max_value=5),
    hints=st.integers(min_value=0, max_value=3),
)
def test_more_help_or_more_time_never_earns_a_better_rating(
    seconds: float, typical: float, tries: int, hints: int
) -> None:
    base = problem_rating(_solved(seconds, tries, hints), typical)
    assert problem_rating(_solved(seconds * 2 + 1, tries, hints), typical) <= base
    assert problem_rating(_solved(seconds, tries + 1, hints), typical) <= base
    assert problem_rating(_solved(seconds, tries, hints + 1), typical) <= base
    assert problem_rating(ProblemEvidence(False, tries, hints, seconds), typical) is Rating.AGAIN
