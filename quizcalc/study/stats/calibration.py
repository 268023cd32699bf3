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

from datetime import date

from quizcalc.config import Config
from quizcalc.scheduling.calibration import (
    Calibration,
    calibration_bins,
    fsrs_predictions_batch,
    grouped_calibration_bins,
    sm2_recall,
)
from quizcalc.scheduling.ratings import Rating, quality_rating
from quizcalc.study.stats.sql import RunSQL, count_where, day_of

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
  FROM review_log WHERE kind IN ('review', 'drill', 'reset')
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


_FSRS_RATED = """
SELECT card_key, kind, study_day, rating, quality
FROM review_log NOT INDEXED
WHERE kind = 'reset' OR kind = 'review' OR (kind = 'drill' AND (
  before_repetitions != after_repetitions OR before_easiness != after_easiness
  OR before_interval != after_interval OR before_due IS NOT after_due))
ORDER BY card_key, reviewed_at, id
"""
"""Each card's schedule-moving answers and resets, in order: what
:func:`~quizcalc.study.review_history.rated_days` reads of its history."""

_RATING_OF_QUALITY = tuple(quality_rating(quality) for quality in range(6))


def _rated_histories(run: RunSQL) -> list[list[tuple[Rating, date]]]:
    """Every card's rated answers since its last reset (``rated_days`` of each history)."""
    histories: dict[int, list[tuple[Rating, date]]] = {}
    for key, kind, day, rating, quality in run(_FSRS_RATED, {}):
        history = histories.setdefault(int(key), [])
        if kind == "reset":
            history.clear()
            continue
        rated = Rating(int(rating)) if rating is not None else _RATING_OF_QUALITY[int(quality)]
        history.append((rated, day_of(day)))
    return list(histories.values())


def scheduler_calibration(run: RunSQL, config: Config) -> Calibration:
    """The active scheduler's predicted recall against actual recall, in bins."""
    # imported here: review_history reads the statistics' SQL helpers, whose package imports
    # this module (a top-level import would be circular)
    from quizcalc.study.fsrs_parameters import read_fsrs_parameters

    scheduler = active_algorithm(config)
    if scheduler == "fsrs":
        parameters = read_fsrs_parameters(run).parameters
        pairs = fsrs_predictions_batch(_rated_histories(run), parameters)
        return Calibration(scheduler, calibration_bins(pairs))
    return Calibration(scheduler, grouped_calibration_bins(_sm2_groups(run)))
