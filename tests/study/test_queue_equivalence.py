"""The fast queue gives exactly the answer of the reference queue (the statements of before
Step 9, ranking every card: ``queue_reference.py``), on generated collections: decks with and
without limits of their own and today's extensions, basic, cloze and problem cards (some of an
unknown family), suspended and retired cards, sections, cloze siblings, burying, due and new
cards, today's answers (reviews, relearning, drills), scopes — and reads the prefix in small
steps, so the early stop is exercised; and the plans are the ones the speed depends on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizcalc.config import Config
from quizcalc.problems.catalog import FAMILY_NAMES
from quizcalc.study import deck_counts, queue, queue_limits
from quizcalc.study.deck_counts import counts_by_section
from quizcalc.study.scope import EVERYTHING, StudyScope
from tests.study import queue_reference

TODAY = date(2026, 11, 26)
SECTIONS = ("", "A", "A::x", "B")
STAMP = "2026-11-26 09:00:00.000000"


@dataclass(frozen=True)
class Card:
    deck: int
    kind: str
    status: str
    section: str
    note: tuple[int, int]
    position: int
    due: int | None
    buried: int | None


@dataclass(frozen=True)
class Answer:
    card: int
    kind: str
    quality: int
    new: bool
    yesterday: bool


cards = st.builds(
    Card,
    deck=st.integers(0, 3),
    kind=st.sampled_from(["basic", "basic", "cloze", "cloze", "problem", "problem-unknown"]),
    status=st.sampled_from(["active"] * 6 + ["suspended", "retired"]),
    section=st.sampled_from(SECTIONS),
    note=st.tuples(st.integers(1, 2), st.integers(1, 5)),
    position=st.integers(0, 20),
    due=st.one_of(st.none(), st.integers(-6, 2), st.integers(-6, 0)),
    buried=st.one_of(st.none(), st.none(), st.none(), st.integers(-1, 1)),
)
busy_cards = st.builds(
    Card,
    deck=st.integers(0, 3),
    kind=st.sampled_from(["basic", "basic", "basic", "cloze"]),
    status=st.just("active"),
    section=st.sampled_from(SECTIONS),
    note=st.tuples(st.integers(1, 2), st.integers(1, 9)),
    position=st.integers(0, 20),
    due=st.one_of(st.integers(-6, 0), st.integers(-6, 0), st.none()),
    buried=st.one_of(st.none(), st.none(), st.none(), st.integers(-1, 1)),
)
"""Mostly due cards in every deck: a short prefix often settles the day's shares."""
answers = st.builds(
    Answer,
    card=st.integers(0, 59),
    kind=st.sampled_from(["review", "review", "relearn", "drill"]),
    quality=st.integers(0, 5),
    new=st.booleans(),
    yesterday=st.integers(0, 5).map(lambda n: n == 0),
)
options = st.one_of(
    st.none(),
    st.tuples(
        st.one_of(st.none(), st.integers(0, 4)),
        st.one_of(st.none(), st.integers(0, 6)),
        st.booleans(),
        st.integers(0, 3),
        st.integers(0, 3),
    ),
)
scopes = st.sampled_from(
    [
        EVERYTHING,
        StudyScope("Deck 0"),
        StudyScope("Deck 2"),
        StudyScope(None, "A"),
        StudyScope("Deck 1", ""),
        StudyScope("Deck 3", "A::x"),
    ]
)
configs = st.builds(
    Config,
    new_per_day=st.integers(0, 6),
    max_reviews_per_day=st.integers(0, 9),
    relearn_gap=st.integers(0, 3),
)


def _day(offset: int | None) -> str | None:
    return None if offset is None else (TODAY + timedelta(days=offset)).isoformat()


def _collection(
    template: Path, decks: int, deck_options: list[Any], card_list: list[Card], log: list[Answer]
) -> sqlite3.Connection:
    """An in-memory copy of the empty template holding the generated rows."""
    connection = sqlite3.connect(":memory:")
    with sqlite3.connect(f"{template.as_uri()}?mode=ro", uri=True) as source:
        source.backup(connection)
    for deck in range(decks):
        connection.execute("INSERT INTO decks (id, name) VALUES (?, ?)", (deck + 1, f"Deck {deck}"))
        chosen = deck_options[deck] if deck < len(deck_options) else None
        if chosen is not None:
            new, reviews, extended, extra_new, extra_reviews = chosen
            connection.execute(
                "INSERT INTO deck_options VALUES (?, ?, ?, ?, ?, ?)",
                (deck + 1, new, reviews, _day(0 if extended else -1), extra_new, extra_reviews),
            )
    for key, card in enumerate(card_list, start=1):
        kind, family = card.kind, None
        if kind.startswith("problem"):
            kind, family = "problem", FAMILY_NAMES[0] if kind == "problem" else "no-such-family"
        source, line = card.note
        connection.execute(
            "INSERT INTO cards (id, card_id, deck_id, source_id, kind, question, answer, section,"
            " tags, source, line, position, status, family, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, 'q', 'a', ?, '', ?, ?, ?, ?, ?, ?, ?)",
            (
                key, f"c{key}", card.deck % decks + 1, source, kind, card.section,
                f"file{source}.md", line, card.position, card.status, family, STAMP, STAMP,
            ),
        )  # fmt: skip
        connection.execute(
            "INSERT INTO schedule (card_key, repetitions, easiness, interval, due, lapses,"
            " reviews, buried_until) VALUES (?, 1, 2.5, 1, ?, 0, 1, ?)",
            (key, _day(card.due), _day(card.buried)),
        )
    for answer in log:
        if not card_list:
            break
        day = _day(-1 if answer.yesterday else 0)
        connection.execute(
            "INSERT INTO review_log (card_key, reviewed_at, study_day, quality, kind,"
            " before_repetitions, before_easiness, before_interval, before_due,"
            " after_repetitions, after_easiness, after_interval, before_lapses)"
            " VALUES (?, ?, ?, ?, ?, 0, 2.5, 0, ?, 1, 2.5, 1, 0)",
            (
                answer.card % len(card_list) + 1, STAMP, day, answer.quality, answer.kind,
                None if answer.new else day,
            ),
        )  # fmt: skip
    return connection


