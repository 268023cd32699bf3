"""The fast statistics give exactly what the pre-step-9 computation gave, on every case.

The reference (:mod:`tests.study.stats_reference`) is the old code kept verbatim: per-card
aggregates folded into groups in Python. Compared on a varied seeded collection
(:mod:`tests.study.stats_fixture`) and on edge cases: empty, one answer, only relearns, only
drills, ties for medians, every card state. ``quizcalc stats --json`` on the varied collection
must stay byte for byte what it printed before (``tests/fixtures/stats/varied.json``),
which only gained the grouping by deck (``per_deck``, each section's ``deck``) in step 10
and the ``calibration`` in step 11.

On PostgreSQL too (``db_url`` on both backends): the edge cases, seed 9's collection and the
golden JSON, since the statistics' SQL (day arithmetic, aggregates, medians, ordering of ties)
is what differs by dialect; the other seeds and the rows-fetched count (a SQLite cursor) run
on SQLite only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from quizcalc.cli.main import cli
from quizcalc.config import Config
from quizcalc.store import Store, open_store
from quizcalc.study.stats import Stats, Tally, compute_stats, weakest_skills
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends
from tests.study.stats_fixture import TODAY, varied_history
from tests.study.stats_reference.compute import compute_stats as reference_stats
from tests.study.stats_reference.compute import reference_weakest_skills
from tests.study.test_stats import History

__all__ = ["db_url_on_both_backends"]  # the tests taking db_url run on both backends

GOLDEN = Path(__file__).parents[1] / "fixtures" / "stats" / "varied.json"


def _without_decks(stats: Stats) -> Stats:
    """``stats`` as the reference (older than grouping by deck and than the calibration)
    computes them."""
    sections = tuple(replace(section, deck=None) for section in stats.per_section)
    return replace(stats, per_deck=(), per_section=sections, calibration=None)


def _decks_add_up(stats: Stats) -> None:
    """Each deck's answers are its sections' (so the grouped table adds up)."""
    assert [deck.name for deck in stats.per_deck] == sorted({s.deck for s in stats.per_section})
    for deck, sections in stats.sections_by_deck():
        assert sections, deck.name
        for field in ("answers", "last_14", "previous_14"):
            parts = [getattr(section, field) for section in sections]
            assert getattr(deck, field) == sum(parts, Tally()), (deck.name, field)


def _same_as_reference(store: Store, config: Config | None = None) -> None:
    config = config or Config()
    for now in (FIXED_NOW, FIXED_NOW + timedelta(days=9), FIXED_NOW - timedelta(days=200)):
        with store.transaction() as session:
            fast = compute_stats(session, now, config)
            reference = reference_stats(session, now, config)
            assert _without_decks(fast) == reference
            _decks_add_up(fast)
            today = fast.today
            assert weakest_skills(session, today) == reference_weakest_skills(session, now, config)


@pytest.fixture
def varied(db_url: str) -> str:
    return varied_history(db_url)


@pytest.mark.parametrize("seed", [9, 10, 11])
def test_varied_collections_give_the_reference_statistics(
    tmp_path: Path, new_database: Callable[[Path], Path], seed: int
) -> None:
    path = varied_history(new_database(tmp_path / "v.sqlite3"), seed=seed)
    store = open_store(path)
    try:
        _same_as_reference(store)
        _same_as_reference(store, Config(leech_threshold=1, rollover_hour=0))
    finally:
        store.close()


def test_the_varied_collection_gives_the_reference_statistics(varied: str) -> None:
    """Seed 9's collection, on SQLite and on PostgreSQL (the other seeds on SQLite above)."""
    store = open_store(varied)
    try:
        _same_as_reference(store)
    finally:
        store.close()


