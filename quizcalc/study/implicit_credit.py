"""Skills that credit each other, in the answer's transaction (implicit repetition).

When a problem card's answer moves its schedule and implicit repetition is on, the skills its
family encompasses at its difficulty (:mod:`quizcalc.problems.skill_graph`: an edge may hold
at some difficulties only) feel it, at the same difficulty:

- a pass credits each component card a share of a review (its due day moves, capped:
  :func:`quizcalc.scheduling.implicit.credit_step`), logged as an ``implicit`` row with its
  weight and the answer that caused it;
- a failure whose named misconception belongs to a component makes that component due today,
  logged as a ``blame`` row.

Each such row records the card's state before and after, so undoing the answer undoes them
(:func:`undo_credits`), and a replay of the log rebuilds them (:mod:`quizcalc.scheduling.replay`).
Cards never reviewed get no credit: a credit is for a skill already learned.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizcalc.scheduling.answer import CardState, SchedulerSettings
from quizcalc.scheduling.implicit import blame, credit_step
from quizcalc.scheduling.sm2 import PASSING_QUALITY
from quizcalc.store.models import CardRecord, ReviewLogRecord
from quizcalc.study.log_rows import restore_before, state_columns

__all__ = ["credit_components", "undo_credits"]


def _components(
    session: Session, family: str, difficulty: int, names: list[str]
) -> list[CardRecord]:
    if not names:
        return []
    return list(
        session.scalars(
            select(CardRecord).where(
                CardRecord.family.in_(names),
                CardRecord.difficulty == difficulty,
                CardRecord.status == "active",
            )
        )
    )


def _log(
    session: Session,
    card: CardRecord,
    kind: str,
    cause: ReviewLogRecord,
    before: CardState,
    after: CardState,
    weight: float | None,
) -> None:
    session.add(
        ReviewLogRecord(
            card_key=card.id,
            reviewed_at=cause.reviewed_at,
            study_day=cause.study_day,
            quality=cause.quality,
            kind=kind,
            session_id=cause.session_id,
            weight=weight,
            cause_id=cause.id,
            **state_columns(before, after),
        )
    )
    card.schedule.state = after


def credit_components(
    session: Session,
    card: CardRecord,
    cause: ReviewLogRecord,
    now: datetime,
    settings: SchedulerSettings,
) -> int:
    """Credit or blame the components of ``card``'s skill after its answer ``cause`` (a
    schedule-moving one, already flushed); returns how many component cards changed."""
    from quizcalc.problems.skill_graph import components_blamed, encompassed

    if card.family is None or card.difficulty is None:
        return 0
    passed = cause.quality >= PASSING_QUALITY
    changed = 0
    if passed:
        weights = {edge.family: edge.weight for edge in encompassed(card.family, card.difficulty)}
        for component in _components(session, card.family, card.difficulty, list(weights)):
            before = component.schedule.state
            after = credit_step(before, weights[component.family or ""], now, settings)
            if after != before:
                _log(
                    session,
                    component,
                    "implicit",
                    cause,
                    before,
                    after,
                    weights[component.family or ""],
                )
                changed += 1
    elif cause.misconception:
        blamed = list(components_blamed(card.family, cause.misconception, card.difficulty))
        for component in _components(session, card.family, card.difficulty, blamed):
            before = component.schedule.state
            after = blame(before, now, settings)
            if after != before:
                _log(session, component, "blame", cause, before, after, None)
                changed += 1
    session.flush()
    return changed


def undo_credits(session: Session, cause_id: int) -> None:
    """Undo the credits and blames answer ``cause_id`` gave: each component whose latest row
    is still that credit gets its state back and the row goes; a component answered since
    keeps its state (and the row, which its history then still explains)."""
    rows = session.scalars(
        select(ReviewLogRecord)
        .where(ReviewLogRecord.cause_id == cause_id)
        .order_by(ReviewLogRecord.id.desc())
    ).all()
    for row in rows:
        newer = session.scalar(
            select(ReviewLogRecord.id).where(
                ReviewLogRecord.card_key == row.card_key, ReviewLogRecord.id > row.id
            )
        )
        if newer is not None:
            continue
        card = session.get(CardRecord, row.card_key)
        if card is not None:
            restore_before(card.schedule, row)
        session.delete(row)
    session.flush()
