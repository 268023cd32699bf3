"""Statistics of the review log: activity, streaks, forecast, true retention, weak spots.

Everything is computed from the database with aggregate SQL (GROUP BY study day, card, group
key; window functions for medians), so three years of heavy use (a million review-log rows,
50,000 cards) take a fraction of a second; nothing proportional to the log's length or the
deck's size is loaded into Python, but for the calibration (a prediction needs each card's
answers in order). The SQL is plain text run through a ``RunSQL`` callable
(no SQLAlchemy import here), so ``quizcalc stats`` reads it with stdlib ``sqlite3``
(:mod:`quizcalc.study.stats.quick`) and the study service through its session. ``now`` is
passed in (timezone-aware) and "today" is its study day under ``config.rollover_hour``, so a
review at 02:00 counts for the day before.

Public API::

    stats = compute_stats(session, now, config)      # -> Stats (frozen dataclasses)
    stats = service_stats(service, now)              # same, in a StudyService transaction
    stats = stats_from(run, now, config)             # same, over any RunSQL callable
    skills = weakest_skills(session, today)          # the five weakest skills, cheaply
    payload = stats_to_json(stats)                   # -> dict with the stable keys below

Definitions
-----------

answers
    Every review-log row counts as study activity: ``review`` (a card's first answer of the
    day, which moves its schedule), ``relearn`` (SM-2 step-7 re-asks the same day) and
    ``drill``. ``per_day``, ``total_reviews``, ``reviews_today``, streaks and the heatmap count
    them all. Study time is the sum of recorded answer durations, not wall-clock time.
streak
    Consecutive study days with at least one answer. The current streak ends today, or
    yesterday while today has none yet (it survives until the day is over); the longest is
    over the whole history.
due today / forecast
    Active cards the queue can serve whose due day is today or earlier (overdue included; the
    daily review cap is not applied), then per day for the next 29 days.
true retention
    Anki's figure: the share of passing (quality ≥ 3) ``review`` answers — a card's first
    answer of its study day — of cards that were already scheduled (interval before the answer
    ≥ 1 day: a new card's first answer is not a memory test). Young: that interval was
    < 21 days; mature: ≥ 21. Drills and relearn re-asks are left out. Headline figures cover
    the last 30 study days; the table, the last 12 weeks (Monday to Sunday).
accuracy (per family, per deck, per section, per skill)
    The share of passing answers among ``review`` and ``drill`` answers; ``relearn`` re-asks
    are left out (they come minutes after a miss, with the answer just shown, and would flatter
    a struggling group). Families and sections: whole history. Trend: accuracy of the last 14
    study days minus that of the 14 before (``None`` if either has no answer). Median answer
    time: over the last 30 study days. Misconceptions: the three tags matched most often.
    Sections are the stored section path (``"2.4 Jacobian and Hessian::Practice"``), grouped
    under their deck; a deck's figures are those of all its cards.
weakest skills
    Per skill, for the statistics (the home screen and the drill set-up's Weakest rank
    *families* instead: :func:`quizcalc.study.drills.rank_weak_families`).
    Skills are active problem cards grouped by (family, difficulty). The five with the lowest
    accuracy over the last 30 study days, among those with ≥ 3 answers and at least one miss;
    ties: more answers first, then by name.
cards by state
    Retired cards left out. ``suspended`` (status), else ``new`` (never reviewed), else
    ``learning`` (last review failed, or interval ≤ 1 day), else ``young`` (interval < 21 days),
    else ``mature``; these five add up to the card total. ``leech`` overlaps them: lapses ≥
    ``config.leech_threshold`` or tagged ``leech``.
calibration
    The active scheduler's predicted recall before each scored review against the answer
    (recalled: rated Hard, Good or Easy), in ten bins of prediction with their mean
    prediction, share recalled and count. Scored: a card's schedule-moving answers since its
    last reset, but its first and same-day repeats. SM-2 predicts ``0.9 ** (elapsed /
    interval)`` from the interval it had given (srs-benchmark's reading); FSRS the
    retrievability of the memory the earlier answers leave, with the parameters in force.
    This one figure reads each card's answers rather than aggregates.
easiness
    The EF of reviewed, non-retired cards: mean and buckets [1.3, 1.5), [1.5, 1.7), …,
    [2.5, 2.7), [2.7, ∞).

JSON keys (``stats_to_json``, ``quizcalc stats --json``)
-------------------------------------------------------

Stable: keys are only added; a key that changes meaning bumps ``schema``. Rates are fractions
0–1 rounded to 4 places, ``null`` when there is nothing to divide; dates are ISO study days.

- ``schema`` (int, 1), ``generated_at`` (ISO datetime), ``today`` (study day)
- ``total_reviews``, ``reviews_today`` (answers of every kind), ``study_seconds_today``
- ``relearn_answers`` (of ``total_reviews``, the relearn re-asks: ``per_section`` counts add
  up to ``total_reviews - relearn_answers``)
- ``streak_days`` (current), ``longest_streak_days``
- ``due_today``
- ``true_retention``: ``young``, ``young_reviews``, ``mature``, ``mature_reviews``,
  ``overall``, ``overall_reviews`` (last 30 days) and ``weeks``: a list, oldest first, of
  ``{week_start, young, young_reviews, mature, mature_reviews}``
- ``cards_by_state``: ``new``, ``learning``, ``young``, ``mature``, ``suspended``, ``leech``
- ``easiness``: ``mean``, ``cards``, ``buckets`` (list of ``{from, to, cards}``, ``to`` null
  for the last)
- ``per_family``, ``per_deck`` and ``per_section``: name → ``{count, accuracy,
  median_seconds, trend, misconceptions}`` (``misconceptions``: tag → count, most frequent
  first, at most three); a deck adds ``sections`` (its section names, as keyed in
  ``per_section``), a section adds ``deck``; a section path two decks share is keyed
  ``deck › path``
- ``weakest_skills``: list of ``{skill, family, difficulty, count, accuracy}``, weakest first
- ``per_day``: date → answers, for the days of the last 365 with at least one answer
- ``last_30_days``: list of ``{date, reviews, seconds}``, oldest first, every day present
- ``forecast``: date → cards due, today and the next 29 days, every day present
- ``calibration``: ``{scheduler, bins}``: ``scheduler`` is ``"sm2"`` or ``"fsrs"`` (the active
  one); ``bins`` a list, by prediction, of ``{from, to, predicted, actual, count}`` for each
  tenth of predicted recall holding a scored review (see the definition above)

``quizcalc stats --json`` adds ``demo`` (bool): true for the simulated history of ``--demo``.
"""

