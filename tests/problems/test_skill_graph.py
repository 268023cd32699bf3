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
def tags_of(family: str, difficulty: int) -> frozenset[str]:
    """Every misconception tag ``family`` names over ``TAG_SEEDS`` seeds at ``difficulty``."""
    return frozenset(
        misconception.tag
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
def test_every_misconception_on_an_edge_is_one_the_family_names_where_it_holds(
    family: str,
) -> None:
    """A tag blames the component only at the edge's difficulties, so it must be named there."""
    for edge in SKILL_GRAPH[family]:
        named = frozenset().union(*(tags_of(family, d) for d in edge.difficulties))
        assert edge.misconceptions - named == set(), (family, edge.family)


def test_every_edge_holds_at_some_real_difficulty() -> None:
    for family, edges in SKILL_GRAPH.items():
        for edge in edges:
            assert edge.difficulties, (family, edge.family)
            assert edge.difficulties <= set(DIFFICULTIES), (family, edge.family)


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
    ("convexity", "eigen_2x2", 0.5, ("diagonal-only",)),
    ("weight_decay", "adam_step", 0.4, ()),
}
"""Every edge, reviewed against the builders' worked solutions (see the module docstring of
quizcalc/problems/skill_graph.py for the families deliberately left without one)."""


PARTIAL_EDGES = {
    ("convexity", "eigen_2x2"): {2},
    ("weight_decay", "adam_step"): {3},
}
"""The edges that hold at some difficulties only (every other edge holds at 1, 2 and 3)."""


def test_the_edges_are_the_reviewed_ones() -> None:
    actual = {
        (family, e.family, e.weight, tuple(sorted(e.misconceptions)))
        for family, edges in SKILL_GRAPH.items()
        for e in edges
    }
    assert actual == REVIEWED_EDGES


def test_each_edge_holds_at_its_reviewed_difficulties() -> None:
    for family, edges in SKILL_GRAPH.items():
        for e in edges:
            expected = PARTIAL_EDGES.get((family, e.family), set(DIFFICULTIES))
            assert e.difficulties == expected, (family, e.family)


def test_a_partial_edge_credits_only_at_its_difficulties() -> None:
    assert [e.family for e in encompassed("convexity", 2)] == ["eigen_2x2"]
    assert encompassed("convexity", 1) == encompassed("convexity", 3) == ()
    assert [e.family for e in encompassed("weight_decay", 3)] == ["adam_step"]
    assert encompassed("weight_decay", 1) == encompassed("weight_decay", 2) == ()
    assert [e.family for e in encompassed("momentum", 1)] == ["gd_steps"]


def test_a_partial_edge_blames_only_at_its_difficulties() -> None:
    assert components_blamed("convexity", "diagonal-only", 2) == ("eigen_2x2",)
    assert components_blamed("convexity", "diagonal-only", 3) == ()
    assert components_blamed("convexity", "hessian-definiteness", 2) == ()


def test_a_component_misconception_blames_the_component_and_an_own_one_blames_nobody() -> None:
    assert components_blamed("mlp_backprop", "forgot-activation-derivative", 2) == ("chain_rule",)
    assert components_blamed("hessian_classify", "diagonal-only", 2) == ("eigen_2x2",)
    assert components_blamed("mlp_backprop", "transposed-index", 2) == ()
    assert components_blamed("mlp_backprop", "wrong-weight", 2) == ()
    assert components_blamed("newton_step", "inverted-ratio", 2) == ()
    assert components_blamed("derivative", "power-rule", 2) == ()


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
    every = frozenset(DIFFICULTIES)
    assert graph["hessian_classify"] == (("eigen_2x2", 0.5, every), ("partial", 0.3, every))
    assert graph["convexity"] == (("eigen_2x2", 0.5, frozenset({2})),)
    assert graph["bayes_rule"] == ()
