"""Reference copy (pre-step 9) of :mod:`quizcalc.study.stats.retention`.

True retention: the share of passing scheduled reviews, young and mature, per week.

Counted rows: ``kind = 'review'`` (a card's first answer of its study day — later ones are
``relearn``; drills are practice, not recall tests) whose interval before the answer was at
least one day (a new card's first answer is learning, not retention). Pass: quality ≥ 3.
Young: that interval was under 21 days; mature: 21 or more.

SQL sums the four counts per study day over the window; Python folds days into weeks.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from quizcalc.scheduling.sm2 import PASSING_QUALITY
from quizcalc.store.models import ReviewLogRecord
from quizcalc.study.stats.model import RetentionWeek, Tally, TrueRetention
from quizcalc.study.stats.periods import (
    MATURE_INTERVAL,
    RECENT_DAYS,
    RETENTION_WEEKS,
    days_back,
    week_start,
)

__all__ = ["true_retention"]


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def true_retention(
    session: Session, today: date, weeks: int = RETENTION_WEEKS, recent_days: int = RECENT_DAYS
) -> TrueRetention:
    """Young and mature true retention over the last ``recent_days`` days and per week."""
    log = ReviewLogRecord
    first_week = week_start(today) - timedelta(weeks=weeks - 1)
    recent_start = days_back(today, recent_days)
    young = log.before_interval < MATURE_INTERVAL
    mature = log.before_interval >= MATURE_INTERVAL
    passed = log.quality >= PASSING_QUALITY
    rows = session.execute(
        select(
            log.study_day,
            _count(young),
            _count(and_(young, passed)),
            _count(mature),
            _count(and_(mature, passed)),
        )
        .where(
            log.kind == "review",
            log.before_interval >= 1,
            log.study_day >= min(first_week, recent_start),
            log.study_day <= today,
        )
        .group_by(log.study_day)
    )
    per_week: dict[date, tuple[Tally, Tally]] = {}
    recent_young, recent_mature = Tally(), Tally()
    for day, young_n, young_pass, mature_n, mature_pass in rows:
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
