"""Answering and undoing stay quick on a long history: no statement they run reads the whole
review log (on a million reviews a full scan is about 150 ms per undo)."""

from __future__ import annotations

import random
import re

from quizcalc.config import Config
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW, REPO_ROOT
from tests.study.query_plans import query_plans

FULL_LOG_SCAN = re.compile(r"\bSCAN review_log\b")
"""SQLite's plan line for reading every row of the log (an index is ``SEARCH … USING``)."""


def test_answering_and_undoing_search_the_log_through_its_indexes(db_url: str) -> None:
    service = StudyService.open(db_url, Config(new_per_day=20))
    service.sync(REPO_ROOT / "content", FIXED_NOW)
    session = service.begin_session(FIXED_NOW, random.Random(3))
    order = service.queue(FIXED_NOW).order
    for key in order[:3]:
        session.answer(service.card(key), 4, FIXED_NOW, duration_ms=3000)
    card = service.card(order[3])
    answering = query_plans(
        service, db_url, lambda: session.answer(card, 2, FIXED_NOW, duration_ms=3000)
    )
    undoing = query_plans(service, db_url, session.undo)
    service.close()
    assert answering and undoing
    assert [plan for plan in answering + undoing if FULL_LOG_SCAN.search(plan)] == []
    assert any("ix_review_log_cause" in plan for plan in undoing)
