"""The rebuild's reading of stored moments: the study day without a datetime per row."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from quizcalc.scheduling.study_day import study_day
from quizcalc.study.schedule_rebuild import _StudyDays


def test_the_study_day_of_a_stored_stamp_is_study_days_of_the_moment() -> None:
    """Stamps as SQLAlchemy stores them (naive UTC, microseconds), around every rollover hour
    and midnight, and one with a "T": the day is the one study_day gives the aware moment."""
    rng = random.Random(3)
    start = datetime(2026, 2, 27, tzinfo=UTC)
    for rollover in range(24):
        days = _StudyDays(rollover)
        for _ in range(300):
            moment = (
                start
                + timedelta(
                    days=rng.randint(0, 3), hours=rng.choice((rollover, rollover - 1, 0, 23))
                )
                + timedelta(microseconds=rng.choice((0, 1, 999_999, 3_599_999_999)))
            )
            stamp = moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
            assert days(stamp) == study_day(moment, rollover), (stamp, rollover)
    assert _StudyDays(4)("2026-03-01T03:59:59") == study_day(
        datetime(2026, 3, 1, 3, 59, 59, tzinfo=UTC), 4
    )
