"""Rolling snapshots: when they are taken, how many are kept, and that they are atomic."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.store.snapshots import find_snapshots, write_snapshot
from quizcalc.study import StudyService
from quizcalc.study.errors import StudyError
from quizcalc.study.snapshots import (
    SNAPSHOT_EVERY,
    list_snapshots,
    newest_restorable,
    restore_snapshot,
)
from tests.conftest import FIXED_NOW

DECK = "---\ndeck: D\n---\nQ: one?\nA: 1\n\nQ: two?\nA: 2\n\nQ: three?\nA: 3\n"
LOCAL = FIXED_NOW


def _reasons(database: Path) -> list[str]:
    return [snapshot.reason for snapshot in find_snapshots(database)]


def _open(url: str, **settings: int) -> StudyService:
    return StudyService.open(url, Config(**settings))


def _answer_one(service: StudyService, now: datetime) -> None:
    card = service.next_card(now)
    assert card is not None
    service.answer(card.key, 5, now)


@pytest.fixture
def studied(db_url: str, write_deck: Callable[..., Path]) -> tuple[str, Path]:
    """A collection holding three cards, one answered; (url, database file)."""
    service = _open(db_url)
    service.sync(write_deck(DECK), FIXED_NOW)
    _answer_one(service, FIXED_NOW)
    service.close()
    return db_url, Path(db_url.removeprefix("sqlite:///"))


def test_closing_after_answers_takes_a_snapshot_and_closing_without_does_not(
    studied: tuple[str, Path],
) -> None:
    url, database = studied
    service = _open(url)
    assert service.snapshot_after_answers(LOCAL) is None  # nothing answered yet
    _answer_one(service, FIXED_NOW)
    written = service.snapshot_after_answers(LOCAL)
    assert written == database.parent / "backups" / "quizcalc-20261126-090000-close.sqlite3"
    assert service.snapshot_after_answers(LOCAL + timedelta(minutes=1)) is None  # no new answer
    service.close()
    (info,) = list_snapshots(url)
    assert (info.cards, info.reviews, info.reason) == (3, 2, "close")


def test_a_long_session_is_snapshotted_every_thirty_minutes_of_answers(
    studied: tuple[str, Path],
) -> None:
    url, database = studied
    service = _open(url)
    assert service.snapshot_if_due(LOCAL) is None  # starts the clock
    _answer_one(service, FIXED_NOW)
    assert service.snapshot_if_due(LOCAL + SNAPSHOT_EVERY - timedelta(seconds=1)) is None
    assert service.snapshot_if_due(LOCAL + SNAPSHOT_EVERY) is not None
    assert service.snapshot_if_due(LOCAL + 2 * SNAPSHOT_EVERY) is None  # no answer since
    _answer_one(service, FIXED_NOW)
    assert service.snapshot_if_due(LOCAL + 2 * SNAPSHOT_EVERY + timedelta(minutes=1)) is None
    assert service.snapshot_if_due(LOCAL + 3 * SNAPSHOT_EVERY) is not None
    service.close()
    assert _reasons(database) == ["timer", "timer"]


def test_import_and_json_restore_snapshot_first(studied: tuple[str, Path], tmp_path: Path) -> None:
    url, database = studied
    service = _open(url)
    deck = tmp_path / "more.md"
    deck.write_text("---\ndeck: More\n---\nQ: four?\nA: 4\n", encoding="utf-8")
    service.import_path(deck, LOCAL)
    assert _reasons(database) == ["before-import"]
    assert list_snapshots(url)[0].cards == 3  # taken before the import added its card
    backup = tmp_path / "all.json"
    service.export_backup(backup)
    service.restore_backup(backup, now=LOCAL + timedelta(seconds=5), force=True)
    service.close()
    assert _reasons(database) == ["before-import", "before-restore"]


def test_only_the_newest_n_are_kept_and_nothing_else_is_deleted(
    studied: tuple[str, Path],
) -> None:
    url, database = studied
    folder = database.parent / "backups"
    folder.mkdir()
    strangers = [
        folder / "notes.txt",
        folder / "other-20260101-000000-close.sqlite3",  # another collection's
        folder / "quizcalc-final.sqlite3",  # a copy the learner made by hand
    ]
    for path in strangers:
        path.write_text("mine", encoding="utf-8")
    service = _open(url, backups_keep=3)
    for minute in range(5):
        service.snapshot("timer", LOCAL + timedelta(minutes=minute))
    service.close()
    kept = [snapshot.created.minute for snapshot in find_snapshots(database)]
    assert kept == [2, 3, 4]
    assert all(path.read_text(encoding="utf-8") == "mine" for path in strangers)


def test_two_collections_keep_separate_snapshots(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    first = new_database(tmp_path / "a" / "quizcalc.sqlite3")
    second = new_database(tmp_path / "b" / "quizcalc.sqlite3")
    for path, count in ((first, 2), (second, 1)):
        service = _open(f"sqlite:///{path}")
        for minute in range(count):
            service.snapshot("timer", LOCAL + timedelta(minutes=minute))
        service.close()
    assert len(list_snapshots(f"sqlite:///{first}")) == 2
    assert len(list_snapshots(f"sqlite:///{second}")) == 1
    assert {p.parent for p in (first, second)} == {
        s.path.parent.parent for s in list_snapshots(f"sqlite:///{first}")
    } | {s.path.parent.parent for s in list_snapshots(f"sqlite:///{second}")}


def test_restore_latest_keeps_what_it_replaces_and_bumps_the_generation(
    studied: tuple[str, Path],
) -> None:
    url, database = studied
    service = _open(url)
    service.snapshot("close", LOCAL)  # one review
    _answer_one(service, FIXED_NOW)
    _answer_one(service, FIXED_NOW)  # three reviews now: what the restore replaces
    service.close()
    report = restore_snapshot(url, "latest", LOCAL + timedelta(minutes=5))
    assert report.restored.reviews == 1
    assert report.saved_to is not None and "before-restore" in report.saved_to.name
    saved = sqlite3.connect(report.saved_to)
    assert saved.execute("SELECT count(*) FROM review_log").fetchone() == (3,)
    saved.close()
    live = sqlite3.connect(database)
    assert live.execute("SELECT count(*) FROM review_log").fetchone() == (1,)
    assert live.execute("SELECT value FROM collection_meta").fetchone() == (1,)
    live.close()
    # "latest" passes over what a restore replaced: restoring it again changes nothing
    again = restore_snapshot(url, "latest", LOCAL + timedelta(minutes=6))
    assert again.restored.path == report.restored.path and again.generation == 2


def test_a_session_open_elsewhere_sees_the_restore(studied: tuple[str, Path]) -> None:
    url, _database = studied
    service = _open(url)
    service.snapshot("close", LOCAL)
    other = _open(url)  # the window left open
    _answer_one(other, FIXED_NOW)
    restore_snapshot(url, "latest", LOCAL + timedelta(minutes=1))
    with other.transaction() as session:
        from sqlalchemy import text

        assert session.execute(text("SELECT count(*) FROM review_log")).scalar() == 1
        assert session.execute(text("SELECT value FROM collection_meta")).scalar() == 1
    other.close()
    service.close()


def test_in_memory_collections_skip_snapshots_with_a_note() -> None:
    service = _open("sqlite:///:memory:")
    assert service.snapshot("close", LOCAL) is None
    assert service.snapshot_note is not None and "in-memory" in service.snapshot_note
    service.close()


_KILLED_WRITER = """
import sys, time
from datetime import datetime
from pathlib import Path
import quizcalc.store.snapshots as snapshots

