"""Implicit credits and resets are rows of the review log but never answers.

A collection with ten days of answers gets implicit-credit rows (with a weight and the review
that caused them) and reset rows written straight into its log, on purpose where a reader that
counted every row would go wrong: a failing grade on a card passed today, a passing one on a
card failed today, a due card credited today, durations and a misconception, and rows on the
two days before the first answer. Every count the learner sees must stay exactly what it was.
Then a reset through the service: its row, the queue afterwards, its undo.

Every test runs on SQLite and on PostgreSQL (the counts are plain SQL over the log's kinds;
the start-up path's stdlib ``sqlite3`` statements run through SQLAlchemy there).
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from quizcalc.config import Config
from quizcalc.exchange.apkg_export import note_guid, write_apkg
from quizcalc.exchange.model import ExportOptions
from quizcalc.store.models import ReviewLogRecord, ScheduleRecord
from quizcalc.study import StudyService
from quizcalc.study.collection_base import sql_runner
from quizcalc.study.drill_skills import recent_accuracy
from quizcalc.study.errors import InvalidRequest
from quizcalc.study.review_history import card_histories, rated_days
from quizcalc.study.scope import EVERYTHING
from quizcalc.study.snapshots import list_snapshots
from quizcalc.study.sqlite_peek import runner
from quizcalc.study.stats.compute import service_stats, stats_from
from quizcalc.study.stats.export import stats_to_json
from quizcalc.study.views import BrowseFilter
from tests.conftest import FIXED_NOW
from tests.exchange.conftest import exchange_cards
from tests.postgres import db_url_on_both_backends, more_collections

__all__ = ["db_url_on_both_backends", "more_collections"]  # each test on both backends

LAST = FIXED_NOW + timedelta(days=9)
"""The ``studied`` fixture's last day of answers."""
NOW = LAST + timedelta(hours=2)
"""When the counts are read: the same study day, after the day's answers."""


def _today(service: StudyService) -> date:
    return service.today(NOW)


def _keys(service: StudyService) -> tuple[int, int, int, int]:
    """(card passed every day, card passed today, problem card failed today, a new card)."""
    rows = service.browse(BrowseFilter(), FIXED_NOW)
    basics = [r.key for r in rows if r.kind == "basic" and r.status == "active"]
    problem = next(r.key for r in rows if r.kind == "problem")
    return basics[0], basics[1], problem, basics[-1]


def _last_answer(service: StudyService, card_key: int) -> ReviewLogRecord:
    with service.transaction() as session:
        row = session.scalars(
            select(ReviewLogRecord)
            .where(ReviewLogRecord.card_key == card_key)
            .order_by(ReviewLogRecord.id.desc())
            .limit(1)
        ).one()
        session.expunge(row)
        return row


def _not_answer(
    card_key: int,
    kind: str,
    at: datetime,
    day: date,
    *,
    quality: int,
    weight: float | None = None,
    cause_id: int | None = None,
    duration_ms: int | None = None,
    misconception: str | None = None,
    due: date | None = None,
) -> ReviewLogRecord:
    return ReviewLogRecord(
        card_key=card_key,
        reviewed_at=at,
        study_day=day,
        quality=quality,
        kind=kind,
        rating=None if kind == "reset" else 3,
        weight=weight,
        cause_id=cause_id,
        duration_ms=duration_ms,
        misconception=misconception,
        before_repetitions=1,
        before_easiness=2.5,
        before_interval=1,
        before_due=due,
        before_lapses=0,
        after_repetitions=0 if kind == "reset" else 1,
        after_easiness=2.5,
        after_interval=0 if kind == "reset" else 2,
        after_due=None if kind == "reset" else due,
    )


def _make_due(service: StudyService, card_key: int) -> None:
    """Give a never-answered card a schedule due today, as a review would have left it."""
    with service.transaction(write=True) as session:
        session.execute(
            update(ScheduleRecord)
            .where(ScheduleRecord.card_key == card_key)
            .values(repetitions=1, interval=1, due=_today(service), reviews=1)
        )


def _add_credits_and_resets(service: StudyService) -> None:
    passed, passed_today, failed_today, due_card = _keys(service)
    today = _today(service)
    cause = _last_answer(service, passed).id
    at = LAST + timedelta(minutes=30)
    rows = [
        # A failing "grade" on a card passed today: counted, it would be relearned.
        _not_answer(passed, "implicit", at, today, quality=0, weight=0.25, cause_id=cause,
                    duration_ms=5000, misconception="sign_error"),
        # A passing one on a card failed today: counted, it would leave the relearn list.
        _not_answer(failed_today, "implicit", at, today, quality=5, weight=0.5,
                    cause_id=cause, duration_ms=7000),
        # A reset, quality 0, on a card passed today: counted, it would be relearned.
        _not_answer(passed_today, "reset", at, today, quality=0, due=today),
        # A due card credited today: counted, it would not be due any more.
        _not_answer(due_card, "implicit", at, today, quality=4, weight=0.5, cause_id=cause,
                    due=today),
        # The two days before the first answer: counted, the streak would be 12 days.
        _not_answer(passed, "implicit", FIXED_NOW - timedelta(days=1),
                    service.today(FIXED_NOW - timedelta(days=1)), quality=5, weight=0.5,
                    cause_id=cause, duration_ms=3000),
        _not_answer(passed_today, "reset", FIXED_NOW - timedelta(days=2),
                    service.today(FIXED_NOW - timedelta(days=2)), quality=0),
    ]  # fmt: skip
    with service.transaction(write=True) as session:
        session.add_all(rows)


