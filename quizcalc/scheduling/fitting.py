"""FSRS parameters fitted to the learner's own history, through fsrs-rs's optimiser.

A card's history is its rated days (:func:`quizcalc.study.review_history.rated_days`): the
schedule-moving answers since its last reset, as ``(rating, study day)``. fsrs-rs trains on
*items*, one per review it can predict: the card's reviews up to and including that one, each
with the days since the previous review (0 for the first). So a review is a training item
when an earlier review of the same card came on an earlier day; a card's first review and a
second answer on the same day are not (they stay inside later items' histories).

fsrs-rs's ``compute_parameters`` keeps the defaults when, after its outlier filter, fewer than
:data:`MINIMUM_TRAINING_REVIEWS` items remain, and below :data:`FULL_TRAINING_REVIEWS` it fits
only the four initial stabilities. :func:`fit_parameters` counts those items the way the
library does (its own ``filter_outlier``), so it can say how many reviews are missing. That
filter sets aside second reviews whose first interval is rare for their first rating, and all
of a first rating's second reviews while it has fewer than 20: a young collection may have
hundreds of reviews and none to train on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from quizcalc.scheduling.fsrs import DEFAULT_PARAMETERS
from quizcalc.scheduling.ratings import Rating

if TYPE_CHECKING:
    import fsrs_rs_python

__all__ = [
    "FULL_TRAINING_REVIEWS",
    "MINIMUM_TRAINING_REVIEWS",
    "FitResult",
    "card_items",
    "counted_reviews",
    "fit_items",
    "fit_parameters",
    "training_count",
]

MINIMUM_TRAINING_REVIEWS = 8
"""fsrs-rs (``training.rs``, ``compute_parameters``): with fewer training items left after
its outlier filter, it returns the default parameters."""

FULL_TRAINING_REVIEWS = 64
"""fsrs-rs: with fewer training items it fits only the initial stabilities ``w[0..4]`` and
keeps the other defaults."""


@dataclass(frozen=True)
class FitResult:
    """What a fit produced, and from how much history."""

    parameters: tuple[float, ...]
    """The 21 FSRS-6 parameters: the fitted ones, or the defaults when ``fitted`` is false."""
    reviews: int
    """The learner's reviews the fit read (each card's answers, same-day repeats left out)."""
    fitted: bool
    """False when the history was below the library's minimum (the defaults stayed)."""
    missing: int
    """At least this many more reviews to train on are needed before a fit can run (0 once it
    can): a lower bound, since the library's outlier filter may set new ones aside too."""
    training_reviews: int = 0
    """Reviews the library trained on: those after an earlier review of the card on an earlier
    day that its outlier filter kept."""


def card_items(
    history: Sequence[tuple[Rating, date]],
) -> list[tuple[date, fsrs_rs_python.FSRSItem]]:
    """One training item per review of one card that follows an earlier day's review: the
    card's reviews up to and including it, each as (rating, days since the previous one)."""
    from fsrs_rs_python import FSRSItem, FSRSReview

    reviews = []
    items = []
    previous: date | None = None
    for rating, day in history:
        delta = 0 if previous is None else (day - previous).days
        reviews.append(FSRSReview(int(rating), max(0, delta)))
        if previous is not None and delta > 0:
            items.append((day, FSRSItem(list(reviews))))
        previous = day
    return items


def counted_reviews(history: Sequence[tuple[Rating, date]]) -> int:
    """A card's reviews without same-day repeats (its first review counts)."""
    days = [day for _, day in history]
    return sum(1 for index, day in enumerate(days) if index == 0 or day != days[index - 1])


def training_count(items: Sequence[fsrs_rs_python.FSRSItem]) -> int:
    """How many of ``items`` fsrs-rs would train on: those its outlier filter keeps (items
    whose first interval is rare for their first rating are dropped)."""
    import fsrs_rs_python

    if not items:
        return 0
    second_reviews = [item for item in items if item.long_term_review_cnt() == 1]
    _, kept = fsrs_rs_python.filter_outlier(second_reviews, list(items))
    return len(kept)


def fit_items(
    items: Sequence[fsrs_rs_python.FSRSItem], reviews: int, *, epochs: int | None = None
) -> FitResult:
    """Fit FSRS-6 on ``items`` (in the order their reviews happened: the library weighs recent
    ones more); ``reviews`` is the history's review count, reported back. ``epochs`` overrides
    the library's number of training passes (tests use few)."""
    import fsrs_rs_python

    usable = training_count(items)
    if usable < MINIMUM_TRAINING_REVIEWS:
        return FitResult(
            DEFAULT_PARAMETERS, reviews, False, MINIMUM_TRAINING_REVIEWS - usable, usable
        )
    config = None if epochs is None else fsrs_rs_python.TrainingConfig(num_epochs=epochs)
    model = fsrs_rs_python.FSRS(list(DEFAULT_PARAMETERS))
    parameters = model.compute_parameters(list(items), training_config=config)
    return FitResult(tuple(float(w) for w in parameters), reviews, True, 0, usable)


def fit_parameters(
    histories: Iterable[Sequence[tuple[Rating, date]]], *, epochs: int | None = None
) -> FitResult:
    """Fit FSRS-6 on every card's rated days; below the library's minimum the defaults stay
    and :attr:`FitResult.missing` says how many training reviews are missing."""
    dated: list[tuple[date, int, fsrs_rs_python.FSRSItem]] = []
    reviews = 0
    for number, history in enumerate(histories):
        reviews += counted_reviews(history)
        dated.extend((day, number, item) for day, item in card_items(history))
    dated.sort(key=lambda entry: (entry[0], entry[1]))
    return fit_items([item for _, _, item in dated], reviews, epochs=epochs)
