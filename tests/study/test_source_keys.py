"""Sources have keys, one row per key: ``bundled:<deck file>`` for the decks that ship with
quizcalc, whatever the folder of the install; ``content:<resolved path>`` for a content folder
and ``import:<resolved path>`` for an import (tests/study/test_content_sources.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizcalc.cards import find_card_files
from quizcalc.config import Config
from quizcalc.locations import bundled_content_dir
from quizcalc.store.models import CardRecord, ReviewLogRecord, SourceRecord
from quizcalc.study import StudyService, source_ownership
from tests.conftest import FIXED_NOW

DECK = "Q: What does the derivative measure?\nA: The instantaneous rate of change.\n"


@pytest.fixture
def service(db_url: str) -> Iterator[StudyService]:
    svc = StudyService.open(db_url, Config())
    yield svc
    svc.close()


def _sources(service: StudyService) -> list[tuple[str, str]]:
    with service.transaction() as session:
        rows = session.execute(select(SourceRecord.key, SourceRecord.role).order_by("id"))
        return [(key, role) for key, role in rows]


def _answer_all(service: StudyService) -> int:
    with service.transaction() as session:
        keys = list(session.scalars(select(CardRecord.id)))
    for key in keys:
        service.answer(key, 5, FIXED_NOW)
    return len(keys)


def _reviews(service: StudyService) -> int:
    with service.transaction() as session:
        return session.scalar(select(func.count()).select_from(ReviewLogRecord)) or 0


def test_bundled_decks_are_one_source_per_deck_file(service: StudyService) -> None:
    service.sync(bundled_content_dir(), FIXED_NOW)
    deck_files = find_card_files(bundled_content_dir())
    assert "calculus-optimization.md" in {path.name for path in deck_files}
    assert _sources(service) == [(f"bundled:{path.name}", "bundled") for path in deck_files]


def test_bundled_decks_keep_their_sources_when_quizcalc_is_installed_elsewhere(
    service: StudyService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install = tmp_path / "install-1" / "content"
    install.mkdir(parents=True)
    (install / "a.md").write_text(DECK, encoding="utf-8")
    (install / "b.md").write_text("Q: Shipped no more?\nA: Then retired.\n", encoding="utf-8")
    monkeypatch.setattr(source_ownership, "bundled_content_dir", lambda: install)
    service.sync(install, FIXED_NOW)
    answered = _answer_all(service)

    moved = install.parent.rename(tmp_path / "install-2") / "content"
    (moved / "b.md").unlink()
    monkeypatch.setattr(source_ownership, "bundled_content_dir", lambda: moved)
    report = service.sync(moved, FIXED_NOW)

    assert (report.added, report.retired, report.unchanged) == (0, 1, 1)
    assert _sources(service) == [("bundled:a.md", "bundled"), ("bundled:b.md", "bundled")]
    assert _reviews(service) == answered
