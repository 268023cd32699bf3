"""Every card's schedule rebuilt from the review log: what a switch of scheduler does.

Switching between SM-2 and FSRS replays each card's log through the new scheduler's own steps
(:func:`quizcalc.scheduling.replay.replay_card`), in the write transaction that saves the
setting: FSRS memory states come from the whole history, and SM-2 replayed is the schedule
SM-2 would have given all along, so switching there and back returns the same SM-2 schedule.

A card with progress but no log (progress imported without its history) keeps its SM-2
state; under FSRS it gets the memory fsrs-rs derives from its ease and interval. Burying,
suspension and flags are not scheduling state: a rebuild leaves them alone.

**At scale.** A heavy learner has tens of thousands of cards and a million log rows, so the
rebuild reads the log with one plain query (the columns the replay needs, whether a row moved
the schedule decided in SQL), replays the cards whose log holds answers only in bulk
(:func:`quizcalc.scheduling.batch_replay.replay_plain_histories`: one fsrs-rs call for every
FSRS memory), replays step by step only the cards whose log holds an implicit credit, a blame
or a reset, and writes the schedules that changed with one bulk UPDATE. The result is the
step-by-step replay's, to the bit (``tests/study/test_scheduler_switch.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import text, update
from sqlalchemy.orm import Session

from quizcalc.scheduling.answer import CARD_STATE_FIELDS, CardState, SchedulerSettings
from quizcalc.scheduling.batch_replay import PlainAnswer, PlainHistory, replay_plain_histories
from quizcalc.scheduling.fsrs_answer import fsrs_parameters
from quizcalc.scheduling.ratings import quality_rating
from quizcalc.scheduling.replay import CreditStep, replay_card, sm2_anchor_memory
from quizcalc.scheduling.study_day import study_day
from quizcalc.store.models import ScheduleRecord
from quizcalc.study.collection_base import sql_runner
from quizcalc.study.queue_limits import RunSQL
from quizcalc.study.review_history import card_histories

__all__ = ["rebuild_schedules"]

STEPWISE_KINDS = frozenset({"implicit", "blame", "reset"})
"""Log rows the bulk replay does not express: a card with one is replayed step by step."""

_LOG = """
SELECT card_key, kind, quality, rating, reviewed_at,
       kind = 'review' OR (kind = 'drill' AND (
         before_repetitions != after_repetitions OR before_easiness != after_easiness
         OR before_interval != after_interval OR before_due IS NOT after_due)) AS moved,
       before_repetitions, before_easiness, before_interval, before_due, before_lapses
FROM review_log NOT INDEXED
ORDER BY card_key, reviewed_at, id
"""
"""Every log row, in the order the replay reads them; ``moved`` is
:attr:`~quizcalc.study.review_history.LoggedReview.moved_schedule` computed in SQL. (A scan
and one sort: walking the ``card_key`` index instead reads the table in random order, twice
as slow on a million rows.)"""

_LOG_BATCH = 20_000
"""Log rows fetched at a time."""

_CARD_BATCH = 5_000
"""Cards replayed (one fsrs-rs call) and written at a time."""

_SCHEDULES = """
SELECT card_key, repetitions, easiness, interval, due, lapses, reviews, last_reviewed_at,
       stability, difficulty
FROM schedule
"""


def _moment(value: object) -> datetime:
    """A stored (naive UTC) datetime, as the ORM reads it: timezone-aware UTC."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _day(value: object) -> date | None:
    if value is None:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


_RATING_OF_QUALITY = tuple(int(quality_rating(quality)) for quality in range(6))


class _StudyDays:
    """The study day of a stored moment, without a datetime per row: a stamp is stored as
    naive UTC ``YYYY-MM-DD HH:MM:SS.ffffff``, so its study day (in UTC, as
    :func:`~quizcalc.scheduling.study_day.study_day` gives it for the aware moment) is its
    date, or the day before when its hour is before the rollover hour. Any other shape is
    parsed in full."""

    def __init__(self, rollover_hour: int) -> None:
        self.rollover_hour = rollover_hour
        self.known: dict[tuple[str, bool], date] = {}

    def __call__(self, stamp: object) -> date:
        text = str(stamp)
        if len(text) < 13 or text[10] not in " T" or not text[11:13].isdigit():
            return study_day(_moment(stamp), self.rollover_hour)
        key = (text[:10], int(text[11:13]) < self.rollover_hour)
        day = self.known.get(key)
        if day is None:
            day = date.fromisoformat(key[0]) - timedelta(days=int(key[1]))
            self.known[key] = day
        return day


_KINDS = {kind: kind for kind in ("review", "drill")}
"""One string per answer kind, shared by every row (a million rows would make a million)."""


