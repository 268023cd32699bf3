"""``quizcalc db copy --to URL`` (in-process): SQLite → PostgreSQL gives a collection whose
JSON backup is the SQLite collection's; a target that holds a collection is refused in one
line and left alone; ``--force`` replaces it (after backing it up)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text

from quizcalc.cli.main import cli
from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.views import BrowseFilter
from tests.conftest import FIXED_NOW


@pytest.fixture
def source(tmp_path: Path, calculus_content: Path) -> Iterator[tuple[Path, StudyService]]:
    """A SQLite collection: the Calculus deck synced, three days of answers, a suspension."""
    database = tmp_path / "laptop.sqlite3"
    service = StudyService.open(str(database), Config())
    service.sync(calculus_content, FIXED_NOW)
    basics = [r for r in service.browse(BrowseFilter(), FIXED_NOW) if r.kind == "basic"]
    for day in range(3):
        now = FIXED_NOW + timedelta(days=day)
        service.answer(basics[0].key, 5, now, duration_ms=4000)
        service.answer(basics[1].key, 2 if day == 1 else 4, now, duration_ms=9000)
    service.set_suspended(basics[2].key, True)
    (tmp_path / "content").mkdir()
    yield database, service
    service.close()


def _copy(database: Path, to: str, *rest: str) -> Result:
    args = ["--db", str(database), "--content", str(database.parent / "content")]
    return CliRunner().invoke(cli, [*args, "db", "copy", "--to", to, *rest], prog_name="quizcalc")


def _backup(url: str, path: Path) -> dict[str, Any]:
    """The tables of a JSON backup of the collection at ``url`` (not when it was written)."""
    service = StudyService.open(url, Config())
    try:
        service.export_backup(path)
    finally:
        service.close()
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: table for k, table in data.items() if isinstance(table, dict) and "rows" in table}


@pytest.mark.fresh_db  # an empty database, no tables: the copy creates the schema
def test_sqlite_to_postgresql_gives_the_same_backup_and_says_how_to_use_it(
    source: tuple[Path, StudyService], pg_url: str, tmp_path: Path
) -> None:
    database, _service = source
    result = _copy(database, pg_url)
    assert result.exit_code == 0, (result.output, result.exception)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("copied 1 deck, ")
    assert lines[0].endswith(f" from {database} to {pg_url} (row counts verified)")
    assert lines[-1] == f"  export QUIZCALC_DB='{pg_url}'"
    expected = _backup(str(database), tmp_path / "sqlite.json")
    assert len(expected["review_log"]["rows"]) == 6
    assert _backup(pg_url, tmp_path / "postgresql.json") == expected
    # and the new server's tables were vacuumed and analysed: no autovacuum pass over the
    # fresh rows competing with the first reviews, index-only scans from the start
    engine = create_engine(pg_url)
    with engine.connect() as connection:
        settled = connection.execute(
            text(
                "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL"
                " AND last_analyze IS NOT NULL AND relname IN ('cards', 'review_log', 'schedule')"
                " ORDER BY relname"
            )
        ).scalars()
        assert list(settled) == ["cards", "review_log", "schedule"]
    engine.dispose()


def test_a_target_holding_a_collection_is_refused_unless_force(
    source: tuple[Path, StudyService], pg_url: str, tmp_path: Path
) -> None:
    database, service = source
    assert _copy(database, pg_url).exit_code == 0
    first = _backup(pg_url, tmp_path / "first.json")
    order = service.queue(FIXED_NOW + timedelta(days=3)).order
    service.answer(order[0], 3, FIXED_NOW + timedelta(days=3), duration_ms=5000)

    refused = _copy(database, pg_url)
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        f"quizcalc: {pg_url}: not copied: the database is not "
        "empty (it holds "
        f"{len(first['cards']['rows'])} cards and 6 review-log rows); pass --force to replace "
        "it (a backup of it is written first)"
    ]
    assert _backup(pg_url, tmp_path / "after-refusal.json") == first

    forced = _copy(database, pg_url, "--force")
    assert forced.exit_code == 0, forced.output
    assert forced.stdout.startswith(f"saved what {pg_url} held to ")
    replaced = _backup(pg_url, tmp_path / "forced.json")
    assert len(replaced["review_log"]["rows"]) == 7
    assert replaced == _backup(str(database), tmp_path / "sqlite.json")
