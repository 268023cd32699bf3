"""Putting it together: every statistic in one read transaction."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from quizcalc.config import Config
from quizcalc.scheduling.study_day import study_day
from quizcalc.study.errors import use_case
from quizcalc.study.stats.activity import (
    activity_by_day,
    dense_days,
    due_forecast,
    relearn_answers,
    streaks,
)
from quizcalc.study.stats.cards import card_states, easiness_distribution
from quizcalc.study.stats.groups import CardTallies, group_stats, rank_skills, weakest_skills
from quizcalc.study.stats.model import SkillStats, Stats
from quizcalc.study.stats.retention import true_retention

if TYPE_CHECKING:
    from quizcalc.study.service import StudyService

__all__ = ["compute_stats", "demo_stats", "service_stats", "service_weakest_skills"]


def compute_stats(session: Session, now: datetime, config: Config) -> Stats:
    """Every statistic as of ``now`` (timezone-aware); "today" follows ``config.rollover_hour``.

    Runs about a dozen aggregate queries; nothing proportional to the log's length is
    loaded into Python.
    """
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


@use_case("compute your statistics")
def service_stats(service: StudyService, now: datetime) -> Stats:
    """:func:`compute_stats` on a service's database and settings, in one transaction.

    A database error becomes a :class:`~quizcalc.study.errors.StudyError` (one line).
    """
    with service.transaction() as session:
        return compute_stats(session, now, service.config)


@use_case("rank your weakest skills")
def service_weakest_skills(service: StudyService, now: datetime) -> tuple[SkillStats, ...]:
    """The weakest skills (last 30 days only), in a service transaction.

    Per skill, as in the statistics; the home screen and the drill set-up rank families with
    :func:`quizcalc.study.drills.rank_weak_families`.
    """
    with service.transaction() as session:
        return weakest_skills(session, service.today(now))


@use_case("build the demo statistics")
def demo_stats(now: datetime, config: Config | None = None) -> Stats:
    """Statistics of a simulated year (:func:`~quizcalc.study.demo.build_demo`) in a
    throwaway database that is deleted before this returns: never the learner's own data.

    Raises :class:`~quizcalc.study.errors.InvalidRequest` when there is no deck to simulate.
    """
    import tempfile
    from pathlib import Path

    from quizcalc.store.engine import open_store
    from quizcalc.study.demo import build_demo

    config = config or Config()
    with tempfile.TemporaryDirectory(prefix="quizcalc-demo-") as folder:
        store = open_store(Path(folder) / "demo.sqlite3")
        try:
            build_demo(store, now, config)
            with store.transaction() as session:
                return compute_stats(session, now, config)
        finally:
            store.close()
