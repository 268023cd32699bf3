"""Reading a JSON backup file: every row checked once, then kept only as where it starts.

The file is walked by hand (:class:`_Scanner`), so a million review rows are located and
checked without being kept decoded; any JSON layout of the same data reads the same (compact,
indented, keys in any order). Every problem is an :class:`ExchangeError` with one line naming
the file and what is wrong: missing, unreadable, another format (zip, SQLite, Markdown…),
truncated or corrupted JSON (with its line and column), JSON of another shape, a newer backup
version or database schema, or a bad value in some row (with its table, row and column).

Like :mod:`quizcalc.exchange.backup_format`, it is told about the tables by a
:class:`~quizcalc.exchange.backup_format.BackupLayout` and imports no database code.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizcalc.exchange.backup_format import (
    BACKUP_FORMAT,
    BACKUP_VERSION,
    Backup,
    BackupLayout,
    BackupTable,
    BackupTableLayout,
    BadValue,
    converters,
    dump,
)
from quizcalc.exchange.limits import ImportLimits, over, read_capped, size_text, too_large
from quizcalc.exchange.model import ExchangeError

__all__ = ["read_backup_file"]

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")

_SNIFF = (
    (b"PK\x03\x04", "a zip archive (an Anki .apkg?)"),
    (b"SQLite format 3\x00", "a SQLite database (pass it with --db instead)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"%PDF", "a PDF document"),
)


def read_backup_file(
    path: Path, layout: BackupLayout, limits: ImportLimits | None = None
) -> Backup:
    """Read and check the backup at ``path``: every row is decoded and checked once, then dropped.

    The :class:`~quizcalc.exchange.backup_format.Backup` keeps the file's text and where each
    row starts; restoring decodes the rows again, chunk by chunk, so memory stays near the
    file's size. Settings are only checked to be an object (what they may hold is the study
    layer's rule).

    Raises :class:`ExchangeError` with one line naming ``path`` and what is wrong, and
    :class:`~quizcalc.exchange.limits.ImportTooLarge` for a file, a table's row count or a
    text value past ``limits`` (the defaults when not given).
    """
    limits = limits or ImportLimits()
    text = _read_text(path, limits.max_file_bytes)
    data = _parse(path, text, layout)
    version, schema = _check_header(path, data, layout)
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise ExchangeError(f'{path}: not a usable backup ("settings" is not an object)')
    tables: dict[str, BackupTable] = {}
    for table in layout.tables:
        if table.key not in data and table.since and _older(schema, table.since):
            tables[table.key] = BackupTable((), "", array("q"), [])
            continue
        if table.key not in data:
            raise ExchangeError(f'{path}: not a complete backup (no "{table.key}" table)')
        tables[table.key] = _check_table(path, table, data[table.key], text, limits)
    extra = sorted(set(data) - {"format", "version", "schema", "settings", *layout.keys})
    if extra:
        raise ExchangeError(f"{path}: unexpected key(s) {', '.join(extra)}; not a v1 backup")
    return Backup(path=path, version=version, schema=schema, settings=dict(settings), tables=tables)


# --- the file's text -----------------------------------------------------------------------


def _read_text(path: Path, limit: int) -> str:
    if path.is_dir():
        raise ExchangeError(f"{path}: is a folder, not a backup file")
    try:
        raw = read_capped(path, limit)
    except FileNotFoundError as exc:
        raise ExchangeError(f"{path}: no such file; check the path") from exc
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    for magic, what in _SNIFF:
        if raw.startswith(magic):
            raise ExchangeError(f"{path}: is {what}, not a quizcalc JSON backup")
    if not raw.strip():
        raise ExchangeError(f"{path}: is empty, not a quizcalc JSON backup")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExchangeError(
            f"{path}: is not text (byte {exc.start} is not UTF-8), not a quizcalc JSON backup"
        ) from exc


def _not_json(path: Path, text: str) -> None:
    stripped = text.lstrip()
    if stripped[:1] not in ("{", "["):
        first = stripped.splitlines()[0][:40] if stripped else ""
        hint = "a Markdown file?" if first.startswith(("#", "---", "-", "*", ">")) else "not JSON"
        raise ExchangeError(
            f"{path}: is not JSON (it starts with {first!r}: {hint}); "
            "a quizcalc backup starts with '{'"
        )


def _decode_error(path: Path, text: str, exc: json.JSONDecodeError) -> ExchangeError:
    end = text.rstrip()
    if exc.pos >= len(end) or not end.endswith(("}", "]")):
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
    """A table as scanned: its ``columns`` value and the offsets of its rows, unchecked."""

    value: Any = None
    """The table's JSON value when it is not an object (wrong shape: reported later)."""
    columns: Any = None
    starts: array[int] | None = None
    rows_value: Any = None
    """The ``rows`` value when it is not an array (wrong shape: reported later)."""


