"""The fast restore: the driver's ``executemany`` with the lookup indexes set aside stores
exactly what SQLAlchemy's ``insert`` stored, row for row, and leaves the schema as it was.

What a restore does to the sync caches, and a failed restore's leaving everything as it was,
run on SQLite and on PostgreSQL too (``ON_BOTH_BACKENDS``); the rest is SQLite's fast path.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

import quizcalc.study.backup as study_backup
from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.backup import BACKUP_TABLES, CACHE_TABLES
from quizcalc.study.errors import ExchangeProblem
from tests.conftest import FIXED_NOW
from tests.postgres import ON_BOTH_BACKENDS, db_url_by_backend

__all__ = ["db_url_by_backend"]  # the tests marked ON_BOTH_BACKENDS run on both backends


@pytest.fixture
def open_fresh(tmp_path: Path, new_database: Callable[[Path], Path]) -> Iterator[Any]:
    """Open empty, migrated stores (closed at the end)."""
    opened: list[StudyService] = []

    def make(name: str) -> StudyService:
        url = f"sqlite:///{new_database(tmp_path / name)}"
        opened.append(StudyService.open(url, Config()))
        return opened[-1]

    yield make
    for service in opened:
        service.close()


def _file(service: StudyService) -> Path:
    return Path(service.store.url.removeprefix("sqlite:///"))


def _rows(service: StudyService) -> dict[str, list[tuple[Any, ...]]]:
    """Every backed-up table as SQLite stores it: each value with its storage class."""
    with sqlite3.connect(_file(service)) as db:
        found = {}
        for table in BACKUP_TABLES.values():
            names = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
            values = ", ".join(f'"{n}", typeof("{n}")' for n in names)
            found[table] = db.execute(f"SELECT {values} FROM {table} ORDER BY 1, 3").fetchall()
        return found


def _schema(service: StudyService) -> list[tuple[Any, ...]]:
    with sqlite3.connect(_file(service)) as db:
        return db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def _every_kind(backup: Path, tmp_path: Path) -> Path:
    """The backup with values of every kind the format holds: a datetime with another UTC
    offset, one without microseconds, a whole number in a float column, text outside the
    Basic Multilingual Plane, and nulls."""
    data = json.loads(backup.read_text(encoding="utf-8"))
    log, cards = data["review_log"], data["cards"]
    at, easiness = log["columns"].index("reviewed_at"), log["columns"].index("after_easiness")
    log["rows"][0][at] = "2026-11-26T10:00:00.250000+01:00"
    log["rows"][1][at] = "2026-11-27T09:30:00+00:00"
    log["rows"][2][easiness] = 3
    question, retired = cards["columns"].index("question"), cards["columns"].index("retired_at")
    cards["rows"][0][question] = "∂f/∂x — 𝔼[X] ≥ 0 🙂"
    cards["rows"][1][retired] = "2026-11-28T08:00:00.000001-05:30"
    target = tmp_path / "every-kind.json"
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def test_the_fast_path_stores_what_sqlalchemy_stores(
    studied: StudyService, open_fresh: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    studied.export_backup(tmp_path / "b.json")
    backup = _every_kind(tmp_path / "b.json", tmp_path)
    fast = open_fresh("fast.sqlite3")
    fast.restore_backup(backup, now=FIXED_NOW)
    monkeypatch.setattr(study_backup, "fast_loader", lambda *_: None)
    slow = open_fresh("slow.sqlite3")
    slow.restore_backup(backup, now=FIXED_NOW)
    assert _rows(fast) == _rows(slow)
    assert sum(map(len, _rows(fast).values())) > 100


def test_a_round_trip_gives_the_same_rows(
    studied: StudyService, open_fresh: Any, tmp_path: Path
) -> None:
    studied.export_backup(tmp_path / "b.json")
    restored = open_fresh("restored.sqlite3")
    restored.restore_backup(tmp_path / "b.json", now=FIXED_NOW)
    assert _rows(restored) == _rows(studied)


def test_the_indexes_are_back_after_a_restore(
    studied: StudyService, open_fresh: Any, tmp_path: Path
) -> None:
    studied.export_backup(tmp_path / "b.json")
    restored = open_fresh("restored.sqlite3")
    before = _schema(restored)
    restored.restore_backup(tmp_path / "b.json", now=FIXED_NOW)
    assert _schema(restored) == before
    assert any(name == "ix_review_log_card_key" for _, name, _ in before)


def _fill_caches(service: StudyService) -> None:
    """One more row in each sync cache (through SQLAlchemy: on either database)."""
    with service.transaction(write=True) as session:
        card = session.execute(text("SELECT min(id) FROM cards")).scalar_one()
        source = session.execute(text("SELECT min(id) FROM sources")).scalar_one()
        for sql in (
            "DELETE FROM card_renderings WHERE card_key = :card AND form = 'question_linear'",
            "INSERT INTO card_renderings VALUES (:card, 'question_linear', 1, 'x')",
            "DELETE FROM source_files WHERE source_id = :source AND path = 'a.md'",
            "INSERT INTO source_files VALUES (:source, 'a.md', 1, 2, 'hash')",
        ):
            session.execute(text(sql), {"card": card, "source": source})


def _cached(service: StudyService) -> list[int]:
    with service.transaction() as session:
        count = "SELECT count(*) FROM {}"
        return [session.execute(text(count.format(t))).scalar_one() for t in CACHE_TABLES]


def _backed_up(service: StudyService, path: Path) -> dict[str, Any]:
    """Every backed-up table's rows, as a backup of ``service`` written to ``path`` holds them
    (without when and where it was written): what a restore must keep or put back."""
    service.export_backup(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: table for k, table in data.items() if isinstance(table, dict) and "rows" in table}


@ON_BOTH_BACKENDS
def test_a_restore_empties_the_sync_caches(studied: StudyService, tmp_path: Path) -> None:
    studied.export_backup(tmp_path / "b.json")
    _fill_caches(studied)
    assert all(_cached(studied))  # the sync's own rows and one more of each
    studied.restore_backup(tmp_path / "b.json", now=FIXED_NOW, force=True)
    assert _cached(studied) == [0, 0]


@ON_BOTH_BACKENDS
def test_a_failed_restore_keeps_the_rows_the_caches_and_the_indexes(
    studied: StudyService, tmp_path: Path
) -> None:
    """On SQLite (whose restore sets the indexes aside) the rows as stored, storage classes
    and all, and the schema; on both, the rows a backup holds and the caches."""
    on_sqlite = studied.store.url.startswith("sqlite")
    studied.export_backup(tmp_path / "b.json")
    data = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    data["review_log"]["rows"][-1][1] = 999_999  # a review of a card not in the backup
    (tmp_path / "bad.json").write_text(json.dumps(data), encoding="utf-8")
    _fill_caches(studied)
    if on_sqlite:
        rows, schema = _rows(studied), _schema(studied)
    backed_up, cached = _backed_up(studied, tmp_path / "before.json"), _cached(studied)
    with pytest.raises(ExchangeProblem, match=r'"review_log".*left unchanged'):
        studied.restore_backup(tmp_path / "bad.json", now=FIXED_NOW, force=True)
    if on_sqlite:
        assert (_rows(studied), _schema(studied)) == (rows, schema)
    assert (_backed_up(studied, tmp_path / "after.json"), _cached(studied)) == (backed_up, cached)


def test_a_backup_changed_after_it_was_read_is_not_restored(
    studied: StudyService, open_fresh: Any, tmp_path: Path
) -> None:
    studied.export_backup(tmp_path / "b.json")
    backup = study_backup.read_backup(tmp_path / "b.json")
    text = (tmp_path / "b.json").read_text(encoding="utf-8")
    (tmp_path / "b.json").write_text(text.replace('"rows": [', '"rows": [ ', 1), "utf-8")
    restored = open_fresh("restored.sqlite3")
    with pytest.raises(ExchangeProblem, match="changed after it was read"):
        restored.restore_backup(backup, now=FIXED_NOW)
    assert not any(_rows(restored)[t] for t in BACKUP_TABLES.values() if t != "collection_settings")


def test_closing_after_a_restore_takes_no_snapshot_of_the_restored_collection(
    studied: StudyService, open_fresh: Any, tmp_path: Path
) -> None:
    """The restored reviews are not answers: the backup file holds them already."""
    studied.export_backup(tmp_path / "b.json")
    restored = open_fresh("restored.sqlite3")
    restored.remember_reviews()  # as the CLI and the app do when they open it
    restored.restore_backup(tmp_path / "b.json", now=FIXED_NOW)
    assert restored.snapshot_after_answers(FIXED_NOW) is None
    restored.answer(_first_card(restored), 4, FIXED_NOW)
    assert restored.snapshot_after_answers(FIXED_NOW) is not None


def _first_card(service: StudyService) -> int:
    with sqlite3.connect(_file(service)) as db:
        return int(db.execute("SELECT id FROM cards WHERE status = 'active' LIMIT 1").fetchone()[0])


_DATETIMES = {
    "microseconds": [f"2026-11-{d:02d}T09:0{d % 10}:00.{d:06d}+00:00" for d in range(1, 29)],
    "whole seconds": [f"2026-11-{d:02d}T09:00:{d:02d}+00:00" for d in range(1, 29)],
    "mixed": ["2026-11-26T09:00:00+00:00", "2026-11-26T09:00:00.000001+00:00"],
    "offsets and nulls": ["2026-11-26T10:00:00.5+01:00", None, "2026-11-26 09:00:00Z"],
    "week dates": ["2026-W48-4T09:00:00.123456+00:00", "2026-W48-4T09:00:00+00:00"],
    "basic times": ["2026-11-26T090000.5+00:00", "2026-11-26T090000.12345678+00:00"],
}


@pytest.mark.parametrize("case", list(_DATETIMES))
def test_a_column_of_datetimes_is_stored_as_sqlalchemy_stores_it(
    fresh_connection: Any, case: str
) -> None:
    """The quick column-at-once forms give the text the bind processor gives."""
    from datetime import datetime

    from quizcalc.exchange.backup_format import BackupColumn
    from quizcalc.store.models import Base
    from quizcalc.study.backup_loading import _column_values

    table = Base.metadata.tables["review_log"]
    column = BackupColumn("reviewed_at", "datetime", nullable=True)
    make = _column_values(table, column, fresh_connection)
    assert make is not None
    process = table.c.reviewed_at.type.dialect_impl(fresh_connection.dialect).bind_processor(
        fresh_connection.dialect
    )
    values = tuple(_DATETIMES[case])
    expected = [None if v is None else process(datetime.fromisoformat(v)) for v in values]
    assert list(make(values)) == expected


@pytest.fixture
def fresh_connection(open_fresh: Any) -> Iterator[Any]:
    """A connection to an empty store (SQLite), in a read transaction."""
    service = open_fresh("fresh.sqlite3")
    with service.store.transaction() as session:
        yield session.connection()


def test_a_backup_read_from_sqlites_text_is_the_same_file_as_through_sqlalchemy(
    studied: StudyService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite3.connect(_file(studied)) as db:  # microseconds, none, and an unusual form
        first, second, third = (r[0] for r in db.execute("SELECT id FROM review_log LIMIT 3"))
        db.execute("UPDATE review_log SET reviewed_at = ? WHERE id = ?", (_AT, first))
        db.execute("UPDATE review_log SET reviewed_at = ? WHERE id = ?", (_AT[:19], second))
        db.execute("UPDATE review_log SET reviewed_at = ? WHERE id = ?", (_AT[:-3], third))
    studied.export_backup(tmp_path / "fast.json")
    monkeypatch.setattr(study_backup, "stored_chunks", lambda *_: None)
    studied.export_backup(tmp_path / "slow.json")
    fast = (tmp_path / "fast.json").read_bytes()
    assert fast == (tmp_path / "slow.json").read_bytes()
    assert b'"2026-11-26T09:00:00.250001+00:00"' in fast
    assert b'"2026-11-26T09:00:00.250000+00:00"' in fast


_AT = "2026-11-26 09:00:00.250001"
