"""Calibration of the active scheduler: predicted recall before each review against the answer.

The scored reviews are each card's schedule-moving answers since its last reset (what
:func:`~quizcalc.study.review_history.rated_days` gives FSRS), its first one and same-day
repeats left out. The prediction is the active scheduler's (the collection setting
``algorithm``, SM-2 unless set): SM-2's from the interval it had given the card, FSRS's from
the memory the earlier answers leave, replayed with the parameters in force (see
:mod:`quizcalc.scheduling.calibration`).

SM-2's scored answers are counted in SQL per (days since the previous answer, interval): a
row per distinct pair reaches Python, however long the log. FSRS's need each card's answers
replayed in order: under FSRS one plain query reads each card's rated answers (their rating
and study day; whether a drill moved the schedule is decided in SQL), and fsrs-rs computes
every memory in one call (:func:`~quizcalc.scheduling.calibration.fsrs_predictions_batch`).
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from quizcalc.config import Config
from quizcalc.scheduling.calibration import (
    Calibration,
    calibration_bins,
    fsrs_predictions_batch,
    grouped_calibration_bins,
    sm2_recall,
)
from quizcalc.scheduling.ratings import Rating, quality_rating
from quizcalc.study.stats.sql import RunSQL, count_where

__all__ = ["active_algorithm", "scheduler_calibration"]


def active_algorithm(config: Config) -> str:
    """``"fsrs"`` when the collection schedules with FSRS, else ``"sm2"``."""
    return "fsrs" if config.algorithm == "fsrs" else "sm2"


_SM2_BY_GAP = """
WITH marked AS (
  SELECT card_key, reviewed_at, id, kind, study_day, before_interval, quality, rating,
         kind = 'review' OR (kind = 'drill' AND (
           before_repetitions != after_repetitions OR before_easiness != after_easiness
           OR before_interval != after_interval OR before_due IS NOT after_due)) AS moved
  FROM review_log NOT INDEXED WHERE kind IN ('review', 'drill', 'reset')
),
answers AS (
  SELECT kind, study_day, before_interval, quality, rating,
         lag(kind) OVER card AS previous_kind, lag(study_day) OVER card AS previous_day
  FROM marked WHERE moved OR kind = 'reset'
  WINDOW card AS (PARTITION BY card_key ORDER BY reviewed_at, id)
)
SELECT CAST(julianday(study_day) - julianday(previous_day) AS INTEGER) AS elapsed,
       before_interval, count(*),
       {recalled}
FROM answers
WHERE kind != 'reset' AND previous_kind IS NOT NULL AND previous_kind != 'reset'
  AND before_interval > 0 AND julianday(study_day) > julianday(previous_day)
GROUP BY elapsed, before_interval
"""
"""Scored SM-2 answers counted per (days since the previous answer, interval before it): a
card's schedule-moving answers (reviews, and drills that moved the schedule) after its last
reset, its first one and same-day repeats left out. A row per distinct pair, however long
the log."""


def _sm2_groups(run: RunSQL) -> list[tuple[float, int, int]]:
    recalled = count_where(
        f"coalesce(rating, CASE WHEN quality >= 3 THEN {int(Rating.HARD)} ELSE "
        f"{int(Rating.AGAIN)} END) != {int(Rating.AGAIN)}"
    )
    return [
        (sm2_recall(int(elapsed), int(interval)), int(passed), int(count))
        for elapsed, interval, count, passed in run(_SM2_BY_GAP.format(recalled=recalled), {})
    ]


_RESET = 0
"""The code :data:`_FSRS_RATED` gives a reset (an answer's code is its rating, 1–4)."""

_RATING_OF_ROW = (
    "coalesce(rating, CASE quality "
    + " ".join(f"WHEN {q} THEN {int(quality_rating(q))}" for q in range(6))
    + " END)"
)
"""The row's stored rating, or (rows written before ratings were stored) its quality's."""

_FSRS_RATED = f"""
SELECT card_key, CASE WHEN kind = 'reset' THEN {_RESET} ELSE {_RATING_OF_ROW} END,
       CAST(julianday(study_day) - julianday('2000-01-01') AS INTEGER)
FROM review_log NOT INDEXED
WHERE kind = 'reset' OR kind = 'review' OR (kind = 'drill' AND (
  before_repetitions != after_repetitions OR before_easiness != after_easiness
  OR before_interval != after_interval OR before_due IS NOT after_due))
ORDER BY card_key, reviewed_at, id
"""
"""Each card's schedule-moving answers (their rating and study day, as a day number) and
resets, in order: what :func:`~quizcalc.study.review_history.rated_days` reads of its
history, as three small numbers a row (a heavy log has a million). The day is counted from
:data:`_DAY_ZERO`, not a Julian day number: the dialect seam keeps day differences, not
SQLite's absolute numbers (on PostgreSQL ``julianday`` is the days since that day)."""

_DAY_ZERO = date(2000, 1, 1)
"""The day :data:`_FSRS_RATED` counts its day numbers from."""

_CARD_BATCH = 5_000
"""Cards whose memories fsrs-rs computes in one call."""


def _rated_histories(run: RunSQL) -> list[list[tuple[Rating, date]]]:
    """Every card's rated answers since its last reset (``rated_days`` of each history)."""
    histories: dict[int, list[tuple[Rating, date]]] = {}
    ratings = {int(rating): rating for rating in Rating}
    days: dict[int, date] = {}
    for key, code, number in run(_FSRS_RATED, {}):
        history = histories.get(key)
        if history is None:
            history = histories[key] = []
        if code == _RESET:
            history.clear()
            continue
        day = days.get(number)
        if day is None:
            day = days[number] = _DAY_ZERO + timedelta(days=int(number))
        history.append((ratings[code], day))
    return list(histories.values())


def scheduler_calibration(run: RunSQL, config: Config) -> Calibration:
    """The active scheduler's predicted recall against actual recall, in bins."""
    # imported here: review_history reads the statistics' SQL helpers, whose package imports
    # this module (a top-level import would be circular)
    from quizcalc.study.fsrs_parameters import read_fsrs_parameters

    scheduler = active_algorithm(config)
    if scheduler == "fsrs":
        parameters = read_fsrs_parameters(run).parameters
        histories = _rated_histories(run)
        pairs = itertools.chain.from_iterable(
            fsrs_predictions_batch(histories[start : start + _CARD_BATCH], parameters)
            for start in range(0, len(histories), _CARD_BATCH)
        )
        return Calibration(scheduler, calibration_bins(pairs))
    return Calibration(scheduler, grouped_calibration_bins(_sm2_groups(run)))
