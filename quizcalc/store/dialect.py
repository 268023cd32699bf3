"""The dialect seam: the study layer's plain SQL, written for SQLite, made to run elsewhere.

The queue, statistics and deck-list statements are plain SQL strings written once, in the
SQLite dialect, because the start-up fast path runs them through the stdlib ``sqlite3`` driver
(see :mod:`quizcalc.study.queue`). :func:`for_dialect` rewrites the few SQLite-only forms they
use for another database (PostgreSQL); on SQLite a statement is never changed. The engine of
such a database applies it to every statement it sends
(:func:`quizcalc.store.connection.make_engine`), so no caller has to remember it; the cache
makes that one dictionary look-up per statement. Light: no SQLAlchemy import.

What is rewritten, and why it keeps the meaning:

- ``CROSS JOIN t AS a ON a.key = o.col``: on SQLite a ``CROSS JOIN`` is an inner join that
  also fixes the join order (a planner hint: the left table drives, each of its rows looks
  ``t`` up by key). PostgreSQL has no ``ON`` for it; the same intent is
  ``CROSS JOIN LATERAL (SELECT * FROM t WHERE t.key = o.col OFFSET 0) AS a`` (``OFFSET 0``
  keeps the planner from flattening it back into a join it reorders). Left to itself,
  PostgreSQL hash-joins today's queue against every card (25 ms at 50,000 cards); driven by
  the ``due`` index, as on SQLite, it reads about the 1,000 cards it needs (3–5 ms). Any other
  ``CROSS JOIN … ON`` becomes a plain ``JOIN``.
- ``+c.status``: a unary plus that stops SQLite from using an index on the column (a planner
  hint); PostgreSQL has no unary plus for text, and plans the query itself.
- ``t AS a NOT INDEXED`` / ``INDEXED BY ix``: SQLite's hints on which index to scan; dropped.
- ``a IS NOT b`` (``b`` not ``NULL``): SQLite's null-safe "differs"; PostgreSQL spells it
  ``a IS DISTINCT FROM b``.
- ``julianday(x)``: a day number; only ever subtracted from another, so ``x - DATE
  '2000-01-01'`` (the whole days since a fixed day, as an integer) gives the same differences.
  A statement that wants a day itself subtracts a fixed day's: ``julianday(x) -
  julianday('2000-01-01')`` (a quoted date becomes ``DATE '…'``), the days since that day on
  both (SQLite's own numbers are half-days off, a Julian day starting at noon).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["for_dialect"]

_CROSS_JOIN_BY_KEY = re.compile(
    r"\bCROSS JOIN\s+(\w+)\s+AS\s+(\w+)\s+ON\s+\2\.(\w+)\s*=\s*(\w+\.\w+)\b"
)
_CROSS_JOIN_ON = re.compile(r"\bCROSS JOIN(\s+\w+\s+AS\s+\w+\s+ON)\b")
_UNARY_PLUS = re.compile(r"(^|[\s(,=])\+(?=[A-Za-z_]\w*\.[A-Za-z_])")
_INDEX_HINT = re.compile(r"\s+(?:NOT INDEXED|INDEXED BY \w+)\b")
_IS_NOT_VALUE = re.compile(r"\bIS NOT (?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b)(?=[A-Za-z_:])")
_JULIANDAY = re.compile(r"\bjulianday\(([\w.]+)\)")
_JULIANDAY_OF_DATE = re.compile(r"\bjulianday\('(\d{4}-\d{2}-\d{2})'\)")


@lru_cache(maxsize=512)
def for_dialect(sql: str, dialect: str) -> str:
    """``sql`` (written for SQLite) as database ``dialect`` (SQLAlchemy's name) runs it."""
    if dialect == "sqlite":
        return sql
    sql = _CROSS_JOIN_BY_KEY.sub(
        r"CROSS JOIN LATERAL (SELECT * FROM \1 WHERE \1.\3 = \4 OFFSET 0) AS \2", sql
    )
    sql = _CROSS_JOIN_ON.sub(r"JOIN\1", sql)
    sql = _UNARY_PLUS.sub(r"\1", sql)
    sql = _INDEX_HINT.sub("", sql)
    sql = _IS_NOT_VALUE.sub("IS DISTINCT FROM ", sql)
    sql = _JULIANDAY_OF_DATE.sub(r"(DATE '\1' - DATE '2000-01-01')", sql)
    return _JULIANDAY.sub(r"(\1 - DATE '2000-01-01')", sql)
