"""The demo history: realistic, reproducible, and exactly what the real answer path would store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import case, func, select

from quizcalc.config import Config
from quizcalc.scheduling.sm2 import PASSING_QUALITY, SM2State, review
from quizcalc.scheduling.study_day import study_day
from quizcalc.store import Store, open_store
from quizcalc.store.models import CardRecord, ReviewLogRecord, ScheduleRecord
from quizcalc.study.demo import DemoSummary, build_demo
from quizcalc.study.stats import Stats, compute_stats

NOW = datetime(2026, 11, 26, 21, 30, tzinfo=timezone(timedelta(hours=1)))
"""An evening in UTC+1, so local study days and UTC timestamps differ."""


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, new_database: Callable[[Path], Path]
) -> Iterator[tuple[Store, DemoSummary, Stats]]:
    store = open_store(new_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3"))
    summary = build_demo(store, NOW)
    with store.transaction() as session:
        stats = compute_stats(session, NOW, Config())
    yield store, summary, stats
    store.close()


def _rows(store: Store) -> list[ReviewLogRecord]:
    with store.transaction() as session:
        return list(session.scalars(select(ReviewLogRecord).order_by(ReviewLogRecord.id)))


def test_a_year_of_history_with_every_statistic_filled(demo) -> None:
    _store, summary, stats = demo
    assert (
        summary.first_day == stats.today - timedelta(days=364) and summary.last_day == stats.today
    )
    assert summary.answers == stats.total_reviews > 2000
    assert 200 < summary.study_days < 365  # streaks with gaps
    assert stats.streaks.current >= 10 and stats.streaks.longest >= stats.streaks.current
    assert stats.reviews_today > 0
    assert 0.8 <= (stats.retention.overall.rate or 0) <= 1.0
    assert len(stats.per_family) >= 10 and len(stats.per_section) >= 10
    assert any(group.misconceptions for group in stats.per_family)
    assert len(stats.weakest) == 5
    assert stats.cards.suspended == stats.cards.leech >= 1  # the card it never keeps, at least
    assert stats.cards.mature > stats.cards.young


def test_true_retention_over_the_year_is_between_85_and_90_percent(demo) -> None:
    store, _summary, _stats = demo
    with store.transaction() as session:
        passed, total = session.execute(
            select(
                func.sum(case((ReviewLogRecord.quality >= PASSING_QUALITY, 1), else_=0)),
                func.count(),
            ).where(ReviewLogRecord.kind == "review", ReviewLogRecord.before_interval >= 1)
        ).one()
    assert 0.85 <= passed / total <= 0.90


def test_schedules_are_what_replaying_the_log_gives(demo) -> None:
    store, _summary, _stats = demo
    rows = _rows(store)
    state: dict[int, tuple[SM2State, object, int, int]] = {}
    for row in rows:
        current, due, lapses, reviews = state.get(row.card_key, (SM2State(), None, 0, 0))
        before = SM2State(row.before_repetitions, row.before_easiness, row.before_interval)
        assert (before, row.before_due, row.before_lapses) == (current, due, lapses)
        after = SM2State(row.after_repetitions, row.after_easiness, row.after_interval)
        if row.kind == "review":
            assert after == review(before, row.quality)
            assert row.after_due == row.study_day + timedelta(days=after.interval)
            lost = row.quality < PASSING_QUALITY and before.repetitions > 0
            state[row.card_key] = (after, row.after_due, lapses + lost, reviews + 1)
        else:  # relearn re-asks and drills leave the schedule alone
            assert (after, row.after_due) == (before, row.before_due)
    with store.transaction() as session:
        schedules = {s.card_key: s for s in session.scalars(select(ScheduleRecord))}
    for key, (current, due, lapses, reviews) in state.items():
        s = schedules[key]
        assert (SM2State(s.repetitions, s.easiness, s.interval), s.due) == (current, due)
        assert (s.lapses, s.reviews) == (lapses, reviews)


def test_rows_belong_to_their_study_day_and_the_past(demo) -> None:
    store, _summary, _stats = demo
    first_per_day: set[tuple[int, object]] = set()
    for row in _rows(store):
        local = row.reviewed_at.astimezone(NOW.tzinfo)
        assert study_day(local, 4) == row.study_day
        assert row.reviewed_at <= NOW
        if row.kind == "review":  # one schedule-moving answer per card and day
            assert (row.card_key, row.study_day) not in first_per_day
            first_per_day.add((row.card_key, row.study_day))


def test_misconceptions_are_those_of_the_instance_shown(demo) -> None:
    from quizcalc.problems import generate

    store, _summary, _stats = demo
    with store.transaction() as session:
        rows = session.execute(
            select(ReviewLogRecord, CardRecord.family, CardRecord.difficulty)
            .join(CardRecord, CardRecord.id == ReviewLogRecord.card_key)
            .where(ReviewLogRecord.misconception.is_not(None))
            .order_by(ReviewLogRecord.id)
        ).all()
    assert len(rows) > 50
    for row, family, difficulty in rows[:: max(1, len(rows) // 8)]:
        listed = {(m.tag, m.answer) for m in generate(family, row.seed, difficulty).misconceptions}
        assert (row.misconception, row.answer_text) in listed
        assert row.quality < PASSING_QUALITY


def test_the_leech_is_tagged_and_suspended(demo) -> None:
    store, _summary, _stats = demo
    with store.transaction() as session:
        leeches = session.execute(
            select(CardRecord.tags, CardRecord.status, ScheduleRecord.lapses)
            .join(ScheduleRecord)
            .where(CardRecord.tags.like("%leech%"))
        ).all()
    # The card the learner never keeps, and any weak card whose lapses got there too.
    assert leeches
    assert all(
        status == "suspended" and lapses >= Config().leech_threshold
        for _, status, lapses in leeches
    )


def test_same_seed_same_history(tmp_path: Path, new_database: Callable[[Path], Path]) -> None:
    now = datetime(2026, 3, 1, 20, tzinfo=UTC)
    histories = []
    for name in ("a", "b"):
        store = open_store(new_database(tmp_path / f"{name}.sqlite3"))
        build_demo(store, now, days=25, seed=7)
        histories.append(
            [(r.card_key, r.reviewed_at, r.quality, r.kind, r.seed) for r in _rows(store)]
        )
        store.close()
    assert histories[0] == histories[1] and len(histories[0]) > 30
