"""Performance per problem family, per deck, per section (of its deck) and per skill.

Counted answers: kinds ``review`` and ``drill``. ``relearn`` re-asks are left out: they follow
a miss within minutes, with the answer just seen, and would flatter every group that is
struggling. Pass: quality ≥ 3.

SQL aggregates the log per card (on the card-ordered covering index), joins each card's
row (not each answer) to its card and sums them per *group key* (deck, section, family,
difficulty): a few dozen rows reach Python, whatever the size of the deck or the length of
the log, and Python adds keys into decks, sections, families and skills. Medians, which do
not add up, are computed in Python from one narrow query of the recent window's answer
times.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from quizcalc.scheduling.sm2 import PASSING_QUALITY
from quizcalc.study.stats.model import GroupStats, MisconceptionCount, SkillStats, Tally
from quizcalc.study.stats.periods import (
    RECENT_DAYS,
    TREND_DAYS,
    WEAKEST_LIMIT,
    WEAKEST_MIN_ANSWERS,
    days_back,
)
from quizcalc.study.stats.sql import ANSWER_KINDS_SQL, RunSQL, count_where

__all__ = [
    "ANSWER_KINDS",
    "GroupTallies",
    "group_stats",
    "rank_skills",
    "recent_medians",
    "weakest_skills",
]

ANSWER_KINDS = ("review", "drill")
"""Review-log kinds that count towards accuracy, times and misconceptions."""

TOP_MISCONCEPTIONS = 3
"""Misconceptions listed per group."""

if RECENT_DAYS < 2 * TREND_DAYS:  # _recent reads one window holding both trend halves
    raise ValueError("RECENT_DAYS must cover both halves of the trend")


@dataclass(frozen=True)
class _Key:
    """What groups a card: its deck, section (``""`` outside any), family and difficulty."""

    deck: str
    section: str
    family: str | None
    difficulty: int | None


@dataclass(frozen=True)
class _Recent:
    last_14: Tally = field(default_factory=Tally)
    previous_14: Tally = field(default_factory=Tally)
    last_30: Tally = field(default_factory=Tally)


@dataclass(frozen=True)
class GroupTallies:
    """The log summed per group key, the raw material of every group figure."""

    totals: dict[_Key, Tally]
    """Whole history."""
    recent: dict[_Key, _Recent]
    """The windows ending today."""
    misconceptions: list[tuple[_Key, str, int]]
    """``(group key, tag, count)``."""

    @classmethod
    def load(cls, run: RunSQL, today: date) -> GroupTallies:
        """Run the per-group queries (whole history, and the recent windows ending today)."""
        return cls(
            totals=_totals(run),
            recent=_recent(run, today),
            misconceptions=_misconceptions(run),
        )


_KEY = "d.name, coalesce(c.section, ''), c.family, c.difficulty"
_CARD_AND_DECK = "JOIN cards AS c ON c.id = {card} JOIN decks AS d ON d.id = c.deck_id"
_PASSED = f"quality >= {PASSING_QUALITY}"


def _by_key(per_card: str, *extra: str) -> str:
    """Sum ``per_card``'s ``n`` and ``passed`` columns per group key (and ``extra`` columns).

    ``per_card`` has a ``card_key`` column: each card's few rows are joined to the card, not
    each answer, so the join costs a lookup per card, not per row of the log.
    """
    more = "".join(f", t.{name}" for name in extra)
    return f"""
