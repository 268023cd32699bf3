"""The implicit-credit simulation: seeded, wired as documented, and the issue's two claims.

The graph is the real skill graph as plain data (26 families × 3 difficulties = 78 skills).
"""

from __future__ import annotations

from statistics import fmean

import pytest

from quizcalc.problems.skill_graph import plain_graph
from quizcalc.scheduling.implicit_simulation import simulate_implicit, skill_order

GRAPH = plain_graph()
SEEDS = range(6)
DAYS = 365


def runs(*, implicit: bool, transfer: float) -> tuple[float, float]:
    """Mean (total reviews, mean retention) over ``SEEDS``."""
    results = [
        simulate_implicit(GRAPH, days=DAYS, implicit=implicit, transfer=transfer, seed=seed)
        for seed in SEEDS
    ]
    return fmean(r.total_reviews for r in results), fmean(r.mean_retention for r in results)


def test_without_real_transfer_credit_costs_less_than_one_point_of_retention() -> None:
    """The issue's rule: with T = 0 (practising a skill does nothing for its components),
    implicit credit must not lower mean retention by more than one percentage point."""
    _, retention_off = runs(implicit=False, transfer=0.0)
    _, retention_on = runs(implicit=True, transfer=0.0)
    assert retention_off - retention_on <= 0.01
    assert retention_on < retention_off  # the credit is a bet: without transfer it costs a bit


def test_with_half_transfer_credit_saves_reviews_and_keeps_retention() -> None:
    reviews_off, retention_off = runs(implicit=False, transfer=0.5)
    reviews_on, retention_on = runs(implicit=True, transfer=0.5)
    assert reviews_on <= 0.98 * reviews_off  # 3.9 % fewer with the graph as it is
    assert retention_off - retention_on <= 0.005


def test_a_run_is_a_pure_function_of_its_arguments() -> None:
    first = simulate_implicit(GRAPH, days=120, implicit=True, transfer=0.25, seed=3)
    assert simulate_implicit(GRAPH, days=120, implicit=True, transfer=0.25, seed=3) == first
    other = simulate_implicit(GRAPH, days=120, implicit=True, transfer=0.25, seed=4)
    assert other.reviews_per_day != first.reviews_per_day


def test_the_result_adds_up() -> None:
    result = simulate_implicit(GRAPH, days=90, implicit=True, transfer=0.5, seed=1)
    assert (result.days, result.skills) == (90, 78)
    assert len(result.reviews_per_day) == 90
    assert result.total_reviews == sum(result.reviews_per_day) > 0
    assert result.credits > 0
    assert 0.8 < result.mean_retention < 1.0
    off = simulate_implicit(GRAPH, days=90, implicit=False, transfer=0.5, seed=1)
    assert off.credits == 0


def test_without_edges_implicit_credit_changes_nothing() -> None:
    bare = {family: () for family in GRAPH}
    on = simulate_implicit(bare, days=200, implicit=True, transfer=0.5, seed=2)
    off = simulate_implicit(bare, days=200, implicit=False, transfer=0.5, seed=2)
    assert on == off


def test_transfer_reaches_the_learners_memory_whatever_the_scheduler_does() -> None:
    """Full transfer along a weight-1 edge refreshes the component at every pass of the
    encompassing skill: the learner remembers it better though the scheduler never knew."""
    graph = {"whole": (("part", 1.0),), "part": ()}
    alone = simulate_implicit(graph, days=200, implicit=False, transfer=0.0, seed=5)
    helped = simulate_implicit(graph, days=200, implicit=False, transfer=1.0, seed=5)
    assert helped.mean_retention > alone.mean_retention
    assert helped.total_reviews == alone.total_reviews  # same schedule, same dice


def test_an_edge_transfers_and_credits_only_at_the_difficulties_it_lists() -> None:
    """An edge held at no difficulty of the run is no edge: the run is the bare graph's."""
    nowhere = {"whole": (("part", 1.0, frozenset({3})),), "part": ()}
    bare = {"whole": (), "part": ()}
    kwargs = {"days": 150, "transfer": 1.0, "seed": 5, "difficulties": (1, 2)}
    assert simulate_implicit(nowhere, implicit=True, **kwargs) == simulate_implicit(
        bare, implicit=True, **kwargs
    )
    held = simulate_implicit(
        {"whole": (("part", 1.0, frozenset({2})),), "part": ()}, implicit=True, **kwargs
    )
    assert held.credits > 0


def test_components_are_introduced_before_what_encompasses_them() -> None:
    order = skill_order(GRAPH)
    assert len(order) == 26
    for family, edges in GRAPH.items():
        for component, *_ in edges:
            assert order.index(component) < order.index(family)
    with pytest.raises(ValueError, match="cycle"):
        skill_order({"a": (("b", 0.5),), "b": (("a", 0.5),)})


def test_a_transfer_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="transfer"):
        simulate_implicit(GRAPH, days=10, implicit=True, transfer=1.5, seed=0)
