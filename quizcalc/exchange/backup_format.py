"""The JSON backup file: its layout, the values in it, and writing it (no database here).

A backup is whole-store, not a card selection, so it is not one of the card-export formats.
The file is one JSON object::

    {
     "format": "quizcalc-backup",
     "version": 1,
     "schema": "0007",
     "settings": {"new_per_day": 10, ...},
     "decks": {"columns": ["id", "name"], "rows": [
      [1, "Calculus for ML"],
      ...
     ]},
     "sources": {...}, "cards": {...}, "schedules": {...}, "review_log": {...}
    }

Each table is its column names and one row per line (a list of values in that order), in the
order the rows are handed over (the study layer sorts them by primary key, so primary keys —
and with them every history link — survive a restore). Datetimes are ISO 8601 with their UTC
offset, dates ``YYYY-MM-DD``. Nothing in the file depends on when it was written: backup →
restore → backup gives byte-identical files.

This module knows nothing of the database: what it needs about the tables (their JSON keys in
insert order, their columns and each column's kind of value, the newest schema revision) comes
as plain data in a :class:`BackupLayout`, which ``quizcalc.study.backup`` builds from the
store's models. Reading is :mod:`quizcalc.exchange.backup_reader`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Literal

from quizcalc.exchange.files import atomic_output
from quizcalc.exchange.model import ExchangeError

__all__ = [
    "BACKUP_FORMAT",
    "BACKUP_VERSION",
    "CHUNK",
    "LOG_NOT_ANSWERS",
    "Backup",
    "BackupColumn",
    "BackupLayout",
    "BackupReport",
    "BackupTable",
    "BackupTableLayout",
    "BadValue",
    "ColumnKind",
    "Converter",
    "RowChunks",
    "converters",
    "describe_counts",
    "dump",
    "write_backup_file",
]

BACKUP_FORMAT = "quizcalc-backup"
"""The ``format`` marker of a backup file."""

BACKUP_VERSION = 1
"""The layout version this code writes and the newest it reads."""

CHUNK = 5000
"""Rows per database round trip (and per progress call) when writing or restoring."""

ColumnKind = Literal["integer", "float", "string", "date", "datetime"]
"""The kind of value a column holds, which says how it is written to and read from JSON."""

Converter = Callable[[Any], Any]
"""Turns one JSON value into the Python value a column stores (or raises :class:`BadValue`)."""

_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, allow_nan=False)
_TEMPORAL = ("date", "datetime")


# --- the layout: what the format is told about the tables -----------------------------------


@dataclass(frozen=True)
class BackupColumn:
    """One column of a backed-up table, as plain data."""

    name: str
    kind: ColumnKind
    nullable: bool = False
    """``null`` is a valid value."""
    required: bool = True
    """A backup must list it: the database has no default to fill it (older backups may lack
    the columns added since, which have one)."""


@dataclass(frozen=True)
class BackupTableLayout:
    """One backed-up table: its key in the JSON object and its columns, in file order."""

    key: str
    columns: tuple[BackupColumn, ...]
    since: str = ""
    """The schema revision that added the table: a backup of an older one has none (empty)."""

    @property
    def names(self) -> list[str]:
        """Column names, in order."""
        return [column.name for column in self.columns]

    def columns_named(self, names: Iterable[str]) -> list[BackupColumn]:
        """The columns called ``names``, in that order (a file may list them in any)."""
        by_name = {column.name: column for column in self.columns}
        return [by_name[name] for name in names]


@dataclass(frozen=True)
class BackupLayout:
    """Everything the format needs to know about the database, as plain data."""

    schema: str
    """The newest database schema revision (``"0007"``): written into backups; a backup of a
    newer one is refused."""
    tables: tuple[BackupTableLayout, ...]
    """In insert order (parents before the rows that refer to them)."""

    @property
    def keys(self) -> list[str]:
        """The tables' JSON keys, in insert order."""
        return [table.key for table in self.tables]


# --- values ---------------------------------------------------------------------------------


class BadValue(ValueError):
    """A value of the wrong type (the message says what was expected)."""


def _integer(value: Any) -> Any:
    if type(value) is not int:
        raise BadValue("a whole number")
    return value


def _float(value: Any) -> Any:
    if type(value) is float:
        return value
    if type(value) is int:
        return float(value)
    raise BadValue("a number")


def _string(value: Any) -> Any:
    if type(value) is not str:
        raise BadValue("a string")
    return value


def _date_reader() -> Converter:
    """Dates repeat (a study day per review): one shared object per distinct day."""
    seen: dict[Any, date] = {}

    def read_date(value: Any) -> Any:
        try:
            return seen[value]
        except (KeyError, TypeError):
            pass
        try:
            day = date.fromisoformat(value)
        except (TypeError, ValueError) as exc:
            raise BadValue("a date YYYY-MM-DD") from exc
        seen[value] = day
        return day

    return read_date