from __future__ import annotations

from quizcalc.study.stats.charts import HeatCell, Heatmap, column_chart, heatmap
from quizcalc.study.stats.compute import (
    compute_stats,
    demo_stats,
    service_stats,
    service_weakest_skills,
    stats_from,
    weakest_skills,
)
from quizcalc.study.stats.export import JSON_SCHEMA_VERSION, stats_to_json
from quizcalc.study.stats.model import (
    CardStates,
    DayCount,
    EasinessBucket,
    EasinessDistribution,
    ForecastDay,
    GroupStats,
    MisconceptionCount,
    RetentionWeek,
    SkillStats,
    Stats,
    Streaks,
    Tally,
    TrueRetention,
)
from quizcalc.study.stats.periods import (
    FORECAST_DAYS,
    HEATMAP_DAYS,
    MATURE_INTERVAL,
    RECENT_DAYS,
    RETENTION_WEEKS,
    TREND_DAYS,
)

__all__ = [
    "FORECAST_DAYS",
    "HEATMAP_DAYS",
    "JSON_SCHEMA_VERSION",
    "MATURE_INTERVAL",
    "RECENT_DAYS",
    "RETENTION_WEEKS",
    "TREND_DAYS",
    "CardStates",
    "DayCount",
    "EasinessBucket",
    "EasinessDistribution",
    "ForecastDay",
    "GroupStats",
    "HeatCell",
    "Heatmap",
    "MisconceptionCount",
    "RetentionWeek",
    "SkillStats",
    "Stats",
    "Streaks",
    "Tally",
    "TrueRetention",
    "column_chart",
    "compute_stats",
    "demo_stats",
    "heatmap",
    "service_stats",
    "service_weakest_skills",
    "stats_from",
    "stats_to_json",
    "weakest_skills",
]
