"""The home deck list: per deck and section, what a session over it would serve today."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.deck_list import DeckListRow
from quizcalc.study.scope import StudyScope
from tests.conftest import FIXED_NOW
from tests.study.test_scope import CALCULUS, LINEAR


def _open(db_url: str, write_deck: Callable[..., Path], **settings: int) -> StudyService:
    write_deck(CALCULUS, "calculus.md")
    folder = write_deck(LINEAR, "linear.md")
    service = StudyService.open(db_url, Config(**settings))
    service.sync(folder, FIXED_NOW)
    return service


def _table(rows: list[DeckListRow]) -> list[tuple[str, int, int, int, int, int]]:
    return [
        ("  " * r.depth + r.name, r.due, r.new, r.learning, r.total, r.has_children) for r in rows
    ]


def test_decks_then_their_sections_in_reading_order_with_subsections_nested(
    db_url: str, write_deck: Callable[..., Path]
) -> None:
    service = _open(db_url, write_deck)
    assert _table(service.deck_list(FIXED_NOW)) == [
        ("Calculus", 0, 5, 0, 5, True),
        ("  2.1 Derivatives", 0, 3, 0, 3, True),
        ("    Practice", 0, 1, 0, 1, False),
        ("  2.2 Gradients", 0, 2, 0, 2, False),
        ("Linear algebra", 0, 1, 0, 1, True),
        ("  Matrices", 0, 1, 0, 1, False),
    ]
    practice = service.deck_list(FIXED_NOW)[2]
    assert practice.scope == StudyScope("Calculus", "2.1 Derivatives::Practice")


def test_each_row_counts_what_its_own_session_would_serve(
    db_url: str, write_deck: Callable[..., Path]
) -> None:
    service = _open(db_url, write_deck, new_per_day=2, relearn_gap=0)
    first = service.next_card(FIXED_NOW)
    assert first is not None
    service.answer(first.key, 1, FIXED_NOW)  # d1 failed: relearning; one new card left today
    rows = {r.scope: r for r in service.deck_list(FIXED_NOW)}
    # Every row is capped by what is left of today's new-card limit (1), as its session is.
    assert [(r.name, r.new, r.learning) for r in rows.values()] == [
        ("Calculus", 1, 1),
        ("2.1 Derivatives", 1, 1),
        ("Practice", 1, 0),
        ("2.2 Gradients", 1, 0),
        ("Linear algebra", 1, 0),
        ("Matrices", 1, 0),
    ]
    for scope, row in rows.items():
        queue = service.queue(FIXED_NOW, scope)
        assert (row.due + row.learning, row.new) == (queue.due_count, len(queue.new)), scope


def _selects(service: StudyService) -> tuple[int, int]:
    """Rows of the deck list, and the SELECTs it took."""
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    engine = service.store.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        rows = service.deck_list(FIXED_NOW)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(rows), sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))


def test_the_counts_take_the_same_queries_however_many_decks_and_sections(
    db_url: str, write_deck: Callable[..., Path]
) -> None:
    """One grouped count for every section, and what each deck's session would serve worked
    out from it and the limits: the statements grow neither with the decks nor with the
    sections (50 decks at 50,000 cards took seconds with a queue per deck)."""
    two_rows, two_decks = _selects(_open(db_url, write_deck))
    assert two_rows == 6
    for n in range(12):
        sections = "".join(f"## S{k}\n\nQ: q{n}.{k}?\nA: a.\n\n" for k in range(5))
        write_deck(f"---\ndeck: Deck {n}\n---\n\n{sections}", f"d{n}.md")
    service = StudyService.open(db_url, Config())
    service.sync(write_deck(LINEAR, "linear.md"), FIXED_NOW)
    rows, fourteen_decks = _selects(service)
    assert rows == 6 + 12 * 6  # 12 more decks, five sections each
    assert fourteen_decks == two_decks


def test_a_deck_row_follows_the_decks_own_limit_and_todays_extension(
    db_url: str, write_deck: Callable[..., Path]
) -> None:
    """A deck's own new-card limit caps its rows, as its session would; extending it today
    shows at once."""
    service = _open(db_url, write_deck)
    service.set_deck_limits("Calculus", FIXED_NOW, new_per_day=2, reviews_per_day=None)
    rows = {r.name: r for r in service.deck_list(FIXED_NOW)}
    assert (rows["Calculus"].new, rows["2.1 Derivatives"].new, rows["Linear algebra"].new) == (
        2,
        2,
        1,
    )
    assert len(service.queue(FIXED_NOW, StudyScope("Calculus")).new) == 2
    service.extend_today("Calculus", FIXED_NOW, new=1)
    assert {r.name: r.new for r in service.deck_list(FIXED_NOW)}["Calculus"] == 3
