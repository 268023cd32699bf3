"""The statistics as plain, frozen data: what :func:`compute_stats` returns to screens and scripts.

No ORM object crosses this line; every figure is computed already (in SQL where it matters).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from quizcalc.scheduling.calibration import Calibration

__all__ = [
    "CardStates",
    "DayCount",
    "EasinessBucket",
    "EasinessDistribution",
    "ForecastDay",
    "GroupStats",
    "MisconceptionCount",
    "RetentionWeek",
    "SkillStats",
    "Stats",
    "Streaks",
    "Tally",
    "TrueRetention",
]


@dataclass(frozen=True)
class Tally:
    """A count of answers and how many of them passed (quality ≥ 3)."""

    passed: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        """``passed / total``, or ``None`` when there is nothing to divide."""
        return self.passed / self.total if self.total else None

    def __add__(self, other: Tally) -> Tally:
        """Both counts summed."""
        return Tally(self.passed + other.passed, self.total + other.total)


@dataclass(frozen=True)
class DayCount:
    """One study day's activity."""

    day: date
    reviews: int
    """Answers of every kind (review, relearn, drill) on that study day."""
    seconds: float
    """Sum of those answers' recorded durations (time spent answering, not wall-clock)."""


@dataclass(frozen=True)
class ForecastDay:
    """Cards due on one upcoming study day."""

    day: date
    due: int
    """Active cards whose next due day is ``day`` (for today: today or earlier)."""


@dataclass(frozen=True)
class Streaks:
    """Runs of consecutive study days with at least one answer."""

    current: int
    """The run ending today, or yesterday while today has no answer yet (as on the home
    screen); 0 when neither day has one."""
    longest: int
    """The longest run in the whole history (the current one included)."""
    longest_end: date | None
    """The last day of the longest run (the latest such run on a tie)."""


@dataclass(frozen=True)
class RetentionWeek:
    """True retention of one week (Monday to Sunday, in study days)."""

    week_start: date
    young: Tally
    """Reviews of cards whose interval before the answer was 1–20 days."""
    mature: Tally
    """Reviews of cards whose interval before the answer was ≥ 21 days."""

    @property
    def overall(self) -> Tally:
        """Young and mature together."""
        return self.young + self.mature


@dataclass(frozen=True)
class TrueRetention:
    """Share of passing scheduled reviews (see the package docstring for the definition)."""

    young: Tally
    """Over the last :data:`~quizcalc.study.stats.RECENT_DAYS` study days."""
    mature: Tally
    """Over the last :data:`~quizcalc.study.stats.RECENT_DAYS` study days."""
    weeks: tuple[RetentionWeek, ...]
    """The last :data:`~quizcalc.study.stats.RETENTION_WEEKS` weeks, oldest first (the last one
    is the current, partial week)."""

    @property
    def overall(self) -> Tally:
        """Young and mature together."""
        return self.young + self.mature


@dataclass(frozen=True)
class MisconceptionCount:
    """How often answers matched one known wrong answer."""

    tag: str
    count: int


@dataclass(frozen=True)
class GroupStats:
    """Performance of one problem family, one deck or one section of a deck."""

    name: str
    """The family name, the deck name, or the section path as stored
    (``"2.4 Jacobian::Practice"``; ``""`` for cards outside any section)."""
    answers: Tally
    """Every review and drill answer in the history (relearn re-asks left out)."""
    last_14: Tally
    """The same, over the last 14 study days (today included)."""
    previous_14: Tally
    """The same, over the 14 study days before those."""
    median_seconds: float | None
    """Median answer time over the last 30 study days; ``None`` without timed answers there."""
    misconceptions: tuple[MisconceptionCount, ...]
    """The most frequent misconceptions matched, most frequent first (at most three)."""
    deck: str | None = None
    """The deck of a section (and a deck's own name); ``None`` for a family."""

    @property
    def accuracy(self) -> float | None:
        """Share of passing answers (q ≥ 3) over the whole history."""
        return self.answers.rate

    @property
    def trend(self) -> float | None:
        """Accuracy of the last 14 days minus that of the 14 before (−1…1); ``None`` when
        either window has no answers."""
        recent, before = self.last_14.rate, self.previous_14.rate
        if recent is None or before is None:
            return None
        return recent - before


@dataclass(frozen=True)
class SkillStats:
    """A problem skill (a family at a difficulty) and its recent accuracy."""

    family: str
    difficulty: int
    recent: Tally
    """Review and drill answers over the last 30 study days."""

    @property
    def name(self) -> str:
        """``"chain_rule · d2"``: how the home screen names the skill."""
        return f"{self.family} · d{self.difficulty}"


