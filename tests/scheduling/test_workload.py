"""The FSRS workload simulation: more retention costs more reviews, limits bind, fsrs-rs agrees."""

from __future__ import annotations

import statistics

import fsrs_rs_python
import pytest

from quizcalc.scheduling.fsrs import DEFAULT_PARAMETERS, FsrsMemory
from quizcalc.scheduling.workload import (
    OPTIMAL_RETENTION_RANGE,
    ExistingCard,
    WorkloadPlan,
    optimal_retention,
    simulate_workload,
)

_TINY = {"days": 60, "new_cards": 40, "new_per_day": 5}


def test_a_higher_retention_costs_more_reviews_and_keeps_more() -> None:
    low, mid, high = (
        simulate_workload(WorkloadPlan(desired_retention=r, **_TINY)) for r in (0.8, 0.9, 0.95)
    )
    assert low.total_reviews < mid.total_reviews < high.total_reviews
    assert low.expected_retention is not None and high.expected_retention is not None
    assert low.expected_retention < high.expected_retention
    assert low.total_new == mid.total_new == high.total_new == 40
    assert mid.new_per_day[:8] == (5,) * 8 and sum(mid.new_per_day[8:]) == 0


def test_the_same_plan_gives_the_same_answer() -> None:
    plan = WorkloadPlan(desired_retention=0.9, seed=7, **_TINY)
    assert simulate_workload(plan) == simulate_workload(plan)


def test_the_review_limit_leaves_the_rest_overdue() -> None:
    overdue = ExistingCard(FsrsMemory(stability=3.0, difficulty=5.0), -5, -2)
    plan = WorkloadPlan(days=3, desired_retention=0.9, cards=[overdue] * 10, reviews_per_day=4)
    reviews = simulate_workload(plan).reviews_per_day
    assert reviews[:2] == (4, 4)
    assert reviews[2] >= 2  # the last two waited; a card forgotten on day 0 may be due again


def test_a_card_due_later_waits_and_a_well_known_card_is_remembered() -> None:
    solid = ExistingCard(FsrsMemory(stability=2000.0, difficulty=2.0), 0, 500)
    workload = simulate_workload(WorkloadPlan(days=30, desired_retention=0.9, cards=[solid]))
    assert workload.total_reviews == 0
    assert workload.studied_cards == 1
    assert workload.expected_retention == pytest.approx(1.0, abs=0.01)


def test_it_agrees_with_fsrs_rs_on_a_deck_learned_from_scratch() -> None:
    """fsrs-rs's simulator (no existing cards) and ours, same deck: same workload and memory
    within sampling noise (its count also holds a few learning-step reviews)."""
    config = fsrs_rs_python.default_simulator_config()
    config.deck_size, config.learn_span, config.learn_limit = 100, 60, 10
    theirs = [fsrs_rs_python.simulate(DEFAULT_PARAMETERS, 0.9, config, seed) for seed in range(8)]
    mean_reviews = statistics.mean(sum(result.review_cnt_per_day) for result in theirs)
    mean_kept = statistics.mean(result.memorized_cnt_per_day[-1] / 100 for result in theirs)
    ours = simulate_workload(
        WorkloadPlan(days=60, desired_retention=0.9, new_cards=100, new_per_day=10)
    )
    assert ours.total_reviews == pytest.approx(mean_reviews, rel=0.2)
    assert ours.expected_retention == pytest.approx(mean_kept, abs=0.02)


def test_optimal_retention_lies_in_the_searched_range() -> None:
    low, high = OPTIMAL_RETENTION_RANGE
    default = optimal_retention(deck_size=100, days=60, new_per_day=10)
    assert low - 1e-6 <= default <= high + 1e-6
    steeper_curve = [*DEFAULT_PARAMETERS[:20], 0.5]  # decay 0.5: the optimum is inside
    inner = optimal_retention(steeper_curve, deck_size=100, days=60, new_per_day=10)
    assert 0.7 < inner < 0.97


def test_a_plan_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        WorkloadPlan(days=10, desired_retention=1.0)
    with pytest.raises(ValueError, match="at least one day"):
        WorkloadPlan(days=0, desired_retention=0.9)
