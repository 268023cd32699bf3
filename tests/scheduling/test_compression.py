"""Repetition compression: encompassing due skills first, the due skills they cover after."""

from __future__ import annotations

from collections import Counter

from quizcalc.scheduling.compression import DueSkill, Offer, compress

GRAPH = {
    "mlp_backprop": (("chain_rule", 0.5), ("matrix_shapes", 0.2)),
    "momentum": (("gd_steps", 0.5),),
    "gd_steps": (("derivative", 0.25),),
    "chain_rule": (),
}


def skill(id_: int, family: str, difficulty: int = 1) -> DueSkill:
    return DueSkill(id_, family, difficulty)


def plan(offers: list[Offer]) -> list[tuple[object, object]]:
    """Each offer as (its id, the id of what credits it or None)."""
    return [(o.skill.id, o.credited_by.id if o.credited_by else None) for o in offers]


def test_an_encompassing_skill_comes_first_followed_by_what_it_covers() -> None:
    due = [skill(1, "chain_rule"), skill(2, "bayes_rule"), skill(3, "mlp_backprop")]
    offers = compress(due, GRAPH)
    assert plan(offers) == [(3, None), (1, 3), (2, None)]
    assert offers[1].weight == 0.5


def test_only_a_component_at_the_same_difficulty_is_covered() -> None:
    due = [skill(1, "chain_rule", 2), skill(2, "mlp_backprop", 1)]
    assert plan(compress(due, GRAPH)) == [(1, None), (2, None)]


def test_the_skill_covering_most_goes_first_and_a_covered_skill_covers_nothing() -> None:
    """momentum covers gd_steps, gd_steps covers derivative: each covers one, so the first
    given (momentum) wins; gd_steps is then credited, not asked, and cannot cover derivative."""
    due = [skill(1, "derivative"), skill(2, "momentum"), skill(3, "gd_steps")]
    assert plan(compress(due, GRAPH)) == [(2, None), (3, 2), (1, None)]
    due = [
        skill(1, "gd_steps"),
        skill(2, "matrix_shapes"),
        skill(3, "derivative"),
        skill(4, "chain_rule"),
        skill(5, "mlp_backprop"),
    ]
    assert plan(compress(due, GRAPH)) == [(5, None), (4, 5), (2, 5), (1, None), (3, 1)]


def test_every_due_skill_is_offered_exactly_once() -> None:
    due = [
        skill(i, f, d)
        for i, (f, d) in enumerate(
            [
                ("gd_steps", 1),
                ("derivative", 1),
                ("momentum", 1),
                ("gd_steps", 2),
                ("momentum", 2),
                ("derivative", 3),
                ("chain_rule", 3),
                ("mlp_backprop", 3),
                ("chain_rule", 1),
            ]
        )
    ]
    offers = compress(due, GRAPH)
    assert Counter(o.skill for o in offers) == Counter(due)
    for position, offer in enumerate(offers):
        if offer.credited_by is not None:
            coverer = [o.skill for o in offers[:position] if o.credited_by is None]
            assert offer.credited_by in coverer


def test_nothing_due_and_no_graph_give_the_order_given() -> None:
    assert compress([], GRAPH) == []
    due = [skill(1, "chain_rule"), skill(2, "mlp_backprop")]
    assert plan(compress(due, {})) == [(1, None), (2, None)]


def test_an_edge_covers_only_at_the_difficulties_it_lists() -> None:
    graph = {"convexity": (("eigen_2x2", 0.5, frozenset({2})),)}
    at_two = [skill(1, "eigen_2x2", 2), skill(2, "convexity", 2)]
    assert plan(compress(at_two, graph)) == [(2, None), (1, 2)]
    at_three = [skill(1, "eigen_2x2", 3), skill(2, "convexity", 3)]
    assert plan(compress(at_three, graph)) == [(1, None), (2, None)]
