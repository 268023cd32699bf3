"""The first frame's cache of one-line questions gives the text the renderer gives, or none.

Filling the cache runs on SQLite and on PostgreSQL (``ON_BOTH_BACKENDS``: every start fills it,
whatever the database); the first frame that reads it is SQLite's fast path, tested there.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import text

import quizcalc.study.linear_text as linear_text
from quizcalc.cards.display import latex_to_unicode
from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.collection_base import sql_runner
from quizcalc.study.first_card import peek_first_card, peek_first_frame
from quizcalc.study.linear_text import FORM, cached_linear
from tests.conftest import FIXED_NOW, REPO_ROOT
from tests.postgres import ON_BOTH_BACKENDS, db_url_by_backend

__all__ = ["db_url_by_backend"]  # the tests marked ON_BOTH_BACKENDS run on both backends

RunSQL = Callable[[str, Mapping[str, Any]], Sequence[Sequence[Any]]]


def _flashcards(service: StudyService) -> tuple[list[tuple[int, str]], RunSQL]:
    """The active flashcards' keys and questions, and a way to run SQL on the collection (a
    transaction a statement, so each sees what was written before it)."""

    def run(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        with service.transaction() as session:
            return sql_runner(session)(sql, params)

    cards = run(
        "SELECT id, question FROM cards WHERE status = 'active' AND kind IN ('basic', 'cloze')", {}
    )
    return [(key, question) for key, question in cards], run


@ON_BOTH_BACKENDS
def test_every_flashcards_cached_line_is_what_the_renderer_makes(db_url: str) -> None:
    service = StudyService.open(db_url, Config())
    service.sync(REPO_ROOT / "content", FIXED_NOW)
    written = service.cache_linear_questions()
    assert service.cache_linear_questions() == 0  # nothing new: nothing redone
    cards, run = _flashcards(service)
    assert written == len(cards) > 50
    for key, question in cards:
        assert cached_linear(run, key, question) == latex_to_unicode(question), question
    service.close()


@ON_BOTH_BACKENDS
def test_an_edited_question_or_a_newer_renderer_is_never_served_stale(
    db_url: str, monkeypatch: Any
) -> None:
    service = StudyService.open(db_url, Config())
    service.sync(REPO_ROOT / "content", FIXED_NOW)
    service.cache_linear_questions()
    cards, run = _flashcards(service)
    key, question = cards[0]
    edited = question + " (edited)"
    with service.transaction(write=True) as session:
        session.execute(
            text("UPDATE cards SET question = :question WHERE id = :key"),
            {"question": edited, "key": key},
        )
    assert cached_linear(run, key, edited) is None  # made from the old text
    assert service.cache_linear_questions() == 1  # the next fill redoes that one alone
    assert cached_linear(run, key, edited) == latex_to_unicode(edited)
    monkeypatch.setattr("quizcalc.study.linear_text.RENDERER", linear_text.RENDERER + 1)
    assert cached_linear(run, key, edited) is None  # made by the older renderer
    service.close()


def test_the_first_frame_reads_the_first_cards_line_from_the_cache(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    """The start-up fast path reads the cache: stdlib ``sqlite3``, so a SQLite file always."""
    db_url = f"sqlite:///{new_database(tmp_path / 'first-frame.sqlite3')}"
    service = StudyService.open(db_url, Config())
    service.sync(REPO_ROOT / "content", FIXED_NOW)
    before = peek_first_frame(db_url, FIXED_NOW, Config())
    service.cache_linear_questions()
    expected = service.next_card(FIXED_NOW)
    service.close()
    first = peek_first_frame(db_url, FIXED_NOW, Config())
    assert before is not None and before.question_linear is None  # not cached yet: rendered
    assert first is not None and expected is not None
    assert first.card == expected == peek_first_card(db_url, FIXED_NOW, Config())
    assert first.question_linear == latex_to_unicode(expected.question)
    rows = sqlite3.connect(db_url.removeprefix("sqlite:///")).execute(
        "SELECT COUNT(*) FROM card_renderings WHERE form = ?", (FORM,)
    )
    assert rows.fetchone()[0] > 0


@ON_BOTH_BACKENDS
def test_a_big_collection_is_cached_a_share_per_start_the_soonest_due_first(
    db_url: str,
) -> None:
    service = StudyService.open(db_url, Config())
    service.sync(REPO_ROOT / "content", FIXED_NOW)
    first = service.next_card(FIXED_NOW)
    assert first is not None
    assert service.cache_linear_questions(keep_going=lambda: False) == 0  # the app closing
    assert service.cache_linear_questions(limit=3) == 3
    cards, run = _flashcards(service)
    assert cached_linear(run, first.key, first.question) == latex_to_unicode(first.question)
    assert service.cache_linear_questions(limit=10**6) == len(cards) - 3
    service.close()
