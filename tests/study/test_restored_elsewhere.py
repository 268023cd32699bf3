"""A restore in one window makes every window opened before it stop writing, and say why.

On SQLite and on PostgreSQL (where a restore empties and refills the tables in place).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from quizcalc.config import Config
from quizcalc.store.models import ReviewLogRecord
from quizcalc.study import StudyService
from quizcalc.study.errors import CollectionRestored
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # both tests run on SQLite and on PostgreSQL

DECK = "Q: First card?\nA: One.\n\nQ: Second card?\nA: Two.\n"


def _reviews(service: StudyService) -> list[tuple[int, int, str | None]]:
    with service.transaction() as session:
        rows = session.scalars(select(ReviewLogRecord).order_by(ReviewLogRecord.id))
        return [(row.id, row.card_key, row.answer_text) for row in rows]


@pytest.fixture
def keys(db_url: str, write_deck) -> tuple[int, int]:
    """The deck synced into ``db_url``: the two cards' keys, in reading order."""
    service = StudyService.open(db_url, Config())
    service.sync(write_deck(DECK), FIXED_NOW)
    first, second = service.queue(FIXED_NOW).new
    service.close()
    return first, second


def test_undo_in_a_window_opened_before_a_restore_deletes_nothing(
    db_url: str, keys: tuple[int, int], tmp_path: Path
) -> None:
    first, second = keys
    other = StudyService.open(db_url, Config())  # the window that will restore
    answered = other.answer(second, 4, FIXED_NOW, answer_text="kept in the backup")
    backup = tmp_path / "backup.json"
    other.export_backup(backup)
    other.undo(answered.log_id)

    old = StudyService.open(db_url, Config())  # a review open in another window
    session = old.begin_session(FIXED_NOW)
    card = old.card(first)
    mine = session.answer(card, 5, FIXED_NOW, answer_text="before the restore")
    if db_url.startswith("sqlite"):  # SQLite gives the freed id again (a PostgreSQL sequence
        assert mine.log_id == answered.log_id  # never does: the undo must be refused anyway)

    other.restore_backup(backup, now=FIXED_NOW, force=True)
    restored = _reviews(other)
    assert restored == [(answered.log_id, second, "kept in the backup")]

    with pytest.raises(CollectionRestored) as caught:
        session.undo()  # would delete the second card's restored review
    message = str(caught.value)
    assert message.startswith("could not undo the answer: ")
    assert "the collection was restored elsewhere" in message
    assert message.endswith("restart quizcalc to study the restored collection.")
    assert "\n" not in message
    with pytest.raises(CollectionRestored, match=r"could not save your answer: .*restored"):
        session.answer(card, 3, FIXED_NOW)
    with pytest.raises(CollectionRestored):
        old.reset_card(second)
    assert _reviews(other) == restored  # nothing written by the old window
    assert old.card_detail(second).history  # reading still works: the restored review shows

    other.answer(first, 3, FIXED_NOW)  # the window that restored goes on writing
    fresh = StudyService.open(db_url, Config())
    fresh.answer(second, 3, FIXED_NOW + FIXED_NOW.resolution)  # and so does a new start
    assert len(_reviews(fresh)) == 3
    for service in (old, other, fresh):
        service.close()


def test_a_session_begun_before_its_own_service_restored_stops_writing(
    db_url: str, keys: tuple[int, int], tmp_path: Path
) -> None:
    service = StudyService.open(db_url, Config())
    backup = tmp_path / "backup.json"
    service.export_backup(backup)
    session = service.begin_session(FIXED_NOW)
    session.answer(service.card(keys[0]), 5, FIXED_NOW)
    service.restore_backup(backup, now=FIXED_NOW, force=True)
    with pytest.raises(CollectionRestored, match="restored after this review session began"):
        session.undo()
    assert _reviews(service) == []
    service.begin_session(FIXED_NOW).answer(service.card(keys[0]), 5, FIXED_NOW)
    assert len(_reviews(service)) == 1
    service.close()
