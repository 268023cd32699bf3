"""Skills that credit each other, end to end: a passed momentum step credits gradient descent
(weight 0.5), a misconception of gradient descent's blames it, undo takes both back, and a
replay of the log rebuilds the credit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.schedule_rebuild import rebuild_schedules
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # every test here taking db_url runs on both backends

DECK = """# Optimisation

```problem
family: gd_steps
difficulty: 1
```

```problem
family: momentum
difficulty: 1
```
"""


@pytest.fixture(params=["sm2", "fsrs"])
def service(request: pytest.FixtureRequest, db_url: str, write_deck) -> StudyService:
    opened = StudyService.open(
        db_url, Config(implicit_repetition=True, algorithm=request.param, new_per_day=5)
    )
    opened.sync(write_deck(DECK), FIXED_NOW)
    yield opened
    opened.close()


def _rows(service: StudyService, sql: str, **params: object) -> list[tuple[object, ...]]:
    """``sql``'s rows, read on the service's own database (SQLite or PostgreSQL)."""
    from sqlalchemy import text

    with service.store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def _keys(service: StudyService) -> dict[str, int]:
    return {str(family): int(key) for family, key in _rows(service, "SELECT family, id FROM cards")}


def _due(service: StudyService, key: int) -> str | None:
    (due,) = _rows(service, "SELECT due FROM schedule WHERE card_key = :key", key=key)[0]
    return None if due is None else str(due)  # SQLite's text, PostgreSQL's date: one ISO form


def _credits(service: StudyService) -> list[tuple[object, ...]]:
    return _rows(
        service,
        "SELECT card_key, kind, weight, cause_id FROM review_log "
        "WHERE kind IN ('implicit', 'blame') ORDER BY id",
    )


def _learned(service: StudyService) -> dict[str, int]:
    """Both skills answered twice (day 0 and when due), so each has an interval to credit."""
    keys = _keys(service)
    service.answer(keys["gd_steps"], 5, FIXED_NOW)
    service.answer(keys["momentum"], 5, FIXED_NOW + timedelta(minutes=5))
    return keys


def test_a_passed_encompassing_skill_credits_its_component_and_undo_takes_it_back(
    service: StudyService,
) -> None:
    keys = _learned(service)
    gd_due = _due(service, keys["gd_steps"])
    credits = _credits(service)
    # Answering momentum on day 0 credited gradient descent, answered minutes before.
    assert [(c[0], c[1], c[2]) for c in credits] in ([], [(keys["gd_steps"], "implicit", 0.5)])
    later = FIXED_NOW + timedelta(days=3)
    outcome = service.answer(keys["momentum"], 5, later)
    after = _credits(service)[-1]
    assert after[:3] == (keys["gd_steps"], "implicit", 0.5) and after[3] == outcome.log_id
    credited = _due(service, keys["gd_steps"])
    assert credited is not None and gd_due is not None and credited > gd_due

    with service.transaction(write=True) as session:  # the log alone rebuilds the credit
        assert rebuild_schedules(session, service.scheduler_settings) == 0

    service.undo(outcome.log_id)
    assert _credits(service) == credits
    assert _due(service, keys["gd_steps"]) == gd_due


def test_a_misconception_of_the_component_makes_it_due_today(service: StudyService) -> None:
    keys = _learned(service)
    service.answer(keys["gd_steps"], 5, FIXED_NOW + timedelta(days=1))  # due days later
    later = FIXED_NOW + timedelta(days=2)
    assert _due(service, keys["gd_steps"]) > service.today(later).isoformat()
    service.answer(keys["momentum"], 2, later, misconception="sign-error")
    blame = _credits(service)[-1]
    assert blame[:2] == (keys["gd_steps"], "blame")
    assert _due(service, keys["gd_steps"]) == service.today(later).isoformat()


def test_off_by_the_setting(db_url: str, write_deck) -> None:
    service = StudyService.open(db_url, Config(implicit_repetition=False, new_per_day=5))
    service.sync(write_deck(DECK), FIXED_NOW)
    keys = _learned(service)
    service.answer(keys["momentum"], 5, FIXED_NOW + timedelta(days=3))
    assert _credits(service) == []
    service.close()


def test_todays_queue_offers_the_encompassing_skill_first_and_its_pass_credits_the_other(
    service: StudyService,
) -> None:
    keys = _learned(service)
    late = FIXED_NOW + timedelta(days=40)  # both long due
    queue = service.queue(late)
    assert queue.due == [keys["momentum"], keys["gd_steps"]]  # gd_steps was due first
    service.answer(keys["momentum"], 5, late)
    # The credit moved gradient descent as far as a half review of a long-overdue card goes.
    assert _credits(service)[-1][:2] == (keys["gd_steps"], "implicit")


def test_without_implicit_repetition_the_queue_keeps_due_order(db_url: str, write_deck) -> None:
    service = StudyService.open(db_url, Config(implicit_repetition=False, new_per_day=5))
    service.sync(write_deck(DECK), FIXED_NOW)
    keys = _learned(service)
    assert service.queue(FIXED_NOW + timedelta(days=40)).due == [keys["gd_steps"], keys["momentum"]]
    service.close()


PARTIAL_DECK = """# Curvature

```problem
family: eigen_2x2
difficulty: 2
```

```problem
family: eigen_2x2
difficulty: 3
```

```problem
family: convexity
difficulty: 2
```

```problem
family: convexity
difficulty: 3
```
"""


def test_an_edge_that_holds_at_one_difficulty_credits_only_there(db_url: str, write_deck) -> None:
    """convexity encompasses eigen_2x2 at difficulty 2 only (a constant Hessian's
    definiteness): its pass at 2 credits eigen_2x2 at 2; its pass at 3 credits nothing."""
    service = StudyService.open(db_url, Config(implicit_repetition=True, new_per_day=5))
    service.sync(write_deck(PARTIAL_DECK), FIXED_NOW)
    keys = {
        (str(family), int(difficulty)): int(key)  # type: ignore[call-overload]
        for family, difficulty, key in _rows(service, "SELECT family, difficulty, id FROM cards")
    }
    for minutes, skill in enumerate(sorted(keys)):
        service.answer(keys[skill], 5, FIXED_NOW + timedelta(minutes=minutes))
    later = FIXED_NOW + timedelta(days=3)
    service.answer(keys[("convexity", 3)], 5, later)
    service.answer(keys[("convexity", 2)], 5, later + timedelta(minutes=1))
    credited = {row[0] for row in _credits(service) if row[1] == "implicit"}
    assert credited == {keys[("eigen_2x2", 2)]}
    service.close()
