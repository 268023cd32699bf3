"""A collection moved from SQLite to PostgreSQL through a JSON backup comes back identical:
every row and every value (datetimes with microseconds, floats, dates, text, nulls) survives
PostgreSQL's types, as the backup format promises across backends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import text

from quizcalc.config import Config
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW


def _content(path: Path) -> dict[str, Any]:
    """The backup's tables (what was backed up), without when and where it was written."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: table for k, table in data.items() if isinstance(table, dict) and "rows" in table}


def test_sqlite_to_postgresql_and_back_out_gives_the_same_backup(
    studied: StudyService, pg_url: str, tmp_path: Path
) -> None:
    assert studied.store.url.startswith("sqlite")
    studied.export_backup(tmp_path / "from-sqlite.json")
    moved = StudyService.open(pg_url, Config())
    report = moved.restore_backup(tmp_path / "from-sqlite.json", now=FIXED_NOW)
    assert report is not None
    moved.export_backup(tmp_path / "from-postgresql.json")
    expected = _content(tmp_path / "from-sqlite.json")
    assert sum(len(table["rows"]) for table in expected.values()) > 100
    assert _content(tmp_path / "from-postgresql.json") == expected
    # and the moved collection studies on: today's queue is the one SQLite gives, and new
    # rows get new ids (the restore moved PostgreSQL's sequences past the restored ids)
    order = moved.queue(FIXED_NOW).order
    assert order == studied.queue(FIXED_NOW).order
    answered = moved.answer(order[0], 5, FIXED_NOW)
    assert answered.log_id == studied.answer(order[0], 5, FIXED_NOW).log_id
    moved.close()


def test_a_restore_on_postgresql_leaves_the_planner_knowing_the_rows(
    studied: StudyService, pg_url: str, tmp_path: Path
) -> None:
    # Without fresh statistics PostgreSQL plans the queue for empty tables (a nested loop
    # over every card, eight times slower at 5,000 cards) until autovacuum comes by.
    studied.export_backup(tmp_path / "collection.json")
    with studied.transaction() as session:
        cards = session.execute(text("SELECT count(*) FROM cards")).scalar_one()
    moved = StudyService.open(pg_url, Config())
    try:
        moved.restore_backup(tmp_path / "collection.json", now=FIXED_NOW)
        with moved.transaction() as session:
            known = session.execute(
                text("SELECT reltuples FROM pg_class WHERE relname = 'cards'")
            ).scalar_one()
            analysed = session.execute(
                text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'review_log'")
            ).scalar_one()
    finally:
        moved.close()
    assert known == cards > 0
    assert analysed is not None
