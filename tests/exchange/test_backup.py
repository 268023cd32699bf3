"""Full JSON backups: byte-identical round trips, clear errors, all-or-nothing restores."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import zipfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from quizcalc.config import Config
from quizcalc.exchange.backup import (
    BACKUP_TABLES,
    count_rows,
    read_backup,
    restore_backup,
    write_backup,
)
from quizcalc.exchange.model import ExchangeError
from quizcalc.store.models import CardRecord, ReviewLogRecord
from quizcalc.study import StudyService


def _backup(service: StudyService, path: Path, progress: Any = None) -> bytes:
    with service.store.transaction() as session:
        write_backup(session, path, asdict(service.config), progress)
    return path.read_bytes()


def _restore(service: StudyService, path: Path, *, replace: bool = False) -> None:
    backup = read_backup(path)
    with service.store.transaction() as session:
        restore_backup(session, backup, replace=replace)


@pytest.fixture
def fresh(tmp_path: Path) -> Any:
    """An empty, migrated store."""
    service = StudyService.open(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", Config())
    yield service
    service.close()


@pytest.fixture
def backup_file(studied: StudyService, tmp_path: Path) -> Path:
    """A backup of the ``studied`` store."""
    path = tmp_path / "backup.json"
    _backup(studied, path)
    return path


def _edit(path: Path, change: Any, name: str = "edited.json") -> Path:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    target = path.with_name(name)
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


# --- round trip ----------------------------------------------------------------------------


def test_backup_restore_backup_is_byte_identical(
    studied: StudyService, fresh: StudyService, tmp_path: Path
) -> None:
    first = _backup(studied, tmp_path / "first.json")
    _restore(fresh, tmp_path / "first.json")
    second = _backup(fresh, tmp_path / "second.json")
    assert second == first


def test_backup_holds_everything_with_its_keys(studied: StudyService, backup_file: Path) -> None:
    data = json.loads(backup_file.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["schema"]) == ("quizcalc-backup", 1, "0004")
    assert data["settings"] == asdict(Config())
    with studied.store.transaction() as session:
        counts = count_rows(session)
        log_keys = session.execute(select(ReviewLogRecord.id).order_by(ReviewLogRecord.id))
        assert [row[0] for row in data["review_log"]["rows"]] == list(log_keys.scalars())
    for key in BACKUP_TABLES:
        assert len(data[key]["rows"]) == counts[key]
    assert counts["review_log"] == 30
    cards = data["cards"]
    statuses = {row[cards["columns"].index("status")] for row in cards["rows"]}
    assert "suspended" in statuses
    log = data["review_log"]
    misconceptions = {row[log["columns"].index("misconception")] for row in log["rows"]}
    assert "sign_error" in misconceptions
    assert "2026-11-26T09:00:00+00:00" in backup_file.read_text(encoding="utf-8")


def test_restored_store_serves_the_same_history(
    studied: StudyService, fresh: StudyService, backup_file: Path
) -> None:
    _restore(fresh, backup_file)
    with studied.store.transaction() as a, fresh.store.transaction() as b:
        query = select(CardRecord.card_id, ReviewLogRecord.quality, ReviewLogRecord.reviewed_at)
        query = query.join(CardRecord).order_by(ReviewLogRecord.id)
        assert a.execute(query).all() == b.execute(query).all()


@pytest.mark.parametrize("layout", ["compact", "indented", "reordered"])
def test_a_reformatted_backup_restores_the_same(
    fresh: StudyService, backup_file: Path, tmp_path: Path, layout: str
) -> None:
    """Any JSON layout of the same data restores: not only the one quizcalc writes."""
    data = json.loads(backup_file.read_text(encoding="utf-8"))
    if layout == "reordered":  # tables first, "rows" before "columns", header last
        data = {
            **{k: {"rows": data[k]["rows"], "columns": data[k]["columns"]} for k in BACKUP_TABLES},
            **{k: v for k, v in data.items() if k not in BACKUP_TABLES},
        }
    other = tmp_path / f"{layout}.json"
    if layout == "compact":
        other.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    else:
        other.write_text(json.dumps(data, indent=4, ensure_ascii=True), encoding="utf-8")
    _restore(fresh, other)
    assert _backup(fresh, tmp_path / "again.json") == backup_file.read_bytes()


def test_progress_counts_every_row(studied: StudyService, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    _backup(studied, tmp_path / "b.json", lambda done, total: calls.append((done, total)))
    total = calls[-1][1]
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_restore_reports_progress(fresh: StudyService, backup_file: Path) -> None:
    calls: list[tuple[int, int]] = []
    backup = read_backup(backup_file)
    with fresh.store.transaction() as session:
        report = restore_backup(session, backup, lambda d, t: calls.append((d, t)))
    assert calls[-1] == (backup.rows, backup.rows)
    assert report.counts["review_log"] == 30
    assert "30 reviews" in report.summary()


def test_an_older_schema_without_the_note_column_restores(
    fresh: StudyService, backup_file: Path
) -> None:
    def drop_note(data: dict[str, Any]) -> None:
        data["schema"] = "0003"
        cards = data["cards"]
        index = cards["columns"].index("note")
        del cards["columns"][index]
        for row in cards["rows"]:
            del row[index]

    _restore(fresh, _edit(backup_file, drop_note))
    with fresh.store.transaction() as session:
        notes = set(session.execute(select(CardRecord.note)).scalars())
    assert notes == {""}


# --- into a store that is not empty ------------------------------------------------------


def test_restore_into_a_non_empty_store_is_refused(
    studied: StudyService, backup_file: Path
) -> None:
    with pytest.raises(ExchangeError, match=r"not empty.*--force") as caught:
        _restore(studied, backup_file)
    assert str(backup_file) in str(caught.value)


def test_replace_swaps_the_store_for_the_backup(
    studied: StudyService, fresh: StudyService, backup_file: Path, tmp_path: Path
) -> None:
    _restore(fresh, backup_file)
    fresh.set_suspended(1, True)
    changed = _backup(fresh, tmp_path / "changed.json")
    _restore(studied, tmp_path / "changed.json", replace=True)
    assert _backup(studied, tmp_path / "after.json") == changed


# --- all or nothing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("review_log", "card_key", 999_999),  # a history row of a card not in the backup
        ("review_log", "id", 1),  # a duplicate primary key, deep in the file
        ("cards", "card_id", "derivative-meaning"),  # a duplicate content id
    ],
)
def test_a_restore_failing_half_way_leaves_the_store_as_it_was(
    studied: StudyService, backup_file: Path, tmp_path: Path, table: str, column: str, value: Any
) -> None:
    def spoil(data: dict[str, Any]) -> None:
        part = data[table]
        part["rows"][-1][part["columns"].index(column)] = value

    spoiled = _edit(backup_file, spoil)
    before = _backup(studied, tmp_path / "before.json")
    with pytest.raises(ExchangeError, match=f'cannot restore.*"{table}".*left unchanged'):
        _restore(studied, spoiled, replace=True)
    assert _backup(studied, tmp_path / "after.json") == before


def test_a_failure_in_an_empty_store_leaves_it_empty(
    fresh: StudyService, backup_file: Path
) -> None:
    def spoil(data: dict[str, Any]) -> None:
        data["review_log"]["rows"][-1][1] = 999_999

    with pytest.raises(ExchangeError, match="review_log"):
        _restore(fresh, _edit(backup_file, spoil))
    with fresh.store.transaction() as session:
        assert not any(count_rows(session).values())


# --- bad files -----------------------------------------------------------------------------


def _fails(path: Path, pattern: str) -> str:
    with pytest.raises(ExchangeError, match=pattern) as caught:
        read_backup(path)
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
    path = _edit(backup_file, lambda d: d["cards"]["rows"][5].pop())
    _fails(path, 'table "cards", row 6: expected a list of 20 values')


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


def test_a_bad_setting(backup_file: Path) -> None:
    path = _edit(backup_file, lambda d: d["settings"].update(rollover_hour=99))
    _fails(path, "settings: rollover_hour must be between 0 and 23")


# --- where a backup cannot be written ------------------------------------------------------


def test_a_backup_into_a_missing_folder(studied: StudyService, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "b.json"
    with pytest.raises(ExchangeError, match=rf"{re.escape(str(target))}: folder .* does not exist"):
        _backup(studied, target)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_backup_into_a_read_only_folder(studied: StudyService, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        pattern = rf"{re.escape(str(folder / 'b.json'))}: .*permission denied"
        with pytest.raises(ExchangeError, match=pattern):
            _backup(studied, folder / "b.json")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_a_backup_into_a_folder_it_may_not_write(
    studied: StudyService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same check, also when the tests run as root (who may write anywhere)."""
    monkeypatch.setattr(os, "access", lambda *_args, **_kwargs: False)
    pattern = rf"{re.escape(str(tmp_path / 'b.json'))}: .*permission denied"
    with pytest.raises(ExchangeError, match=pattern):
        _backup(studied, tmp_path / "b.json")
    assert not (tmp_path / "b.json").exists()


def test_a_failed_write_leaves_no_file(
    studied: StudyService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quizcalc.exchange.backup as backup

    def broken(*_args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_write", broken)
    with pytest.raises(ExchangeError, match="No space left on device"):
        _backup(studied, tmp_path / "b.json")
    assert [p.name for p in tmp_path.iterdir() if "b.json" in p.name] == []