def _picture(service: StudyService) -> dict[str, Any]:
    """Every count a learner sees that the review log feeds."""
    passed, _, failed_today, _ = _keys(service)
    info = service.card_info(failed_today)
    if service.store.url.startswith("sqlite"):
        connection = sqlite3.connect(service.store.url.removeprefix("sqlite:///"))
        try:
            quick = stats_to_json(stats_from(runner(connection), NOW, service.config))
        finally:
            connection.close()
    else:  # no stdlib driver there: the same statements through SQLAlchemy
        with service.transaction() as session:
            quick = stats_to_json(stats_from(sql_runner(session), NOW, service.config))
    return {
        "stats": stats_to_json(service_stats(service, NOW)),
        "stats on the sqlite3 path": quick,
        "home": asdict(service.home(NOW)),
        "streak": service.streak(NOW),
        "decks": [repr(row) for row in service.deck_list(NOW)],
        "queue": repr(service.queue(NOW)),
        "custom study": service.custom_study_choices(EVERYTHING, NOW, 3),
        "drill accuracy": recent_accuracy(service, NOW),
        "card info": (info.first_review, info.latest_review, info.total_ms, info.average_ms),
        "answers of the card": [h for h in service.card_detail(passed).history if h.is_answer],
    }


def test_credits_and_resets_change_no_count(studied: StudyService) -> None:
    _, _, failed_today, due_card = _keys(studied)
    _make_due(studied, due_card)
    before = _picture(studied)
    assert before["streak"] == 10 and before["home"]["reviews_today"] == 3
    queue = studied.queue(NOW)
    assert failed_today in queue.relearn_ready + queue.relearn_waiting and due_card in queue.due
    _add_credits_and_resets(studied)
    after = _picture(studied)
    for name, value in before.items():
        assert after[name] == value, name


def test_history_names_credits_and_resets(studied: StudyService) -> None:
    passed, passed_today, failed_today, _ = _keys(studied)
    _add_credits_and_resets(studied)
    credit = studied.card_detail(failed_today).history[0]
    assert (credit.label, credit.is_answer) == (f"Credit ×0.5 from {_card_id(studied, passed)}",
                                                False)  # fmt: skip
    assert studied.card_detail(passed_today).history[0].label == "Reset"
    info = studied.card_info(passed)
    # The newest row is a credit at 09:30; the latest answer is still the day's own.
    assert info.detail.history[0].kind == "implicit"
    assert info.latest_review == LAST
    assert info.total_ms == 10 * 4000  # the credits' 5 s and 3 s are no time spent


def _card_id(service: StudyService, key: int) -> str:
    return service.card_detail(key).card_id


def test_a_reset_is_logged_with_the_state_it_replaced(studied: StudyService) -> None:
    passed, *_ = _keys(studied)
    old = studied.card_detail(passed).schedule
    at = NOW + timedelta(minutes=5)
    snapshot = studied.reset_card(passed, at)
    with studied.transaction() as session:
        row = session.get(ReviewLogRecord, snapshot.reset_log_id)
        assert row is not None
        assert (row.kind, row.quality, row.rating, row.weight, row.cause_id) == (
            "reset", 0, None, None, None,
        )  # fmt: skip
        assert (row.reviewed_at, row.study_day) == (at, _today(studied))
        assert (row.before_repetitions, row.before_easiness, row.before_interval) == (
            old.repetitions, old.easiness, old.interval,
        )  # fmt: skip
        assert (row.before_due, row.before_lapses) == (old.due, old.lapses)
        assert (row.after_repetitions, row.after_easiness, row.after_interval) == (0, 2.5, 0)
        assert row.after_due is None and row.answer_text is None and row.duration_ms is None
        # What FSRS fits and replays starts after the reset: nothing, for now.
        history = card_histories(sql_runner(session), [passed])[passed]
    assert history[-1].kind == "reset" and rated_days(history) == []


def test_a_card_reset_today_is_new_and_its_next_answer_moves_it(studied: StudyService) -> None:
    _, _, failed_today, _ = _keys(studied)
    assert failed_today in studied.queue(NOW).relearn_ready + studied.queue(NOW).relearn_waiting
    reviews_today = studied.home(NOW).reviews_today
    studied.reset_card(failed_today, NOW)
    queue = studied.queue(NOW)
    # New again: not relearned for an answer given before the reset, nor "forgotten today".
    assert failed_today not in queue.relearn_ready + queue.relearn_waiting
    assert studied.custom_study_choices(EVERYTHING, NOW, 1).forgotten == 0
    assert studied.home(NOW).reviews_today == reviews_today  # a reset is no review
    outcome = studied.answer(failed_today, 4, NOW + timedelta(minutes=1))
    assert outcome.kind == "review" and outcome.due == _today(studied) + timedelta(days=1)