SELECT {_KEY}{more}, sum(t.n), sum(t.passed)
FROM ({per_card}) AS t {_CARD_AND_DECK.format(card="t.card_key")}
GROUP BY {_KEY}{more}
"""


_TOTALS = _by_key(
    f"""SELECT card_key, count(*) AS n, {count_where(_PASSED)} AS passed
    FROM review_log WHERE kind IN {ANSWER_KINDS_SQL} GROUP BY card_key"""
)


def _totals(run: RunSQL) -> dict[_Key, Tally]:
    """Whole-history answers and passes per group key (one pass over the card-ordered index)."""
    return {
        _Key(deck, section, family, difficulty): Tally(int(passed), int(n))
        for deck, section, family, difficulty, n, passed in run(_TOTALS, {})
    }


# Per card and *disjoint* segment (last 14 days, the 14 before, the rest of the 30), one CASE
# a row: cheaper than a CASE per window, and the windows are sums of segments.
_RECENT = _by_key(
    f"""SELECT card_key,
           CASE WHEN study_day >= :last_start THEN 0
                WHEN study_day >= :previous_start THEN 1 ELSE 2 END AS segment,
           count(*) AS n, {count_where(_PASSED)} AS passed
    FROM review_log
    WHERE kind IN {ANSWER_KINDS_SQL} AND study_day >= :start AND study_day <= :today
    GROUP BY card_key, segment""",
    "segment",
)


def _recent(run: RunSQL, today: date) -> dict[_Key, _Recent]:
    """The recent windows per group key, reading only the last 30 days of the log."""
    params = {
        "last_start": days_back(today, TREND_DAYS).isoformat(),
        "previous_start": days_back(today, 2 * TREND_DAYS).isoformat(),
        "start": days_back(today, RECENT_DAYS).isoformat(),
        "today": today.isoformat(),
    }
    parts: dict[_Key, list[Tally]] = {}
    for deck, section, family, difficulty, part, n, passed in run(_RECENT, params):
        key = _Key(deck, section, family, difficulty)
        parts.setdefault(key, [Tally(), Tally(), Tally()])[int(part)] = Tally(int(passed), int(n))
    return {
        key: _Recent(last_14=last, previous_14=previous, last_30=last + previous + rest)
        for key, (last, previous, rest) in parts.items()
    }


_MISCONCEPTIONS = f"""
SELECT {_KEY}, l.misconception, count(*)
FROM review_log AS l {_CARD_AND_DECK.format(card="l.card_key")}
WHERE l.misconception IS NOT NULL AND l.kind IN {ANSWER_KINDS_SQL}
GROUP BY {_KEY}, l.misconception
"""


def _misconceptions(run: RunSQL) -> list[tuple[_Key, str, int]]:
    return [
        (_Key(deck, section, family, difficulty), tag or "", int(n))
        for deck, section, family, difficulty, tag, n in run(_MISCONCEPTIONS, {})
    ]


_RECENT_TIMES = f"""
SELECT d.name, c.section, c.family, l.duration_ms
FROM review_log AS l {_CARD_AND_DECK.format(card="l.card_key")}
WHERE l.kind IN {ANSWER_KINDS_SQL} AND l.duration_ms IS NOT NULL
  AND l.study_day >= :start AND l.study_day <= :today
