"""True retention: the share of passing scheduled reviews, young and mature, per week.

Counted rows: ``kind = 'review'`` (a card's first answer of its study day — later ones are
``relearn``; drills are practice, not recall tests) whose interval before the answer was at
least one day (a new card's first answer is learning, not retention). Pass: quality ≥ 3.
Young: that interval was under 21 days; mature: 21 or more.

SQL sums the four counts per study day over the window; Python folds days into weeks.
"""

from __future__ import annotations

from datetime import date, timedelta

from quizcalc.scheduling.sm2 import PASSING_QUALITY
from quizcalc.study.stats.model import RetentionWeek, Tally, TrueRetention
from quizcalc.study.stats.periods import (
    MATURE_INTERVAL,
    RECENT_DAYS,
    RETENTION_WEEKS,
    days_back,
    week_start,
)
from quizcalc.study.stats.sql import RunSQL, count_where, day_of

__all__ = ["true_retention"]

_YOUNG = f"before_interval < {MATURE_INTERVAL}"
_MATURE = f"before_interval >= {MATURE_INTERVAL}"
_PASSED = f"quality >= {PASSING_QUALITY}"
_PER_DAY = f"""
SELECT study_day, {count_where(_YOUNG)}, {count_where(f"{_YOUNG} AND {_PASSED}")},
       {count_where(_MATURE)}, {count_where(f"{_MATURE} AND {_PASSED}")}
FROM review_log
WHERE kind = 'review' AND before_interval >= 1 AND study_day >= :start AND study_day <= :today
GROUP BY study_day
"""


def true_retention(
    run: RunSQL, today: date, weeks: int = RETENTION_WEEKS, recent_days: int = RECENT_DAYS
) -> TrueRetention:
    """Young and mature true retention over the last ``recent_days`` days and per week."""
    first_week = week_start(today) - timedelta(weeks=weeks - 1)
    recent_start = days_back(today, recent_days)
    rows = run(
        _PER_DAY,
        {"start": min(first_week, recent_start).isoformat(), "today": today.isoformat()},
    )
    per_week: dict[date, tuple[Tally, Tally]] = {}
    recent_young, recent_mature = Tally(), Tally()
    for raw_day, young_n, young_pass, mature_n, mature_pass in rows:
        day = day_of(raw_day)
        young_tally = Tally(int(young_pass), int(young_n))
        mature_tally = Tally(int(mature_pass), int(mature_n))
        if day >= recent_start:
            recent_young += young_tally
            recent_mature += mature_tally
        if day >= first_week:
            week = week_start(day)
            old_young, old_mature = per_week.get(week, (Tally(), Tally()))
            per_week[week] = (old_young + young_tally, old_mature + mature_tally)
    series = []
    for i in range(weeks):
        start = first_week + timedelta(weeks=i)
        week_young, week_mature = per_week.get(start, (Tally(), Tally()))
        series.append(RetentionWeek(week_start=start, young=week_young, mature=week_mature))
    return TrueRetention(young=recent_young, mature=recent_mature, weeks=tuple(series))
