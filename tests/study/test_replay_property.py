"""Property: the review log rebuilds every schedule, whatever was done to the cards.

Random sequences of answers (any quality; minutes to weeks apart, so same-day re-asks, early
reviews and overdue ones), resets to new and drill answers (moving the schedule or not) are
written on two cards through the real study functions, under SM-2 (and again under FSRS).
Then the scheduler replayed from each card's log (:func:`~quizcalc.scheduling.replay.
replay_card`) is the stored schedule, and switching the collection to the other scheduler
and back (``save_collection_settings({"algorithm": ...})``) returns every schedule exactly as
it was.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from quizcalc.config import Config
from quizcalc.scheduling.replay import replay_card
from quizcalc.store.models import CardRecord, ScheduleRecord
from quizcalc.study import StudyService
from quizcalc.study.review import record_drill_answer
from quizcalc.study.review_history import card_histories
from tests.conftest import FIXED_NOW

DECK = """# Replay

Q: What is d/dx x^2?
A: 2x

Q: What is the integral of 2x dx?
A: x^2 + C
"""

SCHEDULE = (
    "SELECT card_key, repetitions, easiness, interval, due, lapses, reviews, last_reviewed_at,"
    " stability, difficulty FROM schedule ORDER BY card_key"
)

GAPS_MINUTES = (1, 30, 6 * 60, 20 * 60, 24 * 60, 2 * 24 * 60, 4 * 24 * 60, 10 * 24 * 60)
"""Time before an action: the same study day, across a rollover, or days to weeks later (a
review before its due day is an early one, after it an overdue one)."""

Action = tuple[str, int, int, int, bool]
"""(``answer``, ``drill`` or ``reset``; card 0 or 1; quality; minutes since the last action;
whether a drill moves the schedule)."""

actions = st.tuples(
    st.sampled_from(["answer", "answer", "answer", "drill", "reset"]),
    st.integers(0, 1),
    st.integers(0, 5),
    st.sampled_from(GAPS_MINUTES),
    st.booleans(),
)


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory, new_database: Callable[[Path], Path]) -> Path:
    """A database holding the two-card deck, synced once (each example gets a copy)."""
    folder = tmp_path_factory.mktemp("replay")
    (folder / "content").mkdir()
    (folder / "content" / "deck.md").write_text(DECK, encoding="utf-8")
    path = new_database(folder / "synced.sqlite3")
    service = StudyService.open(f"sqlite:///{path}", Config())
    try:
        service.sync(folder / "content", FIXED_NOW)
    finally:
        service.close()
    return path


@pytest.fixture(scope="module")
def fresh_copy(
    synced: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[], Path]]:
    """``fresh_copy()``: a new copy of the synced database (one per example)."""
    folder = tmp_path_factory.mktemp("replay-examples")
    counter = itertools.count()

    def copy() -> Path:
        path = folder / f"example-{next(counter)}.sqlite3"
        path.write_bytes(synced.read_bytes())
        return path

    yield copy


def _schedules(service: StudyService) -> list[tuple[object, ...]]:
    with sqlite3.connect(str(service.store.engine.url.database)) as connection:
        return connection.execute(SCHEDULE).fetchall()


def _play(service: StudyService, keys: list[int], history: list[Action]) -> None:
    """Write ``history`` through the study functions the TUI uses."""
    now = FIXED_NOW
    for kind, card, quality, gap, moves in history:
        now += timedelta(minutes=gap)
        key = keys[card]
        if kind == "answer":
            service.answer(key, quality, now)
        elif kind == "reset":
            service.reset_card(key, now)
        else:
            with service.transaction(write=True) as session:
                record_drill_answer(
                    session,
                    key,
                    quality,
                    now=now,
                    settings=service.scheduler_settings,
                    moves_schedule=moves,
                )


@pytest.mark.parametrize(("live", "other"), [("sm2", "fsrs"), ("fsrs", "sm2")])
@settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(history=st.lists(actions, min_size=1, max_size=14))
def test_the_log_replays_to_the_stored_schedule_and_a_switch_loses_nothing(
    fresh_copy: Callable[[], Path], live: str, other: str, history: list[Action]
) -> None:
    """Written under ``live`` (SM-2, the default, or FSRS), replayed under it, switched to
    ``other`` and back."""
    service = StudyService.open(f"sqlite:///{fresh_copy()}", Config())
    try:
        if live != service.scheduler_settings.algorithm:  # a collection setting, stored
            service.save_collection_settings({"algorithm": live})
        assert service.scheduler_settings.algorithm == live
        with service.transaction() as session:
            keys = sorted(session.scalars(select(CardRecord.id)).all())
        assert len(keys) == 2
        _play(service, keys, history)

        with service.transaction() as session:

            def run(sql: str, params: object) -> list[object]:
                return list(session.execute(text(sql), dict(params)))  # type: ignore[call-overload]

            logs = card_histories(run)
            stored = {s.card_key: s.state for s in session.scalars(select(ScheduleRecord))}
        for key in keys:
            if key in logs:
                assert replay_card(logs[key], service.scheduler_settings) == stored[key]

        before = _schedules(service)
        service.save_collection_settings({"algorithm": other})
        switched = _schedules(service)
        scheduled = [row for row in switched if row[4] is not None]
        assert all((row[8] is not None) == (other == "fsrs") for row in scheduled)
        service.save_collection_settings({"algorithm": live})
        assert _schedules(service) == before
    finally:
        service.close()
