"""Repetition compression: offer the due skills that cover other due skills first.

When a due skill encompasses other skills that are due the same day (same difficulty, an edge
of the skill graph), passing it credits them (:mod:`quizcalc.scheduling.implicit`), so they
need not be asked. :func:`compress` orders the day's due skills so that this happens: each
encompassing skill comes first, followed by the due skills it covers, marked
``credited_by`` it. The caller asks the encompassing skill; if it is passed, the ones marked
with it are credited instead of asked (a credit that leaves one still due today, as it may for
a long-overdue card, does not excuse it); if it is failed, they are asked as usual.

The choice is greedy: the due skill covering the most not-yet-placed due skills goes first
(ties in the order given), then the next, until no due skill covers another; the rest keep
the order given. A covered skill is never itself used to cover others (it will not be asked
if its coverer is passed), and only direct edges count. The graph is plain data: family →
``(component family, weight, difficulties)`` edges, as
``quizcalc.problems.skill_graph.plain_graph()`` gives it (an edge given as a pair holds at
every difficulty); a skill is a family at a difficulty, and an edge covers the component at
the same difficulty, only at the difficulties it lists.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["DueSkill", "Offer", "PlainEdge", "PlainGraph", "components_at", "compress"]

PlainEdge = tuple[str, float] | tuple[str, float, Collection[int]]
"""One edge of the skill graph as plain data: the component family, the weight and (when
given) the difficulties at which it holds; a pair holds at every difficulty."""

PlainGraph = Mapping[str, Sequence[PlainEdge]]
"""Encompassing family → its edges."""


def components_at(graph: PlainGraph, family: str, difficulty: int) -> list[tuple[str, float]]:
    """The ``(component, weight)`` pairs ``family`` at ``difficulty`` credits (the components
    at the same difficulty), in the graph's order."""
    return [
        (edge[0], edge[1])
        for edge in graph.get(family, ())
        if len(edge) == 2 or difficulty in edge[2]
    ]


@dataclass(frozen=True)
class DueSkill:
    """A skill due today: its card's id, its family and difficulty."""

    id: Hashable
    family: str
    difficulty: int


@dataclass(frozen=True)
class Offer:
    """One place in the day's order."""

    skill: DueSkill
    credited_by: DueSkill | None = None
    """The encompassing skill offered just before; a pass of it credits this one instead of
    asking it. ``None`` for a skill to ask."""
    weight: float = 0.0
    """The edge's weight when ``credited_by`` is set (the credit's share of a review)."""


def compress(due: Sequence[DueSkill], graph: PlainGraph) -> list[Offer]:
    """The order to offer ``due`` in, each encompassing skill followed by those it covers."""
    placed: set[int] = set()
    offers: list[Offer] = []
    by_skill: dict[tuple[str, int], list[int]] = {}
    for index, skill in enumerate(due):
        by_skill.setdefault((skill.family, skill.difficulty), []).append(index)

    def covered(index: int) -> list[tuple[int, float]]:
        skill = due[index]
        return [
            (other, weight)
            for component, weight in components_at(graph, skill.family, skill.difficulty)
            for other in by_skill.get((component, skill.difficulty), ())
            if other != index and other not in placed
        ]

    while True:
        best: tuple[int, list[tuple[int, float]]] | None = None
        for index in range(len(due)):
            if index in placed:
                continue
            covers = covered(index)
            if covers and (best is None or len(covers) > len(best[1])):
                best = (index, covers)
        if best is None:
            break
        index, covers = best
        placed.add(index)
        offers.append(Offer(due[index]))
        for other, weight in covers:
            placed.add(other)
            offers.append(Offer(due[other], credited_by=due[index], weight=weight))
    offers.extend(Offer(skill) for index, skill in enumerate(due) if index not in placed)
    return offers
