"""Fixtures for export/import: a store holding the real content deck, with some history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.exchange.model import ExchangeCard, ExportOptions
from quizcalc.study import StudyService
from quizcalc.study.exchange_cards import read_exchange_cards
from quizcalc.study.views import BrowseFilter
from tests.conftest import FIXED_NOW


@pytest.fixture
def studied(db_url: str, calculus_content: Path) -> Iterator[StudyService]:
    """The Calculus & Optimization deck synced, and ten days of answers on its first cards.

    Day by day the first card is answered well, the second one lapses on day 3, a problem
    card is answered with a seed and a misconception, and one card is suspended.
    """
    service = StudyService.open(db_url, Config())
    service.sync(calculus_content, FIXED_NOW)
    rows = service.browse(BrowseFilter(), FIXED_NOW)
    basics = [r for r in rows if r.kind == "basic"]
    problem = next(r for r in rows if r.kind == "problem")
    for day in range(10):
        now = FIXED_NOW + timedelta(days=day)
        service.answer(basics[0].key, 5, now, duration_ms=4000)
        service.answer(basics[1].key, 2 if day == 3 else 4, now, duration_ms=9000)
        service.answer(
            problem.key,
            3 if day % 2 else 1,
            now,
            answer_text="-0.5" if day % 2 else "0.5",
            duration_ms=30000,
            seed=1000 + day,
            misconception=None if day % 2 else "sign_error",
        )
    service.set_suspended(basics[2].key, True)
    yield service
    service.close()


def exchange_cards(service: StudyService, options: ExportOptions) -> list[ExchangeCard]:
    """The cards ``options`` selects, read as an export reads them."""
    with service.store.transaction() as session:
        return read_exchange_cards(session, options)


@pytest.fixture
def export_dir(tmp_path: Path) -> Path:
    """An empty folder to export into."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder
