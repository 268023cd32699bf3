"""What every statistics query shares: the ``RunSQL`` callable, dates, counting conditions.

The statistics are plain SQL strings run through a :data:`~quizcalc.study.queue.RunSQL`
callable, so the same code runs inside a study-service transaction (SQLAlchemy) and on the
``quizcalc stats`` fast path (stdlib ``sqlite3``, :mod:`quizcalc.study.stats.quick`): this
package must stay free of SQLAlchemy imports. Dates travel as ISO strings, as SQLAlchemy
stores them in SQLite.
"""

from __future__ import annotations

from datetime import date

from quizcalc.study.queue import RunSQL

__all__ = ["ANSWER_KINDS_SQL", "RunSQL", "count_where", "day_of"]

ANSWER_KINDS_SQL = "('review', 'drill')"
"""Review-log kinds that count towards accuracy, times and misconceptions, as an SQL list."""


def count_where(condition: str) -> str:
    """An aggregate counting the rows where ``condition`` holds (0 over no row)."""
    return f"coalesce(sum(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)"


def day_of(value: object) -> date:
    """A study day as a row gives it (an ISO string; a ``date`` passes through)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
