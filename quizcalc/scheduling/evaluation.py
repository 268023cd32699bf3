"""How well each scheduler predicts the learner's recall, scored the way srs-benchmark does.

srs-benchmark (open-spaced-repetition/srs-benchmark, ``other.py`` and ``utils.py``) scores a
memory model on one learner's log like this, and so does :func:`evaluate`:

- **What is scored.** Every review that follows an earlier review of the same card on an
  earlier day: the card's first review has nothing to predict from, and a second answer on
  the same study day (a same-day repeat) is not scored (it stays in the card's history).
  The label is "recalled": any rating but Again.
- **Time-series splits.** The scored reviews, in the order they happened, go through
  scikit-learn's ``TimeSeriesSplit(n_splits=5)``: six consecutive folds, the last five each
  the test set of one split whose training set is everything before it. The first fold only
  ever trains. A fitted model is fitted on each split's training reviews and scores that
  split's test reviews, so no review is predicted by a model that saw it.
- **Models.** ``sm2``: the card's answers replayed through SM-2 (:func:`quizcalc.scheduling.
  sm2.review`), its recall prediction from the interval as the benchmark converts it:
  ``0.9 ** (elapsed / interval)`` (the benchmark's assumption: 90 % recall at the end of the
  interval). The benchmark's own SM-2 replays ratings as qualities 2–5; this one replays the
  qualities the learner gave, which is what scheduled them here. ``fsrs_default``: FSRS-6
  with :data:`~quizcalc.scheduling.fsrs.DEFAULT_PARAMETERS`; ``fsrs_fitted``: FSRS-6 fitted
  on each split's training part by fsrs-rs's ``compute_parameters`` (what ``quizcalc
  scheduler fit`` runs, with its outlier filter and minimum: a split below it keeps the
  defaults). FSRS predicts ``R(elapsed, S)`` from the stability after the card's previous
  answer (same-day ones included).
- **Metrics.** Log loss (scikit-learn's ``log_loss``: predictions clipped to
  ``[eps, 1 − eps]``); RMSE(bins) (``utils.rmse_matrix``: reviews grouped by binned elapsed
  days, binned review count and binned lapse count; the root of the count-weighted mean
  squared gap between each bin's mean prediction and mean outcome); AUC (``roc_auc_score``:
  the chance a recalled review gets a higher prediction than a forgotten one, ties half;
  ``None`` when every outcome is the same).

The benchmark also drops outlier second reviews from its data set; this evaluation scores
every review (the learner's whole log), so its numbers are comparable between the three
models here, not digit for digit with the benchmark's tables.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from quizcalc.scheduling.fitting import fit_items
from quizcalc.scheduling.fsrs import DEFAULT_PARAMETERS, retrievability
from quizcalc.scheduling.ratings import Rating
from quizcalc.scheduling.sm2 import SM2State, review

__all__ = [
    "MODELS",
    "SPLITS",
    "Answer",
    "Evaluation",
    "ModelScore",
    "NotEnoughReviews",
    "Prediction",
    "auc",
    "evaluate",
    "fsrs_predictions",
    "log_loss",
    "rmse_bins",
    "sm2_recall",
    "time_series_splits",
]

SPLITS = 5
"""srs-benchmark's number of time-series splits (``n_splits``)."""

MODELS = ("sm2", "fsrs_default", "fsrs_fitted")
"""The models :func:`evaluate` scores, in the order they are reported."""

_EPSILON = 2.220446049250313e-16
"""scikit-learn's clip for log loss: float64's machine epsilon."""


class NotEnoughReviews(ValueError):
    """Too few scorable reviews for the time-series splits."""

    def __init__(self, scored: int, needed: int) -> None:
        super().__init__(
            f"the evaluation needs {needed} reviews of cards already reviewed on an earlier "
            f"day; the log has {scored}"
        )
        self.scored = scored
        """Scorable reviews in the log."""
        self.needed = needed
        """Scorable reviews the splits need."""


