"""Calibration's pure parts: SM-2's reading of its interval, FSRS's replay, the bins."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quizcalc.scheduling.calibration import (
    CalibrationBin,
    calibration_bins,
    fsrs_predictions,
    sm2_recall,
)
from quizcalc.scheduling.fsrs import fsrs_review, retrievability
from quizcalc.scheduling.ratings import Rating

DAY = date(2026, 1, 5)


def test_sm2_predicts_ninety_percent_on_time_and_less_when_late() -> None:
    assert sm2_recall(10, 10) == pytest.approx(0.9)
    assert sm2_recall(20, 10) == pytest.approx(0.81)
    assert sm2_recall(0, 10) == 1.0
    with pytest.raises(ValueError, match="at least a day"):
        sm2_recall(3, 0)


def test_bins_hold_mean_prediction_share_recalled_and_count() -> None:
    pairs = [(0.95, True), (0.91, True), (0.93, False), (0.55, False), (1.0, True), (0.0, False)]
    assert calibration_bins(pairs) == (
        CalibrationBin(0.0, 0.1, predicted=0.0, actual=0.0, count=1),
        CalibrationBin(0.5, 0.6, predicted=0.55, actual=0.0, count=1),
        CalibrationBin(0.9, 1.0, predicted=pytest.approx(0.9475), actual=0.75, count=4),
    )
    assert calibration_bins([]) == ()
    with pytest.raises(ValueError, match="probability"):
        calibration_bins([(1.2, True)])


def test_fsrs_scores_each_later_review_with_the_memory_before_it() -> None:
    history = [
        (Rating.GOOD, DAY),
        (Rating.GOOD, DAY + timedelta(days=3)),
        (Rating.AGAIN, DAY + timedelta(days=20)),
    ]
    first = fsrs_review(None, Rating.GOOD, 0)
    second = fsrs_review(first, Rating.GOOD, 3)
    assert fsrs_predictions(history) == [
        (pytest.approx(retrievability(3, first.stability)), True),
        (pytest.approx(retrievability(17, second.stability)), False),
    ]
    same_day = [(Rating.AGAIN, DAY), (Rating.GOOD, DAY)]
    assert fsrs_predictions(same_day) == []


def test_the_batch_gives_each_cards_predictions_in_order_to_the_bit() -> None:
    import random

    from quizcalc.scheduling.calibration import fsrs_predictions_batch
    from quizcalc.scheduling.fsrs import DEFAULT_PARAMETERS

    rng = random.Random(7)
    histories = []
    for _ in range(200):
        day, history = DAY, []
        for _ in range(rng.randint(0, 15)):
            day += timedelta(days=rng.choice((0, 1, 3, 8, 40)))
            history.append((Rating(rng.randint(1, 4)), day))
        histories.append(history)
    fitted = (*(w * 0.9 for w in DEFAULT_PARAMETERS[:20]), 0.4)
    for parameters in (DEFAULT_PARAMETERS, fitted):
        expected = [pair for h in histories for pair in fsrs_predictions(h, parameters)]
        assert len(expected) > 1000
        assert fsrs_predictions_batch(histories, parameters) == expected
    assert fsrs_predictions_batch([]) == []


def test_binning_pairs_is_binning_groups_of_one_to_the_bit() -> None:
    import random

    from quizcalc.scheduling.calibration import grouped_calibration_bins

    rng = random.Random(11)
    pairs = [(rng.random(), rng.random() < 0.8) for _ in range(5000)] + [(1.0, True)]
    groups = [(p, int(r), 1) for p, r in pairs]
    assert calibration_bins(pairs) == grouped_calibration_bins(groups)
    assert len(calibration_bins(pairs)) == 10
