"""The scheduler's numbers over a real collection: the fit is stored with its review count and
time and read back, the evaluation reads the same answers FSRS replays, and a short log is
refused in one line."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from quizcalc.config import Config
from quizcalc.scheduling.fsrs import DEFAULT_PARAMETERS
from quizcalc.scheduling.ratings import Rating
from quizcalc.store.models import CollectionSettingRecord
from quizcalc.study import StudyService
from quizcalc.study.collection_base import sql_runner
from quizcalc.study.errors import InvalidRequest
from quizcalc.study.review_history import LoggedReview, card_histories, rated_days
from quizcalc.study.scheduler_numbers import FSRS_PARAMETERS_SETTING, evaluation_answers
from tests.conftest import FIXED_NOW


@pytest.fixture
def demo_file(calculus_demo: Path) -> Path:
    """The collection holding 150 simulated days on the Calculus deck (built once)."""
    return calculus_demo


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[StudyService]:
    """A copy of the demo collection, open (each test may write to its own)."""
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_file, path)
    service = StudyService.open(f"sqlite:///{path}", Config())
    yield service
    service.close()


@pytest.fixture
def empty(db_url: str) -> Iterator[StudyService]:
    """A new collection with no reviews."""
    service = StudyService.open(db_url, Config())
    yield service
    service.close()


def _stored(service: StudyService) -> str | None:
    with service.transaction() as session:
        return session.scalar(
            select(CollectionSettingRecord.value).where(
                CollectionSettingRecord.name == FSRS_PARAMETERS_SETTING
            )
        )


def test_a_fit_is_stored_with_its_review_count_and_time_and_read_back(
    demo: StudyService,
) -> None:
    assert demo.stored_fit().parameters == DEFAULT_PARAMETERS
    assert demo.stored_fit().is_default
    before = demo.reviews_to_fit()
    result = demo.fit_scheduler(FIXED_NOW)
    assert result.fitted and result.reviews > 500
    assert before == result.reviews  # what the settings screen says while the fit runs
    stored = json.loads(_stored(demo) or "{}")
    assert stored == {
        "parameters": list(result.parameters),
        "reviews": result.reviews,
        "fitted_at": "2026-11-26T09:00:00+00:00",
    }
    fit = demo.stored_fit()
    assert (fit.parameters, fit.reviews, fit.fitted_at) == (
        result.parameters,
        result.reviews,
        FIXED_NOW,
    )
    assert fit.parameters != DEFAULT_PARAMETERS


def test_an_unusable_stored_fit_gives_the_defaults(demo: StudyService) -> None:
    demo.fit_scheduler(FIXED_NOW)
    with demo.transaction(write=True) as session:
        record = session.get(CollectionSettingRecord, FSRS_PARAMETERS_SETTING)
        assert record is not None
        record.value = json.dumps({"parameters": [1.0] * 19, "reviews": 3, "fitted_at": "x"})
    assert demo.stored_fit().is_default


def test_below_the_minimum_nothing_is_stored(empty: StudyService) -> None:
    assert empty.reviews_to_fit() == 0
    result = empty.fit_scheduler(FIXED_NOW)
    assert (result.fitted, result.reviews, result.missing) == (False, 0, 8)
    assert _stored(empty) is None
    assert empty.stored_fit().parameters == DEFAULT_PARAMETERS


def test_the_evaluation_reads_the_answers_fsrs_replays(demo: StudyService) -> None:
    with demo.transaction() as session:
        histories = card_histories(sql_runner(session))
    relearns = sum(row.kind == "relearn" for rows in histories.values() for row in rows)
    assert relearns > 0  # the log holds answers that did not move the schedule
    for rows in histories.values():
        answers = evaluation_answers(rows)
        assert [(a.rating, a.day) for a in answers] == rated_days(rows)
    result = demo.evaluate_scheduler(FIXED_NOW)
    rated = sum(len({day for _, day in rated_days(rows)}) for rows in histories.values())
    assert result.reviews == rated
    assert result.cards == sum(1 for rows in histories.values() if rated_days(rows))
    assert set(result.models) == {"sm2", "fsrs_default", "fsrs_fitted"}
    for score in result.models.values():
        assert 0 < score.log_loss < 1 and 0 <= score.rmse_bins < 0.5
        assert score.auc is not None and 0.4 < score.auc < 0.9


def _row(number: int, kind: str, day: int, quality: int) -> LoggedReview:
    when = date(2026, 4, 1) + timedelta(days=day)
    state = (0, 2.5, 0, None)
    return LoggedReview(
        id=number,
        card_key=7,
        reviewed_at=datetime(when.year, when.month, when.day, 12, number, tzinfo=UTC),
        study_day=when,
        kind=kind,
        quality=quality,
        rating=Rating.GOOD if quality >= 4 else Rating.AGAIN,
        weight=None,
        cause_id=None,
        before=state,
        after=state,
        duration_ms=None,
        misconception=None,
    )


def test_answers_before_a_reset_are_not_replayed() -> None:
    rows = [
        _row(1, "review", 0, 4),
        _row(2, "review", 3, 1),
        _row(3, "reset", 3, 0),
        _row(4, "review", 5, 4),
        _row(5, "relearn", 5, 4),
        _row(6, "review", 9, 5),
    ]
    answers = evaluation_answers(rows)
    assert [(a.day.day, a.quality) for a in answers] == [(6, 4), (10, 5)]


def test_too_short_a_log_is_one_clear_error(empty: StudyService) -> None:
    with pytest.raises(InvalidRequest, match=r"^too few reviews to evaluate: .* needs 6 .* has 0$"):
        empty.evaluate_scheduler(FIXED_NOW)
