"""The evaluation's metrics against hand-computed values, its splits against scikit-learn's
rule, and what it scores (same-day repeats stay in the history but are not scored)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest

from quizcalc.scheduling.evaluation import (
    Answer,
    NotEnoughReviews,
    Prediction,
    auc,
    evaluate,
    log_loss,
    rmse_bins,
    sm2_recall,
    time_series_splits,
)
from quizcalc.scheduling.fsrs import DEFAULT_PARAMETERS, memory_from_history, retrievability
from quizcalc.scheduling.ratings import Rating


def test_log_loss_of_two_predictions_by_hand() -> None:
    # −(ln 0.9 + ln(1 − 0.2)) / 2
    assert log_loss([True, False], [0.9, 0.2]) == pytest.approx(0.164252033, abs=1e-9)


def test_log_loss_of_a_certain_mistake_is_large_but_finite() -> None:
    assert 30 < log_loss([True], [0.0]) < 40  # clipped at float64's epsilon, as scikit-learn


def test_auc_of_a_perfect_a_reversed_and_a_tied_ranking() -> None:
    outcomes = [True, False, True, False]
    assert auc(outcomes, [0.9, 0.1, 0.8, 0.3]) == 1.0
    assert auc(outcomes, [0.1, 0.9, 0.3, 0.8]) == 0.0
    assert auc(outcomes, [0.5, 0.5, 0.5, 0.5]) == 0.5
    # one recalled review above the forgotten one, one below: half the pairs right
    assert auc([True, True, False], [0.5, 0.8, 0.6]) == 0.5
    # a tie between a recalled and a forgotten review counts half
    assert auc([True, True, False], [0.6, 0.8, 0.6]) == 0.75
    assert auc([True, True], [0.4, 0.6]) is None


def test_rmse_bins_on_a_tiny_case_by_hand() -> None:
    # elapsed 1 and 2 days share the bin 2.48 (k = 0), 5 days is 8.98 (k = 1); all are second
    # reviews with no lapse. Bin one: outcome 0.5 against 0.8 over 2; bin two: 1 against 0.6.
    predictions = [
        Prediction(True, 0.9, 1, 2, 0),
        Prediction(False, 0.7, 2, 2, 0),
        Prediction(True, 0.6, 5, 2, 0),
    ]
    expected = math.sqrt((2 * 0.3**2 + 1 * 0.4**2) / 3)
    assert rmse_bins(predictions) == pytest.approx(expected)
    # a lapse puts the second review in a bin of its own: every bin is one review
    lapsed = [*predictions[:1], Prediction(False, 0.7, 2, 2, 1), predictions[2]]
    assert rmse_bins(lapsed) == pytest.approx(math.sqrt((0.1**2 + 0.7**2 + 0.4**2) / 3))


def test_time_series_splits_follow_scikit_learn() -> None:
    splits = time_series_splits(13)
    assert [(train.stop, test.start, test.stop) for train, test in splits] == [
        (3, 3, 5),
        (5, 5, 7),
        (7, 7, 9),
        (9, 9, 11),
        (11, 11, 13),
    ]
    assert all(train.start == 0 for train, _ in splits)  # the first fold only trains
    with pytest.raises(NotEnoughReviews, match="needs 6"):
        time_series_splits(5)


def test_sm2_predicts_ninety_percent_at_the_end_of_its_interval() -> None:
    assert sm2_recall(6, 6) == pytest.approx(0.9)
    assert sm2_recall(12, 6) == pytest.approx(0.81)


def _card(card: int, *answers: tuple[int, Rating, int]) -> list[Answer]:
    """Answers (day, rating, quality) to ``card``, one minute apart on each day."""
    start = date(2026, 3, 1)
    found = []
    for number, (day, rating, quality) in enumerate(answers):
        when = start + timedelta(days=day)
        at = datetime(when.year, when.month, when.day, 18, number, card, tzinfo=UTC)
        found.append(Answer(card, at, when, rating, quality))
    return found


def test_same_day_repeats_stay_in_the_history_but_are_not_scored() -> None:
    # Twelve identical cards: Good, then Hard on the same day, then Good three days later.
    answers = [
        answer
        for card in range(12)
        for answer in _card(card, (0, Rating.GOOD, 4), (0, Rating.HARD, 3), (3, Rating.GOOD, 4))
    ]
    result = evaluate(answers)
    assert (result.reviews, result.cards, result.splits) == (24, 12, 5)
    assert result.scored == 10  # 12 scorable in 6 folds of 2: the first fold only trains
    # SM-2 replays the same-day Hard too: intervals 1, then 6; recall after 3 days 0.9^(3/6)
    assert result.models["sm2"].log_loss == pytest.approx(-math.log(0.9**0.5))
    memory = memory_from_history([(Rating.GOOD, 0), (Rating.HARD, 0)])
    assert memory is not None
    expected = retrievability(3, memory.stability, DEFAULT_PARAMETERS)
    assert result.models["fsrs_default"].log_loss == pytest.approx(-math.log(expected), rel=1e-5)
    assert result.models["sm2"].auc is None  # every review recalled: no ranking to score
    assert result.fitted_splits == 0  # far below fsrs-rs's minimum: the defaults stood in
    assert set(result.to_json()) == {"reviews", "cards", "splits", "models"}


def test_too_short_a_log_is_refused_with_the_counts() -> None:
    answers = [
        a for card in range(5) for a in _card(card, (0, Rating.GOOD, 4), (2, Rating.GOOD, 4))
    ]
    with pytest.raises(NotEnoughReviews) as caught:
        evaluate(answers)
    assert (caught.value.scored, caught.value.needed) == (5, 6)
