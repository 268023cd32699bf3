"""The oldest schema quizcalc shipped (revision 0001) upgrades with every row intact, and a
snapshot of it is taken before the migration touches it.

``tests/fixtures/schema-0001.sqlite3`` is committed (built once by
``tests/fixtures/make_schema_0001.py``), so this test reads yesterday's file, not one today's
code just wrote.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from quizcalc.store import StoreError, open_store
from quizcalc.store.schema_version import HEAD_REVISION
from quizcalc.store.snapshots import find_snapshots
from tests.conftest import REPO_ROOT

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "schema-0001.sqlite3"
TABLES = ("decks", "sources", "cards", "schedule", "review_log")


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def _revision(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


@pytest.fixture
def oldest(tmp_path: Path) -> Path:
    """A copy of the revision-0001 collection."""
    assert FIXTURE.stat().st_size < 200 * 1024
    return Path(shutil.copyfile(FIXTURE, tmp_path / "quizcalc.sqlite3"))


def test_the_oldest_schema_upgrades_with_every_row_intact(oldest: Path) -> None:
    before = _counts(oldest)
    assert before == {"decks": 3, "sources": 2, "cards": 60, "schedule": 60, "review_log": 300}
    open_store(oldest).close()
    assert _revision(oldest) == HEAD_REVISION
    assert _counts(oldest) == before
    with sqlite3.connect(oldest) as connection:
        assert connection.execute(
            "SELECT card_id, status, retired_at FROM cards WHERE id IN (7, 13) ORDER BY id"
        ).fetchall() == [
            ("lin-007", "suspended", None),
            ("lin-013", "retired", "2026-10-11 08:30:00.000000"),
        ]
        assert connection.execute(
            "SELECT card_key, quality, after_interval, after_due, reviewed_at FROM review_log "
            "WHERE id = 300"
        ).fetchone() == (16, 4, 6, "2026-11-08", "2026-11-02 20:30:00.000000")
        assert connection.execute(
            "SELECT repetitions, easiness, interval, due, lapses, reviews FROM schedule "
            "WHERE card_key = 1"
        ).fetchone() == (2, 2.74, 6, "2026-11-03", 1, 8)
        assert connection.execute("SELECT path FROM sources ORDER BY id").fetchall() == [
            ("/home/learner/notes",),
            ("/home/learner/anki/ml.apkg",),
        ]


def test_a_snapshot_is_taken_before_the_migration(oldest: Path) -> None:
    original = oldest.read_bytes()
    open_store(oldest).close()
    (snapshot,) = find_snapshots(oldest)
    assert snapshot.reason == "before-migration-0001"
    assert snapshot.path.parent == oldest.parent / "backups"
    assert _revision(snapshot.path) == "0001"
    assert _counts(snapshot.path) == _counts(oldest)
    with sqlite3.connect(snapshot.path) as copy, sqlite3.connect(":memory:") as fresh:
        fresh.deserialize(original)
        query = "SELECT * FROM review_log ORDER BY id"
        assert copy.execute(query).fetchall() == fresh.execute(query).fetchall()
    open_store(oldest).close()  # at head now: no migration, no second snapshot
    assert len(find_snapshots(oldest)) == 1


def test_no_migration_without_its_snapshot(oldest: Path) -> None:
    (oldest.parent / "backups").write_text("a file where the folder should be")
    before = _counts(oldest)
    with pytest.raises(StoreError, match="a backup could not be written first") as caught:
        open_store(oldest)
    assert str(oldest) in str(caught.value) and "nothing was changed" in str(caught.value)
    assert _revision(oldest) == "0001"
    assert _counts(oldest) == before


def test_the_upgraded_collection_reads_as_today_s(oldest: Path) -> None:
    from quizcalc.config import Config
    from quizcalc.study import StudyService

    service = StudyService.open(f"sqlite:///{oldest}", Config())
    rows = service.list_cards(include_retired=True)
    service.close()
    assert len(rows) == 60
    assert {row.status for row in rows} == {"active", "suspended", "retired"}
