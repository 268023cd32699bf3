"""Part of :class:`~quizcalc.study.service.StudyService`: FSRS fitted to the learner's log, and
the honest numbers on how well each scheduler predicts their recall.

Both read the review log, the source of truth: each card's schedule-moving answers since its
last reset (:func:`~quizcalc.study.review_history.rated_days`). The fit is stored in the
collection (a ``collection_settings`` row named :data:`FSRS_PARAMETERS_SETTING`, JSON
``{"parameters": [21 floats], "reviews": n, "fitted_at": iso}``), so it travels with backups;
:meth:`SchedulerNumbersUseCases.stored_fit` is what the FSRS answer path schedules with.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from quizcalc.scheduling.evaluation import Answer, Evaluation, NotEnoughReviews, evaluate
from quizcalc.scheduling.fitting import FitResult, counted_reviews, fit_parameters
from quizcalc.scheduling.fsrs import DEFAULT_PARAMETERS
from quizcalc.store.models import CollectionSettingRecord
from quizcalc.study.collection_base import CollectionAccess, sql_runner
from quizcalc.study.collection_values import FSRS_FIT_SETTING
from quizcalc.study.errors import InvalidRequest, use_case
from quizcalc.study.fsrs_parameters import parse_fit
from quizcalc.study.review_history import LoggedReview, card_histories, rated_days

__all__ = [
    "FSRS_PARAMETERS_SETTING",
    "SchedulerNumbersUseCases",
    "StoredFit",
    "demo_evaluation",
    "evaluation_answers",
]

FSRS_PARAMETERS_SETTING = FSRS_FIT_SETTING
"""The ``collection_settings`` row holding the stored fit."""


@dataclass(frozen=True)
class StoredFit:
    """The FSRS parameters the collection schedules with."""

    parameters: tuple[float, ...]
    """The 21 FSRS-6 parameters."""
    reviews: int
    """Reviews the fit came from (0: the defaults, never fitted)."""
    fitted_at: datetime | None
    """When the fit ran (``None``: the defaults)."""

    @property
    def is_default(self) -> bool:
        """True when no fit is stored (the library's defaults apply)."""
        return self.fitted_at is None


DEFAULT_FIT = StoredFit(DEFAULT_PARAMETERS, 0, None)
"""What :meth:`SchedulerNumbersUseCases.stored_fit` returns before any fit."""


def evaluation_answers(history: Sequence[LoggedReview]) -> list[Answer]:
    """One card's answers the evaluation replays: the same rows as
    :func:`~quizcalc.study.review_history.rated_days` (schedule-moving answers since the last
    reset), with when they happened and the quality SM-2 read."""
    start = 0
    for index, row in enumerate(history):
        if row.kind == "reset":
            start = index + 1
    return [
        Answer(row.card_key, row.reviewed_at, row.study_day, row.rating, row.quality)
        for row in history[start:]
        if row.moved_schedule
    ]


def _stored_fit(raw: str) -> StoredFit | None:
    """The stored fit in ``raw``, or ``None`` when it is unusable (then the defaults apply)."""
    fit = parse_fit(raw)
    if not fit.fitted or fit.fitted_at is None:
        return None
    try:
        fitted_at = datetime.fromisoformat(fit.fitted_at)
    except ValueError:
        return None
    return StoredFit(fit.parameters, fit.fitted_reviews or 0, fitted_at)


class SchedulerNumbersUseCases(CollectionAccess):
    """Fit FSRS to the learner's log, store and read the fit, and evaluate the schedulers."""

    @use_case("evaluate the schedulers")
    def evaluate_scheduler(self, now: datetime, *, epochs: int | None = None) -> Evaluation:
        """SM-2, FSRS with default parameters and FSRS fitted on earlier reviews, each scored
        on the learner's later reviews (answers given after ``now`` are left out). Too short a
        log raises :class:`~quizcalc.study.errors.InvalidRequest` saying how many reviews it
        has and needs."""
        with self.transaction() as session:
            histories = card_histories(sql_runner(session))
        answers = [
            answer
            for history in histories.values()
            for answer in evaluation_answers(history)
            if answer.at <= now
        ]
        try:
            return evaluate(answers, epochs=epochs)
        except NotEnoughReviews as exc:
            raise InvalidRequest(f"too few reviews to evaluate: {exc}") from exc

    @use_case("fit FSRS to your reviews")
    def fit_scheduler(self, now: datetime, *, epochs: int | None = None) -> FitResult:
        """Fit FSRS-6 on the learner's rated days and store the parameters, with the review
        count they came from and ``now``. Below the library's minimum nothing is stored (the
        defaults, or an earlier fit, stay) and the result says how many reviews are missing.
        Under FSRS, every card's memory is then replayed from its log with the new parameters
        (as Anki recomputes memory states after optimising)."""
        with self.transaction() as session:
            histories = card_histories(sql_runner(session))
        result = fit_parameters(
            [rated_days(history) for history in histories.values()], epochs=epochs
        )
        if result.fitted:
            value = {
                "parameters": list(result.parameters),
                "reviews": result.reviews,
                "fitted_at": now.isoformat(),
            }
            with self.transaction(write=True) as session:
                session.merge(
                    CollectionSettingRecord(name=FSRS_PARAMETERS_SETTING, value=json.dumps(value))
                )
                session.flush()
                settings = self.locked_scheduler_settings(session)  # the new fit included
                if settings.algorithm == "fsrs":  # memory states from the new parameters
                    from quizcalc.study.schedule_rebuild import rebuild_schedules

                    rebuild_schedules(session, settings)
        return result

    @use_case("count the reviews a fit reads")
    def reviews_to_fit(self) -> int:
        """How many reviews :meth:`fit_scheduler` would read now (its
        :attr:`~quizcalc.scheduling.fitting.FitResult.reviews`): each card's schedule-moving
        answers since its last reset, same-day repeats left out. Said while a fit runs."""
        with self.transaction() as session:
            histories = card_histories(sql_runner(session))
        return sum(counted_reviews(rated_days(history)) for history in histories.values())

    @use_case("read the FSRS parameters")
    def stored_fit(self) -> StoredFit:
        """The stored fit, or :data:`DEFAULT_FIT` (the library's defaults) when there is none
        or it cannot be used."""
        with self.transaction() as session:
            rows = sql_runner(session)(
                "SELECT value FROM collection_settings WHERE name = :name",
                {"name": FSRS_PARAMETERS_SETTING},
            )
        if not rows:
            return DEFAULT_FIT
        return _stored_fit(str(rows[0][0])) or DEFAULT_FIT


def demo_evaluation(now: datetime, *, epochs: int | None = None) -> Evaluation:
    """The evaluation of a simulated year (:func:`~quizcalc.study.demo.build_demo`) in a
    throwaway database deleted before this returns: never the learner's own data."""
    import tempfile
    from pathlib import Path

    from quizcalc.config import Config
    from quizcalc.store.engine import open_store
    from quizcalc.study.demo import build_demo

    config = Config()
    with tempfile.TemporaryDirectory(prefix="quizcalc-demo-") as folder:
        store = open_store(Path(folder) / "demo.sqlite3")
        try:
            build_demo(store, now, config)
            return SchedulerNumbersUseCases(store, config).evaluate_scheduler(now, epochs=epochs)
        finally:
            store.close()