def test_stats_json_is_byte_for_byte_what_it_was(
    varied: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("quizcalc.cli.common.now", lambda: FIXED_NOW)
    result = CliRunner().invoke(cli, ["--db", varied, "stats", "--json"], prog_name="quizcalc")
    assert result.exit_code == 0, result.output
    assert result.stdout == GOLDEN.read_text("utf-8")


@pytest.fixture
def history(db_url: str) -> Iterator[History]:
    h = History(db_url)
    yield h
    h.store.close()


def test_empty_collection(history: History) -> None:
    _same_as_reference(history.store)


def test_cards_of_every_state_and_no_answer(history: History) -> None:
    history.card(status="suspended", due=TODAY, interval=30, repetitions=3)
    history.card(status="retired", due=TODAY, interval=30, repetitions=3)
    history.card(tags="leech", lapses=9, due=TODAY, interval=1, repetitions=1)
    history.card(family="derivative", difficulty=2, due=TODAY + timedelta(days=3), interval=5)
    history.card(family="no_such_family", due=TODAY, interval=22, repetitions=4, easiness=1.3)
    history.card()
    _same_as_reference(history.store)


def test_one_answer(history: History) -> None:
    card = history.card(family="gradient", section="Practice")
    history.answer(card, TODAY, 2, misconception="sign-error")
    _same_as_reference(history.store)


@pytest.mark.parametrize("kind", ["relearn", "drill"])
def test_only_one_kind_of_answer(history: History, kind: str) -> None:
    card = history.card(family="hessian_classify", difficulty=3)
    for back in range(5):
        history.answer(card, TODAY - timedelta(days=back), back % 5, kind=kind)
    _same_as_reference(history.store)


def test_medians_of_even_and_odd_counts_with_ties(history: History) -> None:
    even = [history.card(section="Even", family="partial") for _ in range(2)]
    odd = history.card(section="Odd", family="jacobian")
    for i, seconds in enumerate((1.0, 2.0, 2.0, 3.5, 9.1, 0.25)):
        history.answer(even[i % 2], TODAY - timedelta(days=i), seconds=seconds)
    for i, seconds in enumerate((4.0, 4.0, 1.0, None, 0.001)):
        history.answer(odd, TODAY - timedelta(days=i), seconds=seconds)
    history.answer(odd, TODAY - timedelta(days=40), seconds=100.0)  # outside the window
    _same_as_reference(history.store)


def test_misconception_ties_and_relearns_of_retired_skills(history: History) -> None:
    retired = history.card(family="convexity", difficulty=0, status="retired")
    live = history.card(family="convexity", difficulty=1)
    for tag in ("b-tag", "a-tag", "c-tag", "d-tag", "a-tag", "b-tag"):
        history.answer(retired, date(2026, 11, 20), 1, kind="drill", misconception=tag)
        history.answer(live, date(2026, 11, 21), 0, kind="relearn", misconception=tag)
    history.answer(live, date(2026, 11, 22), 5)
    _same_as_reference(history.store)


# --- structure: nothing proportional to the deck reaches Python --------------------------


class _CountingCursor(sqlite3.Cursor):
    """A cursor that counts the rows it hands out."""

    fetched = 0

    def fetchone(self) -> Any:
        row = super().fetchone()
        _CountingCursor.fetched += row is not None
        return row

    def fetchmany(self, size: int | None = None) -> list[Any]:
        rows = super().fetchmany(size) if size is not None else super().fetchmany()
        _CountingCursor.fetched += len(rows)
        return rows

    def fetchall(self) -> list[Any]:
        rows = super().fetchall()
        _CountingCursor.fetched += len(rows)
        return rows


class _CountingConnection(sqlite3.Connection):
    def cursor(self, factory: Any = _CountingCursor) -> Any:  # type: ignore[override]
        return super().cursor(factory)


def _rows_fetched(path: Path, compute: Callable[..., object]) -> int:
    engine = create_engine(f"sqlite:///{path}", connect_args={"factory": _CountingConnection})
    try:
        with Session(engine) as session:
            _CountingCursor.fetched = 0
            compute(session, FIXED_NOW, Config())
            return _CountingCursor.fetched
    finally:
        engine.dispose()


def _same_shape_history(path: Path, copies: int) -> Path:
    """Three groups of ``copies`` cards answered on the same days; the recent answers (the
    last 30 days) are the same whatever ``copies``: only three cards per group have any."""
    rows = varied_history(path, cards=0, answers=0)  # schema and deck only
    store = open_store(rows)
    key = 0
    with store.transaction(write=True) as session:
        for section, family in (("A", None), ("B", "derivative"), ("B", "gradient")):
            for copy in range(copies):
                key += 1
                session.execute(
                    text(
                        "INSERT INTO cards (id, card_id, deck_id, kind, question, answer, "
                        "section, tags, source, line, position, status, family, difficulty, "
                        "created_at, updated_at) VALUES (:k, :id, 1, :kind, 'Q', 'A', :s, '', "
                        "'d.md', :k, :k, 'active', :f, :d, :at, :at)"
                    ),
                    {
                        "k": key,
                        "id": f"c{key}",
                        "kind": "basic" if family is None else "problem",
                        "s": section,
                        "f": family,
                        "d": None if family is None else 1,
                        "at": FIXED_NOW.isoformat(),
                    },
                )
                session.execute(
                    text(
                        "INSERT INTO schedule (card_key, repetitions, easiness, interval, due, "
                        "lapses, reviews) VALUES (:k, 3, 2.5, 10, :due, 0, 3)"
                    ),
                    {"k": key, "due": TODAY.isoformat()},
                )
                for back in (0, 3, 20, 100, 200) if copy < 3 else (100, 200):
                    day = TODAY - timedelta(days=back)
                    session.execute(
                        text(
                            "INSERT INTO review_log (card_key, reviewed_at, study_day, quality, "
                            "duration_ms, kind, before_repetitions, before_easiness, "
                            "before_interval, after_repetitions, after_easiness, "
                            "after_interval, before_lapses) VALUES (:k, :at, :day, :q, 4000, "
                            ":kind, 2, 2.5, 5, 3, 2.5, 10, 0)"
                        ),
                        {
                            "k": key,
                            "at": f"{day.isoformat()} 12:00:00.000000",
                            "day": day.isoformat(),
                            "q": back % 5,
                            "kind": ("review", "drill", "relearn", "review")[back % 4],
                        },
                    )
    store.close()
    return path


def test_the_rows_read_do_not_grow_with_the_deck(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    """Ten times the cards in the same groups, answered on the same days (the recent answers
    the same): the statistics read back exactly as many rows (they used to load every card
    and a row per card; only the recent window's answer times are read row by row)."""
    small = _same_shape_history(new_database(tmp_path / "small.sqlite3"), copies=3)
    large = _same_shape_history(new_database(tmp_path / "large.sqlite3"), copies=30)
    for compute in (compute_stats, _weakest):
        assert _rows_fetched(large, compute) == _rows_fetched(small, compute)


def _weakest(session: Session, now: datetime, config: Config) -> object:
    return weakest_skills(session, now.date())


def test_the_counted_cards_are_those_every_other_count_keeps() -> None:
    from quizcalc.study.card_counts import COUNTED_STATUSES
    from quizcalc.study.stats.cards import COUNTED

    assert f"c.status IN ({', '.join(repr(s) for s in COUNTED_STATUSES)})" == COUNTED
