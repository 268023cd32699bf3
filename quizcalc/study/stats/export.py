"""The statistics as one JSON-ready object with stable keys (documented in the package)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from quizcalc.scheduling.calibration import Calibration
from quizcalc.study.stats.model import GroupStats, Stats, Tally

__all__ = ["JSON_SCHEMA_VERSION", "stats_to_json"]

JSON_SCHEMA_VERSION = 1
"""Bumped only when a key changes meaning or disappears; new keys may appear without it."""


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _tally(prefix: str, tally: Tally) -> dict[str, Any]:
    return {prefix: _rate(tally.rate), f"{prefix}_reviews": tally.total}


def _group(group: GroupStats) -> dict[str, Any]:
    return {
        "count": group.answers.total,
        "accuracy": _rate(group.accuracy),
        "median_seconds": None if group.median_seconds is None else round(group.median_seconds, 1),
        "trend": _rate(group.trend),
        "misconceptions": {m.tag: m.count for m in group.misconceptions},
    }


def _sections(sections: tuple[GroupStats, ...]) -> dict[str, Any]:
    """Section path → its figures and deck; a path two decks share is keyed ``deck › path``."""
    shared = Counter(section.name for section in sections)
    return {
        (f"{section.deck} › {section.name}" if shared[section.name] > 1 else section.name): {
            **_group(section),
            "deck": section.deck,
        }
        for section in sections
    }


def _calibration(calibration: Calibration | None) -> dict[str, Any] | None:
    if calibration is None:
        return None
    return {
        "scheduler": calibration.scheduler,
        "bins": [
            {
                "from": bin_.low,
                "to": bin_.high,
                "predicted": round(bin_.predicted, 4),
                "actual": round(bin_.actual, 4),
                "count": bin_.count,
            }
            for bin_ in calibration.bins
        ],
    }


def stats_to_json(stats: Stats) -> dict[str, Any]:
    """A dict of plain JSON types; see :mod:`quizcalc.study.stats` for every key."""
    retention = stats.retention
    sections = _sections(stats.per_section)
    return {
        "schema": JSON_SCHEMA_VERSION,
        "generated_at": stats.generated_at.isoformat(),
        "today": stats.today.isoformat(),
        "total_reviews": stats.total_reviews,
        "relearn_answers": stats.relearn_answers,
        "reviews_today": stats.reviews_today,
        "study_seconds_today": round(stats.seconds_today, 1),
        "streak_days": stats.streaks.current,
        "longest_streak_days": stats.streaks.longest,
        "due_today": stats.due_today,
        "true_retention": {
            **_tally("young", retention.young),
            **_tally("mature", retention.mature),
            **_tally("overall", retention.overall),
            "weeks": [
                {
                    "week_start": week.week_start.isoformat(),
                    **_tally("young", week.young),
                    **_tally("mature", week.mature),
                }
                for week in retention.weeks
            ],
        },
        "cards_by_state": stats.cards.as_dict(),
        "easiness": {
            "mean": None if stats.easiness.mean is None else round(stats.easiness.mean, 3),
            "cards": stats.easiness.cards,
            "buckets": [
                {"from": bucket.low, "to": bucket.high, "cards": bucket.cards}
                for bucket in stats.easiness.buckets
            ],
        },
        "per_family": {group.name: _group(group) for group in stats.per_family},
        "per_deck": {
            deck.name: {
                **_group(deck),
                "sections": [key for key, value in sections.items() if value["deck"] == deck.name],
            }
            for deck in stats.per_deck
        },
        "per_section": sections,
        "weakest_skills": [
            {
                "skill": skill.name,
                "family": skill.family,
                "difficulty": skill.difficulty,
                "count": skill.recent.total,
                "accuracy": _rate(skill.recent.rate),
            }
            for skill in stats.weakest
        ],
        "per_day": {day.day.isoformat(): day.reviews for day in stats.per_day if day.reviews},
        "last_30_days": [
            {"date": day.day.isoformat(), "reviews": day.reviews, "seconds": round(day.seconds, 1)}
            for day in stats.last_30_days
        ],
        "forecast": {day.day.isoformat(): day.due for day in stats.forecast},
        "calibration": _calibration(stats.calibration),
    }