class _Scanner:
    """Walks the backup's JSON by hand so that rows are only located, not kept decoded."""

    def __init__(self, text: str, table_keys: set[str]) -> None:
        self.text = text
        self.pos = 0
        self.table_keys = table_keys

    def _fail(self, message: str) -> json.JSONDecodeError:
        return json.JSONDecodeError(message, self.text, self.pos)

    def peek(self) -> str:
        match = _SPACE.match(self.text, self.pos)
        self.pos = match.end() if match else self.pos
        return self.text[self.pos : self.pos + 1]

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise self._fail(f"Expecting {char!r}")
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        value, self.pos = _DECODER.raw_decode(self.text, self.pos)
        return value

    def members(self) -> Iterator[str]:
        """The keys of the object at the cursor; the caller reads each value."""
        self.expect("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            if self.peek() != '"':
                raise self._fail("Expecting property name enclosed in double quotes")
            key = self.value()
            self.expect(":")
            yield key
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("}")
            return

    def starts(self) -> array[int]:
        """Offsets of the elements of the array at the cursor (each decoded, then dropped)."""
        found = array("q")
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return found
        decode = _DECODER.raw_decode
        while True:
            self.peek()
            found.append(self.pos)
            self.pos = decode(self.text, self.pos)[1]
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("]")
            return found

    def table(self) -> _RawTable:
        if self.peek() != "{":
            return _RawTable(value=self.value())
        raw = _RawTable()
        for key in self.members():
            if key == "rows" and self.peek() == "[":
                raw.starts = self.starts()
            elif key == "rows":
                raw.rows_value = self.value()
            elif key == "columns":
                raw.columns = self.value()
            else:
                self.value()
        return raw

    def backup(self) -> dict[str, Any]:
        """The top-level object: plain values, and a :class:`_RawTable` per table key."""
        data: dict[str, Any] = {}
        for key in self.members():
            data[key] = self.table() if key in self.table_keys else self.value()
        if self.peek():
            raise self._fail("Extra data")
        return data


def _parse(path: Path, text: str, layout: BackupLayout) -> dict[str, Any]:
    _not_json(path, text)
    try:
        if text.lstrip()[:1] == "{":
            return _Scanner(text, set(layout.keys)).backup()
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _decode_error(path, text, exc) from exc
    except RecursionError as exc:
        raise ExchangeError(f"{path}: JSON nested too deeply; not a quizcalc backup") from exc
    _check_header(path, data, layout)  # not an object: says so
    raise AssertionError("unreachable")  # pragma: no cover


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


def _check_size(where: str, number: int, row: list[Any], cap: int) -> None:
    for value in row:
        if isinstance(value, str) and over(value, cap):
            raise too_large(
                f"{where}, row {number}",
                f"a value is larger than {size_text(cap)}",
                "import_max_field_kib",
            )


def _older(schema: str, since: str) -> bool:
    """True when the backup's ``schema`` precedes revision ``since``."""
    number, added = _revision_number(schema), _revision_number(since)
    return number is not None and added is not None and number < added


def _check_table(
    path: Path, layout: BackupTableLayout, raw: Any, text: str, limits: ImportLimits
) -> BackupTable:
    where = f'{path}: table "{layout.key}"'
    if not isinstance(raw, _RawTable) or raw.value is not None or not isinstance(raw.columns, list):
        raise ExchangeError(f'{where} is not an object with "columns" and "rows"')
    if raw.starts is None:
        raise ExchangeError(f'{where} has no "rows" list')
    names: list[Any] = raw.columns
    known = {column.name: column for column in layout.columns}
    for name in names:
        if not isinstance(name, str) or name not in known:
            raise ExchangeError(f"{where}: unknown column {dump(name)}")
    if len(set(names)) != len(names):
        raise ExchangeError(f"{where}: a column is listed twice")
    missing = [n for n, c in known.items() if n not in names and c.required]
    if missing:
        raise ExchangeError(f"{where}: missing column(s) {', '.join(missing)}")
    if len(raw.starts) > limits.max_rows:
        raise too_large(
            path,
            f'table "{layout.key}" has {len(raw.starts):,} rows, more than {limits.max_rows:,}',
            "import_max_rows",
        )
    convert_all = converters(known[name] for name in names)
    width = len(names)
    decode = _DECODER.raw_decode
    for number, start in enumerate(raw.starts, 1):
        row = decode(text, start)[0]
        if not isinstance(row, list) or len(row) != width:
            raise ExchangeError(f"{where}, row {number}: expected a list of {width} values")
        _check_size(where, number, row, limits.max_field_bytes)
        try:
            for index, convert in enumerate(convert_all):
                convert(row[index])
        except BadValue as exc:
            raise ExchangeError(
                f"{where}, row {number}, {names[index]}: expected {exc}, "
                f"got {dump(row[index])[:40]}"
            ) from None
    return BackupTable(columns=tuple(names), text=text, starts=raw.starts, converters=convert_all)
