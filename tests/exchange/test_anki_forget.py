"""Anki's Forget imported as a reset row of the review log, and exported back as Anki wrote it.

One collection built by the official ``anki`` library over four simulated days: card
``forgotten`` is learnt, reviewed, then Forgotten (``schedule_cards_as_new``: Anki logs
``type`` 4, ``ease`` 0, ``ivl`` 0, ``factor`` 0) and learnt again; card ``left new`` is learnt
and Forgotten as its last row; card ``moved`` is learnt and given a due date by hand (``type``
4 with its ease in ``factor``: not a reset); card ``never studied`` is Forgotten while new (a
Forget that changed nothing). Imported into quizcalc with progress, the two Forgets of studied
cards are ``reset`` rows of the review log (so a replay starts the card over there), the set
due date and the Forget of the new card stay apart; exported with progress into a fresh Anki
collection, every revlog row comes back identical, the Forgets included.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import anki.collection as anki_collection
import pytest
from sqlalchemy import select, text

from quizcalc.config import Config
from quizcalc.exchange.model import ExportOptions
from quizcalc.scheduling.answer import NEW_CARD_STATE, CardState, SchedulerSettings
from quizcalc.scheduling.replay import replay_card
from quizcalc.store.models import AnkiRevlogExtraRecord, CardRecord, ScheduleRecord
from quizcalc.study import StudyService
from quizcalc.study.review_history import LoggedReview, card_histories, rated_days
from tests.conftest import FIXED_NOW
from tests.exchange.anki_decks import answer_in_anki, export_with_scheduling, play_days
from tests.exchange.test_apkg_anki import import_package

AGAIN, GOOD = 1, 3
FORGET = (4, 0, 0, 0)
"""(type, ease, ivl, factor) of Anki's Forget row."""

Row = tuple[int, str, int, int, int, int, int, int]
"""(id, card's front, ease, ivl, lastIvl, factor, time, type)."""


def _rows(col: Any) -> dict[int, Row]:
    query = (
        "SELECT r.id, n.sfld, r.ease, r.ivl, r.lastIvl, r.factor, r.time, r.type"
        " FROM revlog r JOIN cards c ON c.id = r.cid JOIN notes n ON n.id = c.nid"
    )
    return {row[0]: tuple(row) for row in col.db.all(query)}  # type: ignore[misc]


def _build(folder: Path) -> Path:
    col = anki_collection.Collection(str(folder / "collection.anki2"))
    try:
        deck = col.decks.id("Forget")
        col.decks.select(deck)
        ids = {}
        for front in ("forgotten", "left new", "moved", "never studied"):
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = front, f"the back of {front}"
            col.add_note(note, deck)
            ids[front] = note.card_ids()[0]
        learnt = [(GOOD,), (GOOD,)]
        days: list[list[tuple[str, str | int]]] = [
            [*(("forgotten", e) for (e,) in learnt), *(("left new", e) for (e,) in learnt)],
            [("forgotten", GOOD), ("moved", GOOD), ("moved", GOOD)],
            [
                *(("forgotten", "forget"), ("left new", "forget")),
                *(("moved", "set"), ("never studied", "forget")),
            ],
            [("forgotten", AGAIN), ("forgotten", GOOD), ("forgotten", GOOD)],
        ]

        def act(step: tuple[str, int | str]) -> None:
            front, action = step
            if action == "forget":
                col.sched.schedule_cards_as_new([ids[front]])
            elif action == "set":
                col.sched.set_due_date([ids[front]], "5")
            else:
                answer_in_anki(col, ids[front], int(action))

        play_days(col, days, act)
        return export_with_scheduling(col, folder / "forget.apkg")
    finally:
        col.close()


@dataclass
class Trip:
    """Anki's rows before, quizcalc's log after the import, and the rows of a fresh Anki."""

    before: dict[int, Row]
    fresh: dict[int, Row]
    histories: dict[str, list[LoggedReview]]
    """Each card's review log in quizcalc, by front."""
    schedules: dict[str, CardState]
    """Each card's stored schedule in quizcalc, by front."""
    kept_apart: list[tuple[int, int, int]]
    """``anki_revlog_extra`` rows: (Anki id, type, factor)."""


