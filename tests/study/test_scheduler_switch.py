"""FSRS as the scheduler, and switching: the log rebuilds every schedule, losslessly.

A demo history (SM-2 answers, re-asks and drills over 150 days) is the collection; switching
to FSRS gives each reviewed card a memory replayed from its log, and switching back returns
exactly the SM-2 schedule it had.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from quizcalc.scheduling.fsrs import fsrs_interval, memory_from_history
from quizcalc.scheduling.ratings import Rating
from quizcalc.study import StudyService, open_study
from tests.conftest import FIXED_NOW

SCHEDULE = (
    "SELECT card_key, repetitions, easiness, interval, due, lapses, reviews, last_reviewed_at,"
    " stability, difficulty FROM schedule ORDER BY card_key"
)


@pytest.fixture
def service(calculus_demo: Path, tmp_path: Path) -> StudyService:
    copy = tmp_path / "demo.sqlite3"
    copy.write_bytes(calculus_demo.read_bytes())
    opened = open_study(f"sqlite:///{copy}", tmp_path / "config.toml")
    yield opened
    opened.close()


def _rows(service: StudyService) -> list[tuple[object, ...]]:
    path = str(service.store.engine.url.database)
    with sqlite3.connect(path) as connection:
        return connection.execute(SCHEDULE).fetchall()


def test_switching_to_fsrs_and_back_returns_the_same_sm2_schedule(service: StudyService) -> None:
    sm2 = _rows(service)
    assert all(row[8] is None for row in sm2)  # SM-2 keeps no FSRS memory

    service.save_collection_settings({"algorithm": "fsrs"})
    fsrs = _rows(service)
    reviewed = [row for row in fsrs if row[4] is not None]
    assert reviewed and all(row[8] is not None and 1 <= row[9] <= 10 for row in reviewed)
    assert sum(a[4] != b[4] for a, b in zip(sm2, fsrs, strict=True)) > len(reviewed) // 4

    service.save_collection_settings({"algorithm": "sm2"})
    assert _rows(service) == sm2


def test_the_sm2_replay_of_the_log_is_the_live_sm2_schedule(service: StudyService) -> None:
    """Replaying SM-2 over a log SM-2 wrote changes nothing: the log holds everything."""
    from quizcalc.study.schedule_rebuild import rebuild_schedules

    before = _rows(service)
    with service.transaction(write=True) as session:
        assert rebuild_schedules(session, service.scheduler_settings) == 0
    assert _rows(service) == before


def test_an_fsrs_memory_is_the_whole_history_replayed(service: StudyService) -> None:
    service.save_collection_settings({"algorithm": "fsrs"})
    path = str(service.store.engine.url.database)
    with sqlite3.connect(path) as connection:
        key = connection.execute(
            "SELECT card_key FROM review_log WHERE kind = 'review' GROUP BY card_key "
            "ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        rows = connection.execute(
            "SELECT quality, study_day FROM review_log WHERE card_key = ? AND kind = 'review' "
            "ORDER BY reviewed_at",
            (key,),
        ).fetchall()
        stability, due, last = connection.execute(
            "SELECT stability, due, last_reviewed_at FROM schedule WHERE card_key = ?", (key,)
        ).fetchone()
    from datetime import date

    days = [date.fromisoformat(day) for _, day in rows]
    history = [
        (Rating.AGAIN if q < 3 else Rating({3: 2, 4: 3}.get(q, 4)), (d - p).days if p else 0)
        for (q, _), d, p in zip(rows, days, [None, *days[:-1]], strict=True)
    ]
    memory = memory_from_history(history)
    assert memory is not None
    assert stability == pytest.approx(memory.stability, rel=1e-6)
    assert date.fromisoformat(due) == days[-1] + timedelta(days=fsrs_interval(memory.stability))
    assert last is not None


def test_under_fsrs_an_answer_moves_the_memory_and_stores_its_rating(
    service: StudyService,
) -> None:
    service.save_collection_settings({"algorithm": "fsrs", "desired_retention": 0.8})
    now = FIXED_NOW + timedelta(days=10)
    queue = service.begin_session(now)
    card = queue.next_card(now)
    assert card is not None
    path = str(service.store.engine.url.database)
    state = "SELECT stability, difficulty, due, interval FROM schedule WHERE card_key = ?"
    with sqlite3.connect(path) as connection:
        before = connection.execute(state, (card.key,)).fetchone()
    outcome = queue.answer(card, 4, now)
    with sqlite3.connect(path) as connection:
        rating, kind = connection.execute(
            "SELECT rating, kind FROM review_log WHERE id = ?", (outcome.log_id,)
        ).fetchone()
        stability, interval = connection.execute(
            "SELECT stability, interval FROM schedule WHERE card_key = ?", (card.key,)
        ).fetchone()
    assert (rating, kind) == (int(Rating.GOOD), "review")
    assert interval == fsrs_interval(stability, 0.8)
    assert (outcome.due - service.today(now)).days == interval

    queue.undo()  # the memory comes back from the log replayed without the answer
    with sqlite3.connect(path) as connection:
        restored = connection.execute(state, (card.key,)).fetchone()
    assert restored[:2] == pytest.approx(before[:2], rel=1e-9) if before[0] else restored == before
    assert restored[2:] == before[2:]


@pytest.mark.parametrize("algorithm", ["fsrs", "sm2"])
def test_the_bulk_rebuild_is_every_card_replayed_step_by_step(
    service: StudyService, algorithm: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """rebuild_schedules replays answer-only logs in bulk (one fsrs-rs call per batch of
    cards, here small batches, so that cards and log rows straddle their edges); each card's
    stored state is exactly what replay_card gives from its log."""
    from dataclasses import replace

    from quizcalc.study import schedule_rebuild

    monkeypatch.setattr(schedule_rebuild, "_CARD_BATCH", 7)
    monkeypatch.setattr(schedule_rebuild, "_LOG_BATCH", 50)

    from sqlalchemy import select

    from quizcalc.scheduling.replay import replay_card
    from quizcalc.store.models import ScheduleRecord
    from quizcalc.study.collection_base import sql_runner
    from quizcalc.study.review_history import card_histories
    from quizcalc.study.schedule_rebuild import rebuild_schedules

    settings = replace(service.scheduler_settings, algorithm=algorithm)
    with service.transaction(write=True) as session:
        if algorithm == "sm2":  # start from FSRS, so that every SM-2 state is rebuilt
            rebuild_schedules(session, replace(settings, algorithm="fsrs"))
        rebuild_schedules(session, settings)
    with service.transaction() as session:
        histories = card_histories(sql_runner(session))
        stored = {r.card_key: r.state for r in session.scalars(select(ScheduleRecord))}
    assert len(histories) > 20
    for key, rows in histories.items():
        assert stored[key] == replay_card(rows, settings), key
