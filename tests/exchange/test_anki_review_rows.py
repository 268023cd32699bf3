"""Anki → quizcalc → Anki keeps every review-log row (issue 12, "every review row").

One collection is built by the official ``anki`` library, answering cards with Anki's own
scheduler (``col.sched.answerCard``) over five simulated days (each day's rows are moved one
day back before the next): learning steps (Again/Good), a review card answered Hard, Good and
Easy, a lapse with a relearning step, a "set due date" (a manual row, ease 0) and a suspended
card — 20 revlog rows, 1 of them manual. It goes out as .apkg with scheduling, into quizcalc
with ``--with-progress``, out of quizcalc as .apkg with progress, and into a fresh Anki
collection with scheduling.

Measured (rows identical in id, card by note GUID + ord, ease, ivl, lastIvl, factor, time and
type), into the fresh collection: before the fix 8 of 20 (19 arrived by id; the manual row
silently gone; the 11 rows of learning and relearning steps lost their negative intervals in
seconds, the next row's lastIvl, factor 0 and type 0/2); then 19 of 20, the manual row only
named in the import report; now 20 of 20: the manual row is kept apart (schema 0008,
``anki_revlog_extra``), out of quizcalc's review log and statistics, and written back. Into
the original collection: 20 of 20 and no row added, before and after (Anki keeps rows whose
id it has). The cards' type, queue, interval, ease, lapses and due equal Anki's (5 of 5).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anki.collection as anki_collection
import pytest
from sqlalchemy import func, select

from quizcalc.config import Config
from quizcalc.exchange.model import ExportOptions
from quizcalc.scheduling.study_day import study_day
from quizcalc.store.models import AnkiRevlogExtraRecord, ReviewLogRecord
from quizcalc.study import StudyService
from quizcalc.study.report_lines import KEPT, outcome
from tests.conftest import FIXED_NOW
from tests.exchange.anki_decks import answer_in_anki, export_with_scheduling, play_days
from tests.exchange.test_apkg_anki import import_package

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4

Row = tuple[int, str, int, int, int, int, int, int, int]
"""(id, note GUID, ord, ease, ivl, lastIvl, factor, time, type)."""


def _rows(col: Any) -> dict[int, Row]:
    query = (
        "SELECT r.id, n.guid, c.ord, r.ease, r.ivl, r.lastIvl, r.factor, r.time, r.type"
        " FROM revlog r JOIN cards c ON c.id = r.cid JOIN notes n ON n.id = c.nid"
    )
    return {row[0]: tuple(row) for row in col.db.all(query)}  # type: ignore[misc]


def _cards(col: Any) -> dict[tuple[str, int], tuple[int, ...]]:
    query = (
        "SELECT n.guid, c.ord, c.type, c.queue, c.ivl, c.factor, c.lapses, c.due"
        " FROM cards c JOIN notes n ON n.id = c.nid"
    )
    return {(row[0], row[1]): tuple(row[2:]) for row in col.db.all(query)}


def _build(folder: Path) -> Path:
    col = anki_collection.Collection(str(folder / "collection.anki2"))
    try:
        deck = col.decks.id("Calc")
        col.decks.select(deck)
        ids = []
        for i in range(5):
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = f"d/dx x^{i + 2}?", f"{i + 2}x^{i + 1}"
            col.add_note(note, deck)
            ids.append(note.card_ids()[0])
        learner, reviewed, lapsed, moved, suspended = ids
        days = [
            [
                *((reviewed, GOOD), (reviewed, GOOD), (lapsed, EASY)),
                *((moved, GOOD), (moved, GOOD), (suspended, GOOD), (suspended, GOOD)),
            ],
            [(reviewed, HARD), (lapsed, GOOD), (suspended, GOOD)],
            [(reviewed, GOOD), (lapsed, AGAIN), (lapsed, GOOD), ("set", moved)],
            [(reviewed, EASY), (moved, GOOD)],
            [(learner, AGAIN), (learner, GOOD), (learner, GOOD), (lapsed, GOOD)],
        ]

        def act(step: tuple[int | str, int]) -> None:
            cid, ease = step
            if cid == "set":
                col.sched.set_due_date([ease], "5")
            else:
                answer_in_anki(col, int(cid), ease)

        play_days(col, days, act)
        col.sched.suspend_cards([suspended])
        return export_with_scheduling(col, folder / "history.apkg")
    finally:
        col.close()


@dataclass
class Trip:
    """Anki's rows and cards before, and after quizcalc's package came back."""

    before: dict[int, Row]
    fresh: dict[int, Row]
    original: dict[int, Row]
    cards_before: dict[tuple[str, int], tuple[int, ...]]
    cards_fresh: dict[tuple[str, int], tuple[int, ...]]
    report: list[str]
    log_rows: int
    """Rows of quizcalc's review log after the import."""
    kept_apart: int
    """Rows of ``anki_revlog_extra`` after the import."""
    reviews_on_manual_day: int
    """``home(…).reviews_today`` on the study day of the manual row."""
    manual_day: datetime
    """A moment just after the manual row."""
    restored_apart: int
    """Rows of ``anki_revlog_extra`` after a backup of the import restored elsewhere."""


