"""Study days: "today" starts at the rollover hour, not at midnight (as in Anki)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

__all__ = ["study_day"]


def study_day(now: datetime, rollover_hour: int) -> date:
    """The study day ``now`` belongs to, in ``now``'s own time zone.

    With the default rollover at 4, 02:30 on the 10th still counts as the 9th, so a late
    session does not eat into tomorrow's reviews.
    """
    if now.tzinfo is None:
        raise ValueError("study_day needs a timezone-aware datetime")
    return (now - timedelta(hours=rollover_hour)).date()
