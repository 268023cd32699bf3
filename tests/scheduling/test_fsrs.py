"""FSRS steps: the defaults are fsrs-rs's, recall is 90 % at t = S, intervals follow retention."""

from __future__ import annotations

import fsrs_rs_python
import pytest

from quizcalc.scheduling.fsrs import (
    DEFAULT_PARAMETERS,
    FsrsMemory,
    fsrs_interval,
    fsrs_review,
    memory_from_history,
    retrievability,
)
from quizcalc.scheduling.ratings import Rating


def test_default_parameters_are_the_librarys() -> None:
    assert list(DEFAULT_PARAMETERS) == pytest.approx(fsrs_rs_python.DEFAULT_PARAMETERS, abs=1e-6)


def test_a_first_good_review_takes_the_initial_good_stability() -> None:
    memory = fsrs_review(None, Rating.GOOD, 0)
    assert memory.stability == pytest.approx(DEFAULT_PARAMETERS[2], rel=1e-5)


def test_recall_is_ninety_percent_after_one_stability() -> None:
    assert retrievability(12.5, 12.5) == pytest.approx(0.9)
    assert retrievability(0, 12.5) == pytest.approx(1.0)
    assert retrievability(100, 12.5) < retrievability(20, 12.5) < 0.9


def test_the_interval_solves_recall_equals_the_desired_retention() -> None:
    assert fsrs_interval(10.0, 0.9) == 10
    assert fsrs_interval(10.0, 0.8) == 33  # lower retention, longer wait (fsrs-rs: 33.16)
    days = fsrs_interval(40.0, 0.95)
    assert retrievability(days, 40.0) == pytest.approx(0.95, abs=0.005)
    assert fsrs_interval(0.01, 0.9) == 1
    assert fsrs_interval(1e9, 0.9, maximum=365) == 365


def test_again_shrinks_stability_and_good_grows_it() -> None:
    memory = FsrsMemory(stability=10.0, difficulty=5.0)
    assert fsrs_review(memory, Rating.AGAIN, 10).stability < 10.0
    assert fsrs_review(memory, Rating.GOOD, 10).stability > 10.0
    good = fsrs_review(memory, Rating.GOOD, 10)
    assert fsrs_review(memory, Rating.EASY, 10).stability > good.stability


def test_a_history_replays_to_the_librarys_memory_state() -> None:
    history = [(Rating.GOOD, 0), (Rating.GOOD, 3), (Rating.AGAIN, 9), (Rating.HARD, 1)]
    ours = memory_from_history(history)
    theirs = fsrs_rs_python.FSRS(list(DEFAULT_PARAMETERS)).memory_state(
        fsrs_rs_python.FSRSItem([fsrs_rs_python.FSRSReview(int(r), d) for r, d in history])
    )
    assert ours is not None
    assert ours.stability == pytest.approx(theirs.stability, rel=1e-4)
    assert ours.difficulty == pytest.approx(theirs.difficulty, rel=1e-4)
    assert memory_from_history([]) is None
