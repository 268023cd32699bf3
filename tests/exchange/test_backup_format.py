"""The JSON backup format on its own: writing rows it is handed, reading and checking a file.

No database here except to make a realistic backup file (``backup_file``, from the ``studied``
store): the format is told about the tables by a :class:`BackupLayout`. The database side
(round trips, restores) is tested in ``tests/study/test_backup.py``.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from quizcalc.exchange.backup_format import (
    BackupColumn,
    BackupLayout,
    BackupTableLayout,
    write_backup_file,
)
from quizcalc.exchange.backup_reader import read_backup_file
from quizcalc.exchange.model import ExchangeError
from quizcalc.study import StudyService
from quizcalc.study.backup import backup_layout
from tests.conftest import REPO_ROOT
from tests.permissions import bound_by_permissions

TOY = BackupLayout(
    schema="0002",
    tables=(
        BackupTableLayout(
            key="things",
            columns=(
                BackupColumn("id", "integer"),
                BackupColumn("name", "string"),
                BackupColumn("weight", "float", nullable=True),
                BackupColumn("day", "date"),
                BackupColumn("at", "datetime", nullable=True),
                BackupColumn("note", "string", required=False),
            ),
        ),
        BackupTableLayout(key="empty", columns=(BackupColumn("id", "integer"),)),
    ),
)
"""A small layout of two tables, as plain data: no store behind it."""

TOY_ROWS = [
    [1, "α-first", 2.5, date(2026, 11, 26), datetime(2026, 11, 26, 9, 0, tzinfo=UTC), ""],
    [2, "second", None, date(2026, 11, 27), None, "a note"],
    [3, "third", 3.0, date(2026, 11, 27), datetime(2026, 11, 27, 8, 30, tzinfo=UTC), ""],
]


def _toy_rows(table: BackupTableLayout) -> list[list[list[Any]]]:
    return [TOY_ROWS[:2], TOY_ROWS[2:]] if table.key == "things" else []


def _write_toy(path: Path, written: Any = None) -> Any:
    return write_backup_file(path, TOY, {"new_per_day": 7}, _toy_rows, written)


@pytest.fixture
def backup_file(studied: StudyService, tmp_path: Path) -> Path:
    """A backup of the ``studied`` store."""
    path = tmp_path / "backup.json"
    studied.export_backup(path)
    return path


def _edit(path: Path, change: Any, name: str = "edited.json") -> Path:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    target = path.with_name(name)
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


# --- writing and reading rows it is handed ------------------------------------------------


def test_rows_written_read_back_as_the_same_values(tmp_path: Path) -> None:
    chunks: list[int] = []
    report = _write_toy(tmp_path / "toy.json", chunks.append)
    assert chunks == [2, 1]
    assert report.counts == {"things": 3, "empty": 0, "settings": 1}
    assert report.size == (tmp_path / "toy.json").stat().st_size
    backup = read_backup_file(tmp_path / "toy.json", TOY)
    assert (backup.version, backup.schema, backup.settings) == (1, "0002", {"new_per_day": 7})
    assert list(backup.tables["things"].rows()) == TOY_ROWS
    assert (backup.rows, backup.count("empty")) == (3, 0)


def test_the_file_is_one_row_per_line_in_iso_8601(tmp_path: Path) -> None:
    _write_toy(tmp_path / "toy.json")
    text = (tmp_path / "toy.json").read_text(encoding="utf-8")
    assert text.startswith('{\n "format": "quizcalc-backup",\n "version": 1,\n "schema": "0002"')
    assert '\n   [1, "α-first", 2.5, "2026-11-26", "2026-11-26T09:00:00+00:00", ""],\n' in text
    assert '"empty": {\n  "columns": ["id"],\n  "rows": []\n }\n}\n' in text


def test_writing_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    _write_toy(tmp_path / "a.json")
    _write_toy(tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_a_datetime_keeps_its_instant_whatever_its_offset(tmp_path: Path) -> None:
    path = tmp_path / "toy.json"
    _write_toy(path)
    text = path.read_text(encoding="utf-8").replace(
        "2026-11-26T09:00:00+00:00", "2026-11-26T10:00:00+01:00"
    )
    path.write_text(text, encoding="utf-8")
    moment = next(read_backup_file(path, TOY).tables["things"].rows())[4]
    assert moment == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert moment.utcoffset() == timezone(timedelta(hours=1)).utcoffset(None)


def test_a_column_with_a_default_may_be_missing(tmp_path: Path) -> None:
    path = tmp_path / "toy.json"
    _write_toy(path)

    def drop_note(data: dict[str, Any]) -> None:
        things = data["things"]
        things["columns"].pop()
        for row in things["rows"]:
            row.pop()

    backup = read_backup_file(_edit(path, drop_note), TOY)
    assert backup.tables["things"].columns == ("id", "name", "weight", "day", "at")


def test_a_required_column_may_not_be_missing(tmp_path: Path) -> None:
    path = tmp_path / "toy.json"
    _write_toy(path)

    def drop_day(data: dict[str, Any]) -> None:
        things = data["things"]
        things["columns"].pop(3)
        for row in things["rows"]:
            row.pop(3)

    with pytest.raises(ExchangeError, match=r'table "things": missing column\(s\) day'):
        read_backup_file(_edit(path, drop_day), TOY)


# --- bad files -----------------------------------------------------------------------------


def _fails(path: Path, pattern: str) -> str:
    with pytest.raises(ExchangeError, match=pattern) as caught:
        read_backup_file(path, backup_layout())
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    return message


def test_a_missing_file(tmp_path: Path) -> None:
    _fails(tmp_path / "nowhere.json", "no such file")


def test_a_folder(tmp_path: Path) -> None:
    _fails(tmp_path, "is a folder")


def test_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(b"")
    _fails(path, "is empty")


def test_a_truncated_backup(backup_file: Path) -> None:
    data = backup_file.read_bytes()
    backup_file.write_bytes(data[: len(data) * 2 // 3])
    _fails(backup_file, "truncated")


def test_corrupted_json(backup_file: Path) -> None:
    text = backup_file.read_text(encoding="utf-8")
    backup_file.write_text(text.replace('"rows": [', '"rows": [}', 1), encoding="utf-8")
    _fails(backup_file, r"corrupted JSON at line \d+")


def test_a_markdown_file_named_json(tmp_path: Path) -> None:
    path = tmp_path / "deck.json"
    path.write_text("# Calculus\n\nQ: What is a derivative?\nA: A rate.\n", encoding="utf-8")
    _fails(path, "not JSON.*Markdown")


def test_a_zip_named_json(tmp_path: Path) -> None:
    path = tmp_path / "deck.json"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("collection.anki21", b"")
    _fails(path, "zip archive")


def test_a_database_named_json(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    _fails(path, "SQLite database")


def test_binary_noise(tmp_path: Path) -> None:
    path = tmp_path / "noise.json"
    path.write_bytes(bytes(range(128, 256)))
    _fails(path, "not text")


@pytest.mark.parametrize(
    ("payload", "pattern"),
    [
        ([1, 2, 3], "top level is a array"),
        ({"cards": []}, "not a quizcalc backup"),
        ({"format": "quizcalc-backup", "version": "1"}, '"version"'),
        ({"format": "quizcalc-backup", "version": 1, "schema": 4}, '"schema"'),
    ],
)
def test_valid_json_of_another_shape(tmp_path: Path, payload: Any, pattern: str) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    _fails(path, pattern)


def test_trailing_garbage(backup_file: Path) -> None:
    with backup_file.open("a", encoding="utf-8") as out:
        out.write('{"more": 1}')
    _fails(backup_file, "corrupted JSON.*Extra data")


def test_a_table_of_the_wrong_shape(backup_file: Path) -> None:
    path = _edit(backup_file, lambda d: d.update(decks=[[1, "Calculus"]]))
    _fails(path, 'table "decks" is not an object with "columns" and "rows"')


def test_rows_that_are_not_a_list(backup_file: Path) -> None:
    path = _edit(backup_file, lambda d: d["cards"].update(rows={"1": []}))
    _fails(path, 'table "cards" has no "rows" list')


def test_a_newer_backup_version(backup_file: Path) -> None:
    path = _edit(backup_file, lambda d: d.update(version=2))
    _fails(path, "newer quizcalc.*version 2.*upgrade")


def test_a_newer_schema(backup_file: Path) -> None:
    path = _edit(backup_file, lambda d: d.update(schema="0099"))
    _fails(path, "newer quizcalc.*schema 0099.*upgrade")


def test_a_missing_table(backup_file: Path) -> None:
    _fails(_edit(backup_file, lambda d: d.pop("schedules")), 'no "schedules" table')


def test_an_unknown_column(backup_file: Path) -> None:
    path = _edit(backup_file, lambda d: d["decks"]["columns"].__setitem__(1, "title"))
    _fails(path, 'table "decks": unknown column "title"')


def test_a_row_of_the_wrong_width(backup_file: Path) -> None:
    width = len(json.loads(backup_file.read_text())["cards"]["columns"])
    path = _edit(backup_file, lambda d: d["cards"]["rows"][5].pop())
    _fails(path, f'table "cards", row 6: expected a list of {width} values')


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("quality", "five", "a whole number"),
        ("quality", True, "a whole number"),
        ("before_easiness", "2.5", "a number"),
        ("study_day", "yesterday", "a date"),
        ("reviewed_at", "2026-11-26T09:00:00", "a date and time with a UTC offset"),
        ("kind", None, "a string"),
    ],
)
def test_a_bad_value_names_table_row_and_column(
    backup_file: Path, column: str, value: Any, expected: str
) -> None:
    def spoil(data: dict[str, Any]) -> None:
        log = data["review_log"]
        log["rows"][2][log["columns"].index(column)] = value

    path = _edit(backup_file, spoil)
    _fails(path, f'table "review_log", row 3, {column}: expected {expected}')


# --- where a backup cannot be written ------------------------------------------------------


def test_a_backup_into_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "b.json"
    with pytest.raises(ExchangeError, match=rf"{re.escape(str(target))}: folder .* does not exist"):
        _write_toy(target)


WRITE_TOY_PROCESS = """
import json, sys
from pathlib import Path
from quizcalc.exchange.model import ExchangeError
from tests.exchange.test_backup_format import _write_toy