@pytest.fixture(scope="module")
def trip(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trip]:
    """Build, export, import into quizcalc, export, import into fresh and original Anki."""
    folder = tmp_path_factory.mktemp("review-rows")
    package = _build(folder)
    service = StudyService.open(f"sqlite:///{folder / 'quizcalc.sqlite3'}", Config())
    try:
        report = service.import_path(package, FIXED_NOW, with_progress=True)
        out = folder / "from-quizcalc.apkg"
        service.export(out, ExportOptions(with_progress=True))
        with service.transaction() as session:
            log_rows = session.scalar(select(func.count()).select_from(ReviewLogRecord))
            kept_apart = session.scalar(select(func.count()).select_from(AnkiRevlogExtraRecord))
            manual_ms = session.scalar(select(func.max(AnkiRevlogExtraRecord.anki_id)))
        manual_day = datetime.fromtimestamp((manual_ms or 0) / 1000 + 1, UTC)
        reviews_on_manual_day = service.home(manual_day).reviews_today
        service.export_backup(folder / "backup.json", None)
    finally:
        service.close()
    restored = StudyService.open(f"sqlite:///{folder / 'restored.sqlite3'}", Config())
    try:
        restored.restore_backup(folder / "backup.json", now=FIXED_NOW, force=False)
        with restored.transaction() as session:
            manual_restored = session.scalar(
                select(func.count()).select_from(AnkiRevlogExtraRecord)
            )
    finally:
        restored.close()
    original = anki_collection.Collection(str(folder / "collection.anki2"))
    fresh = anki_collection.Collection(str(folder / "fresh.anki2"))
    try:
        before, cards_before = _rows(original), _cards(original)
        import_package(fresh, out, with_scheduling=True)
        import_package(original, out, with_scheduling=True)
        yield Trip(
            before,
            _rows(fresh),
            _rows(original),
            cards_before,
            _cards(fresh),
            [str(line) for line in report.problems],
            int(log_rows or 0),
            int(kept_apart or 0),
            reviews_on_manual_day,
            manual_day,
            int(manual_restored or 0),
        )
    finally:
        fresh.close()
        original.close()


def test_the_history_is_realistic(trip: Trip) -> None:
    """20 rows: learning steps, reviews, a lapse and relearning, a manual reschedule."""
    types = sorted(row[8] for row in trip.before.values())
    assert len(trip.before) == 20
    assert {0, 1, 2, 4} <= set(types)
    assert any(row[4] < 0 for row in trip.before.values())  # learning steps in seconds


def test_every_row_comes_back_into_a_fresh_collection(trip: Trip) -> None:
    """All 20 rows return identical, the manual one too (before the fix 19; at first 8)."""
    kept = {key: row for key, row in trip.before.items() if trip.fresh.get(key) == row}
    assert (len(kept), len(trip.before)) == (20, 20), {
        key: (row, trip.fresh.get(key)) for key, row in trip.before.items() if key not in kept
    }
    assert trip.fresh == trip.before


def test_the_manual_row_is_kept_for_anki_in_the_import_report(trip: Trip) -> None:
    """The "set due date" row (ease 0) is not an answer here: the import says it is kept."""
    assert any(
        line.endswith(
            "history.apkg: 1 manual row of Anki's review log (set due date or"
            " reschedule) kept for Anki; quizcalc's statistics leave them out"
        )
        for line in trip.report
    ), trip.report
    assert outcome(next(line for line in trip.report if "manual row" in line)) == KEPT


def test_the_manual_row_stays_out_of_quizcalcs_log_and_counts(trip: Trip) -> None:
    """19 answers in the review log, the manual row apart; "done today" counts answers only."""
    answers = [row for row in trip.before.values() if row[3] > 0]
    assert (trip.log_rows, trip.kept_apart) == (len(answers), 1) == (19, 1)
    today = study_day(trip.manual_day, Config().rollover_hour)
    same_day = [
        row
        for row in answers
        if study_day(datetime.fromtimestamp(row[0] / 1000, UTC), Config().rollover_hour) == today
    ]
    assert trip.reviews_on_manual_day == len(same_day) > 0


def test_a_backup_keeps_the_manual_row(trip: Trip) -> None:
    """A JSON backup restored into another database still holds the manual row."""
    assert trip.restored_apart == 1


def test_the_original_collection_keeps_its_rows_and_gets_none_added(trip: Trip) -> None:
    """20 of 20 rows stay as they were; no row is added."""
    assert trip.original == trip.before


def test_the_cards_schedules_come_back(trip: Trip) -> None:
    """Type, queue, interval, ease, lapses and due of every card equal Anki's."""
    assert trip.cards_fresh == trip.cards_before
