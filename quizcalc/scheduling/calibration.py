"""Calibration: the recall a scheduler predicted before each review against what happened.

A well-calibrated scheduler that predicts 80 % recall for a set of reviews sees about 80 % of
them recalled. Each scored review gives a pair (predicted recall, recalled or not); the pairs
are binned by prediction, and each bin reports its mean prediction, the share actually
recalled and how many reviews it holds.

The predictions, as srs-benchmark makes them:

- SM-2 predicts no probability; its interval is read as the time at which recall falls to
  90 %, on an exponential curve: ``R = 0.9 ** (elapsed / interval)`` (:func:`sm2_recall`);
- FSRS predicts the retrievability of the memory left by the reviews before, replayed with
  the parameters in force (:func:`fsrs_predictions`).

A card's first review has no prediction, and a review on the same study day as the previous
one is not scored (srs-benchmark leaves same-day repeats out too).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from quizcalc.scheduling.fsrs import (
    DEFAULT_PARAMETERS,
    FsrsMemory,
    forgetting_curve,
    fsrs_model,
    fsrs_review,
    retrievability,
)
from quizcalc.scheduling.ratings import Rating

__all__ = [
    "BIN_COUNT",
    "Calibration",
    "CalibrationBin",
    "calibration_bins",
    "fsrs_predictions",
    "fsrs_predictions_batch",
    "grouped_calibration_bins",
    "sm2_recall",
]

BIN_COUNT = 10
"""Bins of predicted recall, each a tenth wide: [0, 0.1), …, [0.9, 1]."""


@dataclass(frozen=True)
class CalibrationBin:
    """The scored reviews whose predicted recall fell in ``[low, high)`` (the last bin
    includes 1)."""

    low: float
    high: float
    predicted: float
    """Mean predicted recall of the bin's reviews."""
    actual: float
    """Share of them recalled (rated Hard, Good or Easy)."""
    count: int


@dataclass(frozen=True)
class Calibration:
    """Predicted against actual recall, in bins (only the bins holding a review)."""

    scheduler: str
    """``"sm2"`` or ``"fsrs"``: the scheduler whose predictions these are."""
    bins: tuple[CalibrationBin, ...]

    @property
    def count(self) -> int:
        """Reviews scored."""
        return sum(b.count for b in self.bins)


def sm2_recall(elapsed_days: float, interval_days: float) -> float:
    """SM-2's recall prediction from its interval, as srs-benchmark converts it:
    ``0.9 ** (elapsed / interval)`` (90 % when the review is on time)."""
    if interval_days <= 0:
        raise ValueError(f"an SM-2 interval is at least a day, not {interval_days}")
    return float(0.9 ** (max(0.0, elapsed_days) / interval_days))


def fsrs_predictions(
    history: Sequence[tuple[Rating, date]], parameters: Sequence[float] = DEFAULT_PARAMETERS
) -> list[tuple[float, bool]]:
    """FSRS's (predicted recall, recalled) for each scored review of one card's rated
    ``history`` (``(rating, study day)`` in order): the retrievability, on the review's day,
    of the memory the reviews before it left."""
    pairs: list[tuple[float, bool]] = []
    memory: FsrsMemory | None = None
    previous: date | None = None
    for rating, day in history:
        elapsed = 0 if previous is None else (day - previous).days
        if memory is not None and elapsed > 0:
            pairs.append(
                (retrievability(elapsed, memory.stability, parameters), rating != Rating.AGAIN)
            )
        memory = fsrs_review(memory, rating, elapsed, parameters)
        previous = day
    return pairs


def fsrs_predictions_batch(
    histories: Iterable[Sequence[tuple[Rating, date]]],
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> list[tuple[float, bool]]:
    """:func:`fsrs_predictions` of every card's rated history, one card after another, the
    memories computed by fsrs-rs in one call (``historical_memory_state_batch``) instead of one
    per review: the same pairs in the same order, to the bit."""
    import fsrs_rs_python

    scored: list[tuple[list[int], list[bool]]] = []
    items: list[fsrs_rs_python.FSRSItem] = []
    for history in histories:
        if len(history) < 2:
            continue  # a first review is never scored
        reviews = []
        elapsed_days: list[int] = []
        recalled: list[bool] = []
        previous: date | None = None
        for rating, day in history:
            elapsed = 0 if previous is None else (day - previous).days
            reviews.append(fsrs_rs_python.FSRSReview(int(rating), max(0, elapsed)))
            elapsed_days.append(elapsed)
            recalled.append(rating != Rating.AGAIN)
            previous = day
        items.append(fsrs_rs_python.FSRSItem(reviews))
        scored.append((elapsed_days, recalled))
    if not items:
        return []
    memories = fsrs_model(parameters).historical_memory_state_batch(items)
    recall = forgetting_curve(parameters)
    pairs: list[tuple[float, bool]] = []
    for (elapsed_days, recalled), states in zip(scored, memories, strict=True):
        for index in range(1, len(elapsed_days)):
            if elapsed_days[index] > 0:
                stability = states[index - 1].stability
                pairs.append((recall(elapsed_days[index], stability), recalled[index]))
    return pairs


def calibration_bins(
    pairs: Iterable[tuple[float, bool]], bin_count: int = BIN_COUNT
) -> tuple[CalibrationBin, ...]:
    """``pairs`` of (predicted recall, recalled) in ``bin_count`` equal bins of prediction;
    bins without a review are left out. (:func:`grouped_calibration_bins` with a group per
    pair, summed in the same order: the same bins, in one tight loop over many pairs.)"""
    sums: dict[int, list[float]] = {}
    top = bin_count - 1
    for predicted, recalled in pairs:
        if not 0.0 <= predicted <= 1.0:
            raise ValueError(f"a predicted recall is a probability, not {predicted}")
        index = min(int(predicted * bin_count), top)
        tally = sums.get(index)
        if tally is None:
            tally = sums[index] = [0.0, 0, 0]
        tally[0] += predicted
        tally[1] += 1 if recalled else 0
        tally[2] += 1
    return _bins(sums, bin_count)


def grouped_calibration_bins(
    groups: Iterable[tuple[float, int, int]], bin_count: int = BIN_COUNT
) -> tuple[CalibrationBin, ...]:
    """:func:`calibration_bins` over groups of reviews sharing one prediction:
    ``(predicted recall, reviews recalled, reviews)``."""
    sums: dict[int, list[float]] = {}
    for predicted, recalled, count in groups:
        if not 0.0 <= predicted <= 1.0:
            raise ValueError(f"a predicted recall is a probability, not {predicted}")
        if not 0 <= recalled <= count:
            raise ValueError(f"{recalled} of {count} reviews cannot be recalled")
        index = min(int(predicted * bin_count), bin_count - 1)
        tally = sums.setdefault(index, [0.0, 0, 0])
        tally[0] += predicted * count
        tally[1] += recalled
        tally[2] += count
    return _bins(sums, bin_count)


def _bins(sums: dict[int, list[float]], bin_count: int) -> tuple[CalibrationBin, ...]:
    """The bins from each bin's (sum of predictions, reviews recalled, reviews)."""
    return tuple(
        CalibrationBin(
            low=index / bin_count,
            high=(index + 1) / bin_count,
            predicted=total / count,
            actual=passed / count,
            count=int(count),
        )
        for index, (total, passed, count) in sorted(sums.items())
        if count
    )