try:
    _write_toy(Path(sys.argv[1]))
except ExchangeError as error:
    print(json.dumps(str(error)))
else:
    print(json.dumps(None))
"""
"""What :func:`_write_toy` does, in a process of its own: ``WRITE_TOY_PROCESS PATH``."""


def test_a_backup_into_a_read_only_folder(tmp_path: Path) -> None:
    """The write runs in a child that the folder's permissions bind, even when we are root."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        command = [sys.executable, "-c", WRITE_TOY_PROCESS, str(folder / "b.json")]
        result = subprocess.run(
            bound_by_permissions(command),
            capture_output=True,
            text=True,
            timeout=60,
            cwd=REPO_ROOT,
        )
        assert result.returncode == 0, result.stderr
        error = json.loads(result.stdout)
        assert error is not None, "the backup was written into a read-only folder"
        assert re.fullmatch(rf"{re.escape(str(folder / 'b.json'))}: .*permission denied.*", error)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_a_backup_into_a_folder_it_may_not_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same check, also when the tests run as root (who may write anywhere)."""
    monkeypatch.setattr(os, "access", lambda *_args, **_kwargs: False)
    pattern = rf"{re.escape(str(tmp_path / 'b.json'))}: .*permission denied"
    with pytest.raises(ExchangeError, match=pattern):
        _write_toy(tmp_path / "b.json")
    assert not (tmp_path / "b.json").exists()


def test_a_failed_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import quizcalc.exchange.backup_format as backup_format

    def broken(*_args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_format, "_write", broken)
    with pytest.raises(ExchangeError, match="No space left on device"):
        _write_toy(tmp_path / "b.json")
    assert [p.name for p in tmp_path.iterdir() if "b.json" in p.name] == []


def test_a_value_json_cannot_hold_is_refused_and_leaves_no_file(tmp_path: Path) -> None:
    def rows(table: BackupTableLayout) -> list[list[list[Any]]]:
        return (
            [[[1, "x", float("nan"), date(2026, 1, 1), None, ""]]] if table.key == "things" else []
        )

    with pytest.raises(ExchangeError, match="cannot write the backup"):
        write_backup_file(tmp_path / "b.json", TOY, {}, rows)
    assert list(tmp_path.iterdir()) == []
