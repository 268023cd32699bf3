"""The kinds of review-log row, and which of them are answers the learner gave.

The review log is the one history of every card: each answer, and each change to a schedule
that was not an answer. Every reader that counts answers, study days or time spent filters on
these lists, so a row that is not an answer never reaches a statistic, a daily count, a streak
or a limit:

- answers: ``review`` (the day's first answer, moves the schedule), ``relearn`` (a same-day
  re-ask, SM-2 step 7), ``drill`` (an answer in a drill);
- not answers: ``implicit`` (credit from a review of an encompassing skill, with its weight
  and the review that caused it), ``blame`` (made due by a failure of an encompassing skill
  that named a misconception of this one) and ``reset`` (the learner put the card back to
  new).

Plain strings and SQL text only: the queue's fast path imports this without SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "ANSWERS_SQL",
    "ANSWER_KINDS",
    "BLAME",
    "DAILY_ANSWERS_SQL",
    "DAILY_ANSWER_KINDS",
    "IMPLICIT",
    "NOT_ANSWER_KINDS",
    "RESET",
    "sql_list",
]

RESET = "reset"
"""The kind of the row a reset to new writes (quality 0, no rating, after_* a new card's)."""

IMPLICIT = "implicit"
"""The kind of a credit from an encompassing skill's review (no answer was given)."""

BLAME = "blame"
"""The kind of the row a misconception of a component writes on it (due that day)."""

ANSWER_KINDS = ("review", "relearn", "drill")
"""Log kinds that are answers the learner gave."""

DAILY_ANSWER_KINDS = ("review", "relearn")
"""The answers of the daily queue and custom study (drills are apart): what "answered today"
means for the queue, its limits and the home screen's count."""

NOT_ANSWER_KINDS = (IMPLICIT, BLAME, RESET)
"""Log kinds that record a change to a schedule that was not an answer."""


def sql_list(kinds: Iterable[str]) -> str:
    """``('review', 'relearn')``: the kinds as an SQL list of string literals."""
    return "(" + ", ".join("'" + kind.replace("'", "''") + "'" for kind in kinds) + ")"


ANSWERS_SQL = sql_list(ANSWER_KINDS)
""":data:`ANSWER_KINDS` as an SQL list, for ``kind IN …``."""

DAILY_ANSWERS_SQL = sql_list(DAILY_ANSWER_KINDS)
""":data:`DAILY_ANSWER_KINDS` as an SQL list, for ``kind IN …``."""
