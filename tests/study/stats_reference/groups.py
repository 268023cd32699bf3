"""Reference copy (pre-step 9) of :mod:`quizcalc.study.stats.groups`.

Performance per problem family, per section and per skill.

Counted answers: kinds ``review`` and ``drill``. ``relearn`` re-asks are left out: they follow
a miss within minutes, with the answer just seen, and would flatter every group that is
struggling. Pass: quality ≥ 3.

SQL aggregates per card (a few thousand rows at most, whatever the length of the log) and
Python adds cards into groups; medians, which do not add up, are computed in SQL with window
functions, per group, over the recent window.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from sqlalchemy import case, func, literal_column, select
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from quizcalc.scheduling.sm2 import PASSING_QUALITY
from quizcalc.store.models import CardRecord, ReviewLogRecord
from quizcalc.study.stats.model import GroupStats, MisconceptionCount, SkillStats, Tally
from quizcalc.study.stats.periods import (
    RECENT_DAYS,
    TREND_DAYS,
    WEAKEST_LIMIT,
    WEAKEST_MIN_ANSWERS,
    days_back,
)

__all__ = ["ANSWER_KINDS", "CardTallies", "group_stats", "rank_skills", "weakest_skills"]

ANSWER_KINDS = ("review", "drill")
"""Review-log kinds that count towards accuracy, times and misconceptions."""

TOP_MISCONCEPTIONS = 3
"""Misconceptions listed per group."""

if RECENT_DAYS < 2 * TREND_DAYS:  # _recent reads one window holding both trend halves
    raise ValueError("RECENT_DAYS must cover both halves of the trend")


@dataclass(frozen=True)
class _Card:
    section: str
    family: str | None
    difficulty: int | None


@dataclass(frozen=True)
class _Recent:
    last_14: Tally = field(default_factory=Tally)
    previous_14: Tally = field(default_factory=Tally)
    last_30: Tally = field(default_factory=Tally)


@dataclass(frozen=True)
class CardTallies:
    """Per-card aggregates of the log, the raw material of every group figure."""

    cards: dict[int, _Card]
    totals: dict[int, Tally]
    recent: dict[int, _Recent]
    misconceptions: list[tuple[int, str, int]]
    """``(card key, tag, count)``."""

    @classmethod
    def load(cls, session: Session, today: date) -> CardTallies:
        """Run the per-card queries (whole history, and the recent windows ending today)."""
        return cls(
            cards=_cards(session),
            totals=_totals(session),
            recent=_recent(session, today),
            misconceptions=_misconceptions(session),
        )


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _cards(session: Session) -> dict[int, _Card]:
    rows = session.execute(
        select(
            CardRecord.id,
            CardRecord.section,
            CardRecord.family,
            CardRecord.difficulty,
        )
    )
    return {
        key: _Card(section or "", family, difficulty) for key, section, family, difficulty in rows
    }


def _totals(session: Session) -> dict[int, Tally]:
    """Whole-history answers and passes per card (one pass over the card-ordered index)."""
    log = ReviewLogRecord
    rows = session.execute(
        select(log.card_key, func.count(), _count(log.quality >= PASSING_QUALITY))
        .where(log.kind.in_(ANSWER_KINDS))
        .group_by(log.card_key)
    )
    return {key: Tally(int(passed), int(n)) for key, n, passed in rows}


def _recent(session: Session, today: date) -> dict[int, _Recent]:
    """The recent windows per card, reading only the last 30 days of the log.

    SQL counts per card and *disjoint* segment (last 14 days, the 14 before, the rest of the
    30), one CASE a row: cheaper than a CASE per window, and the windows are sums of segments.
    """
    log = ReviewLogRecord
    last_start = days_back(today, TREND_DAYS)
    previous_start = days_back(today, 2 * TREND_DAYS)
    start = days_back(today, RECENT_DAYS)
    segment = case(
        (log.study_day >= last_start, 0), (log.study_day >= previous_start, 1), else_=2
    ).label("segment")
    rows = session.execute(
        select(log.card_key, segment, func.count(), _count(log.quality >= PASSING_QUALITY))
        .where(log.kind.in_(ANSWER_KINDS), log.study_day >= start, log.study_day <= today)
        # By the label: a repeated CASE has its own bound parameters, so SQLite would not see
        # it as the same expression and would evaluate it twice.
        .group_by(log.card_key, literal_column("segment"))
    )
    parts: dict[int, list[Tally]] = {}
    for key, part, n, passed in rows:
        parts.setdefault(key, [Tally(), Tally(), Tally()])[int(part)] = Tally(int(passed), int(n))
    return {
        key: _Recent(last_14=last, previous_14=previous, last_30=last + previous + rest)
        for key, (last, previous, rest) in parts.items()
    }


def _misconceptions(session: Session) -> list[tuple[int, str, int]]:
    log = ReviewLogRecord
    rows = session.execute(
        select(log.card_key, log.misconception, func.count())
        .where(log.misconception.is_not(None), log.kind.in_(ANSWER_KINDS))
        .group_by(log.card_key, log.misconception)
    )
    return [(key, tag or "", int(n)) for key, tag, n in rows]


def _medians(session: Session, column: QueryableAttribute[Any], today: date) -> dict[str, float]:
    """Median answer time (seconds) per value of ``column`` over the recent window.

    Cards get a small integer group number first, so the window sort compares integers, not
    section paths.
    """
    log = ReviewLogRecord
    groups = (
        select(
            CardRecord.id.label("card_key"),
            column.label("name"),
            func.dense_rank().over(order_by=column).label("gid"),
        )
        .where(column.is_not(None))
        .cte("groups")
    )
    answers = (
        select(groups.c.gid, log.duration_ms.label("ms"))
        .join(groups, groups.c.card_key == log.card_key)
        .where(
            log.kind.in_(ANSWER_KINDS),
            log.duration_ms.is_not(None),
            log.study_day >= days_back(today, RECENT_DAYS),
            log.study_day <= today,
        )
        .cte("answers")
    )
    ranked = select(
        answers.c.gid,
        answers.c.ms,
        func.row_number().over(partition_by=answers.c.gid, order_by=answers.c.ms).label("rn"),
        func.count().over(partition_by=answers.c.gid).label("n"),
    ).subquery("ranked")
    middle = (
        select(ranked.c.gid, func.avg(ranked.c.ms).label("median"))
        .where(ranked.c.rn.in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2]))
        .group_by(ranked.c.gid)
        .subquery("middle")
    )
    names = select(groups.c.gid, groups.c.name).distinct().subquery("names")
    rows = session.execute(
        select(names.c.name, middle.c.median).join(middle, middle.c.gid == names.c.gid)
    )
    return {name: float(median) / 1000 for name, median in rows}


def group_stats(
    session: Session, tallies: CardTallies, today: date, by: str
) -> tuple[GroupStats, ...]:
    """Stats per ``"family"`` (problem cards) or per ``"section"`` (every card), by name.

    Only groups with at least one counted answer are listed.
    """
    column: QueryableAttribute[Any]
    if by == "family":
        column, name_of = CardRecord.family, _family_of
    elif by == "section":
        column, name_of = CardRecord.section, _section_of
    else:
        raise ValueError(f"group by 'family' or 'section', not {by!r}")
    return _assemble(tallies, name_of, _medians(session, column, today))


def _family_of(card: _Card) -> str | None:
    return card.family


def _section_of(card: _Card) -> str | None:
    return card.section


def _assemble(
    tallies: CardTallies, name_of: Callable[[_Card], str | None], medians: dict[str, float]
) -> tuple[GroupStats, ...]:
    answers: dict[str, Tally] = {}
    last: dict[str, Tally] = {}
    previous: dict[str, Tally] = {}
    for key, tally in tallies.totals.items():
        card = tallies.cards.get(key)
        name = None if card is None else name_of(card)
        if name is None:
            continue
        answers[name] = answers.get(name, Tally()) + tally
        recent = tallies.recent.get(key, _Recent())
        last[name] = last.get(name, Tally()) + recent.last_14
        previous[name] = previous.get(name, Tally()) + recent.previous_14
    tags: dict[str, Counter[str]] = {}
    for key, tag, n in tallies.misconceptions:
        card = tallies.cards.get(key)
        name = None if card is None else name_of(card)
        if name is not None:
            tags.setdefault(name, Counter())[tag] += n
    return tuple(
        GroupStats(
            name=name,
            answers=answers[name],
            last_14=last[name],
            previous_14=previous[name],
            median_seconds=medians.get(name),
            misconceptions=_top(tags.get(name, Counter())),
        )
        for name in sorted(answers)
        if answers[name].total
    )


def _top(counts: Counter[str]) -> tuple[MisconceptionCount, ...]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(MisconceptionCount(tag, n) for tag, n in ranked[:TOP_MISCONCEPTIONS])


def rank_skills(tallies: CardTallies, limit: int = WEAKEST_LIMIT) -> tuple[SkillStats, ...]:
    """The weakest skills: problem cards grouped by (family, difficulty).

    Ranked by accuracy over the last 30 study days, lowest first; a skill needs at least
    three answers there and at least one miss (a perfect skill is not weak). Ties: more
    answers first (more evidence), then by name. Card status does not matter: a skill
    answered in the window is being practised (drill-only skills hang on retired cards).
    """
    recent: dict[tuple[str, int], Tally] = {}
    for key, windows in tallies.recent.items():
        card = tallies.cards.get(key)
        if card is None or card.family is None:
            continue
        skill = (card.family, card.difficulty or 1)
        recent[skill] = recent.get(skill, Tally()) + windows.last_30
    candidates = [
        SkillStats(family, difficulty, tally)
        for (family, difficulty), tally in recent.items()
        if tally.total >= WEAKEST_MIN_ANSWERS and tally.passed < tally.total
    ]
    # Fractions: 2/6 and 1/3 must tie exactly, whatever floating point makes of them.
    candidates.sort(
        key=lambda s: (Fraction(s.recent.passed, s.recent.total), -s.recent.total, s.name)
    )
    return tuple(candidates[:limit])


def weakest_skills(
    session: Session, today: date, limit: int = WEAKEST_LIMIT
) -> tuple[SkillStats, ...]:
    """The ``limit`` weakest skills as of ``today`` (see :func:`rank_skills`).

    Cheap enough for the home screen: it reads only the last 30 days of the log.
    """
    tallies = CardTallies(
        cards=_cards(session), totals={}, recent=_recent(session, today), misconceptions=[]
    )
    return rank_skills(tallies, limit)
