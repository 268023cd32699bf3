"""Reference copy (pre-step 9) of :mod:`quizcalc.study.stats.cards`.

Cards by state and the distribution of SM-2 easiness factors (retired cards left out).

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

from sqlalchemy import case, func, literal, literal_column, or_, select
from sqlalchemy.orm import Session

from quizcalc.store.models import CardRecord, ScheduleRecord
from quizcalc.study.card_counts import is_counted
from quizcalc.study.stats.model import CardStates, EasinessBucket, EasinessDistribution
from quizcalc.study.stats.periods import MATURE_INTERVAL

__all__ = ["EASINESS_EDGES", "card_states", "easiness_distribution"]

EASINESS_EDGES = (1.3, 1.5, 1.7, 1.9, 2.1, 2.3, 2.5, 2.7)
"""Bucket edges of the EF histogram: [1.3, 1.5), …, [2.5, 2.7), then 2.7 and above."""


def card_states(session: Session, leech_threshold: int) -> CardStates:
    """Count the cards per state (see the module docstring): the cards
    :func:`~quizcalc.study.card_counts.is_counted` keeps, as every other count does."""
    schedule = ScheduleRecord
    state = case(
        (CardRecord.status == "suspended", "suspended"),
        (schedule.due.is_(None), "new"),
        (or_(schedule.repetitions == 0, schedule.interval <= 1), "learning"),
        (schedule.interval < MATURE_INTERVAL, "young"),
        else_="mature",
    ).label("state")
    live = is_counted()
    counts = {
        name: int(n)
        for name, n in session.execute(
            select(state, func.count())
            .select_from(CardRecord)
            .outerjoin(schedule, schedule.card_key == CardRecord.id)
            .where(live)
            .group_by(literal_column("state"))
        )
    }
    padded_tags = literal(" ") + func.coalesce(CardRecord.tags, "") + literal(" ")
    leeches = session.scalar(
        select(func.count())
        .select_from(CardRecord)
        .outerjoin(schedule, schedule.card_key == CardRecord.id)
        .where(
            live,
            or_(schedule.lapses >= leech_threshold, padded_tags.like("% leech %")),
        )
    )
    return CardStates(
        new=counts.get("new", 0),
        learning=counts.get("learning", 0),
        young=counts.get("young", 0),
        mature=counts.get("mature", 0),
        suspended=counts.get("suspended", 0),
        leech=int(leeches or 0),
    )


def easiness_distribution(session: Session) -> EasinessDistribution:
    """EF histogram and mean over reviewed (due day set), non-retired cards."""
    rows = session.execute(
        select(ScheduleRecord.easiness, func.count())
        .join(CardRecord, CardRecord.id == ScheduleRecord.card_key)
        .where(is_counted(), ScheduleRecord.due.is_not(None))
        .group_by(ScheduleRecord.easiness)
    )
    counts = [0] * len(EASINESS_EDGES)
    total, weighted = 0, 0.0
    for easiness, n in rows:
        n = int(n)
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
