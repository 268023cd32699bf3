"""Statistics against small synthetic histories whose figures are checked by hand.

Rows go straight into a temp database through the models (:class:`History`), so every test
states exactly which answers exist. Every test on a database runs on SQLite and on PostgreSQL
(the statistics are plain SQL: day arithmetic, aggregates, medians, grouping).
``FIXED_NOW`` is Thursday 2026-11-26 09:00 UTC: study day 2026-11-26 (rollover 04:00), week
of Monday 2026-11-23.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.scheduling.study_day import study_day
from quizcalc.store import open_store
from quizcalc.store.models import CardRecord, DeckRecord, ReviewLogRecord, ScheduleRecord
from quizcalc.study import StudyService
from quizcalc.study.stats import (
    EasinessBucket,
    MisconceptionCount,
    Stats,
    Tally,
    compute_stats,
    service_stats,
    stats_to_json,
    weakest_skills,
)
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # every test here taking db_url runs on both backends

TODAY = date(2026, 11, 26)


class History:
    """A throwaway database and helpers to add cards and answers row by row."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self.store = open_store(path)
        self._cards = 0
        with self.store.transaction(write=True) as session:
            deck = DeckRecord(name="Test")
            session.add(deck)
            session.flush()
            self.deck_id = deck.id

    def add_deck(self, name: str) -> int:
        """Add another deck; pass its id as ``deck_id`` to :meth:`card`."""
        with self.store.transaction(write=True) as session:
            deck = DeckRecord(name=name)
            session.add(deck)
            session.flush()
            return deck.id

    def card(
        self,
        *,
        section: str = "Basics",
        family: str | None = None,
        difficulty: int | None = None,
        status: str = "active",
        tags: str = "",
        repetitions: int = 0,
        easiness: float = 2.5,
        interval: int = 0,
        due: date | None = None,
        lapses: int = 0,
        deck_id: int | None = None,
    ) -> int:
        """Add one card with its schedule (in the first deck by default); returns its key."""
        self._cards += 1
        with self.store.transaction(write=True) as session:
            record = CardRecord(
                card_id=f"card-{self._cards}",
                deck_id=self.deck_id if deck_id is None else deck_id,
                kind="basic" if family is None else "problem",
                question=f"Question {self._cards}?",
                answer="Answer.",
                section=section,
                tags=tags,
                source="deck.md",
                line=self._cards,
                position=self._cards,
                status=status,
                family=family,
                difficulty=difficulty if family is None else (difficulty or 1),
                created_at=FIXED_NOW,
                updated_at=FIXED_NOW,
            )
            record.schedule = ScheduleRecord(
                repetitions=repetitions,
                easiness=easiness,
                interval=interval,
                due=due,
                lapses=lapses,
                reviews=0,
            )
            session.add(record)
            session.flush()
            return record.id

    def answer(
        self,
        card: int,
        when: datetime | date,
        quality: int = 4,
        *,
        kind: str = "review",
        before_interval: int = 1,
        seconds: float | None = 5.0,
        misconception: str | None = None,
    ) -> None:
        """Log one answer; a ``date`` means noon UTC that day, a datetime its own study day."""
        at = when if isinstance(when, datetime) else datetime.combine(when, time(12), UTC)
        with self.store.transaction(write=True) as session:
            session.add(
                ReviewLogRecord(
                    card_key=card,
                    reviewed_at=at,
                    study_day=study_day(at, 4),
                    quality=quality,
                    duration_ms=None if seconds is None else int(seconds * 1000),
                    kind=kind,
                    misconception=misconception,
                    before_repetitions=1,
                    before_easiness=2.5,
                    before_interval=before_interval,
                    before_due=None if before_interval == 0 else TODAY,
                    after_repetitions=2,
                    after_easiness=2.5,
                    after_interval=6,
                    after_due=TODAY,
                )
            )

    def stats(self, now: datetime = FIXED_NOW, config: Config | None = None) -> Stats:
        """Every statistic as of ``now``."""
        with self.store.transaction() as session:
            return compute_stats(session, now, config or Config())


@pytest.fixture
def history(db_url: str) -> Iterator[History]:
    h = History(db_url)
    yield h
    h.store.close()


