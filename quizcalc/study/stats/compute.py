"""Putting it together: every statistic in one read transaction.

:func:`stats_from` runs the plain SQL of the other modules through a ``RunSQL`` callable;
:func:`compute_stats` gives it a SQLAlchemy session's, :mod:`quizcalc.study.stats.quick` a
stdlib ``sqlite3`` connection's. SQLAlchemy is imported only when a session is used.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from quizcalc.config import Config
from quizcalc.scheduling.study_day import study_day
from quizcalc.study.errors import use_case
from quizcalc.study.stats import groups
from quizcalc.study.stats.activity import activity_by_day, dense_days, due_forecast, streaks
from quizcalc.study.stats.calibration import scheduler_calibration
from quizcalc.study.stats.cards import card_states
from quizcalc.study.stats.groups import GroupTallies, group_stats, rank_skills, recent_medians
from quizcalc.study.stats.model import SkillStats, Stats
from quizcalc.study.stats.periods import WEAKEST_LIMIT
from quizcalc.study.stats.retention import true_retention
from quizcalc.study.stats.sql import RunSQL

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from quizcalc.study.service import StudyService

__all__ = [
    "compute_stats",
    "demo_stats",
    "service_stats",
    "service_weakest_skills",
    "stats_from",
    "weakest_skills",
]


def stats_from(run: RunSQL, now: datetime, config: Config) -> Stats:
    """Every statistic as of ``now`` (timezone-aware), read with ``run`` inside one read
    transaction; "today" follows ``config.rollover_hour``.

    A dozen aggregate queries: what reaches Python is a row per study day, per group key
    (deck, section, family, difficulty), per due day and per easiness value, whatever the size of
    the deck or the length of the log; the calibration alone reads each card's answers (see
    :mod:`quizcalc.study.stats.calibration`).
    """
    today = study_day(now, config.rollover_hour)
    history = activity_by_day(run)
    tallies = GroupTallies.load(run, today)
    forecast = tuple(due_forecast(run, today))
    medians = recent_medians(run, today)
    cards, easiness = card_states(run, config.leech_threshold)
    return Stats(
        generated_at=now,
        today=today,
        total_reviews=sum(day.reviews for day in history.days),
        per_day=tuple(dense_days(history.days, today)),
        streaks=streaks([day.day for day in history.days], today),
        due_today=forecast[0].due,
        forecast=forecast,
        retention=true_retention(run, today),
        per_family=group_stats(tallies, medians, "family"),
        per_section=group_stats(tallies, medians, "section"),
        weakest=rank_skills(tallies.recent.items()),
        cards=cards,
        easiness=easiness,
        relearn_answers=history.relearn_answers,
        per_deck=group_stats(tallies, medians, "deck"),
        calibration=scheduler_calibration(run, config),
    )


def _runner(session: Session) -> RunSQL:
    from quizcalc.study.collection_base import sql_runner

    return sql_runner(session)


def compute_stats(session: Session, now: datetime, config: Config) -> Stats:
    """Every statistic as of ``now`` (timezone-aware), in ``session`` (see :func:`stats_from`)."""
    return stats_from(_runner(session), now, config)


def weakest_skills(
    session: Session, today: date, limit: int = WEAKEST_LIMIT
) -> tuple[SkillStats, ...]:
    """The ``limit`` weakest skills as of ``today`` (see :func:`.groups.rank_skills`).

    Cheap enough for the home screen: it reads only the last 30 days of the log.
    """
    return groups.weakest_skills(_runner(session), today, limit)


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