def _plain_histories(
    rows: Iterable[Sequence[Any]], rollover_hour: int, stepwise: set[int]
) -> Iterator[tuple[int, PlainHistory | None]]:
    """Each logged card's key with its plain history, card after card, from the rows of
    :data:`_LOG`; ``None`` for a card whose log holds rows the bulk replay does not express
    (its key is also added to ``stepwise``)."""
    day_of_stamp = _StudyDays(rollover_hour)
    key: int | None = None
    first: Sequence[Any] = ()
    last: object = None
    answers: list[PlainAnswer] = []
    for row in rows:
        card = row[0]
        if card != key:
            if key is not None:
                yield key, _history(first, answers, last) if key not in stepwise else None
            key, first, last, answers = card, row, None, []
        if card in stepwise:
            continue
        kind = row[1]
        if kind in STEPWISE_KINDS:
            stepwise.add(card)
        elif row[5]:
            quality = row[2]
            rating = _RATING_OF_QUALITY[quality] if row[3] is None else row[3]
            answers.append(PlainAnswer(_KINDS[kind], quality, rating, day_of_stamp(row[4])))
            last = row[4]
    if key is not None:
        yield key, _history(first, answers, last) if key not in stepwise else None


def _history(first: Sequence[Any], answers: list[PlainAnswer], last: object) -> PlainHistory:
    """A card's plain history from its first log row, its answers and its last answer's stamp."""
    before = (int(first[6]), float(first[7]), int(first[8]), _day(first[9]))
    moment = None if last is None else _moment(last)
    return PlainHistory(before, int(first[10] or 0), tuple(answers), moment)


def _without_log(state: CardState, settings: SchedulerSettings) -> CardState:
    if settings.algorithm != "fsrs":
        return replace(state, stability=None, difficulty=None)
    if state.due is None:  # new: FSRS gives it a memory at its first review
        return replace(state, stability=None, difficulty=None)
    anchor = sm2_anchor_memory(state.easiness, state.interval, fsrs_parameters(settings))
    return replace(state, stability=anchor.stability, difficulty=anchor.difficulty)


def _stored_states(run: RunSQL) -> dict[int, CardState]:
    """Every card's stored schedule, read as the ORM reads it."""
    return {
        int(row[0]): CardState(
            repetitions=int(row[1]),
            easiness=float(row[2]),
            interval=int(row[3]),
            due=_day(row[4]),
            lapses=int(row[5]),
            reviews=int(row[6]),
            last_reviewed_at=None if row[7] is None else _moment(row[7]),
            stability=None if row[8] is None else float(row[8]),
            difficulty=None if row[9] is None else float(row[9]),
        )
        for row in run(_SCHEDULES, {})
    }


def rebuild_schedules(
    session: Session, settings: SchedulerSettings, credit: CreditStep | None = None
) -> int:
    """Replay every card's log under ``settings`` in the caller's (write) transaction and
    store the states; returns how many schedules changed."""
    session.flush()
    run = sql_runner(session)
    stored = _stored_states(run)
    changed = 0

    def store(keys: list[int], states: Iterable[CardState]) -> None:
        nonlocal changed
        changes: list[dict[str, object]] = []
        for key, new in zip(keys, states, strict=True):
            if new != stored[key]:
                values: dict[str, object] = {name: getattr(new, name) for name in CARD_STATE_FIELDS}
                values["card_key"] = key
                changes.append(values)
        if changes:
            session.execute(update(ScheduleRecord), changes)
            changed += len(changes)

    # A million rows are read in batches, and the cards replayed and written a few thousand
    # at a time, so that the rebuild's memory does not grow with the log.
    stepwise: set[int] = set()
    logged: set[int] = set()
    pending: list[tuple[int, PlainHistory]] = []
    log = itertools.chain.from_iterable(session.execute(text(_LOG)).partitions(_LOG_BATCH))

    def replay_pending() -> None:
        keys = [key for key, _ in pending]
        store(keys, replay_plain_histories([history for _, history in pending], settings))
        pending.clear()

    for key, history in _plain_histories(log, settings.rollover_hour, stepwise):
        logged.add(key)
        if history is not None and key in stored:
            pending.append((key, history))
        if len(pending) >= _CARD_BATCH:
            replay_pending()
    replay_pending()
    histories = card_histories(run, stepwise) if stepwise else {}
    replayed = [key for key in histories if key in stored]
    store(replayed, (replay_card(histories[key], settings, credit) for key in replayed))
    unlogged = [key for key in stored if key not in logged]
    store(unlogged, (_without_log(stored[key], settings) for key in unlogged))
    if changed:
        for record in list(session.identity_map.values()):  # loaded ones: read them afresh
            if isinstance(record, ScheduleRecord):
                session.expire(record)
    return changed
