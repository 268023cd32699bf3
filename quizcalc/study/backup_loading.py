"""A backup's checked rows into SQLite, a chunk at a time, as the values SQLAlchemy would store.

Going through SQLAlchemy's ``insert`` costs per value: a dict per row, a Python object per
date and datetime, then the type's bind processor turning it back into text. A restore of a
million reviews spends most of its time there. Here the file's JSON values (already checked
by the reader) become the driver's values a column at a time: integers and strings as they
are, each distinct date once, a UTC datetime in the usual ``…T09:00:00.000000+00:00`` form by
slicing its text — every other value through the column's own converter and bind processor,
so the stored text is the same byte for byte (the tests compare both ways). The rows then go
to the driver's ``executemany``. Only SQLite takes this path (:func:`fast_loader` says
``None`` for another database, which keeps SQLAlchemy's ``insert``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table

from quizcalc.exchange.backup_format import BackupColumn, converters

__all__ = ["ChunkLoader", "fast_loader"]

ChunkLoader = Callable[[Connection, list[list[Any]]], None]
"""Inserts one chunk of a table's rows (JSON values, in the file's column order)."""

ColumnValues = Callable[[tuple[Any, ...]], Sequence[Any]]
"""One column of a chunk: JSON values → the driver's values."""

_UTC_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?\+00:00"
)
"""A UTC datetime as a backup writes it: its stored text is a slice of it."""
_PROBES = (
    (datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC), "2001-02-03 04:05:06.000007"),
    (datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC), "2001-02-03 04:05:06.000000"),
)


def fast_loader(
    connection: Connection, table: Table, columns: Sequence[BackupColumn]
) -> ChunkLoader | None:
    """What inserts a chunk of ``table``'s rows, whose values are for ``columns`` in order.

    ``None`` on a database other than SQLite (use SQLAlchemy's ``insert`` there).
    """
    dialect = connection.dialect
    if dialect.name != "sqlite":
        return None
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(column.name) for column in columns)
    marks = ", ".join("?" * len(columns))
    sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})"
    makers = [_column_values(table, column, connection) for column in columns]
    changed = [(index, make) for index, make in enumerate(makers) if make is not None]

    def load(into: Connection, rows: list[list[Any]]) -> None:
        if not rows:
            return
        for index, make in changed:
            column = tuple(map(itemgetter(index), rows))
            stored = make(column)
            if stored is not column:  # the rows are the decoder's own lists: changed in place
                for row, value in zip(rows, stored, strict=True):
                    row[index] = value
        into.exec_driver_sql(sql, list(map(tuple, rows)))

    return load


def _column_values(
    table: Table, column: BackupColumn, connection: Connection
) -> ColumnValues | None:
    """How one column's JSON values become the driver's (``None``: as they are)."""
    dialect = connection.dialect
    process = table.c[column.name].type.dialect_impl(dialect).bind_processor(dialect)
    convert = converters([BackupColumn(column.name, column.kind, nullable=True)])[0]

    def full(value: Any) -> Any:
        python = convert(value)
        return python if process is None or python is None else process(python)

    if column.kind in ("integer", "string") and process is None:
        return None
    if column.kind == "date":
        return _memoised(full)
    if column.kind == "datetime" and process is not None and _sliceable(process):
        return _utc_text(full)
    if column.kind == "float" and (process is None or _keeps_floats(process)):
        return _floats(full)
    return lambda values: list(map(full, values))


def _keeps_floats(process: Callable[[Any], Any]) -> bool:
    """Whether the column's bind processor hands a float over as it is."""
    return all(type(process(x)) is float and process(x) == x for x in (0.1, 2.5, -1e300))


def _floats(full: Callable[[Any], Any]) -> ColumnValues:
    """Floats (and nulls) as they are; a column holding whole numbers (``2`` for ``2.0``),
    each through the converter."""

    def values(column: tuple[Any, ...]) -> Sequence[Any]:
        return list(map(full, column)) if int in set(map(type, column)) else column

    return values


def _memoised(full: Callable[[Any], Any]) -> ColumnValues:
    """Dates repeat (a study day per review): each distinct one converted once; a chunk
    whose dates are stored as the file writes them (``2026-11-26``) goes as it is."""
    seen: dict[Any, Any] = {}
    same: set[Any] = set()

    def values(column: tuple[Any, ...]) -> Sequence[Any]:
        distinct = set(column)
        for value in distinct - seen.keys():
            seen[value] = stored = full(value)
            if stored == value:
                same.add(value)
        if distinct <= same:
            return column
        return list(map(seen.__getitem__, column))

    return values


def _sliceable(process: Callable[[Any], Any]) -> bool:
    """Whether the column stores a UTC datetime as the text a backup holds, with a space
    for the ``T``, the microseconds always there and no offset."""
    return all(process(moment) == stored for moment, stored in _PROBES)


_MARKS = itemgetter(4, 7, 10, 13, 16, 19, slice(-6, None))
_USUAL = {
    32: ("-", "-", "T", ":", ":", ".", "+00:00"),  # 2026-11-26T09:00:00.250000+00:00
    25: ("-", "-", "T", ":", ":", "+", "+00:00"),  # 2026-11-26T09:00:00+00:00
}
"""What a backup's own datetimes hold at those places, by length."""


def _utc_text(full: Callable[[Any], Any]) -> ColumnValues:
    match = _UTC_TEXT.fullmatch

    def stored(value: Any) -> Any:
        if value is None:
            return None
        if match(value) is None:
            return full(value)
        if len(value) == 32:
            return f"{value[:10]} {value[11:26]}"
        return f"{value[:10]} {value[11:19]}.000000"

    def values(column: tuple[Any, ...]) -> Sequence[Any]:
        # The reader checked each value is a datetime: a column of them all one length with
        # these marks is all in the usual form, looked at without a Python loop.
        lengths = set(map(len, column)) if None not in column else set()
        if lengths == {32} and set(map(_MARKS, column)) == {_USUAL[32]}:
            return [f"{value[:10]} {value[11:26]}" for value in column]
        if lengths == {25} and set(map(_MARKS, column)) == {_USUAL[25]}:
            return [f"{value[:10]} {value[11:19]}.000000" for value in column]
        return list(map(stored, column))

    return values