@dataclass(frozen=True)
class Answer:
    """One schedule-moving answer to one card, as the evaluation replays it."""

    card: int
    """The card's key."""
    at: datetime
    """When it was given: orders the learner's reviews in time."""
    day: date
    """The study day it counts for (elapsed days are counted between study days)."""
    rating: Rating
    """The FSRS rating."""
    quality: int
    """The SM-2 quality (0–5) the learner gave."""


@dataclass(frozen=True)
class Prediction:
    """One scored review: what happened, what a model predicted, and its RMSE(bins) keys."""

    recalled: bool
    """Any rating but Again."""
    probability: float
    """The model's predicted recall."""
    elapsed_days: int
    """Days since the card's previous review."""
    review_number: int
    """srs-benchmark's ``i``: one plus the card's reviews after an earlier day's review, this
    one included (a card's second day of review is 2)."""
    lapses: int
    """Earlier reviews of the card rated Again after an earlier day's review."""


@dataclass(frozen=True)
class ModelScore:
    """One model's metrics over every scored review."""

    log_loss: float
    rmse_bins: float
    auc: float | None


@dataclass(frozen=True)
class Evaluation:
    """The three models scored on one learner's log."""

    reviews: int
    """The learner's reviews without same-day repeats (first reviews included)."""
    cards: int
    """Cards with at least one review."""
    splits: int
    """Time-series splits (each scores one fold)."""
    scored: int
    """Reviews scored (those after an earlier day's review of the same card, in a test fold)."""
    models: dict[str, ModelScore] = field(default_factory=dict)
    """Each model's score, by name (:data:`MODELS`)."""
    fitted_splits: int = 0
    """Splits whose training part was enough for fsrs-rs to fit (in the others
    ``fsrs_fitted`` predicted with the defaults)."""

    def to_json(self) -> dict[str, Any]:
        """``{"reviews", "cards", "splits", "models": {name: {"log_loss", "rmse_bins",
        "auc"}}}`` (metrics rounded to 6 places, as srs-benchmark reports them)."""
        return {
            "reviews": self.reviews,
            "cards": self.cards,
            "splits": self.splits,
            "models": {
                name: {
                    "log_loss": round(score.log_loss, 6),
                    "rmse_bins": round(score.rmse_bins, 6),
                    "auc": None if score.auc is None else round(score.auc, 6),
                }
                for name, score in self.models.items()
            },
        }


def log_loss(recalled: Sequence[bool], probabilities: Sequence[float]) -> float:
    """Mean negative log-likelihood of the outcomes (scikit-learn's ``log_loss``)."""
    if not recalled:
        raise ValueError("log loss of no predictions")
    total = 0.0
    for outcome, raw in zip(recalled, probabilities, strict=True):
        p = min(1 - _EPSILON, max(_EPSILON, raw))
        total -= math.log(p) if outcome else math.log(1 - p)
    return total / len(recalled)


