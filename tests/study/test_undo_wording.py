"""Undo of an answer refused by a newer row of the card's log says what that row is and what to
do: a later answer, a reset to new, a credit or a blame from a later review of another card
(not "a later answer" for rows the learner never gave). Nothing is undone when refused.
On SQLite and on PostgreSQL: the newer row is found by the log's order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import text

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.errors import InvalidRequest
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends
from tests.study.test_implicit_credit import DECK

__all__ = ["db_url_on_both_backends"]  # every test here runs on SQLite and on PostgreSQL


@pytest.fixture
def service(db_url: str, write_deck) -> Iterator[StudyService]:
    opened = StudyService.open(db_url, Config(implicit_repetition=True, new_per_day=5))
    opened.sync(write_deck(DECK), FIXED_NOW)
    yield opened
    opened.close()


def _cards(service: StudyService) -> dict[str, tuple[int, str]]:
    """family → (card key, card id)."""
    with service.transaction() as session:
        rows = session.execute(text("SELECT family, id, card_id FROM cards"))
        return {f: (key, cid) for f, key, cid in rows}


def _log(service: StudyService, key: int) -> list[tuple[int, str]]:
    with service.transaction() as session:
        rows = session.execute(
            text("SELECT id, kind FROM review_log WHERE card_key = :key ORDER BY id"), {"key": key}
        )
        return [(log_id, kind) for log_id, kind in rows]


def _refusal(service: StudyService, log_id: int, key: int) -> str:
    """The message of the refused undo; the card's log is checked to be untouched."""
    before = _log(service, key)
    with pytest.raises(InvalidRequest) as refused:
        service.undo(log_id)
    assert _log(service, key) == before
    return str(refused.value)


def test_a_later_answer(service: StudyService) -> None:
    gd, _ = _cards(service)["gd_steps"]
    first = service.answer(gd, 5, FIXED_NOW)
    service.answer(gd, 5, FIXED_NOW + timedelta(days=1))
    assert _refusal(service, first.log_id, gd) == "a later answer to this card must be undone first"


def test_a_reset_after_the_answer(service: StudyService) -> None:
    gd, _ = _cards(service)["gd_steps"]
    answer = service.answer(gd, 5, FIXED_NOW)
    service.reset_card(gd, FIXED_NOW + timedelta(minutes=1))
    message = _refusal(service, answer.log_id, gd)
    assert message.startswith("this card was reset to new after that answer")
    assert "undo the reset first" in message and "later answer" not in message


def test_a_credit_from_a_later_review_of_another_card(service: StudyService) -> None:
    cards = _cards(service)
    (gd, _), (momentum, momentum_id) = cards["gd_steps"], cards["momentum"]
    answer = service.answer(gd, 5, FIXED_NOW)
    service.answer(momentum, 5, FIXED_NOW + timedelta(minutes=5))
    service.answer(momentum, 5, FIXED_NOW + timedelta(days=3))
    assert _log(service, gd)[-1][1] == "implicit"
    message = _refusal(service, answer.log_id, gd)
    assert message == (
        f"this card was credited by a later review of {momentum_id}: undo that review first"
        " (its undo takes the credit back)"
    )


def test_a_blame_from_a_later_review_of_another_card(service: StudyService) -> None:
    cards = _cards(service)
    (gd, _), (momentum, momentum_id) = cards["gd_steps"], cards["momentum"]
    service.answer(gd, 5, FIXED_NOW)
    service.answer(momentum, 5, FIXED_NOW + timedelta(minutes=5))
    answer = service.answer(gd, 5, FIXED_NOW + timedelta(days=1))
    service.answer(momentum, 2, FIXED_NOW + timedelta(days=2), misconception="sign-error")
    assert _log(service, gd)[-1][1] == "blame"
    message = _refusal(service, answer.log_id, gd)
    assert message.startswith(f"this card was made due by a later review of {momentum_id}")
    assert "misconceptions: undo that review first" in message
