"""The windows the statistics look at, in study days (one place, so docs and code agree)."""

from __future__ import annotations

from datetime import date, timedelta

__all__ = [
    "FORECAST_DAYS",
    "HEATMAP_DAYS",
    "MATURE_INTERVAL",
    "RECENT_DAYS",
    "RETENTION_WEEKS",
    "TREND_DAYS",
    "WEAKEST_LIMIT",
    "WEAKEST_MIN_ANSWERS",
    "days_back",
    "week_start",
]

HEATMAP_DAYS = 365
"""Days in the calendar heatmap and in ``per_day`` (today included)."""
RECENT_DAYS = 30
"""The "recent" window: daily table, median answer times, headline retention, weakest skills."""
TREND_DAYS = 14
"""Trend compares the accuracy of the last this-many days with the same span before."""
FORECAST_DAYS = 30
"""Days in the due forecast (today included)."""
RETENTION_WEEKS = 12
"""Weeks in the weekly true-retention table (the current, partial week included)."""
MATURE_INTERVAL = 21
"""An interval of this many days or more makes a card mature (Anki's threshold)."""
WEAKEST_LIMIT = 5
"""Skills named as the weakest."""
WEAKEST_MIN_ANSWERS = 3
"""Recent answers a skill needs before it can be named weak."""


def days_back(today: date, days: int) -> date:
    """The first day of the ``days``-day window that ends with ``today``."""
    return today - timedelta(days=days - 1)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())
