"""``scheduler simulate`` on a real collection: its cards, memories, parameters and limits."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from quizcalc.config import Config
from quizcalc.scheduling.fsrs import DEFAULT_PARAMETERS
from quizcalc.study import StudyService
from quizcalc.study.collection_base import sql_runner
from quizcalc.study.errors import InvalidRequest
from quizcalc.study.fsrs_parameters import read_fsrs_parameters
from quizcalc.study.scheduler_simulation import collection_cards
from tests.conftest import FIXED_NOW

_DECK = "# Tiny\n\n" + "\n".join(
    f"## Q{n}\n\n**Q:** What is {n} + {n}?\n\n**A:** {2 * n}\n" for n in range(1, 9)
)


@pytest.fixture
def service(db_url: str, write_deck: Callable[..., Path]) -> Iterator[StudyService]:
    """Eight cards; three of them answered on five days, the middle one forgotten once."""
    service = StudyService.open(db_url, Config(new_per_day=3, max_reviews_per_day=50))
    service.sync(write_deck(_DECK), FIXED_NOW - timedelta(days=20))
    keys: list[int] = []
    for day in range(5):
        now = FIXED_NOW - timedelta(days=20 - 4 * day)
        if not keys:
            queue = service.queue(now)
            keys = list(queue.order[:3])
        for index, key in enumerate(keys):
            service.answer(key, 2 if (index, day) == (1, 2) else 4, now)
    yield service
    service.close()


def test_studied_cards_start_from_their_replayed_memory(service: StudyService) -> None:
    with service.transaction() as session:
        cards = collection_cards(sql_runner(session), FIXED_NOW.date(), DEFAULT_PARAMETERS, 0.9)
    assert cards.new == 5 and len(cards.studied) == 3
    assert all(card.last_review_day == -4 for card in cards.studied)
    stabilities = [card.memory.stability for card in cards.studied]
    assert stabilities[1] < min(stabilities[0], stabilities[2])  # the forgotten one
    assert all(card.due_day > card.last_review_day for card in cards.studied)


def test_the_simulation_uses_the_collections_limits_and_more_retention_costs_more(
    service: StudyService,
) -> None:
    relaxed = service.simulate_scheduler(FIXED_NOW, 60, 0.8)
    strict = service.simulate_scheduler(FIXED_NOW, 60, 0.95)
    assert relaxed.studied_cards == 3 and relaxed.new_cards == 5
    assert relaxed.workload.new_per_day[:2] == (3, 2)  # new_per_day = 3, five new cards
    assert relaxed.workload.total_reviews < strict.workload.total_reviews
    assert relaxed.parameters.fitted is False
    assert 0.7 - 1e-6 <= relaxed.optimal_retention <= 0.95 + 1e-6


def test_a_stored_fit_is_used_and_a_broken_one_is_not(service: StudyService) -> None:
    fitted = [*DEFAULT_PARAMETERS[:20], 0.3]
    value = json.dumps({"parameters": fitted, "reviews": 412, "fitted_at": "2026-11-20T10:00"})
    with service.transaction(write=True) as session:
        session.execute(
            text("INSERT INTO collection_settings (name, value) VALUES ('fsrs_parameters', :v)"),
            {"v": value},
        )
    result = service.simulate_scheduler(FIXED_NOW, 30, 0.9)
    assert result.parameters.parameters == pytest.approx(fitted)
    assert result.parameters.describe() == "fitted on 412 reviews"
    with service.transaction(write=True) as session:
        session.execute(text("UPDATE collection_settings SET value = '{\"parameters\": [1, 2]}'"))
        assert read_fsrs_parameters(sql_runner(session)).fitted is False


def test_nonsense_is_refused(service: StudyService) -> None:
    with pytest.raises(InvalidRequest, match="between 1 and 3650 days"):
        service.simulate_scheduler(FIXED_NOW, 0, 0.9)
    with pytest.raises(InvalidRequest, match="between 0 and 1"):
        service.simulate_scheduler(FIXED_NOW, 30, 1.5)