@pytest.fixture(scope="module")
def trip(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trip]:
    """Build in Anki, import into quizcalc, export, import into a fresh Anki."""
    folder = tmp_path_factory.mktemp("forget")
    package = _build(folder)
    service = StudyService.open(f"sqlite:///{folder / 'quizcalc.sqlite3'}", Config())
    try:
        service.import_path(package, FIXED_NOW, with_progress=True)
        out = folder / "from-quizcalc.apkg"
        service.export(out, ExportOptions(with_progress=True))
        with service.transaction() as session:
            fronts = {card.id: card.question for card in session.scalars(select(CardRecord)).all()}

            def run(sql: str, params: object) -> list[Any]:
                return list(session.execute(text(sql), dict(params)))  # type: ignore[call-overload]

            histories = {fronts[key]: rows for key, rows in card_histories(run).items()}
            schedules = {
                fronts[schedule.card_key]: schedule.state
                for schedule in session.scalars(select(ScheduleRecord)).all()
            }
            kept_apart = [
                (row.anki_id, row.type, row.factor)
                for row in session.scalars(select(AnkiRevlogExtraRecord)).all()
            ]
    finally:
        service.close()
    original = anki_collection.Collection(str(folder / "collection.anki2"))
    fresh = anki_collection.Collection(str(folder / "fresh.anki2"))
    try:
        before = _rows(original)
        import_package(fresh, out, with_scheduling=True)
        yield Trip(before, _rows(fresh), histories, schedules, kept_apart)
    finally:
        fresh.close()
        original.close()


def _forgets(rows: dict[int, Row]) -> list[Row]:
    return [row for row in rows.values() if (row[7], row[2], row[3], row[5]) == FORGET]


def test_anki_logged_three_forgets_and_a_set_due_date(trip: Trip) -> None:
    """The history is what the test means: three Forget rows and one set-due-date row."""
    forgets = sorted(row[1] for row in _forgets(trip.before))
    assert forgets == ["forgotten", "left new", "never studied"]
    manual = [row for row in trip.before.values() if row[7] == 4 and row[5] != 0]
    assert [row[1] for row in manual] == ["moved"]
    studied = [row for row in _forgets(trip.before) if row[1] != "never studied"]
    assert all(row[4] > 0 for row in studied)  # each had an interval


def test_a_forget_is_a_reset_row_at_its_time(trip: Trip) -> None:
    """Each Forget of a studied card is a ``reset`` row at Anki's time, from the interval it
    had to new."""
    for row in _forgets(trip.before):
        if row[1] == "never studied":
            continue
        resets = [r for r in trip.histories[row[1]] if r.kind == "reset"]
        assert len(resets) == 1
        (reset,) = resets
        assert round(reset.reviewed_at.timestamp() * 1000) == row[0]
        assert reset.before[2] == row[4]
        assert reset.after == (0, 2.5, 0, None)


def test_the_set_due_date_and_a_forget_of_a_new_card_stay_apart(trip: Trip) -> None:
    """Neither started a card over: kept apart as before, out of the review log; the Forgets
    of studied cards are not there."""
    apart = [
        row
        for row in trip.before.values()
        if row[7] == 4 and (row[5] != 0 or row[1] == "never studied")
    ]
    assert sorted((row[0], row[7], row[5]) for row in apart) == sorted(trip.kept_apart)
    assert len(trip.kept_apart) == 2
    assert "reset" not in {r.kind for r in trip.histories["moved"]}
    assert "never studied" not in trip.histories


def test_a_replay_starts_the_card_over_at_the_forget(trip: Trip) -> None:
    """SM-2 replayed from the log gives what the answers after the Forget alone give; the
    FSRS history is only those answers; a card Forgotten last is new."""
    history = trip.histories["forgotten"]
    cut = next(i for i, r in enumerate(history) if r.kind == "reset")
    settings = SchedulerSettings()
    whole = replay_card(history, settings)
    after_forget = replay_card(history[cut + 1 :], settings)
    assert replace(whole, reviews=0, last_reviewed_at=None) == replace(
        after_forget, reviews=0, last_reviewed_at=None
    )
    assert whole.repetitions < sum(1 for r in history if r.moved_schedule)
    assert [day for _, day in rated_days(history)] == [
        r.study_day for r in history[cut + 1 :] if r.moved_schedule
    ]
    left_new = replay_card(trip.histories["left new"], settings)
    assert (left_new.due, left_new.repetitions, left_new.interval) == (None, 0, 0)
    assert trip.schedules["left new"].due is None
    assert replace(trip.schedules["left new"], reviews=0, last_reviewed_at=None) == (NEW_CARD_STATE)


def test_every_row_comes_back_into_a_fresh_collection(trip: Trip) -> None:
    """Import → export → Anki: the Forgets and every other row as Anki logged them."""
    assert trip.fresh == trip.before
