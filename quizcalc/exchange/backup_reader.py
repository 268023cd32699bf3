"""Reading a JSON backup file: every row checked once, none kept.

The file is walked as a stream (:class:`~quizcalc.exchange.json_stream.JsonStream`, a window
of text slid along it), so a million review rows are checked without holding the file or its
rows: what is kept of a table is where its rows start and how many there are. Any JSON layout
of the same data reads the same (compact, indented, keys in any order). Every problem is an
:class:`ExchangeError` with one line naming the file and what is wrong: missing, unreadable,
another format (zip, SQLite, Markdown…), truncated or corrupted JSON (with its line and
column), JSON of another shape, a newer backup version or database schema, or a bad value in
some row (with its table, row and column).

Like :mod:`quizcalc.exchange.backup_format`, it is told about the tables by a
:class:`~quizcalc.exchange.backup_format.BackupLayout` and imports no database code.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizcalc.exchange.backup_checks import check_rows
from quizcalc.exchange.backup_format import (
    BACKUP_FORMAT,
    BACKUP_VERSION,
    Backup,
    BackupLayout,
    BackupTable,
    BackupTableLayout,
    converters,
    dump,
)
from quizcalc.exchange.json_stream import JsonStream, NotText, StreamError
from quizcalc.exchange.limits import ImportLimits, size_text, too_large
from quizcalc.exchange.model import ExchangeError

__all__ = ["read_backup_file"]

_SNIFF = (
    (b"PK\x03\x04", "a zip archive (an Anki .apkg?)"),
    (b"SQLite format 3\x00", "a SQLite database (pass it with --db instead)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"%PDF", "a PDF document"),
)
_HEADER = ("format", "version", "schema")


def read_backup_file(
    path: Path, layout: BackupLayout, limits: ImportLimits | None = None
) -> Backup:
    """Read and check the backup at ``path``: every row is decoded and checked once, then dropped.

    The :class:`~quizcalc.exchange.backup_format.Backup` keeps where each table's rows start
    in the file; restoring reads them again, chunk by chunk, so memory stays small whatever
    the file's size. Settings are only checked to be an object (what they may hold is the
    study layer's rule).

    Raises :class:`ExchangeError` with one line naming ``path`` and what is wrong, and
    :class:`~quizcalc.exchange.limits.ImportTooLarge` for a file, a table's row count or a
    text value past ``limits`` (the restore caps' defaults when not given).
    """
    limits = limits or ImportLimits.for_restore()
    stamp = _check_file(path, limits)
    try:
        with JsonStream(path) as stream:
            reading = _Reading(path, layout, limits, stream)
            data = reading.document()
            if stream.bytes_read > limits.max_file_bytes:  # it grew while it was read
                raise too_large(
                    path,
                    f"the file is larger than {size_text(limits.max_file_bytes)}",
                    limits.file_setting,
                )
    except StreamError as exc:
        raise _decode_error(path, exc) from exc
    except NotText as exc:
        raise ExchangeError(
            f"{path}: is not text (byte {exc.offset} is not UTF-8), not a quizcalc JSON backup"
        ) from exc
    except RecursionError as exc:
        raise ExchangeError(f"{path}: JSON nested too deeply; not a quizcalc backup") from exc
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    version, schema = _check_header(path, data, layout)
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise ExchangeError(f'{path}: not a usable backup ("settings" is not an object)')
    tables: dict[str, BackupTable] = {}
    for table in layout.tables:
        if table.key not in data and table.since and _older(schema, table.since):
            tables[table.key] = BackupTable(())
            continue
        if table.key not in data:
            raise ExchangeError(f'{path}: not a complete backup (no "{table.key}" table)')
        found = reading.finish(table, data[table.key])
        tables[table.key] = BackupTable(
            columns=tuple(found.columns),
            path=path,
            offset=found.offset,
            count=found.count,
            converters=converters(table.columns_named(found.columns)),
            stamp=stamp,
        )
    extra = sorted(set(data) - {"format", "version", "schema", "settings", *layout.keys})
    if extra:
        raise ExchangeError(f"{path}: unexpected key(s) {', '.join(extra)}; not a v1 backup")
    return Backup(path=path, version=version, schema=schema, settings=dict(settings), tables=tables)


# --- the file ------------------------------------------------------------------------------


def _check_file(path: Path, limits: ImportLimits) -> tuple[int, int]:
    """Refuse a folder, a missing or unreadable file, one past the limits' file size, another
    format and an empty file; the file's size and modification time."""
    limit = limits.max_file_bytes
    if path.is_dir():
        raise ExchangeError(f"{path}: is a folder, not a backup file")
    try:
        with path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            head = handle.read(1 << 16)
    except FileNotFoundError as exc:
        raise ExchangeError(f"{path}: no such file; check the path") from exc
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if stat.st_size > limit:
        raise too_large(path, f"the file is larger than {size_text(limit)}", limits.file_setting)
    for magic, what in _SNIFF:
        if head.startswith(magic):
            raise ExchangeError(f"{path}: is {what}, not a quizcalc JSON backup")
    if len(head) < (1 << 16) and not head.strip():
        raise ExchangeError(f"{path}: is empty, not a quizcalc JSON backup")
    return stat.st_size, stat.st_mtime_ns


def _not_json(path: Path, stream: JsonStream) -> None:
    first_char = stream.peek()
    if first_char not in ("{", "["):
        if not first_char:
            raise ExchangeError(f"{path}: is empty, not a quizcalc JSON backup")
        rest = stream.text[stream.pos :]
        first = rest.splitlines()[0][:40] if rest else ""
        hint = "a Markdown file?" if first.startswith(("#", "---", "-", "*", ">")) else "not JSON"
        raise ExchangeError(
            f"{path}: is not JSON (it starts with {first!r}: {hint}); "
            "a quizcalc backup starts with '{'"
        )


def _decode_error(path: Path, exc: StreamError) -> ExchangeError:
    if exc.truncated:
        return ExchangeError(
            f"{path}: the JSON ends early (line {exc.lineno}): the backup is truncated; "
            "use a complete copy"
        )
    return ExchangeError(
        f"{path}: corrupted JSON at line {exc.lineno} column {exc.colno} ({exc.msg}); "
        "use an intact copy of the backup"
    )


# --- walking the JSON ----------------------------------------------------------------------


@dataclass
class _RawTable:
    """A table as walked: its ``columns`` value and where its rows start, maybe unchecked."""

    value: Any = None
    """The table's JSON value when it is not an object (wrong shape: reported later)."""
    columns: Any = None
    offset: int | None = None
    """Byte offset of the rows' ``[`` (``None``: no rows array)."""
    count: int = 0
    rows_value: Any = None
    """The ``rows`` value when it is not an array (wrong shape: reported later)."""
    checked: bool = False
    """The rows were checked as they were walked."""


@dataclass
class _Found:
    """A table, checked: its column names and where its rows are."""

    columns: list[str]
    offset: int
    count: int


@dataclass
class _Reading:
    """One pass over a backup: the top-level object, each table checked as it is walked.

    Rows are checked on the way when the header (format, version, schema) and the table's
    columns came before them, as a backup is written; otherwise they are checked afterwards
    by walking them again from their offset (:meth:`finish`).
    """

    path: Path
    layout: BackupLayout
    limits: ImportLimits
    stream: JsonStream
    data: dict[str, Any] = field(default_factory=dict)

    def document(self) -> dict[str, Any]:
        """The top-level object: plain values, and a :class:`_RawTable` per table key."""
        stream = self.stream
        _not_json(self.path, stream)
        if stream.peek() == "[":
            value = stream.value()
            stream.end()
            _check_header(self.path, value, self.layout)  # an array: says so
        keys = set(self.layout.keys)
        for key in stream.members():
            self.data[key] = self._table(key) if key in keys else stream.value()
        stream.end()
        return self.data

    def _header_ready(self) -> bool:
        if not all(key in self.data for key in _HEADER):
            return False
        _check_header(self.path, self.data, self.layout)
        return True

    def _table(self, key: str) -> _RawTable:
        stream = self.stream
        if stream.peek() != "{":
            return _RawTable(value=stream.value())
        raw = _RawTable()
        layout = next(t for t in self.layout.tables if t.key == key)
        for member in stream.members():
            if member == "rows" and stream.peek() == "[":
                raw.offset = stream.offset()
                if isinstance(raw.columns, list) and self._header_ready():
                    names = _check_columns(self._where(key), layout, raw.columns)
                    raw.count = self._walk(layout, names, stream)
                    raw.checked = True
                else:
                    raw.count = sum(map(len, stream.batches()))
            elif member == "rows":
                raw.rows_value = stream.value()
            elif member == "columns":
                raw.columns = stream.value()
            else:
                stream.value()
        return raw

    def _where(self, key: str) -> str:
        return f'{self.path}: table "{key}"'

    def _walk(self, layout: BackupTableLayout, names: list[str], stream: JsonStream) -> int:
        """Check every row of the array at the cursor; the number of rows."""
        where, limits = self._where(layout.key), self.limits
        columns = layout.columns_named(names)
        memo: dict[Any, Any] = {}
        number = 0
        batches = stream.batches()
        for batch in batches:
            check_rows(where, names, columns, batch, number + 1, limits, memo)
            number += len(batch)
            if number > limits.max_rows:  # count the rest, for the message
                number += sum(len(rest) for rest in batches)
                _too_many(self.path, layout.key, number, limits)
        return number

    def finish(self, layout: BackupTableLayout, raw: Any) -> _Found:
        """The table ``raw`` as walked, checked (walking its rows again if they were not)."""
        where = self._where(layout.key)
        if (
            not isinstance(raw, _RawTable)
            or raw.value is not None
            or not isinstance(raw.columns, list)
        ):
            raise ExchangeError(f'{where} is not an object with "columns" and "rows"')
        if raw.offset is None:
            raise ExchangeError(f'{where} has no "rows" list')
        names = _check_columns(where, layout, raw.columns)
        if raw.count > self.limits.max_rows:
            _too_many(self.path, layout.key, raw.count, self.limits)
        if not raw.checked:
            with JsonStream(self.path, offset=raw.offset) as again:
                self._walk(layout, names, again)
        return _Found(columns=names, offset=raw.offset, count=raw.count)


def _too_many(path: Path, key: str, count: int, limits: ImportLimits) -> None:
    raise too_large(
        path,
        f'table "{key}" has {count:,} rows, more than {limits.max_rows:,}',
        limits.rows_setting,
    )


def _check_columns(where: str, layout: BackupTableLayout, names: list[Any]) -> list[str]:
    known = {column.name: column for column in layout.columns}
    for name in names:
        if not isinstance(name, str) or name not in known:
            raise ExchangeError(f"{where}: unknown column {dump(name)}")
    if len(set(names)) != len(names):
        raise ExchangeError(f"{where}: a column is listed twice")
    missing = [n for n, c in known.items() if n not in names and c.required]
    if missing:
        raise ExchangeError(f"{where}: missing column(s) {', '.join(missing)}")
    return list(names)


# --- checking what was read ----------------------------------------------------------------


def _revision_number(value: str) -> int | None:
    return int(value) if re.fullmatch(r"\d{1,8}", value) else None


def _check_header(path: Path, data: Any, layout: BackupLayout) -> tuple[int, str]:
    if not isinstance(data, dict):
        kind = type(data).__name__.replace("dict", "object").replace("list", "array")
        raise ExchangeError(
            f"{path}: valid JSON but not a quizcalc backup (the top level is a {kind}, "
            "not an object)"
        )
    if data.get("format") != BACKUP_FORMAT:
        raise ExchangeError(
            f'{path}: valid JSON but not a quizcalc backup (no "format": "{BACKUP_FORMAT}"); '
            "was it written by `quizcalc export FILE.json`?"
        )
    version = data.get("version")
    if type(version) is not int or version < 1:
        raise ExchangeError(f'{path}: not a usable backup ("version" is {dump(version)})')
    if version > BACKUP_VERSION:
        raise ExchangeError(
            f"{path}: written by a newer quizcalc (backup version {version}; this quizcalc "
            f"reads up to {BACKUP_VERSION}); upgrade quizcalc to restore it"
        )
    schema = data.get("schema")
    number = _revision_number(schema) if isinstance(schema, str) else None
    if number is None:
        raise ExchangeError(f'{path}: not a usable backup ("schema" is {dump(schema)})')
    head = _revision_number(layout.schema)
    if head is not None and number > head:
        raise ExchangeError(
            f"{path}: written by a newer quizcalc (database schema {schema}; this quizcalc "
            f"has {layout.schema}); upgrade quizcalc to restore it"
        )
    assert isinstance(schema, str)
    return version, schema


def _older(schema: str, since: str) -> bool:
    """True when the backup's ``schema`` precedes revision ``since``."""
    number, added = _revision_number(schema), _revision_number(since)
    return number is not None and added is not None and number < added
