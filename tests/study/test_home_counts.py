"""The home screen's counts at scale: the same numbers as reading every card, found through
the indexes (no statement walks the cards' status index, a row lookup per card), and the
streak counted a day at a time back from today."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW, REPO_ROOT
from tests.study.query_plans import query_plans

TODAY = date(2026, 11, 26)  # FIXED_NOW's study day


@pytest.fixture
def studied(db_url: str) -> StudyService:
    """The bundled deck synced, some cards answered today (one failed), one suspended."""
    service = StudyService.open(db_url, Config(new_per_day=6, max_reviews_per_day=20))
    service.sync(REPO_ROOT / "content", FIXED_NOW)
    for step, quality in enumerate((4, 1, 5)):
        chosen = service.next_card(FIXED_NOW)
        assert chosen is not None
        service.answer(chosen.key, quality, FIXED_NOW + timedelta(minutes=step))
    return service


@pytest.mark.parametrize("screen", ["home", "deck_list", "queue"])
def test_no_count_reads_every_card_through_the_status_index(
    studied: StudyService, db_url: str, screen: str
) -> None:
    plans = query_plans(studied, db_url, lambda: getattr(studied, screen)(FIXED_NOW))
    assert plans
    assert not [plan for plan in plans if "USING INDEX ix_cards_status_source" in plan]


def test_the_home_counts_are_those_of_every_card(studied: StudyService) -> None:
    """Per deck and section, what the queue serves and how many cards there are: as counted
    card by card (the computation before Step 9)."""
    summary = studied.home(FIXED_NOW)
    queue = studied.queue(FIXED_NOW)
    ids = {key: studied.card(key).card_id for key in queue.order}
    due = {ids[key] for key in (*queue.due, *queue.relearn_ready, *queue.relearn_waiting)}
    new = {ids[key] for key in queue.new}
    assert due and new
    expected: dict[tuple[str, str], list[int]] = {}
    for card in studied.list_cards():
        if card.status not in ("active", "suspended"):
            continue
        bucket = expected.setdefault((card.deck, card.section), [0, 0, 0])
        bucket[0] += card.id in due
        bucket[1] += card.id in new
        bucket[2] += 1
    got = {(c.deck, c.section): [c.due, c.new, c.total] for c in summary.per_section}
    assert got == expected
    assert summary.total_cards == sum(total for _, _, total in expected.values())


def _reference_streak(days: set[date], today: date) -> int:
    ordered = sorted((day for day in days if day <= today), reverse=True)
    expected = today if ordered and ordered[0] == today else today - timedelta(days=1)
    streak = 0
    for day in ordered:
        if day != expected:
            break
        streak += 1
        expected -= timedelta(days=1)
    return streak


@pytest.mark.parametrize(
    "offsets",
    [
        [],
        [0],
        [-1],
        [0, -1, -2],
        [-1, -2, -4],
        [0, -2, -3],
        [1, 0, -1],
        [2],
        list(range(-39, 1)),
        list(range(-50, -1)),
    ],
)
def test_the_streak_is_the_run_of_study_days_ending_today_or_yesterday(
    new_database: Callable[[Path], Path], tmp_path: Path, offsets: list[int]
) -> None:
    path = new_database(tmp_path / "streak.sqlite3")
    connection = sqlite3.connect(path)
    connection.execute(
        "INSERT INTO decks (id, name) VALUES (1, 'D')",
    )
    connection.execute(
        "INSERT INTO cards (id, card_id, deck_id, kind, question, answer, section, tags, source,"
        " line, position, status, created_at, updated_at) VALUES (1, 'c', 1, 'basic', 'q',"
        " 'a', '', '', 'f.md', 1, 0, 'active', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    )
    days = {TODAY + timedelta(days=offset) for offset in offsets}
    for day in days:
        for kind in ("drill", "review"):
            connection.execute(
                "INSERT INTO review_log (card_key, reviewed_at, study_day, quality, kind,"
                " before_repetitions, before_easiness, before_interval, after_repetitions,"
                " after_easiness, after_interval, before_lapses)"
                " VALUES (1, '2026-01-01 00:00:00', ?, 4, ?, 0, 2.5, 0, 1, 2.5, 1, 0)",
                (day.isoformat(), kind),
            )
    connection.commit()
    connection.close()
    service = StudyService.open(f"sqlite:///{path}", Config())
    assert service.streak(FIXED_NOW) == _reference_streak(days, TODAY)
    service.close()