def _utc(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


# --- activity and streaks -------------------------------------------------------------------


def test_a_review_at_two_in_the_morning_keeps_the_streak_of_the_day_before(
    history: History,
) -> None:
    card = history.card()
    history.answer(card, _utc(23, 20))  # study day 23
    history.answer(card, _utc(25, 2))  # 02:00 on the 25th: still study day 24
    history.answer(card, _utc(25, 21))  # study day 25
    for day in range(1, 6):  # an older, longer run: Oct 1–5
        history.answer(card, date(2026, 10, day))
    stats = history.stats()
    # Midnight days would leave the 24th empty and give 2; the rollover bridges it.
    assert stats.streaks.current == 3
    assert stats.streaks.longest == 5
    assert stats.streaks.longest_end == date(2026, 10, 5)
    assert stats.reviews_today == 0
    by_day = {d.day: d.reviews for d in stats.per_day}
    assert by_day[date(2026, 11, 24)] == 1 and by_day[date(2026, 11, 25)] == 1


def test_streak_lives_until_the_day_is_over_and_a_late_answer_extends_it(
    history: History,
) -> None:
    card = history.card()
    for day in (23, 24, 25):
        history.answer(card, _utc(day, 19))
    before_rollover = _utc(27, 3)  # 03:00 on the 27th is still study day 26
    assert history.stats(before_rollover).streaks.current == 3
    assert history.stats(_utc(27, 5)).streaks.current == 0  # day 26 passed with no answer
    history.answer(card, _utc(27, 1))  # 01:00 on the 27th: study day 26
    late = history.stats(before_rollover)
    assert late.today == TODAY
    assert (late.streaks.current, late.reviews_today) == (4, 1)
    # With the rollover at midnight the same moment is already the 27th, with no answer.
    midnight = history.stats(before_rollover, Config(rollover_hour=0))
    assert midnight.today == date(2026, 11, 27) and midnight.reviews_today == 0


def test_per_day_counts_every_kind_over_a_dense_year(history: History) -> None:
    card = history.card()
    history.answer(card, _utc(26, 8), kind="review", seconds=10)
    history.answer(card, _utc(26, 8, 1), kind="relearn", seconds=4)
    history.answer(card, _utc(26, 8, 2), kind="drill", seconds=None)
    history.answer(card, TODAY - timedelta(days=400))  # outside the year, still in the total
    history.answer(card, TODAY + timedelta(days=3))  # a clock set back: ignored by streaks
    stats = history.stats()
    assert stats.total_reviews == 5
    assert len(stats.per_day) == 365
    assert stats.per_day[0].day == TODAY - timedelta(days=364)
    assert stats.per_day[-1].day == TODAY
    assert (stats.reviews_today, stats.seconds_today) == (3, 14.0)
    assert sum(d.reviews for d in stats.per_day) == 3
    assert [d.day for d in stats.last_30_days] == [
        TODAY - timedelta(days=29 - i) for i in range(30)
    ]
    assert stats.streaks.current == 1 and stats.streaks.longest == 1


# --- true retention ----------------------------------------------------------------------------


def test_true_retention_splits_young_and_mature_per_week(history: History) -> None:
    card = history.card()
    d = date
    for day, quality, interval, kind in [
        (d(2026, 11, 25), 5, 0, "review"),  # a new card's first answer: not retention
        (d(2026, 11, 25), 4, 1, "review"),  # young pass
        (d(2026, 11, 25), 2, 20, "review"),  # young fail (20 < 21)
        (d(2026, 11, 24), 3, 21, "review"),  # mature pass (21 is mature)
        (d(2026, 11, 23), 1, 60, "review"),  # mature fail
        (d(2026, 11, 23), 5, 30, "review"),  # mature pass
        (d(2026, 11, 25), 5, 1, "relearn"),  # a re-ask: not a first answer of the day
        (d(2026, 11, 25), 0, 30, "drill"),  # practice: not a memory test
        (d(2026, 11, 18), 5, 6, "review"),  # previous week: young pass
        (d(2026, 11, 18), 0, 6, "review"),  # previous week: young fail
        (d(2026, 10, 20), 5, 25, "review"),  # 37 days ago: in the weeks, not in the 30 days
        (d(2026, 9, 1), 0, 25, "review"),  # before the twelve weeks: nowhere
    ]:
        history.answer(card, day, quality, kind=kind, before_interval=interval)
    retention = history.stats().retention
    assert retention.young == Tally(passed=2, total=4)
    assert retention.mature == Tally(passed=2, total=3)
    assert retention.overall.rate == pytest.approx(4 / 7)
    weeks = {w.week_start: w for w in retention.weeks}
    assert len(retention.weeks) == 12
    assert retention.weeks[0].week_start == d(2026, 9, 7)
    assert retention.weeks[-1].week_start == d(2026, 11, 23)
    assert (weeks[d(2026, 11, 23)].young, weeks[d(2026, 11, 23)].mature) == (
        Tally(1, 2),
        Tally(2, 3),
    )
    assert (weeks[d(2026, 11, 16)].young, weeks[d(2026, 11, 16)].mature) == (Tally(1, 2), Tally())
    assert weeks[d(2026, 10, 19)].mature == Tally(1, 1)
    assert sum(w.overall.total for w in retention.weeks) == 8


# --- forecast ----------------------------------------------------------------------------------


def test_forecast_counts_active_servable_cards_and_folds_overdue_into_today(
    history: History,
) -> None:
    day = TODAY
    for due in (day - timedelta(days=3), day, day + timedelta(days=1), day + timedelta(days=29)):
        history.card(interval=3, due=due)
    history.card(interval=3, due=day + timedelta(days=30))  # beyond the 30 days
    history.card(interval=3, due=day, status="suspended")
    history.card(interval=3, due=day, status="retired")
    history.card()  # new: no due day
    history.card(family="no_such_family", interval=3, due=day)  # never served
    history.card(family="chain_rule", interval=3, due=day)
    stats = history.stats()
    assert stats.due_today == 3
    assert len(stats.forecast) == 30
    assert stats.forecast[0].day == day and stats.forecast[-1].day == day + timedelta(days=29)
    counts = [f.due for f in stats.forecast]
    assert (counts[0], counts[1], counts[29], sum(counts)) == (3, 1, 1, 5)


# --- families, sections, skills -------------------------------------------------------------


def test_per_family_and_section_accuracy_trend_median_and_misconceptions(
    history: History,
) -> None:
    chain = "2.3 Chain rule::Practice"
    p1 = history.card(section=chain, family="chain_rule", difficulty=1)
    p2 = history.card(section=chain, family="chain_rule", difficulty=2)
    p3 = history.card(section="2.9 Momentum::Practice", family="momentum")
    f1 = history.card(section="2.3 Chain rule")
    d = date
    history.answer(p1, d(2026, 11, 25), 5, seconds=10)
    history.answer(p1, d(2026, 11, 20), 2, seconds=20, misconception="dropped-link")
    history.answer(p1, d(2026, 11, 5), 4, seconds=30, kind="drill")
    history.answer(p1, d(2026, 11, 1), 1, seconds=40, kind="drill", misconception="sign-error")
    history.answer(p1, d(2026, 11, 1), 5, seconds=1, kind="relearn")  # left out everywhere
    history.answer(p1, d(2026, 6, 1), 0, seconds=100, misconception="dropped-link")  # old
    history.answer(p2, d(2026, 11, 24), 3, seconds=50, kind="drill")
    history.answer(p2, d(2026, 11, 10), 0, seconds=60, misconception="dropped-link")
    history.answer(p3, d(2026, 11, 26), 4, seconds=8)
    history.answer(p3, d(2026, 11, 26), 2, seconds=12, kind="drill", misconception="ignored")
    history.answer(f1, d(2026, 11, 25), 5, seconds=3)
    history.answer(f1, d(2026, 11, 25), 2, seconds=9, kind="relearn")
    stats = history.stats()

    families = {g.name: g for g in stats.per_family}
    assert list(families) == ["chain_rule", "momentum"]
    chain_rule = families["chain_rule"]
    assert chain_rule.answers == Tally(passed=3, total=7)
    assert chain_rule.last_14 == Tally(2, 3)  # Nov 13–26
    assert chain_rule.previous_14 == Tally(1, 3)  # Oct 30 – Nov 12
    assert chain_rule.trend == pytest.approx(1 / 3)
    assert chain_rule.median_seconds == 35.0  # 10 20 30 40 50 60: the June answer is too old
    assert chain_rule.misconceptions == (
        MisconceptionCount("dropped-link", 3),
        MisconceptionCount("sign-error", 1),
    )
    momentum = families["momentum"]
    assert (momentum.accuracy, momentum.median_seconds, momentum.trend) == (0.5, 10.0, None)

    sections = {g.name: g for g in stats.per_section}
    assert list(sections) == ["2.3 Chain rule", chain, "2.9 Momentum::Practice"]
    assert sections[chain].answers == chain_rule.answers
    assert sections[chain].median_seconds == 35.0
    assert sections["2.3 Chain rule"].answers == Tally(1, 1)
    assert sections["2.3 Chain rule"].median_seconds == 3.0
    assert sections["2.3 Chain rule"].misconceptions == ()

    # Skills need three answers in 30 days: only chain_rule d1 (2 of 4) qualifies.
    assert [(s.name, s.recent) for s in stats.weakest] == [("chain_rule · d1", Tally(2, 4))]


def test_weakest_skills_rank_lowest_recent_accuracy_then_more_answers(history: History) -> None:
    results = {  # family: answers in the last 30 days, as qualities
        "gradient": [5, 1, 0],  # 1/3
        "gd_steps": [5, 4, 0, 0, 1, 2],  # 2/6: ties with gradient, more answers first
        "hessian_classify": [5, 5, 4, 3],  # perfect: not weak
        "jacobian": [0, 0],  # two answers: too few to judge
        "newton_step": [5, 4, 1],  # 2/3
        "derivative": [5] * 9 + [0],  # 9/10: sixth, left out
        "partial": [5, 5, 5, 5, 0],  # 4/5
        "convexity": [5, 5, 5, 0],  # 3/4
    }
    for family, qualities in results.items():
        card = history.card(section="Practice", family=family)
        for offset, quality in enumerate(qualities):
            history.answer(card, TODAY - timedelta(days=offset), quality, kind="drill")
    old = history.card(section="Practice", family="momentum")
    for quality in (0, 0, 0):
        history.answer(old, TODAY - timedelta(days=30), quality)  # one day too old
    stats = history.stats()
    assert [s.family for s in stats.weakest] == [
        "gd_steps",
        "gradient",
        "newton_step",
        "convexity",
        "partial",
    ]
    with history.store.transaction() as session:
        assert weakest_skills(session, TODAY) == stats.weakest
        assert [s.family for s in weakest_skills(session, TODAY, limit=2)] == [
            "gd_steps",
            "gradient",
        ]


# --- cards -------------------------------------------------------------------------------------


def test_cards_by_state_leeches_and_easiness(history: History) -> None:
    due = TODAY + timedelta(days=1)
    history.card()  # new
    history.card(tags="hard leech")  # new, tagged leech
    history.card(repetitions=0, interval=1, due=due, easiness=1.3)  # learning: failed
    history.card(repetitions=1, interval=1, due=due, easiness=1.5)  # learning: first pass
    history.card(repetitions=2, interval=6, due=due, easiness=2.5)  # young
    history.card(repetitions=3, interval=20, due=due, easiness=2.36)  # young (20 < 21)
    history.card(repetitions=3, interval=3, due=due, easiness=1.3, lapses=8)  # young, leech
    history.card(repetitions=4, interval=21, due=due, easiness=2.8)  # mature
    history.card(repetitions=5, interval=100, due=due, easiness=2.7, lapses=7)  # mature
    history.card(repetitions=4, interval=30, due=due, easiness=1.96, status="suspended")
    history.card(status="suspended")
    history.card(interval=9, due=due, easiness=2.0, lapses=9, status="retired")  # left out
    cards = history.stats().cards
    assert cards.as_dict() == {
        "new": 2,
        "learning": 2,
        "young": 3,
        "mature": 2,
        "suspended": 2,
        "leech": 2,
    }
    assert cards.total == 11
    easiness = history.stats().easiness
    assert easiness.buckets == (
        EasinessBucket(1.3, 1.5, 2),
        EasinessBucket(1.5, 1.7, 1),
        EasinessBucket(1.7, 1.9, 0),
        EasinessBucket(1.9, 2.1, 1),
        EasinessBucket(2.1, 2.3, 0),
        EasinessBucket(2.3, 2.5, 1),
        EasinessBucket(2.5, 2.7, 1),
        EasinessBucket(2.7, None, 2),
    )
    assert easiness.cards == 8
    assert easiness.mean == pytest.approx(16.42 / 8)
    stricter = history.stats(config=Config(leech_threshold=7)).cards
    assert stricter.leech == 3


# --- empty database, JSON, service -------------------------------------------------------------

JSON_KEYS = {
    "schema",
    "generated_at",
    "today",
    "total_reviews",
    "relearn_answers",
    "reviews_today",
    "study_seconds_today",
    "streak_days",
    "longest_streak_days",
    "due_today",
    "true_retention",
    "cards_by_state",
    "easiness",
    "per_family",
    "per_deck",
    "per_section",
    "weakest_skills",
    "per_day",
    "last_30_days",
    "forecast",
    "calibration",
}


def test_empty_database_gives_zeros_and_empties(history: History) -> None:
    stats = history.stats()
    assert stats.is_empty
    assert (stats.total_reviews, stats.reviews_today, stats.due_today) == (0, 0, 0)
    assert (stats.streaks.current, stats.streaks.longest, stats.streaks.longest_end) == (
        0,
        0,
        None,
    )
    assert stats.per_family == stats.per_section == stats.weakest == ()
    assert stats.retention.overall.rate is None
    assert stats.easiness.mean is None and stats.easiness.cards == 0
    payload = stats_to_json(stats)
    assert set(payload) == JSON_KEYS
    assert payload["per_day"] == {} and payload["per_family"] == {}
    assert payload["calibration"] == {"scheduler": "sm2", "bins": []}
    assert payload["true_retention"]["young"] is None
    assert set(payload["forecast"].values()) == {0} and len(payload["forecast"]) == 30
    assert payload["cards_by_state"] == dict.fromkeys(
        ("new", "learning", "young", "mature", "suspended", "leech"), 0
    )
    json.dumps(payload)  # plain JSON types only


def test_json_has_the_documented_keys_and_values(history: History) -> None:
    card = history.card(section="S::Practice", family="chain_rule", interval=6, due=TODAY)
    history.answer(card, _utc(26, 8), 5, seconds=12.34, before_interval=25)
    history.answer(card, _utc(25, 20), 1, misconception="sign-error", before_interval=6)
    payload = stats_to_json(history.stats())
    assert set(payload) == JSON_KEYS
    assert payload["schema"] == 1 and payload["today"] == "2026-11-26"
    assert (payload["total_reviews"], payload["reviews_today"], payload["streak_days"]) == (2, 1, 2)
    assert payload["study_seconds_today"] == 12.3
    assert payload["due_today"] == 1
    assert payload["per_day"] == {"2026-11-25": 1, "2026-11-26": 1}
    assert payload["per_family"] == {
        "chain_rule": {
            "count": 2,
            "accuracy": 0.5,
            "median_seconds": 8.7,
            "trend": None,
            "misconceptions": {"sign-error": 1},
        }
    }
    assert set(payload["per_section"]) == {"S::Practice"}
    retention = payload["true_retention"]
    assert (retention["young"], retention["young_reviews"]) == (0.0, 1)
    assert (retention["mature"], retention["mature_reviews"], retention["overall"]) == (1.0, 1, 0.5)
    assert retention["weeks"][-1] == {
        "week_start": "2026-11-23",
        "young": 0.0,
        "young_reviews": 1,
        "mature": 1.0,
        "mature_reviews": 1,
    }
    assert payload["last_30_days"][-1] == {"date": "2026-11-26", "reviews": 1, "seconds": 12.3}
    assert payload["easiness"]["buckets"][-1] == {"from": 2.7, "to": None, "cards": 0}
    assert payload["weakest_skills"] == []
    json.dumps(payload)


def test_service_stats_uses_the_services_settings(db_url: str) -> None:
    service = StudyService.open(db_url, Config(rollover_hour=0))
    try:
        stats = service_stats(service, _utc(27, 3))
    finally:
        service.close()
    assert stats.today == date(2026, 11, 27) and stats.is_empty


# --- charts ------------------------------------------------------------------------------------


def test_heatmap_lays_days_out_by_week_with_quartile_levels() -> None:
    from quizcalc.study.stats import DayCount, heatmap

    start = date(2026, 11, 18)  # a Wednesday
    counts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 0]
    days = [DayCount(start + timedelta(days=i), n, 0.0) for i, n in enumerate(counts)]
    grid = heatmap(days)
    assert grid.thresholds == (3, 5, 7) and grid.busiest == 8
    assert len(grid.columns) == 2
    first, second = grid.columns
    assert first[0] is None and first[1] is None  # Mon 16, Tue 17: before the range
    assert first[2] is not None and first[2].day.day == start
    assert second[5] is None and second[6] is None  # Sat 28, Sun 29: after the range
    levels = [cell.level for column in grid.columns for cell in column if cell is not None]
    assert levels == [0, 1, 1, 1, 2, 2, 3, 3, 4, 0]
    narrow = heatmap(days, max_weeks=1)
    assert len(narrow.columns) == 1 and narrow.columns[0][0] is not None
    assert narrow.thresholds == grid.thresholds


def test_column_chart_scales_to_the_tallest_value() -> None:
    from quizcalc.study.stats import column_chart

    assert column_chart([0, 4, 8], height=2) == ["  █", " ██"]
    assert column_chart([1, 100], height=1) == ["▁█"]  # a non-zero day always shows
    assert column_chart([0, 0], height=2) == ["  ", "  "]
