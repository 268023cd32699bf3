"""The store's rows as a backup writes them, read from SQLite's text without SQLAlchemy types.

Backing up a million reviews through SQLAlchemy parses every stored datetime into an object,
attaches UTC, then formats it back into ISO 8601 text. SQLite already holds that text in a
fixed form (``2026-11-26 09:00:00.250000``), so a column of them — checked to be all in that
form at C speed — becomes the backup's text by slicing (``2026-11-26T09:00:00.25…+00:00``,
the microseconds left out when they are zero, as :meth:`datetime.isoformat` does). Dates are
stored as the backup writes them. Any other value takes SQLAlchemy's own result processor, so
the file is the same byte for byte either way (the tests compare). Only SQLite takes this
path (:func:`stored_chunks` says ``None`` for another database).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table

from quizcalc.exchange.backup_format import CHUNK, BackupTableLayout

__all__ = ["stored_chunks"]

_DIGITS = str.maketrans("123456789", "000000000")
_DATETIME = "0000-00-00 00:00:00.000000"
_DATE = "0000-00-00"


def stored_chunks(
    connection: Connection, table: Table, layout: BackupTableLayout
) -> Iterator[list[list[Any]]] | None:
    """``table``'s rows by primary key, :data:`CHUNK` at a time, in ``layout``'s column order,
    dates and datetimes as their ISO 8601 text; ``None`` on a database other than SQLite."""
    dialect = connection.dialect
    if dialect.name != "sqlite":
        return None
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(column.name) for column in layout.columns)
    order = ", ".join(quote(column.name) for column in table.primary_key.columns)
    sql = f"SELECT {names} FROM {quote(table.name)} ORDER BY {order}"
    texts = [
        (index, _as_text(table, column.name, column.kind, connection))
        for index, column in enumerate(layout.columns)
        if column.kind in ("date", "datetime")
    ]
    return _chunks(connection, sql, texts)


def _chunks(
    connection: Connection, sql: str, texts: list[tuple[int, Callable[[tuple[Any, ...]], Any]]]
) -> Iterator[list[list[Any]]]:
    result = connection.exec_driver_sql(sql)
    for part in result.partitions(CHUNK):
        rows = list(map(list, part))
        for index, make in texts:
            column = tuple(map(itemgetter(index), rows))
            for row, value in zip(rows, make(column), strict=True):
                row[index] = value
        yield rows


def _as_text(
    table: Table, name: str, kind: str, connection: Connection
) -> Callable[[tuple[Any, ...]], Sequence[Any]]:
    """One temporal column: stored values → the backup's ISO 8601 text."""
    dialect = connection.dialect
    process = table.c[name].type.dialect_impl(dialect).result_processor(dialect, None)

    def slowly(column: tuple[Any, ...]) -> list[Any]:
        values = column if process is None else map(process, column)
        return [None if value is None else value.isoformat() for value in values]

    template = _DATETIME if kind == "datetime" else _DATE

    def texts(column: tuple[Any, ...]) -> Sequence[Any]:
        if not _all_like(column, template):
            return slowly(column)
        if kind == "date":
            return column
        return [
            None
            if value is None
            else f"{value[:10]}T{value[11:19]}+00:00"
            if value.endswith(".000000")
            else f"{value[:10]}T{value[11:]}+00:00"
            for value in column
        ]

    return texts


def _all_like(column: tuple[Any, ...], template: str) -> bool:
    """Whether every value but nulls is text of ``template``'s shape (digits as ``0``)."""
    present = [value for value in column if value is not None]
    try:
        joined = "".join(present)
    except TypeError:  # a number where text should be
        return False
    return joined.translate(_DIGITS) == template * len(present)
