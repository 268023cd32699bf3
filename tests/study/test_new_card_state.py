"""Every way a card starts over (synced in, a drill-only skill, a reset) gives NEW_CARD_STATE."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from quizcalc.config import Config
from quizcalc.scheduling import NEW_CARD_STATE
from quizcalc.store.models import CardRecord
from quizcalc.study import StudyService
from quizcalc.study.drill_skills import skill_card_key
from tests.conftest import FIXED_NOW


def _states(service: StudyService) -> dict[str, object]:
    with service.store.transaction() as session:
        return {c.card_id: c.schedule.state for c in session.scalars(select(CardRecord))}


def test_synced_drill_only_and_reset_cards_start_from_the_one_constant(
    db_url: str, write_deck: Callable[..., Path]
) -> None:
    service = StudyService.open(db_url, Config())
    service.sync(write_deck("Q: One?\nA: Yes.\n\nQ: Two?\nA: No.\n"), FIXED_NOW)
    assert set(_states(service).values()) == {NEW_CARD_STATE}

    with service.store.transaction(write=True) as session:
        key = skill_card_key(session, "chain_rule", 2, FIXED_NOW)
        assert session.get(CardRecord, key).schedule.state == NEW_CARD_STATE  # type: ignore[union-attr]

    card = service.next_card(FIXED_NOW)
    assert card is not None
    service.answer(card.key, 2, FIXED_NOW)
    service.answer(card.key, 5, FIXED_NOW)
    service.reset_card(card.key)
    (reset,) = [s for cid, s in _states(service).items() if cid == card.card_id]
    assert reset == replace(NEW_CARD_STATE, reviews=1, last_reviewed_at=FIXED_NOW)
    service.close()
