"""The reference ``compute_stats``: the statistics as computed before step 9 (kept verbatim).

Per-card aggregates folded into groups in Python, a query per figure: slow on a heavy
collection, but straightforward; the fast computation must give exactly the same ``Stats``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from quizcalc.config import Config
from quizcalc.scheduling.study_day import study_day
from quizcalc.study.stats.model import SkillStats, Stats
from tests.study.stats_reference.activity import (
    activity_by_day,
    dense_days,
    due_forecast,
    relearn_answers,
    streaks,
)
from tests.study.stats_reference.cards import card_states, easiness_distribution
from tests.study.stats_reference.groups import CardTallies, group_stats, rank_skills
from tests.study.stats_reference.groups import weakest_skills as weakest_skills
from tests.study.stats_reference.retention import true_retention

__all__ = ["compute_stats", "reference_weakest_skills"]


def compute_stats(session: Session, now: datetime, config: Config) -> Stats:
    """Every statistic as of ``now``, the pre-step-9 way."""
    today = study_day(now, config.rollover_hour)
    history = activity_by_day(session)
    tallies = CardTallies.load(session, today)
    forecast = tuple(due_forecast(session, today))
    return Stats(
        generated_at=now,
        today=today,
        total_reviews=sum(day.reviews for day in history),
        per_day=tuple(dense_days(history, today)),
        streaks=streaks([day.day for day in history], today),
        due_today=forecast[0].due,
        forecast=forecast,
        retention=true_retention(session, today),
        per_family=group_stats(session, tallies, today, "family"),
        per_section=group_stats(session, tallies, today, "section"),
        weakest=rank_skills(tallies),
        cards=card_states(session, config.leech_threshold),
        easiness=easiness_distribution(session),
        relearn_answers=relearn_answers(session),
    )


def reference_weakest_skills(
    session: Session, now: datetime, config: Config
) -> tuple[SkillStats, ...]:
    """The home screen's weakest skills, the pre-step-9 way."""
    return weakest_skills(session, study_day(now, config.rollover_hour))
