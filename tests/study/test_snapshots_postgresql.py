"""Automatic snapshots of a PostgreSQL collection: JSON backups in the device's backups folder,
listed, restored and pruned as a SQLite collection's file snapshots are."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from quizcalc.config import Config
from quizcalc.locations import backups_dir
from quizcalc.study import StudyService
from quizcalc.study.json_snapshots import json_snapshot_place
from quizcalc.study.snapshots import list_snapshots, restore_snapshot
from tests.conftest import FIXED_NOW

LOCAL = datetime(2026, 12, 5, 21, 14, 0)
DECK = """# Derivatives

Q: What does the derivative measure?
A: The instantaneous rate of change of a function.

Q: What does a zero derivative mean?
A: A flat tangent: a critical point.

Q: What is the derivative of a constant?
A: Zero.
"""


@pytest.fixture
def service(pg_url: str, tmp_path: Path) -> Iterator[StudyService]:
    """A PostgreSQL collection holding one three-card deck, nothing answered yet."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "deck.md").write_text(DECK, encoding="utf-8")
    svc = StudyService.open(pg_url, Config(backups_keep=3))
    svc.sync(folder, FIXED_NOW)
    svc.remember_reviews()
    yield svc
    svc.close()


def _answer_next(service: StudyService) -> None:
    service.answer(service.queue(FIXED_NOW).order[0], 5, FIXED_NOW)


def _answers(url: str) -> int:
    svc = StudyService.open(url, Config())
    try:
        with svc.transaction() as session:
            return int(session.execute(text("SELECT count(*) FROM review_log")).scalar_one())
    finally:
        svc.close()


def test_closing_after_answers_writes_a_json_snapshot_that_backups_list_shows(
    service: StudyService, pg_url: str
) -> None:
    _answer_next(service)
    written = service.snapshot_after_answers(LOCAL)
    assert written is not None and written.parent == backups_dir()
    assert written.name.endswith("-20261205-211400-close.json")
    [listed] = list_snapshots(pg_url)
    assert (listed.path, listed.reason, listed.cards, listed.reviews) == (written, "close", 3, 1)
    assert listed.readable


def test_a_forced_restore_keeps_what_it_replaced_as_a_snapshot_that_restores(
    service: StudyService, pg_url: str, tmp_path: Path
) -> None:
    _answer_next(service)
    service.export_backup(tmp_path / "one-answer.json")
    _answer_next(service)  # two answers now: what the restore replaces
    report = service.restore_backup(tmp_path / "one-answer.json", now=LOCAL, force=True)
    assert report.saved_to is not None and report.saved_to.parent == backups_dir()
    [listed] = list_snapshots(pg_url)
    assert (listed.path, listed.reason, listed.reviews) == (report.saved_to, "before-restore", 2)
    assert _answers(pg_url) == 1
    # putting it back is the same command as on SQLite, by file; "latest" passes it over
    with pytest.raises(Exception, match="no backup to restore"):
        restore_snapshot(pg_url, "latest", LOCAL + timedelta(minutes=1))
    back = restore_snapshot(pg_url, report.saved_to, LOCAL + timedelta(minutes=1))
    assert _answers(pg_url) == 2
    assert back.saved_to is not None and back.saved_to != report.saved_to
    reasons = [(s.reason, s.reviews) for s in list_snapshots(pg_url)]
    assert reasons == [("before-restore", 1), ("before-restore", 2)]  # newest first


def test_restore_latest_puts_the_newest_snapshot_back(service: StudyService, pg_url: str) -> None:
    _answer_next(service)
    service.snapshot("close", LOCAL)
    _answer_next(service)
    report = restore_snapshot(pg_url, "latest", LOCAL + timedelta(minutes=5), keep=5)
    assert report.restored.reason == "close"
    assert "restored" in report.summary() and "secret" not in report.summary()
    assert _answers(pg_url) == 1


def test_backups_keep_prunes_the_json_snapshots(service: StudyService, pg_url: str) -> None:
    for minute in range(5):
        service.snapshot("timer", LOCAL + timedelta(minutes=minute))
    kept = list_snapshots(pg_url)
    assert [s.created.minute for s in kept] == [18, 17, 16]  # backups_keep=3, newest first


@pytest.mark.fresh_db
def test_a_migration_on_postgresql_leaves_a_json_snapshot_of_the_older_schema(
    pg_url: str,
) -> None:
    from tests.store.test_postgresql_store import _upgrade

    _upgrade(pg_url, "0001")
    engine = create_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO decks (name) VALUES ('Kept')"))
    engine.dispose()
    StudyService.open(pg_url, Config()).close()
    [listed] = list_snapshots(pg_url)
    assert listed.reason == "before-migration-0001" and listed.path.parent == backups_dir()
    assert (listed.cards, listed.reviews) == (0, 0)
    written = json.loads(listed.path.read_text(encoding="utf-8"))
    assert written["schema"] == "0001"
    assert written["decks"]["rows"] == [[1, "Kept"]]
    # it restores into the migrated collection, as an older backup does
    restore_snapshot(pg_url, listed.path, LOCAL)
    engine = create_engine(pg_url)
    with engine.connect() as connection:
        decks = connection.execute(text("SELECT name FROM decks")).scalars().all()
    engine.dispose()
    assert decks == ["Kept"]


def test_two_databases_never_share_snapshot_names() -> None:
    first = json_snapshot_place("postgresql+psycopg://ann:secret@db.example/quiz")
    other_host = json_snapshot_place("postgresql+psycopg://ann@db2.example/quiz")
    same_without_password = json_snapshot_place("postgresql+psycopg://ann@db.example/quiz")
    assert first[0] == other_host[0] == backups_dir()
    assert first[1] != other_host[1]
    assert first == same_without_password
    assert first[1].startswith("postgresql_quiz-")
