"""A problem card's FSRS rating against the learner's own times, through the database.

The typical time of a family is its stated ``target_seconds`` (90 s for gradient-descent steps
at difficulty 1) until the learner has 20 answer times for the family; then it is the median
of their latest 200. The rating stored on the answer row follows: Easy within half the typical
time, Good within one and a half times it, Hard slower (first try, no hint).

On SQLite and on PostgreSQL (the latest times are read in SQL: a join, ordering, a limit).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from quizcalc.config import Config
from quizcalc.problems.registry import get_family
from quizcalc.scheduling.ratings import OWN_TIMES_NEEDED, ProblemEvidence, Rating
from quizcalc.store.models import CardRecord, ReviewLogRecord
from quizcalc.study import StudyService
from quizcalc.study.review import OWN_TIMES_READ, rating_of
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # every test here runs on both backends

DECK = """# Optimisation

```problem
family: gd_steps
difficulty: 1
```
"""

STATED = get_family("gd_steps").target_seconds[0]
OWN = 20.0
"""The learner's own time in every inserted row: far below the stated time."""


@pytest.fixture
def service(db_url: str, write_deck) -> Iterator[StudyService]:
    opened = StudyService.open(db_url, Config(algorithm="fsrs", new_per_day=5))
    opened.sync(write_deck(DECK), FIXED_NOW)
    yield opened
    opened.close()


def _card_key(service: StudyService) -> int:
    with service.transaction() as session:
        key = session.scalar(select(CardRecord.id).where(CardRecord.family == "gd_steps"))
    assert key is not None
    return int(key)


def _insert_times(service: StudyService, seconds: Sequence[float]) -> None:
    """Answers of the family with these times, oldest first, days before ``FIXED_NOW``."""
    key = _card_key(service)
    start = FIXED_NOW - timedelta(days=len(seconds) + 1)
    rows = [
        {
            "card_key": key,
            "reviewed_at": start + timedelta(days=i),
            "study_day": (start + timedelta(days=i)).date(),
            "quality": 4,
            "kind": "review",
            "duration_ms": round(time * 1000),
            "before_repetitions": 0,
            "before_easiness": 2.5,
            "before_interval": 0,
            "before_due": None,
            "before_lapses": 0,
            "after_repetitions": 1,
            "after_easiness": 2.5,
            "after_interval": 1,
            "after_due": None,
        }
        for i, time in enumerate(seconds)
    ]
    with service.transaction(write=True) as session:
        session.execute(insert(ReviewLogRecord), rows)


def _rating(service: StudyService, seconds: float) -> Rating:
    evidence = ProblemEvidence(solved=True, tries=1, hints=0, seconds=seconds)
    with service.transaction() as session:
        card = session.get(CardRecord, _card_key(service))
        assert card is not None
        return rating_of(session, card, 5, evidence)


def test_the_stated_time_counts_until_twenty_own_times(service: StudyService) -> None:
    assert (STATED, OWN_TIMES_NEEDED) == (90, 20)
    # 40 s: Easy against the stated 90 s (within 45 s), Hard against the learner's 20 s.
    _insert_times(service, [OWN] * (OWN_TIMES_NEEDED - 1))
    assert _rating(service, 40) == Rating.EASY  # 19 times are not enough
    _insert_times(service, [OWN])
    assert _rating(service, 40) == Rating.HARD  # the 20th switches to the median


def test_the_median_is_of_the_latest_times(service: StudyService) -> None:
    # 150 old answers at 100 s, then 150 at 20 s: the median of all 300 would be 60 s (25 s
    # Easy), of the latest 200 it is 20 s (25 s Good).
    assert OWN_TIMES_READ == 200
    _insert_times(service, [100.0] * 150 + [OWN] * 150)
    assert _rating(service, 25) == Rating.GOOD


def _answer_ratings(service: StudyService, times: Sequence[float]) -> list[int]:
    """Answer the card once per time (no time recorded, so the pool stays as it is); the
    ratings stored on the answer rows."""
    key = _card_key(service)
    ids = []
    for minute, seconds in enumerate(times):
        evidence = ProblemEvidence(solved=True, tries=1, hints=0, seconds=seconds)
        outcome = service.answer(key, 5, FIXED_NOW + timedelta(minutes=minute), evidence=evidence)
        ids.append(outcome.log_id)
    with service.transaction() as session:
        stored = dict(
            session.execute(
                select(ReviewLogRecord.id, ReviewLogRecord.rating).where(
                    ReviewLogRecord.id.in_(ids)
                )
            ).all()
        )
    return [stored[log_id] for log_id in ids]


def test_the_stored_rating_follows_the_own_times(service: StudyService) -> None:
    _insert_times(service, [OWN] * OWN_TIMES_NEEDED)
    # Typical 20 s: Easy within 10 s, Good within 30 s, Hard slower.
    assert _answer_ratings(service, [8, 25, 40]) == [Rating.EASY, Rating.GOOD, Rating.HARD]


def test_the_stored_rating_follows_the_stated_time_before(service: StudyService) -> None:
    _insert_times(service, [OWN] * (OWN_TIMES_NEEDED - 1))
    # Typical 90 s: Easy within 45 s, Good within 135 s, Hard slower.
    assert _answer_ratings(service, [40, 100, 200]) == [Rating.EASY, Rating.GOOD, Rating.HARD]
