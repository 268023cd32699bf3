"""Cards by state and the distribution of SM-2 easiness factors (retired cards left out).

States, Anki-like, each card in exactly one of the first five:

- ``suspended``: status suspended (whatever its schedule);
- ``new``: never reviewed (no due day yet);
- ``learning``: reviewed, and its last review failed or its interval is at most one day;
- ``young``: interval 2–20 days;
- ``mature``: interval 21 days or more.

``leech`` overlaps them: cards with at least ``config.leech_threshold`` lapses, or tagged
``leech``.
"""

from __future__ import annotations

from quizcalc.study.stats.model import CardStates, EasinessBucket, EasinessDistribution
from quizcalc.study.stats.periods import MATURE_INTERVAL
from quizcalc.study.stats.sql import RunSQL, count_where

__all__ = ["EASINESS_EDGES", "card_states", "easiness_distribution"]

EASINESS_EDGES = (1.3, 1.5, 1.7, 1.9, 2.1, 2.3, 2.5, 2.7)
"""Bucket edges of the EF histogram: [1.3, 1.5), …, [2.5, 2.7), then 2.7 and above."""

COUNTED = "c.status IN ('active', 'suspended')"
"""The cards :func:`~quizcalc.study.card_counts.is_counted` keeps (a test checks they agree)."""

_LEECH = "s.lapses >= :leech_threshold OR ' ' || coalesce(c.tags, '') || ' ' LIKE '% leech %'"
# NOT INDEXED: a sequential scan of the cards reads far fewer pages than 50,000 look-ups
# through the (status, source) index; the schedule row is found by its primary key.
_STATES = f"""
SELECT CASE
         WHEN c.status = 'suspended' THEN 'suspended'
         WHEN s.due IS NULL THEN 'new'
         WHEN s.repetitions = 0 OR s.interval <= 1 THEN 'learning'
         WHEN s.interval < {MATURE_INTERVAL} THEN 'young'
         ELSE 'mature'
       END AS state,
       CASE WHEN s.due IS NOT NULL THEN s.easiness END AS reviewed_easiness,
       count(*), {count_where(_LEECH)}
FROM cards AS c NOT INDEXED LEFT OUTER JOIN schedule AS s ON s.card_key = c.id
WHERE {COUNTED}
GROUP BY state, reviewed_easiness
"""


def card_states(run: RunSQL, leech_threshold: int) -> tuple[CardStates, EasinessDistribution]:
    """Count the cards per state (see the module docstring), the leeches among them and the
    easiness factors of the reviewed ones, in one pass over the cards
    :func:`~quizcalc.study.card_counts.is_counted` keeps, as every other count does."""
    counts: dict[str, int] = {}
    per_easiness: dict[float, int] = {}
    leeches = 0
    for state, easiness, n, leech in run(_STATES, {"leech_threshold": leech_threshold}):
        counts[state] = counts.get(state, 0) + int(n)
        leeches += int(leech)
        if easiness is not None:
            per_easiness[easiness] = per_easiness.get(easiness, 0) + int(n)
    states = CardStates(
        new=counts.get("new", 0),
        learning=counts.get("learning", 0),
        young=counts.get("young", 0),
        mature=counts.get("mature", 0),
        suspended=counts.get("suspended", 0),
        leech=leeches,
    )
    return states, easiness_distribution(sorted(per_easiness.items()))


def easiness_distribution(per_easiness: list[tuple[float, int]]) -> EasinessDistribution:
    """EF histogram and mean of ``(easiness, cards)`` pairs, by ascending easiness."""
    counts = [0] * len(EASINESS_EDGES)
    total, weighted = 0, 0.0
    for easiness, n in per_easiness:
        index = sum(1 for edge in EASINESS_EDGES[1:] if easiness >= edge)
        counts[index] += n
        total += n
        weighted += easiness * n
    highs: list[float | None] = [*EASINESS_EDGES[1:], None]
    buckets = tuple(
        EasinessBucket(low, high, n)
        for low, high, n in zip(EASINESS_EDGES, highs, counts, strict=True)
    )
    return EasinessDistribution(buckets=buckets, mean=weighted / total if total else None)
