"""The skill graph: real families, real misconception tags, no cycles, bounded weights, and a
reviewed table of edges so that any change to it is deliberate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache

import pytest

from quizcalc.problems import DIFFICULTIES, FAMILIES, generate
from quizcalc.problems.skill_graph import (
    MAX_TOTAL_WEIGHT,
    SKILL_GRAPH,
    Encompassed,
    components_blamed,
    encompassed,
    plain_graph,
)

TAG_SEEDS = 20
"""Seeds per difficulty when collecting a family's misconception tags (each edge's tags show
up well within this many; see the counts in tests/problems/test_misconceptions.py)."""


@cache
def tags_of(family: str) -> frozenset[str]:
    """Every misconception tag ``family`` names over ``TAG_SEEDS`` seeds at each difficulty."""
    return frozenset(
        misconception.tag
        for difficulty in DIFFICULTIES
        for seed in range(TAG_SEEDS)
        for misconception in generate(family, seed, difficulty).misconceptions
    )


def cycle_in(graph: Mapping[str, Sequence[str]]) -> list[str] | None:
    """A path that comes back to its start (``[a, b, a]``), or None for an acyclic graph."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" once finished

    def visit(node: str, path: list[str]) -> list[str] | None:
        if state.get(node) == "open":
            return [*path[path.index(node) :], node]
        if state.get(node) == "done":
            return None
        state[node] = "open"
        for child in graph.get(node, ()):
            found = visit(child, [*path, node])
            if found:
                return found
        state[node] = "done"
        return None

    for start in graph:
        found = visit(start, [])
        if found:
            return found
    return None


def test_cycle_in_finds_an_indirect_cycle_and_accepts_a_chain() -> None:
    assert cycle_in({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": ["b"], "b": ["c"], "c": []}) is None


def test_every_family_named_is_registered() -> None:
    named = set(SKILL_GRAPH) | {e.family for edges in SKILL_GRAPH.values() for e in edges}
    assert named - set(FAMILIES) == set()


@pytest.mark.parametrize("family", sorted(SKILL_GRAPH))
def test_every_misconception_on_an_edge_is_one_the_family_names(family: str) -> None:
    listed = {tag for edge in SKILL_GRAPH[family] for tag in edge.misconceptions}
    assert listed - tags_of(family) == set()


def test_no_family_encompasses_itself_even_through_others() -> None:
    edges = {family: [e.family for e in SKILL_GRAPH[family]] for family in SKILL_GRAPH}
    assert all(family not in targets for family, targets in edges.items())
    assert cycle_in(edges) is None


def test_no_family_lists_a_component_twice() -> None:
    for family, edges in SKILL_GRAPH.items():
        assert len({e.family for e in edges}) == len(edges), family


def test_weights_are_shares_of_a_review_and_bounded_per_family() -> None:
    for family, edges in SKILL_GRAPH.items():
        assert edges, f"{family} is listed with no components"
        assert all(0 < e.weight <= 1 for e in edges), family
        assert sum(e.weight for e in edges) <= MAX_TOTAL_WEIGHT, family


REVIEWED_EDGES = {
    ("partial", "derivative", 0.5, ("dropped-inner-derivative",)),
    ("gradient", "partial", 0.6, ("dropped-mixed-term",)),
    ("jacobian", "partial", 0.6, ("dropped-mixed-term",)),
    ("hessian_classify", "eigen_2x2", 0.5, ("diagonal-only", "eigenvalue-signs")),
    ("hessian_classify", "partial", 0.3, ()),
    ("newton_step", "derivative", 0.25, ()),
    ("gd_steps", "derivative", 0.25, ()),
    (
        "momentum",
        "gd_steps",
        0.5,
        ("doubled-learning-rate", "halved-learning-rate", "off-by-one-steps", "sign-error"),
    ),
    (
        "mlp_backprop",
        "chain_rule",
        0.5,
        ("forgot-activation-derivative", "forgot-relu-mask", "loss-factor", "sign-error"),
    ),
    ("vanishing_gradient", "chain_rule", 0.4, ("added-layers", "forgot-weights")),
}
"""Every edge, reviewed against the builders' worked solutions (see the module docstring of
quizcalc/problems/skill_graph.py for the families deliberately left without one)."""


def test_the_edges_are_the_reviewed_ones() -> None:
    actual = {
        (family, e.family, e.weight, tuple(sorted(e.misconceptions)))
        for family, edges in SKILL_GRAPH.items()
        for e in edges
    }
    assert actual == REVIEWED_EDGES


def test_a_component_misconception_blames_the_component_and_an_own_one_blames_nobody() -> None:
    assert components_blamed("mlp_backprop", "forgot-activation-derivative") == ("chain_rule",)
    assert components_blamed("hessian_classify", "diagonal-only") == ("eigen_2x2",)
    assert components_blamed("mlp_backprop", "transposed-index") == ()
    assert components_blamed("mlp_backprop", "wrong-weight") == ()
    assert components_blamed("newton_step", "inverted-ratio") == ()
    assert components_blamed("derivative", "power-rule") == ()


def test_a_basic_skill_encompasses_nothing() -> None:
    assert encompassed("derivative") == ()
    assert encompassed("momentum") == (
        Encompassed(
            "gd_steps",
            0.5,
            frozenset(
                {"sign-error", "doubled-learning-rate", "halved-learning-rate", "off-by-one-steps"}
            ),
        ),
    )


def test_the_plain_graph_lists_every_family_in_teaching_order_with_its_edges() -> None:
    graph = plain_graph()
    assert tuple(graph) == tuple(FAMILIES)
    assert len(graph) * len(DIFFICULTIES) == 78
    assert graph["hessian_classify"] == (("eigen_2x2", 0.5), ("partial", 0.3))
    assert graph["bayes_rule"] == ()
