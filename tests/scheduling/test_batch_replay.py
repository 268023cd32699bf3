"""The bulk replay gives what the step-by-step replay gives, to the bit, under both schedulers.

Random answer-only logs (reviews on time, early and late, same-day re-asks, drills that moved
the schedule or not, stored ratings or none, logs that start from imported progress) are
replayed both ways and compared field by field (floats with ``==``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from quizcalc.scheduling.answer import SchedulerSettings
from quizcalc.scheduling.batch_replay import PlainAnswer, PlainHistory, replay_plain_histories
from quizcalc.scheduling.fsrs import DEFAULT_PARAMETERS
from quizcalc.scheduling.ratings import Rating, quality_rating
from quizcalc.scheduling.replay import replay_card
from quizcalc.scheduling.study_day import study_day

START = datetime(2026, 1, 5, 18, tzinfo=UTC)


@dataclass(frozen=True)
class Row:
    """A log row as :func:`replay_card` reads it (the ReplayedRow protocol)."""

    kind: str
    quality: int
    rating: Rating
    reviewed_at: datetime
    before: tuple[int, float, int, date | None]
    after: tuple[int, float, int, date | None]
    before_lapses: int = 0
    weight: float | None = None

    @property
    def moved_schedule(self) -> bool:
        return self.kind == "review" or (self.kind == "drill" and self.before != self.after)


def random_log(rng: random.Random) -> list[Row]:
    """One card's answer-only log over a few months."""
    anchored = rng.random() < 0.3
    before: tuple[int, float, int, date | None] = (
        (
            rng.randint(1, 6),
            round(rng.uniform(1.3, 2.9), 2),
            rng.choice((1, 6, 30)),
            date(2026, 1, 9),
        )
        if anchored
        else (0, 2.5, 0, None)
    )
    lapses = rng.choice((0, 2)) if anchored else 0
    moment = START
    rows = []
    for _ in range(rng.randint(1, 25)):
        moment += timedelta(days=rng.choice((0, 0, 1, 2, 4, 9, 30, 70)), hours=rng.randint(0, 9))
        kind = rng.choices(("review", "relearn", "drill"), (70, 15, 15))[0]
        quality = rng.randint(0, 5)
        stored = rng.random() < 0.5
        rating = Rating(rng.randint(1, 4)) if stored else quality_rating(quality)
        after = before if kind == "drill" and rng.random() < 0.5 else (1, 2.4, 3, None)
        rows.append(Row(kind, quality, rating, moment, before, after, lapses))
    return rows


def plain(rows: list[Row], rollover_hour: int = 4) -> PlainHistory:
    moved = [r for r in rows if r.moved_schedule]
    answers = tuple(
        PlainAnswer(r.kind, r.quality, int(r.rating), study_day(r.reviewed_at, rollover_hour))
        for r in moved
    )
    last = moved[-1].reviewed_at if moved else None
    return PlainHistory(rows[0].before, rows[0].before_lapses, answers, last)


SETTINGS = [
    SchedulerSettings(algorithm="sm2"),
    SchedulerSettings(algorithm="sm2", rollover_hour=0),
    SchedulerSettings(algorithm="fsrs"),
    SchedulerSettings(
        algorithm="fsrs",
        desired_retention=0.8,
        rollover_hour=7,
        parameters=(*(round(w * 1.1, 4) for w in DEFAULT_PARAMETERS[:20]), 0.3),
    ),
]


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: f"{s.algorithm}-{s.rollover_hour}")
def test_the_bulk_replay_is_the_step_by_step_replay(settings: SchedulerSettings) -> None:
    rng = random.Random(20261207)
    logs = [random_log(rng) for _ in range(300)]
    expected = [replay_card(rows, settings) for rows in logs]
    histories = [plain(rows, settings.rollover_hour) for rows in logs]
    actual = replay_plain_histories(histories, settings)
    assert actual == expected
    assert sum(state.due is not None for state in actual) > 250  # most cards were answered
    if settings.algorithm == "fsrs":
        assert all(s.stability is not None for s in actual if s.due is not None)


def test_an_early_pass_grows_the_interval_only_by_the_days_that_passed() -> None:
    """A pass five days before the due day of a 10-day interval (EF 2.5): 5 days really
    passed, so the interval becomes ceil(5 × 2.5) = 13 days, not 25; both replays agree."""
    before = (3, 2.5, 10, date(2026, 1, 15))
    row = Row("review", 4, Rating.GOOD, datetime(2026, 1, 10, 18, tzinfo=UTC), before, before)
    settings = SchedulerSettings()
    (state,) = replay_plain_histories([plain([row])], settings)
    assert (state.interval, state.due, state.repetitions) == (13, date(2026, 1, 23), 3)
    assert state == replay_card([row], settings)
