"""The statistics' calibration on a hand-made history: SM-2's intervals, FSRS's replay.

The hand-made history runs on SQLite and on PostgreSQL (day differences in SQL); the varied
collection it is compared with alongside stays a SQLite file.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from quizcalc.config import Config
from quizcalc.scheduling.calibration import CalibrationBin, calibration_bins, sm2_recall
from quizcalc.scheduling.fsrs import fsrs_review, retrievability
from quizcalc.scheduling.ratings import Rating
from quizcalc.store import open_store
from quizcalc.study import StudyService
from quizcalc.study.collection_base import sql_runner
from quizcalc.study.queue_limits import RunSQL
from quizcalc.study.review_history import card_histories
from quizcalc.study.stats import service_stats, stats_to_json
from quizcalc.study.stats.calibration import scheduler_calibration
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends
from tests.study.stats_fixture import varied_history

__all__ = ["db_url_on_both_backends"]  # the hand-made history on SQLite and on PostgreSQL

_DECK = "# Two\n\n## A\n\n**Q:** one?\n\n**A:** 1\n\n## B\n\n**Q:** two?\n\n**A:** 2\n"
START = FIXED_NOW - timedelta(days=30)
ANSWERS = ((0, 4), (1, 4), (7, 4), (30, 1))
"""(day, quality) of one card: SM-2 gives it 1, then 6, then 15 days (EF stays 2.5)."""


@pytest.fixture
def service(db_url: str, write_deck: Callable[..., Path]) -> Iterator[StudyService]:
    service = StudyService.open(db_url, Config())
    service.sync(write_deck(_DECK), START)
    key = service.queue(START).order[0]
    for day, quality in ANSWERS:
        service.answer(key, quality, START + timedelta(days=day))
    yield service
    service.close()


def test_sm2_calibration_reads_the_interval_it_had_given(service: StudyService) -> None:
    calibration = service_stats(service, FIXED_NOW).calibration
    assert calibration is not None and calibration.scheduler == "sm2"
    late = sm2_recall(23, 15)  # the last answer came 23 days into a 15-day interval
    assert [(b.low, b.predicted, b.actual, b.count) for b in calibration.bins] == [
        (0.8, pytest.approx(late), 0.0, 1),
        (0.9, pytest.approx(0.9), 1.0, 2),  # the on-time answers: 0.9 ** (1/1), 0.9 ** (6/6)
    ]


def test_fsrs_calibration_replays_the_answers_before_each(service: StudyService) -> None:
    config = Config()
    object.__setattr__(config, "algorithm", "fsrs")  # until Config has the field
    with service.transaction() as session:
        calibration = scheduler_calibration(sql_runner(session), config)
    memory = fsrs_review(None, Rating.GOOD, 0)
    expected = [retrievability(1, memory.stability)]
    memory = fsrs_review(memory, Rating.GOOD, 1)
    expected.append(retrievability(6, memory.stability))
    memory = fsrs_review(memory, Rating.GOOD, 6)
    expected.append(retrievability(23, memory.stability))
    assert min(expected) > 0.9  # FSRS expected every answer to be recalled: one bin
    assert calibration.scheduler == "fsrs"
    (only,) = calibration.bins
    assert only.low == 0.9 and only.count == 3
    assert only.predicted == pytest.approx(sum(expected) / 3)
    assert only.actual == pytest.approx(2 / 3)  # the last answer was forgotten


def test_stats_json_carries_the_calibration(service: StudyService) -> None:
    payload = stats_to_json(service_stats(service, FIXED_NOW))
    assert payload["calibration"]["scheduler"] == "sm2"
    assert payload["calibration"]["bins"] == [
        {"from": 0.8, "to": 0.9, "predicted": round(sm2_recall(23, 15), 4), "actual": 0.0,
         "count": 1},
        {"from": 0.9, "to": 1.0, "predicted": 0.9, "actual": 1.0, "count": 2},
    ]  # fmt: skip


_RESET_ROW = """
INSERT INTO review_log (card_key, reviewed_at, study_day, quality, kind, before_repetitions,
  before_easiness, before_interval, after_repetitions, after_easiness, after_interval,
  before_lapses)