def _datetime(value: Any) -> Any:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise BadValue("an ISO 8601 date and time") from exc
    if moment.tzinfo is None:
        raise BadValue("a date and time with a UTC offset")
    return moment


_READERS: dict[str, Converter] = {
    "integer": _integer,
    "float": _float,
    "string": _string,
    "datetime": _datetime,
}


def converters(columns: Iterable[BackupColumn]) -> list[Converter]:
    """Per column: JSON value → the Python value stored (dates, datetimes, floats), checked."""
    read_date = _date_reader()
    found: list[Converter] = []
    for column in columns:
        convert = read_date if column.kind == "date" else _READERS[column.kind]
        found.append(_or_null(convert) if column.nullable else convert)
    return found


def _or_null(convert: Converter) -> Converter:
    def nullable(value: Any) -> Any:
        return None if value is None else convert(value)

    return nullable


def dump(value: Any) -> str:
    """``value`` as the JSON a backup holds (keys sorted, non-ASCII kept, no NaN)."""
    return _ENCODER.encode(value)


def _row_encoder(table: BackupTableLayout) -> Callable[[Sequence[Any]], str]:
    """Rows of ``table`` as JSON arrays: dates and datetimes in ISO 8601 (objects are
    formatted; text, already ISO 8601, is written as it is)."""
    temporal = [i for i, column in enumerate(table.columns) if column.kind in _TEMPORAL]
    encode = _ENCODER.encode

    def row_json(row: Sequence[Any]) -> str:
        values = list(row)
        for i in temporal:
            value = values[i]
            if value is not None and type(value) is not str:
                values[i] = value.isoformat()
        return encode(values)

    return row_json


# --- a backup, read and checked ------------------------------------------------------------


@dataclass
class BackupTable:
    """One table of a backup: its column names and where its rows start in the file.

    Rows are read again from the file each time they are iterated (they were all checked when
    the file was read), a window at a time, so restoring a million reviews never holds the
    file, nor a million decoded rows, at once.
    """

    columns: tuple[str, ...]
    path: Path | None = None
    """The backup file (``None``: the table is absent from an older backup)."""
    offset: int = 0
    """Byte offset in the file of the ``[`` that opens the rows."""
    count: int = 0
    """Rows in the table."""
    converters: list[Converter] = field(default_factory=list, repr=False)
    """Per column: JSON value → Python value (dates, datetimes, floats)."""
    stamp: tuple[int, int] = (0, 0)
    """The file's size and modification time when it was read: a file changed since is
    refused rather than restored unchecked."""

    def __len__(self) -> int:
        """Rows in the table."""
        return self.count

    def chunks(self) -> Iterator[list[list[Any]]]:
        """The rows as the file holds them (JSON values, checked), some thousands at a time.

        Raises :class:`ExchangeError` when the file cannot be read again or changed since.
        """
        if self.path is None or not self.count:
            return
        from quizcalc.exchange.json_stream import JsonStream

        try:
            stat = self.path.stat()
            if (stat.st_size, stat.st_mtime_ns) != self.stamp:
                raise ExchangeError(
                    f"{self.path}: the backup changed after it was read; restore it again"
                )
            with JsonStream(self.path, offset=self.offset) as stream:
                yield from stream.batches()
        except (OSError, ValueError) as exc:  # gone, unreadable, or rewritten meanwhile
            raise ExchangeError(f"{self.path}: cannot read the backup again ({exc})") from exc

    def rows(self) -> Iterator[list[Any]]:
        """Every row, in file order: values in :attr:`columns` order, as Python types."""
        convert_all = self.converters
        for chunk in self.chunks():
            for row in chunk:
                yield [convert(value) for convert, value in zip(convert_all, row, strict=True)]


@dataclass
class Backup:
    """A backup file, read and checked: settings and every table's rows."""

    path: Path
    version: int
    schema: str
    """The database schema revision the backup was written from."""
    settings: dict[str, Any]
    """Setting name → value, as written (the study layer checks them)."""
    tables: dict[str, BackupTable]
    """By JSON key, in the layout's insert order."""

    @property
    def rows(self) -> int:
        """Rows in all tables."""
        return sum(len(t) for t in self.tables.values())

    def count(self, key: str) -> int:
        """Rows of one table, by JSON key (``"cards"``, ``"review_log"``…)."""
        return len(self.tables[key])


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


RETIRED_CARDS = "retired_cards"
"""Counts key: of the ``cards`` rows, how many are retired (history only). The study layer
adds it, so a backup's card count reads as the learner's cards, ``97 cards (+ 3 retired)``,
the number home, Browse and the statistics show."""