def _runner(connection: sqlite3.Connection) -> queue_limits.RunSQL:
    def run(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        return connection.execute(sql, dict(params)).fetchall()

    return run


@pytest.fixture(params=["few new", "many new", "counting late"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Both plans for new cards (through the due index; deck by deck in reading order), and
    prefixes read from a single card on, growing by two, so the early stop is exercised,
    with decks that block a prefix counted at once or only after the first read."""
    monkeypatch.setattr(queue_limits, "FIRST_PREFIX", 1)
    monkeypatch.setattr(queue_limits, "PREFIX_PER_CARD", 0)
    monkeypatch.setattr(queue_limits, "GROWTH", 2)
    if request.param == "many new":
        monkeypatch.setattr(queue, "MANY_NEW", 0)
    if request.param == "counting late":  # decks blocking the first read are not counted
        monkeypatch.setattr(queue_limits, "COUNT_AT_ONCE", 0)
    yield request.param


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    decks=st.integers(1, 4),
    deck_options=st.lists(options, max_size=4),
    card_list=st.one_of(
        st.lists(cards, min_size=5, max_size=60), st.lists(busy_cards, min_size=20, max_size=60)
    ),
    log=st.lists(answers, max_size=25),
    config=configs,
    scope=scopes,
)
def test_the_fast_queue_is_the_reference_queue(
    plan: str,
    template_db: Path,
    decks: int,
    deck_options: list[Any],
    card_list: list[Card],
    log: list[Answer],
    config: Config,
    scope: StudyScope,
) -> None:
    connection = _collection(template_db, decks, deck_options, card_list, log)
    run = _runner(connection)
    expected = queue_reference.build_queue(run, TODAY, config, scope)
    assert queue.build_queue(run, TODAY, config, scope) == expected
    connection.close()


def test_a_short_prefix_settles_a_day_when_every_deck_has_plenty(template_db: Path) -> None:
    """Two decks with 100 due cards each and 4 reviews a day: the reviews are read once, the
    shortest prefix (the early stop), not all 200; the answer is the reference's."""
    card_list = [Card(n % 2, "basic", "active", "", (1, n), n, -1, None) for n in range(200)]
    connection = _collection(template_db, 2, [], card_list, [])
    reads: list[tuple[int, int]] = []

    def run(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        rows = connection.execute(sql, dict(params)).fetchall()
        if sql == queue.DUE_CARDS:
            reads.append((params["limit"], len(rows)))
        return rows

    config = Config(max_reviews_per_day=4)
    due = queue.build_queue(run, TODAY, config).due
    assert due == queue_reference.build_queue(_runner(connection), TODAY, config).due
    assert reads == [(queue_limits.FIRST_PREFIX, queue_limits.FIRST_PREFIX)]


def test_an_empty_deck_is_not_searched_for(template_db: Path) -> None:
    """A deck without active cards (all retired) cannot show any: the reviews are still read
    once, not to the end of the backlog to find that deck's."""
    card_list = [Card(n % 2, "basic", "active" if n % 2 else "retired", "", (1, n), n, -1, None)
                 for n in range(200)]  # fmt: skip
    connection = _collection(template_db, 2, [], card_list, [])
    reads: list[tuple[int, int]] = []

    def run(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        rows = connection.execute(sql, dict(params)).fetchall()
        if sql == queue.DUE_CARDS:
            reads.append((params["limit"], len(rows)))
        return rows

    config = Config(max_reviews_per_day=4)
    due = queue.build_queue(run, TODAY, config).due
    assert due == queue_reference.build_queue(_runner(connection), TODAY, config).due
    assert reads == [(queue_limits.FIRST_PREFIX, queue_limits.FIRST_PREFIX)]


def test_a_deck_of_new_cards_is_counted_not_read_to_the_end_for(template_db: Path) -> None:
    """A deck with no review due (all new) shows none in the reviews' prefix: it is counted
    from its own cards, and the reviews are read once, not to the end of the backlog."""
    card_list = [Card(n % 2, "basic", "active", "", (1, n), n, None if n % 2 else -1, None)
                 for n in range(400)]  # fmt: skip
    connection = _collection(template_db, 2, [], card_list, [])
    reads: list[tuple[int, int]] = []

    def run(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        rows = connection.execute(sql, dict(params)).fetchall()
        if sql in (queue.DUE_CARDS, queue.DUE_COUNT_OF_DECK):
            reads.append((params["limit"], len(rows)))
        return rows

    config = Config(max_reviews_per_day=4)
    due = queue.build_queue(run, TODAY, config).due
    assert due == queue_reference.build_queue(_runner(connection), TODAY, config).due
    assert reads == [(queue_limits.FIRST_PREFIX, queue_limits.FIRST_PREFIX), (4, 1)]


def _plan(template: Path, sql: str, params: Mapping[str, Any]) -> str:
    with sqlite3.connect(f"{template.as_uri()}?mode=ro", uri=True) as connection:
        rows = connection.execute(f"EXPLAIN QUERY PLAN {sql}", dict(params)).fetchall()
    return "\n".join(str(row[-1]) for row in rows)


PARAMS = {"today": TODAY.isoformat(), "deck": None, "limit": 10, **EVERYTHING.params()}


def test_the_due_index_drives_the_reviews(template_db: Path) -> None:
    """``schedule.due`` is walked in order (and read alone: burying is in it), each card is
    looked up by key, and only ties of one due day are sorted: nothing ranks every card."""
    plan = _plan(template_db, queue.DUE_CARDS, PARAMS)
    lines = plan.splitlines()
    assert lines[0].startswith("SEARCH s USING COVERING INDEX ix_schedule_due (due>? AND due<?)")
    assert "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)" in lines[1]
    assert "USE TEMP B-TREE FOR RIGHT PART OF ORDER BY" in plan
    assert "SCAN" not in plan and "ix_cards_status_source" not in plan


def test_new_cards_come_from_the_due_index_or_a_decks_reading_order(template_db: Path) -> None:
    few = _plan(template_db, queue.NEW_CARDS, PARAMS).splitlines()
    assert few[0].startswith("SEARCH s USING COVERING INDEX ix_schedule_due (due=?)")
    many = _plan(template_db, queue.NEW_CARDS_OF_DECK, {**PARAMS, "deck": 1})
    assert many.splitlines()[0].startswith(
        "SEARCH c USING INDEX ix_cards_deck_reading_order (deck_id=? AND status=?)"
    )
    assert "ORDER BY" not in many  # the index is the order: it stops at the limit


@settings(max_examples=40, deadline=None)
@given(
    decks=st.integers(1, 4),
    deck_options=st.lists(options, max_size=4),
    card_list=st.one_of(
        st.lists(cards, min_size=5, max_size=60), st.lists(busy_cards, min_size=20, max_size=60)
    ),
    log=st.lists(answers, max_size=25),
    config=configs,
)
def test_the_deck_lists_counts_are_each_decks_queue(
    template_db: Path,
    decks: int,
    deck_options: list[Any],
    card_list: list[Card],
    log: list[Answer],
    config: Config,
) -> None:
    """The deck list's counts per deck and section are the reference pass's; what a session
    over each deck serves, worked out from them, is what building that deck's queue gives."""
    connection = _collection(template_db, decks, deck_options, card_list, log)
    run = _runner(connection)
    rows = counts_by_section(run, TODAY)
    reference = run(queue_reference.COUNTS_BY_SECTION, {"today": TODAY.isoformat()})
    assert sorted(
        (r.deck, r.section, r.due, r.new, r.learning, r.total, *r.start) for r in rows
    ) == sorted(tuple(row) for row in reference)
    candidates: dict[str, tuple[int, int]] = {}
    for row in rows:
        due, new = candidates.get(row.deck, (0, 0))
        candidates[row.deck] = (due + row.queue_due, new + row.queue_new)
    served = queue.deck_sessions(run, TODAY, config, candidates)
    for deck in candidates:
        expected = queue_reference.build_queue(run, TODAY, config, StudyScope(deck))
        assert served[deck] == (len(expected.due), len(expected.new)), deck
    connection.close()


def test_the_deck_lists_totals_read_one_index_and_reviews_walk_the_due_index(
    template_db: Path,
) -> None:
    totals = _plan(template_db, deck_counts.TOTALS, {})
    assert totals.startswith("SCAN c USING COVERING INDEX ix_cards_deck_reading_order")
    due = _plan(template_db, deck_counts.DUE, PARAMS).splitlines()
    assert due[0].startswith("SEARCH s USING COVERING INDEX ix_schedule_due (due>? AND due<?)")
    learning = _plan(template_db, deck_counts.LEARNING, PARAMS).splitlines()
    assert learning[0].startswith("SEARCH c USING INTEGER PRIMARY KEY (rowid=?)")