"""


def _median(values: list[int]) -> float:
    """The middle value of ``values`` (sorted here), or the mean of the middle two."""
    values.sort()
    middle = len(values) // 2
    if len(values) % 2:
        return float(values[middle])
    return (values[middle - 1] + values[middle]) / 2


def recent_medians(run: RunSQL, today: date) -> dict[str, dict[Any, float]]:
    """Median answer time (seconds) per family, deck and section over the recent window:
    ``{"family": {name: seconds}, "deck": {name: seconds}, "section": {(deck, section):
    seconds}}``.

    One narrow query returns the window's timed answers (a few thousand rows, whatever the
    size of the deck) with their card's section and family; Python sorts each group's times.
    Medians do not add up, so they cannot be summed per card as the tallies are.
    """
    params = {"start": days_back(today, RECENT_DAYS).isoformat(), "today": today.isoformat()}
    groups: dict[str, dict[Any, list[int]]] = {"family": {}, "deck": {}, "section": {}}
    for deck, section, family, ms in run(_RECENT_TIMES, params):
        groups["deck"].setdefault(deck, []).append(int(ms))
        if section is not None:
            groups["section"].setdefault((deck, section), []).append(int(ms))
        if family is not None:
            groups["family"].setdefault(family, []).append(int(ms))
    return {
        by: {name: _median(times) / 1000 for name, times in per_name.items()}
        for by, per_name in groups.items()
    }


def group_stats(
    tallies: GroupTallies, medians: dict[str, dict[Any, float]], by: str
) -> tuple[GroupStats, ...]:
    """Stats per ``"family"`` (problem cards), per ``"deck"`` or per ``"section"`` (every
    card); ``medians`` are :func:`recent_medians`'.

    Families and decks are ordered by name, sections by deck then name (a section's
    :attr:`~GroupStats.deck` says whose it is). Only groups with at least one counted answer
    are listed.
    """
    name_of: Callable[[_Key], Hashable | None]
    if by == "family":
        name_of = _family_of
    elif by == "deck":
        name_of = _deck_of
    elif by == "section":
        name_of = _section_of
    else:
        raise ValueError(f"group by 'family', 'deck' or 'section', not {by!r}")
    return _assemble(tallies, name_of, medians[by], by)


def _family_of(key: _Key) -> str | None:
    return key.family


def _deck_of(key: _Key) -> str:
    return key.deck


def _section_of(key: _Key) -> tuple[str, str]:
    return (key.deck, key.section)


def _assemble(
    tallies: GroupTallies,
    name_of: Callable[[_Key], Hashable | None],
    medians: dict[Any, float],
    by: str,
) -> tuple[GroupStats, ...]:
    answers: dict[Any, Tally] = {}
    last: dict[Any, Tally] = {}
    previous: dict[Any, Tally] = {}
    for key, tally in tallies.totals.items():
        name = name_of(key)
        if name is None:
            continue
        answers[name] = answers.get(name, Tally()) + tally
        recent = tallies.recent.get(key, _Recent())
        last[name] = last.get(name, Tally()) + recent.last_14
        previous[name] = previous.get(name, Tally()) + recent.previous_14
    tags: dict[Any, Counter[str]] = {}
    for key, tag, n in tallies.misconceptions:
        name = name_of(key)
        if name is not None:
            tags.setdefault(name, Counter())[tag] += n
    return tuple(
        GroupStats(
            name=key[1] if by == "section" else key,
            answers=answers[key],
            last_14=last[key],
            previous_14=previous[key],
            median_seconds=medians.get(key),
            misconceptions=_top(tags.get(key, Counter())),
            deck=key[0] if by == "section" else key if by == "deck" else None,
        )
        for key in sorted(answers)
        if answers[key].total
    )


def _top(counts: Counter[str]) -> tuple[MisconceptionCount, ...]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(MisconceptionCount(tag, n) for tag, n in ranked[:TOP_MISCONCEPTIONS])


def rank_skills(
    recent: Iterable[tuple[_Key, _Recent]], limit: int = WEAKEST_LIMIT
) -> tuple[SkillStats, ...]:
    """The weakest skills: problem cards grouped by (family, difficulty).

    ``recent`` is :attr:`GroupTallies.recent`'s items. Ranked by accuracy over the last 30
    study days, lowest first; a skill needs at least three answers there and at least one
    miss (a perfect skill is not weak). Ties: more answers first (more evidence), then by
    name. Card status does not matter: a skill answered in the window is being practised
    (drill-only skills hang on retired cards).
    """
    skills: dict[tuple[str, int], Tally] = {}
    for key, windows in recent:
        if key.family is None:
            continue
        skill = (key.family, key.difficulty or 1)
        skills[skill] = skills.get(skill, Tally()) + windows.last_30
    candidates = [
        SkillStats(family, difficulty, tally)
        for (family, difficulty), tally in skills.items()
        if tally.total >= WEAKEST_MIN_ANSWERS and tally.passed < tally.total
    ]
    # Fractions: 2/6 and 1/3 must tie exactly, whatever floating point makes of them.
    candidates.sort(
        key=lambda s: (Fraction(s.recent.passed, s.recent.total), -s.recent.total, s.name)
    )
    return tuple(candidates[:limit])


def weakest_skills(run: RunSQL, today: date, limit: int = WEAKEST_LIMIT) -> tuple[SkillStats, ...]:
    """The ``limit`` weakest skills as of ``today`` (see :func:`rank_skills`).

    Cheap enough for the home screen: it reads only the last 30 days of the log.
    """
    return rank_skills(_recent(run, today).items(), limit)