LOG_NOT_ANSWERS = "log_not_answers"
"""Counts key: of the ``review_log`` rows, how many are not answers (implicit credits from an
encompassing skill, resets to new). The study layer adds it, so a backup's count of reviews
is the learner's answers, ``30 reviews (+ 4 credits and resets)``."""


def _reviews(counts: Mapping[str, int]) -> str:
    rows, other = counts.get("review_log", 0), counts.get(LOG_NOT_ANSWERS, 0)
    if not other:
        return _count(rows, "review")
    return f"{_count(rows - other, 'review')} (+ {other} credits and resets)"


def _cards(counts: Mapping[str, int]) -> str:
    rows, retired = counts.get("cards", 0), counts.get(RETIRED_CARDS, 0)
    if not retired:
        return _count(rows, "card")
    return f"{_count(rows - retired, 'card')} (+ {retired} retired)"


def describe_counts(counts: Mapping[str, int]) -> str:
    """``3 decks, 92 cards and 30 reviews`` (and ``… and 9 settings`` when counted); with
    :data:`RETIRED_CARDS`, ``97 cards (+ 3 retired)``; with :data:`LOG_NOT_ANSWERS`,
    ``30 reviews (+ 4 credits and resets)``."""
    parts = [
        _count(counts.get("decks", 0), "deck"),
        _cards(counts),
        _reviews(counts),
    ]
    if "settings" in counts:
        parts.append(_count(counts["settings"], "setting"))
    return ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass(frozen=True)
class BackupReport:
    """What a backup wrote."""

    path: Path
    counts: dict[str, int]
    """Rows written per table, by JSON key, and ``"settings"``: settings written."""
    size: int
    """Bytes written."""

    def summary(self) -> str:
        """One line: ``backed up 3 decks, 92 cards, 30 reviews and 9 settings to b.json``."""
        return f"backed up {describe_counts(self.counts)} to {self.path}"


# --- writing --------------------------------------------------------------------------------

RowChunks = Callable[[BackupTableLayout], Iterable[Sequence[Sequence[Any]]]]
"""A table's rows, in chunks, values in the layout's column order."""


def write_backup_file(
    path: Path,
    layout: BackupLayout,
    settings: Mapping[str, Any],
    rows: RowChunks,
    written: Callable[[int], None] | None = None,
) -> BackupReport:
    """Write ``settings`` and every table's ``rows`` to ``path``, atomically.

    ``rows(table)`` yields the table's rows in chunks (in the order they should be restored;
    dates and datetimes as objects, or as their ISO 8601 text);
    ``written`` hears the size of each chunk once it is written. The file appears only once
    complete; a missing or read-only folder, a full disk or a value JSON cannot hold is an
    :class:`ExchangeError` naming ``path``.
    """
    counts: dict[str, int] = {}

    def tick(key: str, size: int) -> None:
        counts[key] = counts.get(key, 0) + size
        if written is not None:
            written(size)

    with atomic_output(path) as temporary:
        try:
            with temporary.open("w", encoding="utf-8", newline="\n") as out:
                _write(out, layout, settings, rows, tick)
        except (TypeError, ValueError) as exc:  # a NaN or an unserialisable value
            raise ExchangeError(f"{path}: cannot write the backup ({exc})") from exc
        size = temporary.stat().st_size
    counts = {key: counts.get(key, 0) for key in layout.keys}
    return BackupReport(path=path, counts={**counts, "settings": len(settings)}, size=size)


def _write(
    out: IO[str],
    layout: BackupLayout,
    settings: Mapping[str, Any],
    rows: RowChunks,
    tick: Callable[[str, int], None],
) -> None:
    out.write("{\n")
    out.write(f' "format": {dump(BACKUP_FORMAT)},\n')
    out.write(f' "version": {BACKUP_VERSION},\n')
    out.write(f' "schema": {dump(layout.schema)},\n')
    out.write(f' "settings": {dump(dict(settings))},\n')
    last = len(layout.tables) - 1
    for index, table in enumerate(layout.tables):
        out.write(f' {dump(table.key)}: {{\n  "columns": {dump(table.names)},\n  "rows": [')
        row_json = _row_encoder(table)
        separator = "\n   "
        for chunk in rows(table):
            if not chunk:
                continue
            out.write(separator)
            out.write(",\n   ".join(map(row_json, chunk)))
            separator = ",\n   "
            tick(table.key, len(chunk))
        closing = "\n  ]" if separator != "\n   " else "]"
        out.write(f"{closing}\n }}{',' if index < last else ''}\n")
    out.write("}\n")