def stall(path):
    Path(sys.argv[2]).write_text(str(path))
    time.sleep(60)

snapshots._fsync_file = stall
snapshots.write_snapshot(Path(sys.argv[1]), datetime(2026, 11, 26, 9, 0), "close")
"""


def test_a_snapshot_killed_mid_write_leaves_no_file_with_a_final_name(
    studied: tuple[str, Path], tmp_path: Path
) -> None:
    url, database = studied
    ready = tmp_path / "ready"
    child = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(database), str(ready)])
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ready.exists(), "the writer never reached its fsync"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    partial = Path(ready.read_text())
    assert partial.exists() and partial.name.startswith(".")  # killed before its rename
    assert list_snapshots(url) == []  # the listing ignores it
    write_snapshot(database, LOCAL, "close")
    service = _open(url)
    service.snapshot("close", LOCAL + timedelta(minutes=1))  # pruning cleans the leftover
    service.close()
    assert not partial.exists()
    assert [p.name.startswith(".") for p in (database.parent / "backups").iterdir()] == [
        False,
        False,
    ]


def test_a_damaged_copy_is_marked_and_never_restored_as_latest(
    studied: tuple[str, Path],
) -> None:
    _url, database = studied
    good = write_snapshot(database, LOCAL, "close")
    with database.open("r+b") as handle:  # the newest copy will carry the damage
        handle.seek(4096 * 2)
        handle.write(b"\xde\xad" * 2048)
    damaged = write_snapshot(database, LOCAL + timedelta(minutes=1), "close")
    assert damaged.name.endswith("-close-damaged.sqlite3")
    newest = newest_restorable(database)
    assert newest is not None and newest.path == good


def test_damage_found_mid_session_names_the_newest_backup(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    from quizcalc.study.errors import CollectionDamaged
    from tests.damage import damage_the_middle, fill

    database = new_database(tmp_path / "quizcalc.sqlite3")
    fill(database)
    backup = write_snapshot(database, LOCAL, "close")
    service = _open(f"sqlite:///{database}")  # opens: the damage is not there yet
    damage_the_middle(database)
    with pytest.raises(CollectionDamaged) as caught:
        service.list_cards(include_retired=True)
    service.close()
    assert str(caught.value) == (
        f"could not list the cards: {database}: this file is not a readable quizcalc database "
        f"(corrupted?). Your newest backup is {backup} (2026-11-26 09:00, 12 reviews): "
        f"`quizcalc --db {database} backups restore latest`"
    )
    assert caught.value.backup == backup


def test_a_restore_while_another_process_writes_is_one_line_and_changes_nothing(
    studied: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import quizcalc.store.snapshots as store_snapshots
    from quizcalc.study.errors import CollectionUnavailable

    monkeypatch.setattr(store_snapshots, "LOCK_WAIT_SECONDS", 0.05)
    url, database = studied
    write_snapshot(database, LOCAL, "close")  # one review
    service = _open(url)
    _answer_one(service, FIXED_NOW)  # two now
    service.close()
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another window holds the write lock
    try:
        with pytest.raises(CollectionUnavailable) as caught:
            restore_snapshot(url, "latest", LOCAL + timedelta(minutes=1))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert str(caught.value) == (
        f"could not restore the backup: {database}: database is locked (another quizcalc "
        "window writing?); nothing was restored: close it and try again"
    )
    with closing(sqlite3.connect(database)) as live:
        assert live.execute("SELECT count(*) FROM review_log").fetchone() == (2,)


def test_the_restore_command_names_the_collection_unless_it_is_the_default(
    tmp_path: Path,
) -> None:
    """The message's command restores *this* collection when pasted as it is."""
    from quizcalc.locations import default_database_url
    from quizcalc.study.snapshots import collection_file, restore_latest_command

    default = collection_file(default_database_url())
    assert default is not None
    assert restore_latest_command(default) == "quizcalc backups restore latest"
    spaced = tmp_path / "my notes" / "q.sqlite3"
    assert restore_latest_command(spaced) == f"quizcalc --db '{spaced}' backups restore latest"


def test_a_json_backup_is_never_restored_as_a_collection_file(
    studied: tuple[str, Path], tmp_path: Path
) -> None:
    url, database = studied
    service = _open(url)
    service.export_backup(tmp_path / "whole.json")
    service.close()
    before = database.read_bytes()
    with pytest.raises(StudyError, match="a JSON backup, not a copy of a collection file"):
        restore_snapshot(url, tmp_path / "whole.json", LOCAL)
    assert database.read_bytes() == before