@dataclass(frozen=True)
class CardStates:
    """Cards (retired ones left out) by state; see the package docstring for the definitions.

    ``new + learning + young + mature + suspended == total``; ``leech`` overlaps them.
    """

    new: int = 0
    learning: int = 0
    young: int = 0
    mature: int = 0
    suspended: int = 0
    leech: int = 0

    @property
    def total(self) -> int:
        """Every card that is not retired."""
        return self.new + self.learning + self.young + self.mature + self.suspended

    def as_dict(self) -> dict[str, int]:
        """The six counts under their stable names."""
        return {
            "new": self.new,
            "learning": self.learning,
            "young": self.young,
            "mature": self.mature,
            "suspended": self.suspended,
            "leech": self.leech,
        }


@dataclass(frozen=True)
class EasinessBucket:
    """Cards whose easiness factor lies in ``[low, high)`` (``high`` ``None``: no upper end)."""

    low: float
    high: float | None
    cards: int


@dataclass(frozen=True)
class EasinessDistribution:
    """The SM-2 easiness factors of reviewed, non-retired cards."""

    buckets: tuple[EasinessBucket, ...]
    mean: float | None
    """``None`` when no card has been reviewed."""

    @property
    def cards(self) -> int:
        """Cards counted."""
        return sum(bucket.cards for bucket in self.buckets)


@dataclass(frozen=True)
class Stats:
    """Every statistic of one database at one moment."""

    generated_at: datetime
    today: date
    """The study day of ``generated_at`` under the rollover hour."""
    total_reviews: int
    """Every answer ever logged (review, relearn and drill)."""
    per_day: tuple[DayCount, ...]
    """The last :data:`~quizcalc.study.stats.HEATMAP_DAYS` study days, oldest first, every
    day present (zeros included); the last entry is today."""
    streaks: Streaks
    due_today: int
    """Active cards due today or overdue (the daily review cap not applied)."""
    forecast: tuple[ForecastDay, ...]
    """Today (overdue included) and the next 29 days."""
    retention: TrueRetention
    per_family: tuple[GroupStats, ...]
    """Problem families with at least one answer, by name."""
    per_section: tuple[GroupStats, ...]
    """Sections with at least one answer, by deck then name."""
    weakest: tuple[SkillStats, ...]
    """At most five skills, weakest first (see :func:`weakest_skills`)."""
    cards: CardStates
    easiness: EasinessDistribution
    relearn_answers: int = 0
    """Of :attr:`total_reviews`, the relearn re-asks: the per-family and per-section tables
    leave them out, so their answers add up to ``total_reviews - relearn_answers``."""
    per_deck: tuple[GroupStats, ...] = ()
    """Decks with at least one answer, by name (each the sum of its sections)."""
    calibration: Calibration | None = None
    """The active scheduler's predicted recall against actual recall, in bins (see
    :mod:`quizcalc.study.stats.calibration`)."""

    def sections_by_deck(self) -> tuple[tuple[GroupStats, tuple[GroupStats, ...]], ...]:
        """Each deck with its sections, for a table grouped by deck, then section."""
        return tuple(
            (deck, tuple(s for s in self.per_section if s.deck == deck.name))
            for deck in self.per_deck
        )

    @property
    def grouped_answers(self) -> int:
        """The answers the per-section table adds up to: every answer but relearn re-asks."""
        return self.total_reviews - self.relearn_answers

    def grouped_note(self) -> str:
        """Under a per-section table: how its answers add up to the total answers."""
        relearn = self.relearn_answers
        grouped = f"{self.grouped_answers:,} answers"
        if not relearn:
            return f"{grouped}: every answer counted above"
        return (
            f"{grouped} + {relearn:,} relearn re-ask{'' if relearn == 1 else 's'} "
            f"(left out here) = {self.total_reviews:,} answers in all"
        )

    @property
    def is_empty(self) -> bool:
        """True when nothing has been answered yet."""
        return self.total_reviews == 0

    @property
    def reviews_today(self) -> int:
        """Answers of every kind today."""
        return self.per_day[-1].reviews if self.per_day else 0

    @property
    def seconds_today(self) -> float:
        """Answering time today."""
        return self.per_day[-1].seconds if self.per_day else 0.0

    @property
    def last_30_days(self) -> tuple[DayCount, ...]:
        """The tail of :attr:`per_day`: the last 30 study days, today last."""
        return self.per_day[-30:]
