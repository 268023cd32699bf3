"""What a drill reports: each answer, progress for the bar and timer, and the summary."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from quizcalc.scheduling.sm2 import PASSING_QUALITY
from quizcalc.study.drill_plan import DrillSpec

__all__ = [
    "SLIP_ACCURACY",
    "DrillAnswer",
    "DrillProgress",
    "DrillSkip",
    "DrillSummary",
    "FamilyResult",
    "MisconceptionCount",
    "count_misconceptions",
]

SLIP_ACCURACY = 0.7
"""A family answered below this share correct in a drill has slipped."""


@dataclass(frozen=True)
class DrillAnswer:
    """One recorded drill problem."""

    index: int
    """Position in the drill, from 0."""
    family: str
    difficulty: int
    seed: int
    """The instance's seed (``quizcalc problems show FAMILY --seed S`` shows it again)."""
    quality: int
    """The auto-grade (0–5), as a review would get."""
    seconds: float
    """Time on this problem."""
    answer_text: str
    """Every try, separated by `` ⏎ ``."""
    misconception: str | None
    """Tag of the known wrong answer matched, if any."""
    misconception_message: str | None
    """What that misconception means, as the grader said it."""
    log_id: int
    card_key: int
    moved_schedule: bool
    """True when this answer also moved the card's SM-2 schedule (the setting was on)."""

    @property
    def correct(self) -> bool:
        """Graded 3 or more (solved)."""
        return self.quality >= PASSING_QUALITY


@dataclass(frozen=True)
class DrillSkip:
    """A drill problem passed over without an answer (nothing is logged for it)."""

    index: int
    """Position in the drill, from 0."""
    family: str
    difficulty: int
    reason: str
    """Why, in a few words, e.g. ``generator error``."""
    detail: str = ""
    """What went wrong, e.g. ``RuntimeError: no valid instance``; empty when not known."""


@dataclass(frozen=True)
class DrillProgress:
    """What a progress bar and a timer show."""

    done: int
    """Problems behind the learner: answered or skipped."""
    total: int | None
    """Problems in the drill; ``None`` when only the time limit ends it."""
    correct: int
    elapsed_seconds: float
    limit_seconds: float | None
    """The time limit; ``None`` without one."""
    remaining_seconds: float | None
    """Time left (never negative); ``None`` without a limit."""
    skipped: int = 0
    """Of ``done``, problems skipped (a generator error) rather than answered."""

    @property
    def fraction(self) -> float:
        """0..1 towards the end: problems done or time used, whichever is further along."""
        parts = []
        if self.total:
            parts.append(self.done / self.total)
        if self.limit_seconds:
            parts.append(self.elapsed_seconds / self.limit_seconds)
        return min(1.0, max(parts, default=0.0))


@dataclass(frozen=True)
class FamilyResult:
    """How one family went in a drill, against its recent record."""

    family: str
    title: str
    answered: int
    correct: int
    recent_accuracy: float | None
    """Accuracy over the last 30 days before this drill (``None`` under 3 answers)."""

    @property
    def accuracy(self) -> float:
        """Share correct in this drill (0.0 when unanswered)."""
        return self.correct / self.answered if self.answered else 0.0

    @property
    def slipped(self) -> bool:
        """Answered below 70 %, or below its own recent accuracy."""
        if not self.answered:
            return False
        if self.accuracy < SLIP_ACCURACY:
            return True
        return self.recent_accuracy is not None and self.accuracy < self.recent_accuracy


@dataclass(frozen=True)
class MisconceptionCount:
    """A known wrong answer that showed up, how often and what it means."""

    tag: str
    count: int
    message: str
    """The grader's explanation, from its first occurrence."""
    families: tuple[str, ...]


@dataclass(frozen=True)
class DrillSummary:
    """The end-of-drill report: score, time, slipped skills, misconceptions."""

    spec: DrillSpec
    seed: int
    """The set's seed: a drill with the same families, difficulty, count and seed repeats it."""
    answers: tuple[DrillAnswer, ...]
    planned: int | None
    """Problems the drill was set to; ``None`` for a time-limit-only drill."""
    seconds: float
    """Wall-clock time from start to ``now``."""
    time_up: bool
    families: tuple[FamilyResult, ...]
    """Per family, in the order chosen."""
    misconceptions: tuple[MisconceptionCount, ...]
    """Most frequent first."""
    skipped: tuple[DrillSkip, ...] = ()
    """Problems passed over without an answer: not in the score, not logged."""

    @property
    def answered(self) -> int:
        """Problems recorded."""
        return len(self.answers)

    @property
    def correct(self) -> int:
        """Problems solved."""
        return sum(a.correct for a in self.answers)

    @property
    def score(self) -> str:
        """``2/3``."""
        return f"{self.correct}/{self.answered}"

    @property
    def accuracy(self) -> float:
        """Share solved, 0.0 when nothing was answered."""
        return self.correct / self.answered if self.answered else 0.0

    @property
    def percent(self) -> int:
        """Share solved, as a whole percentage."""
        return round(100 * self.accuracy)

    @property
    def not_reached(self) -> int:
        """Planned problems neither answered nor skipped (0 for a time-limit-only drill)."""
        if self.planned is None:
            return 0
        return max(0, self.planned - self.answered - len(self.skipped))

    @property
    def skip_reasons(self) -> tuple[tuple[int, str], ...]:
        """``(count, reason)`` per reason of the skipped problems, in order of first skip."""
        counts: dict[str, int] = {}
        for skip in self.skipped:
            counts[skip.reason] = counts.get(skip.reason, 0) + 1
        return tuple((n, reason) for reason, n in counts.items())

    @property
    def times(self) -> tuple[float, ...]:
        """Seconds on each problem, in order."""
        return tuple(a.seconds for a in self.answers)

    @property
    def median_seconds(self) -> float | None:
        """Median time per problem (``None`` when nothing was answered)."""
        return statistics.median(self.times) if self.answers else None

    @property
    def slipped(self) -> tuple[str, ...]:
        """Families that slipped (see :attr:`FamilyResult.slipped`)."""
        return tuple(f.family for f in self.families if f.slipped)

    @property
    def moved_schedules(self) -> int:
        """Answers that also moved a schedule (0 unless the setting is on)."""
        return sum(a.moved_schedule for a in self.answers)


def count_misconceptions(answers: Sequence[DrillAnswer]) -> tuple[MisconceptionCount, ...]:
    """The misconceptions among ``answers``, most frequent first (ties in order of first sight)."""
    tally: dict[str, list[DrillAnswer]] = {}
    for answer in answers:
        if answer.misconception:
            tally.setdefault(answer.misconception, []).append(answer)
    counts = [
        MisconceptionCount(
            tag=tag,
            count=len(hits),
            message=hits[0].misconception_message or "",
            families=tuple(dict.fromkeys(a.family for a in hits)),
        )
        for tag, hits in tally.items()
    ]
    return tuple(sorted(counts, key=lambda c: -c.count))
