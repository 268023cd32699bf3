"""Browse: filters over hand-built cards, a card's history, suspend/unsuspend, reset and undo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.store.models import CardRecord, ScheduleRecord
from quizcalc.study.errors import CardNotFound
from quizcalc.study.service import StudyService
from quizcalc.study.views import BrowseFilter
from tests.conftest import FIXED_NOW

DECK = """---
deck: ML
---

## Calculus

Q: What is the derivative of x squared?
A: 2x, by the power rule.

Q: Which way does the gradient point?
A: Uphill.

## Optimisation

Q: What does 100% weight_decay do?
A: Shrinks weights to zero.

Momentum keeps {{c1::a running average}} of gradients.

```problem
family: chain_rule
difficulty: 1
```
"""


@pytest.fixture
def service(db_url: str, write_deck: Callable[..., Path]) -> StudyService:
    """Five cards (three Q/A, one cloze, one problem) over two sections."""
    svc = StudyService.open(db_url, Config(leech_threshold=3, new_per_day=10))
    svc.sync(write_deck(DECK), FIXED_NOW)
    return svc


def _set(service: StudyService, question_start: str, **fields: object) -> int:
    """Write schedule fields (or ``status``) of the card whose question starts so; its key."""
    with service.store.transaction(write=True) as session:
        for card in session.query(CardRecord):
            if card.question.startswith(question_start):
                status = fields.pop("status", None)
                if isinstance(status, str):
                    card.status = status
                schedule: ScheduleRecord = card.schedule
                for name, value in fields.items():
                    setattr(schedule, name, value)
                return card.id
    raise AssertionError(question_start)


def _questions(service: StudyService, **query: object) -> list[str]:
    return [r.question[:12] for r in service.browse(BrowseFilter(**query), FIXED_NOW)]  # type: ignore[arg-type]


def test_all_cards_in_reading_order_with_their_columns(service: StudyService) -> None:
    rows = service.browse(BrowseFilter(), FIXED_NOW)
    assert [r.kind for r in rows] == ["basic", "basic", "basic", "cloze", "problem"]
    assert {r.deck for r in rows} == {"ML"}
    assert [r.section for r in rows][:3] == ["Calculus", "Calculus", "Optimisation"]
    first = rows[0]
    assert (first.due, first.interval, first.easiness, first.lapses) == (None, 0, 2.5, 0)
    assert service.sections() == ["Calculus", "Optimisation"]


def test_text_search_is_case_insensitive_over_question_answer_and_id(
    service: StudyService,
) -> None:
    assert _questions(service, text="GRADIENT") == ["Which way do", "Momentum kee"]
    assert _questions(service, text="uphill") == ["Which way do"]  # in the answer only
    assert _questions(service, text="100%") == ["What does 10"]  # % is literal, not a wildcard
    assert _questions(service, text="t_d") == ["What does 10"]  # so is _ (weight_decay)
    card_id = service.browse(BrowseFilter(), FIXED_NOW)[0].card_id
    assert _questions(service, text=card_id.upper()) == ["What is the "]


def test_section_kind_due_and_leech_filters(service: StudyService) -> None:
    today = service.today(FIXED_NOW)
    _set(service, "What is the", due=today - timedelta(days=2), interval=3)
    _set(service, "Which way", due=today, interval=1, lapses=3)
    _set(service, "What does", due=today + timedelta(days=1), interval=6, lapses=2)
    assert _questions(service, section="Optimisation") == [
        "What does 10",
        "Momentum kee",
        "Generated pr",
    ]
    assert _questions(service, kind="cloze") == ["Momentum kee"]
    assert _questions(service, due=True) == ["What is the ", "Which way do"]  # overdue, today
    assert _questions(service, leech=True) == ["Which way do"]  # lapses >= 3
    leech = service.browse(BrowseFilter(leech=True), FIXED_NOW)[0]
    assert leech.leech and leech.lapses == 3
    assert _questions(service, section="Calculus", due=True, text="uphill") == ["Which way do"]


def test_suspended_filter_and_retired_hidden_unless_asked(service: StudyService) -> None:
    _set(service, "What is the", status="retired")
    key = _set(service, "Which way")
    assert "What is the " not in _questions(service)
    assert "What is the " in _questions(service, include_retired=True)
    assert service.set_suspended(key, True) == "suspended"
    assert _questions(service, suspended=True) == ["Which way do"]
    assert service.set_suspended(key, False) == "active"
    assert _questions(service, suspended=True) == []


def test_a_suspended_card_is_no_longer_served(service: StudyService) -> None:
    first = service.next_card(FIXED_NOW)
    assert first is not None
    service.set_suspended(first.key, True)
    assert first.key not in service.queue(FIXED_NOW).new
    nxt = service.next_card(FIXED_NOW)
    assert nxt is not None and nxt.key != first.key
    service.set_suspended(first.key, False)
    assert first.key in service.queue(FIXED_NOW).new


def test_a_retired_card_cannot_be_suspended(service: StudyService) -> None:
    key = _set(service, "What is the", status="retired")
    with pytest.raises(ValueError, match="retired"):
        service.set_suspended(key, True)
    with pytest.raises(CardNotFound):
        service.set_suspended(99_999, True)


def test_history_is_newest_first_with_seed_and_misconception(service: StudyService) -> None:
    problem = service.browse(BrowseFilter(kind="problem"), FIXED_NOW)[0]
    service.answer(problem.key, 2, FIXED_NOW, answer_text="6", seed=11, misconception="sign")
    later = FIXED_NOW + timedelta(minutes=5)
    service.answer(problem.key, 5, later, answer_text="12", seed=22, duration_ms=4000)
    detail = service.card_detail(problem.key)
    assert detail.is_problem and detail.family == "chain_rule" and detail.difficulty == 1
    assert [h.seed for h in detail.history] == [22, 11]
    assert [h.answer_text for h in detail.history] == ["12", "6"]
    assert detail.history[1].misconception == "sign"
    assert detail.history[0].duration_ms == 4000
    assert [h.kind for h in detail.history] == ["relearn", "review"]
    assert detail.schedule.reviews == 1
    basic = service.card_detail(service.browse(BrowseFilter(), FIXED_NOW)[0].key)
    assert not basic.is_problem and basic.history == () and basic.answer.startswith("2x")


def test_reset_goes_back_to_new_keeps_history_and_can_be_undone(service: StudyService) -> None:
    card = service.next_card(FIXED_NOW)
    assert card is not None
    service.answer(card.key, 5, FIXED_NOW)
    _set(service, card.question[:10], lapses=2, easiness=2.1)
    before = service.card_detail(card.key)
    later = FIXED_NOW + timedelta(hours=1)
    old = service.reset_card(card.key, later)
    assert replace(old, reset_log_id=None) == before.schedule
    after = service.card_detail(card.key)
    s = after.schedule
    assert (s.repetitions, s.interval, s.due, s.lapses, s.easiness) == (0, 0, None, 0, 2.5)
    # The reset is logged on top; the answers before it are all kept.
    assert after.history[1:] == before.history
    reset = after.history[0]
    assert (reset.kind, reset.label, reset.quality, reset.reviewed_at) == (
        "reset",
        "Reset",
        0,
        later,
    )
    assert not reset.is_answer and reset.log_id == old.reset_log_id
    service.restore_schedule(card.key, old)
    undone = service.card_detail(card.key)
    assert undone.schedule == before.schedule
    assert undone.history == before.history  # the undo took the reset's row away