VALUES (:key, :at, date(:at), 0, 'reset', 3, 2.5, 15, 0, 2.5, 0, 1)
"""


def _flat(bins: tuple[CalibrationBin, ...]) -> list[float]:
    return [value for b in bins for value in (b.low, b.predicted, b.actual, b.count)]


def _reference_sm2_bins(run: RunSQL) -> tuple[CalibrationBin, ...]:
    """SM-2's calibration the slow, obvious way: every card's history read in Python."""
    pairs = []
    for history in card_histories(run).values():
        start = max((i + 1 for i, row in enumerate(history) if row.kind == "reset"), default=0)
        answers = [row for row in history[start:] if row.moved_schedule]
        for previous, row in itertools.pairwise(answers):
            elapsed = (row.study_day - previous.study_day).days
            if elapsed > 0 and row.before[2] > 0:
                pairs.append((sm2_recall(elapsed, row.before[2]), row.rating != Rating.AGAIN))
    return calibration_bins(pairs)


def test_sm2_counted_in_sql_is_the_same_as_reading_every_history(
    tmp_path: Path, new_database: Callable[[Path], Path], service: StudyService
) -> None:
    """On the varied collection (drills, relearns, stored ratings) and on the hand-made one
    after a reset and two more answers (the answers before the reset are not scored)."""
    varied = open_store(varied_history(new_database(tmp_path / "varied.sqlite3")))
    key = service.queue(START).order[0]
    service.reset_card(key)
    with service.transaction(write=True) as session:  # until resets are logged by the app
        session.execute(text(_RESET_ROW), {"key": key, "at": START + timedelta(days=31)})
    service.answer(key, 4, START + timedelta(days=32))  # new again: its first answer
    service.answer(key, 4, START + timedelta(days=36))  # 4 days into a 1-day interval
    try:
        for store in (varied, service.store):
            with store.transaction() as session:
                run = sql_runner(session)
                fast = scheduler_calibration(run, Config()).bins
                assert fast, "nothing scored"
                assert _flat(fast) == pytest.approx(_flat(_reference_sm2_bins(run)))
    finally:
        varied.close()
    after_reset = service_stats(service, FIXED_NOW + timedelta(days=7)).calibration
    assert after_reset is not None  # the new answer 4 days into a 1-day interval: 0.9 ** 4
    assert [(b.low, b.count) for b in after_reset.bins] == [(0.6, 1), (0.8, 1), (0.9, 2)]


def test_fsrs_in_one_batch_is_every_history_replayed_review_by_review(
    tmp_path: Path, new_database: Callable[[Path], Path], service: StudyService
) -> None:
    """The FSRS calibration reads rated answers in SQL and asks fsrs-rs for every memory at
    once; on the varied collection and after a reset its bins are exactly those of each
    card's history replayed with fsrs_predictions (the answers before a reset not scored)."""
    from quizcalc.scheduling.calibration import fsrs_predictions
    from quizcalc.study.review_history import rated_days

    config = Config(algorithm="fsrs")
    varied = open_store(varied_history(new_database(tmp_path / "varied.sqlite3")))
    with service.transaction() as session:  # the card the fixture answered
        key = sql_runner(session)("SELECT min(card_key) FROM review_log", {})[0][0]
    service.reset_card(key, START + timedelta(days=31))
    service.answer(key, 4, START + timedelta(days=32))  # 2 days after day 30: not scored
    service.answer(key, 1, START + timedelta(days=36))
    try:
        for store in (varied, service.store):
            with store.transaction() as session:
                run = sql_runner(session)
                fast = scheduler_calibration(run, config).bins
                pairs = [
                    pair
                    for history in card_histories(run).values()
                    for pair in fsrs_predictions(rated_days(history))
                ]
                assert fast and fast == calibration_bins(pairs)
    finally:
        varied.close()
