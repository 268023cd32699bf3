"""Checking a backup's rows a chunk at a time: column by column at C speed, row by row on doubt.

A million review rows of twenty values are twenty million values to check. Checked one by one
in Python that is seconds; checked a column at a time (``set(map(type, column))``, one parse
per distinct date) it is a fraction of that. Whenever the quick look finds anything amiss, the
chunk is checked again row by row (:func:`_check_slowly`), which finds the first bad row and
says which table, row and column, and what was expected — the same words whichever way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any

from quizcalc.exchange.backup_format import BackupColumn, BadValue, converters, dump
from quizcalc.exchange.limits import ImportLimits, over, size_text, too_large
from quizcalc.exchange.model import ExchangeError

__all__ = ["check_rows"]

_NONE = type(None)
_ALLOWED: dict[str, frozenset[type]] = {
    "integer": frozenset({int}),
    "float": frozenset({float, int}),
    "string": frozenset({str}),
    "date": frozenset({str}),
    "datetime": frozenset({str}),
}
_TZINFO = attrgetter("tzinfo")


def check_rows(
    where: str,
    names: Sequence[str],
    columns: Sequence[BackupColumn],
    rows: list[Any],
    first: int,
    limits: ImportLimits,
    memo: dict[Any, Any],
) -> None:
    """Check ``rows`` (row ``first`` on) of the table ``where`` against ``columns``.

    ``memo`` remembers the dates already found good, across the chunks of one table. Raises
    :class:`ExchangeError` naming the first bad row and column, or
    :class:`~quizcalc.exchange.limits.ImportTooLarge` for a text value past the field cap.
    """
    if rows and not _look_good(columns, rows, limits.max_field_bytes, memo):
        _check_slowly(where, names, columns, rows, first, limits.max_field_bytes)


def _look_good(
    columns: Sequence[BackupColumn], rows: list[Any], cap: int, memo: dict[Any, Any]
) -> bool:
    """True when every row is a list of the right width holding good values; False: look
    again, row by row (it may still all be good)."""
    width = len(columns)
    if set(map(type, rows)) != {list} or set(map(len, rows)) != {width}:
        return False
    for column, values in zip(columns, zip(*rows, strict=True), strict=True):
        kinds = set(map(type, values))
        allowed = _ALLOWED[column.kind]
        if column.nullable:
            allowed = allowed | {_NONE}
        if not kinds <= allowed:
            return False
        if str in kinds and not _short(values, kinds, cap):
            return False
        if column.kind == "date" and not _dates(values, memo):
            return False
        if column.kind == "datetime" and not _datetimes(values, _NONE in kinds):
            return False
    return True


def _short(values: tuple[Any, ...], kinds: set[type], cap: int) -> bool:
    texts = values if kinds == {str} else [v for v in values if v is not None]
    return max(map(len, texts), default=0) * 4 <= cap


def _dates(values: tuple[Any, ...], memo: dict[Any, Any]) -> bool:
    read = converters([BackupColumn("day", "date", nullable=True)])[0]
    for value in set(values) - memo.keys():
        try:
            memo[value] = read(value)
        except BadValue:
            return False
    return True


def _datetimes(values: tuple[Any, ...], nulls: bool) -> bool:
    texts = [v for v in values if v is not None] if nulls else values
    try:
        moments = list(map(datetime.fromisoformat, texts))
    except ValueError:
        return False
    return None not in map(_TZINFO, moments)


def _check_slowly(
    where: str,
    names: Sequence[str],
    columns: Sequence[BackupColumn],
    rows: list[Any],
    first: int,
    cap: int,
) -> None:
    """Each row in turn: the first bad one raises, naming its row and column."""
    convert_all = converters(columns)
    width = len(names)
    for number, row in enumerate(rows, first):
        if not isinstance(row, list) or len(row) != width:
            raise ExchangeError(f"{where}, row {number}: expected a list of {width} values")
        for value in row:
            if isinstance(value, str) and over(value, cap):
                raise too_large(
                    f"{where}, row {number}",
                    f"a value is larger than {size_text(cap)}",
                    "import_max_field_kib",
                )
        try:
            for index, convert in enumerate(convert_all):
                convert(row[index])
        except BadValue as exc:
            raise ExchangeError(
                f"{where}, row {number}, {names[index]}: expected {exc}, "
                f"got {dump(row[index])[:40]}"
            ) from None