def auc(recalled: Sequence[bool], probabilities: Sequence[float]) -> float | None:
    """Area under the ROC curve (scikit-learn's ``roc_auc_score``): the chance a recalled
    review was predicted higher than a forgotten one, ties counting half; ``None`` when all
    outcomes are the same."""
    positives = sum(1 for outcome in recalled if outcome)
    negatives = len(recalled) - positives
    if positives == 0 or negatives == 0:
        return None
    order = sorted(range(len(probabilities)), key=lambda index: probabilities[index])
    ranks = [0.0] * len(order)
    start = 0
    while start < len(order):  # average ranks over ties (Mann–Whitney U)
        end = start
        while end + 1 < len(order) and probabilities[order[end + 1]] == probabilities[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    positive_ranks = sum(rank for rank, outcome in zip(ranks, recalled, strict=True) if outcome)
    return (positive_ranks - positives * (positives + 1) / 2) / (positives * negatives)


def _bin(value: float, base: float, scale: float, places: int) -> float:
    return round(scale * base ** math.floor(math.log(value) / math.log(base)), places)


def rmse_bins(predictions: Sequence[Prediction], weights: Sequence[float] | None = None) -> float:
    """srs-benchmark's RMSE(bins) (``utils.rmse_matrix``): predictions grouped by elapsed days
    (bins ``2.48·3.62^k``), review number (``1.99·1.89^k``) and lapses (0, or
    ``1.65·1.73^k``); the root of the weighted mean, over the groups, of (mean outcome − mean
    prediction)², each group weighing the sum of its predictions' ``weights`` (1 each unless
    given, as the benchmark scores)."""
    if not predictions:
        raise ValueError("RMSE(bins) of no predictions")
    if weights is None:
        weights = [1.0] * len(predictions)
    groups: dict[tuple[float, float, float], list[float]] = {}
    for one, weight in zip(predictions, weights, strict=True):
        key = (
            _bin(max(one.elapsed_days, 1e-6), 3.62, 2.48, 2),
            _bin(one.review_number, 1.89, 1.99, 0),
            0.0 if one.lapses == 0 else _bin(one.lapses, 1.73, 1.65, 0),
        )
        tally = groups.setdefault(key, [0.0, 0.0, 0.0, 0.0])
        tally[0] += 1.0 if one.recalled else 0.0
        tally[1] += one.probability
        tally[2] += 1
        tally[3] += weight
    squared = sum(
        ((hits - predicted) / count) ** 2 * weight
        for hits, predicted, count, weight in groups.values()
    )
    return math.sqrt(squared / sum(weights))


def time_series_splits(samples: int, splits: int = SPLITS) -> list[tuple[range, range]]:
    """scikit-learn's ``TimeSeriesSplit(n_splits=splits).split`` over ``samples`` ordered
    samples: ``(train, test)`` index ranges, each test fold ``samples // (splits + 1)`` long,
    the last ending at the end, each training on everything before its test fold."""
    folds = splits + 1
    if samples < folds:
        raise NotEnoughReviews(samples, folds)
    size = samples // folds
    starts = range(samples - splits * size, samples, size)
    return [(range(0, start), range(start, start + size)) for start in starts]


def sm2_recall(elapsed_days: float, interval: float) -> float:
    """SM-2's recall prediction as srs-benchmark makes it: 90 % at the end of the interval,
    ``0.9 ** (elapsed / interval)``."""
    return float(0.9 ** (elapsed_days / interval))


@dataclass(frozen=True)
class _Review:
    """A scorable review: which answer of which card, and its RMSE(bins) keys."""

    card: int
    index: int
    at: datetime
    elapsed_days: int
    review_number: int
    lapses: int
    recalled: bool


def _scorable(cards: dict[int, list[Answer]]) -> list[_Review]:
    """Every review after an earlier day's review of the same card, in the order they
    happened."""
    found: list[_Review] = []
    for card, answers in cards.items():
        long_term = 0
        lapses = 0
        for index in range(1, len(answers)):
            elapsed = (answers[index].day - answers[index - 1].day).days
            if elapsed <= 0:
                continue
            long_term += 1
            recalled = answers[index].rating != Rating.AGAIN
            found.append(
                _Review(
                    card,
                    index,
                    answers[index].at,
                    elapsed,
                    long_term + 1,
                    lapses,
                    recalled,
                )
            )
            if not recalled:
                lapses += 1
    found.sort(key=lambda review: (review.at, review.card, review.index))
    return found


def _fsrs_reviews(answers: Sequence[Answer]) -> list[Any]:
    from fsrs_rs_python import FSRSReview

    reviews = []
    for index, answer in enumerate(answers):
        delta = 0 if index == 0 else max(0, (answer.day - answers[index - 1].day).days)
        reviews.append(FSRSReview(int(answer.rating), delta))
    return reviews


def _fsrs_stabilities(
    whole: dict[int, Any], parameters: Sequence[float], wanted: set[int]
) -> dict[int, list[float]]:
    """Each wanted card's stability after each of its answers, under ``parameters`` (``whole``
    holds each card's whole history as one fsrs-rs item)."""
    import fsrs_rs_python

    model = fsrs_rs_python.FSRS(list(parameters))
    keys = sorted(wanted)
    states = model.historical_memory_state_batch([whole[key] for key in keys]) if keys else []
    return {key: [s.stability for s in one] for key, one in zip(keys, states, strict=True)}


def _by_card(answers: Iterable[Answer]) -> dict[int, list[Answer]]:
    """Each card's answers in the order they were given."""
    cards: dict[int, list[Answer]] = {}
    for answer in sorted(answers, key=lambda one: (one.card, one.at)):
        cards.setdefault(answer.card, []).append(answer)
    return cards


def fsrs_predictions(
    answers: Iterable[Answer], parameters: Sequence[float] = DEFAULT_PARAMETERS
) -> list[Prediction]:
    """FSRS's predicted recall, under ``parameters``, for every review that follows an earlier
    day's review of the same card, in the order they happened (no split: each prediction
    reads only the card's earlier answers, but the parameters are not fitted here)."""
    from fsrs_rs_python import FSRSItem

    cards = _by_card(answers)
    whole = {key: FSRSItem(_fsrs_reviews(card)) for key, card in cards.items()}
    stabilities = _fsrs_stabilities(whole, parameters, set(cards))
    return [
        Prediction(
            one.recalled,
            retrievability(one.elapsed_days, stabilities[one.card][one.index - 1], parameters),
            one.elapsed_days,
            one.review_number,
            one.lapses,
        )
        for one in _scorable(cards)
    ]


def _sm2_intervals(answers: Sequence[Answer]) -> list[int]:
    """SM-2's interval after each answer, replayed from the stored qualities."""
    state = SM2State()
    intervals = []
    for answer in answers:
        state = review(state, answer.quality)
        intervals.append(state.interval)
    return intervals


def _score(reviews: Sequence[_Review], probabilities: Sequence[float]) -> ModelScore:
    recalled = [one.recalled for one in reviews]
    predictions = [
        Prediction(one.recalled, p, one.elapsed_days, one.review_number, one.lapses)
        for one, p in zip(reviews, probabilities, strict=True)
    ]
    return ModelScore(
        log_loss(recalled, probabilities), rmse_bins(predictions), auc(recalled, probabilities)
    )


def evaluate(
    answers: Iterable[Answer], *, splits: int = SPLITS, epochs: int | None = None
) -> Evaluation:
    """Score SM-2, FSRS with default parameters and FSRS fitted per split on ``answers`` (the
    learner's schedule-moving answers, any order). Raises :class:`NotEnoughReviews` when
    fewer than ``splits + 1`` reviews can be scored. ``epochs`` overrides fsrs-rs's number of
    training passes (tests use few)."""
    from fsrs_rs_python import FSRSItem

    cards = _by_card(answers)
    reviews = sum(
        1
        for card in cards.values()
        for index, answer in enumerate(card)
        if index == 0 or answer.day != card[index - 1].day
    )
    scorable = _scorable(cards)
    folds = time_series_splits(len(scorable), splits)
    tested = [scorable[index] for _, test in folds for index in test]

    intervals = {key: _sm2_intervals(card) for key, card in cards.items()}
    sm2 = [sm2_recall(one.elapsed_days, intervals[one.card][one.index - 1]) for one in tested]

    histories = {key: _fsrs_reviews(card) for key, card in cards.items()}
    whole = {key: FSRSItem(reviews) for key, reviews in histories.items()}

    def predict(parameters: Sequence[float], part: Sequence[_Review]) -> list[float]:
        stabilities = _fsrs_stabilities(whole, parameters, {one.card for one in part})
        return [
            retrievability(one.elapsed_days, stabilities[one.card][one.index - 1], parameters)
            for one in part
        ]

    default = predict(DEFAULT_PARAMETERS, tested)
    # Each split trains on a prefix of the scored reviews: one item per review, built once.
    training = [
        FSRSItem(histories[one.card][: one.index + 1]) for one in scorable[: folds[-1][0].stop]
    ]
    fitted: list[float] = []
    fitted_splits = 0
    for train, test in folds:
        items = training[: train.stop]
        fit = fit_items(items, len(items), epochs=epochs)
        fitted_splits += fit.fitted
        fitted.extend(predict(fit.parameters, [scorable[index] for index in test]))

    return Evaluation(
        reviews=reviews,
        cards=len(cards),
        splits=len(folds),
        scored=len(tested),
        models={
            "sm2": _score(tested, sm2),
            "fsrs_default": _score(tested, default),
            "fsrs_fitted": _score(tested, fitted),
        },
        fitted_splits=fitted_splits,
    )
