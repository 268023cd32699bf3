"""The fit: on a learner simulated from known FSRS parameters it beats the defaults and moves
toward the truth; below fsrs-rs's minimum the defaults stay and the shortfall is exact."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import fsrs_rs_python
import pytest

from quizcalc.scheduling.evaluation import Answer, evaluate, fsrs_predictions, rmse_bins
from quizcalc.scheduling.fitting import (
    MINIMUM_TRAINING_REVIEWS,
    card_items,
    fit_parameters,
)
from quizcalc.scheduling.fsrs import DEFAULT_PARAMETERS
from quizcalc.scheduling.ratings import Rating
from tests.scheduling.fsrs_learner import TRUE_PARAMETERS, simulated_answers


@pytest.fixture(scope="module")
def answers() -> list[Answer]:
    """The simulated learner's history (seeded: the same every run)."""
    return simulated_answers()


def test_the_fit_beats_the_defaults_on_a_learner_with_known_parameters(
    answers: list[Answer],
) -> None:
    result = evaluate(answers)
    assert result.fitted_splits == result.splits == 5
    fitted, default = result.models["fsrs_fitted"], result.models["fsrs_default"]
    assert fitted.log_loss < default.log_loss - 0.003
    assert fitted.rmse_bins < default.rmse_bins


def test_the_fitted_parameters_move_toward_the_true_ones(answers: list[Answer]) -> None:
    histories: dict[int, list[tuple[Rating, date]]] = {}
    for answer in answers:
        histories.setdefault(answer.card, []).append((answer.rating, answer.day))
    result = fit_parameters(histories.values())
    assert result.fitted and result.missing == 0
    assert result.reviews == len(answers)  # one answer per card and day
    # the four initial stabilities and the forgetting curve's decay
    for index in (0, 1, 2, 3, 20):
        moved = abs(result.parameters[index] - TRUE_PARAMETERS[index])
        assert moved < abs(DEFAULT_PARAMETERS[index] - TRUE_PARAMETERS[index]), index


def _second_reviews(*groups: tuple[int, int]) -> list[list[tuple[Rating, date]]]:
    """Cards rated Good on day 0 and again after ``days``, ``count`` of them per group."""
    start = date(2026, 5, 1)
    return [
        [(Rating.GOOD, start), (Rating.GOOD, start + timedelta(days=days))]
        for count, days in groups
        for _ in range(count)
    ]


def _librarys_fit(histories: list[list[tuple[Rating, date]]]) -> list[float]:
    items = [item for history in histories for _, item in card_items(history)]
    return fsrs_rs_python.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(items)


def test_below_the_minimum_the_defaults_stay_and_the_missing_count_is_exact() -> None:
    # fsrs-rs drops rare first intervals (up to 20 second reviews per first rating): of these
    # 20 cards only the 7 last kept ones train, one short of the library's minimum of 8.
    histories = _second_reviews((6, 1), (7, 2), (7, 3))
    result = fit_parameters(histories)
    assert (result.fitted, result.training_reviews, result.missing) == (False, 7, 1)
    assert result.parameters == DEFAULT_PARAMETERS
    assert result.reviews == 40
    assert _librarys_fit(histories) == pytest.approx(list(DEFAULT_PARAMETERS), abs=1e-4)


def test_at_the_minimum_the_library_fits() -> None:
    histories = _second_reviews((6, 1), (6, 2), (8, 3))
    result = fit_parameters(histories)
    assert (result.fitted, result.training_reviews, result.missing) == (True, 8, 0)
    assert result.training_reviews == MINIMUM_TRAINING_REVIEWS
    assert result.parameters != pytest.approx(DEFAULT_PARAMETERS, abs=1e-4)
    assert list(result.parameters) == pytest.approx(_librarys_fit(histories))


def test_no_history_is_eight_reviews_short() -> None:
    result = fit_parameters([])
    assert (result.fitted, result.reviews, result.missing) == (False, 0, MINIMUM_TRAINING_REVIEWS)


def test_fsrs_predictions_and_bins_reproduce_the_librarys_own_evaluation(
    answers: list[Answer],
) -> None:
    """fsrs-rs's ``evaluate`` weighs item ``i`` of ``n`` by ``0.25 + 0.75·(i/(n−1))³``; with
    the same weights our predictions and RMSE bins give its numbers (float32 apart)."""
    # The library's items, built here independently: each review after an earlier day's
    # review of its card, with the card's history, in the order the reviews happened.
    by_card: dict[int, list[Answer]] = {}
    for answer in sorted(answers, key=lambda a: (a.card, a.at)):
        by_card.setdefault(answer.card, []).append(answer)
    dated: list[tuple[datetime, fsrs_rs_python.FSRSItem]] = []
    for card in by_card.values():
        history = [(a.rating, a.day) for a in card]
        times = {a.day: a.at for a in card}
        dated.extend((times[day], item) for day, item in card_items(history))
    items = [item for _, item in sorted(dated, key=lambda pair: pair[0])]
    theirs = fsrs_rs_python.FSRS(list(DEFAULT_PARAMETERS)).evaluate(items)

    ours = fsrs_predictions(answers)
    assert len(ours) == len(items) > 1000
    weights = [0.25 + 0.75 * (i / (len(ours) - 1)) ** 3 for i in range(len(ours))]
    weighted_log_loss = -sum(
        w * math.log(p.probability if p.recalled else 1 - p.probability)
        for w, p in zip(weights, ours, strict=True)
    ) / sum(weights)
    assert weighted_log_loss == pytest.approx(theirs.log_loss, rel=1e-5)
    # fsrs-rs weighs each bin by its items' summed weights
    assert rmse_bins(ours, weights) == pytest.approx(theirs.rmse_bins, rel=1e-5)