def test_undoing_a_reset_removes_its_row_unless_studied_since(studied: StudyService) -> None:
    passed, passed_today, _, new_card = _keys(studied)
    kinds_before = [h.kind for h in studied.card_detail(passed).history]
    snapshots = studied.reset_cards([passed, passed_today, new_card], NOW)
    # A card new already is not changed by a reset: nothing is logged for it.
    assert snapshots[new_card].reset_log_id is None
    assert studied.card_detail(new_card).history == ()
    studied.restore_schedules({passed: snapshots[passed], new_card: snapshots[new_card]})
    assert [h.kind for h in studied.card_detail(passed).history] == kinds_before
    studied.answer(passed_today, 5, NOW + timedelta(minutes=1))
    with pytest.raises(InvalidRequest, match="studied after the reset"):
        studied.restore_schedules({passed_today: snapshots[passed_today]})
    kinds = [h.kind for h in studied.card_detail(passed_today).history]
    assert kinds[:2] == ["review", "reset"]  # nothing was removed


def test_backup_snapshot_and_restore_carry_credits_and_resets(
    studied: StudyService, tmp_path: Path, more_collections: Callable[[str], str]
) -> None:
    _add_credits_and_resets(studied)
    passed, *_ = _keys(studied)
    studied.reset_card(passed, NOW)
    studied.snapshot("manual", NOW)
    [snapshot] = list_snapshots(studied.store.url)
    assert snapshot.reviews == 30  # answers only, as the backup's summary below
    first = tmp_path / "first.json"
    report = studied.export_backup(first)
    assert "30 reviews (+ 7 credits and resets)" in report.summary()
    data = json.loads(first.read_text(encoding="utf-8"))
    log = data["review_log"]
    column = {name: log["columns"].index(name) for name in ("kind", "weight", "cause_id")}
    credits = [row for row in log["rows"] if row[column["kind"]] == "implicit"]
    assert {(row[column["weight"]], row[column["cause_id"]] is not None) for row in credits} == {
        (0.25, True),
        (0.5, True),
    }
    fresh = StudyService.open(more_collections("fresh.sqlite3"), Config())
    try:
        restored = fresh.restore_backup(first, now=FIXED_NOW)
        assert "30 reviews (+ 7 credits and resets)" in restored.summary()
        second = tmp_path / "second.json"
        fresh.export_backup(second)
        assert second.read_bytes() == first.read_bytes()
        assert _picture(fresh) == _picture(studied)
    finally:
        fresh.close()


def test_apkg_writes_a_reset_as_anki_logs_a_forget_and_no_credit(
    studied: StudyService, tmp_path: Path
) -> None:
    passed, _, failed_today, _ = _keys(studied)
    interval = studied.card_detail(passed).schedule.interval
    answers = {key: len(studied.card_detail(key).history) for key in (passed, failed_today)}
    _add_credits_and_resets(studied)  # a credit on each card
    reset_at = NOW + timedelta(minutes=5)
    studied.reset_card(passed, reset_at)
    options = ExportOptions(with_progress=True)
    cards = {card.card_id: card for card in exchange_cards(studied, options)}
    out = tmp_path / "deck.apkg"
    write_apkg(list(cards.values()), out, options)
    guid = {  # a problem card's progress goes with its first instance
        card_id: note_guid(card, 0) if card.kind == "problem" else note_guid(card)
        for card_id, card in cards.items()
    }
    with zipfile.ZipFile(out) as archive:
        (tmp_path / "collection.anki2").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:

        def revlog(key: int) -> list[tuple[int, ...]]:
            return db.execute(
                "SELECT revlog.id, ease, revlog.ivl, lastIvl, revlog.factor, time, revlog.type"
                " FROM revlog"
                " JOIN cards ON cards.id = revlog.cid JOIN notes ON notes.id = cards.nid"
                " WHERE notes.guid = ? AND cards.ord = 0 ORDER BY revlog.id",
                (guid[_card_id(studied, key)],),
            ).fetchall()

        reset_card_rows = revlog(passed)
        card_type, queue = db.execute(
            "SELECT cards.type, queue FROM cards JOIN notes ON notes.id = cards.nid"
            " WHERE notes.guid = ?",
            (guid[_card_id(studied, passed)],),
        ).fetchone()
        credited_rows = revlog(failed_today)
    finally:
        db.close()
    # The answers, then the Forget: manual, no button, interval 0 after the old one, no ease.
    assert len(reset_card_rows) == answers[passed] + 1
    stamp = int(reset_at.timestamp() * 1000)
    assert reset_card_rows[-1] == (stamp, 0, 0, interval, 0, 0, 4)
    assert all(row[-1] != 4 for row in reset_card_rows[:-1])
    assert (card_type, queue) == (0, 0)  # new in Anki too
    assert len(credited_rows) == answers[failed_today]  # the credit is no Anki row
