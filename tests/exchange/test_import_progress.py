"""Anki's review history as quizcalc schedules and review-log rows."""

from __future__ import annotations

import itertools
import json
import sqlite3
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from quizcalc.config import Config
from quizcalc.exchange.apkg_history import manual_rows, reviews_from_revlog
from quizcalc.exchange.apkg_import import read_apkg
from quizcalc.exchange.apkg_reader import AnkiReview
from quizcalc.store.models import CardRecord, ReviewLogRecord
from quizcalc.study import StudyService
from quizcalc.study.import_progress import IMPORT_SESSION
from tests.conftest import FIXED_NOW

# Small hand-made Anki packages (schema 11): error and history tests need no anki library.
BASIC_MODEL = 1001
CLOZE_MODEL = 1002
DECK = 2001
CREATED = 1_795_651_200
"""``col.crt``: 2026-11-26 00:00 UTC."""


@dataclass
class Row:
    """One note with one card (a cloze note: one card per ``ords``) and its revlog."""

    guid: str
    fields: Sequence[str]
    cloze: bool = False
    tags: str = ""
    ords: Sequence[int] = (0,)
    type: int = 0
    queue: int = 0
    due: int = 0
    ivl: int = 0
    factor: int = 0
    lapses: int = 0
    revlog: list[tuple[int, int, int, int, int]] = field(default_factory=list)
    """(time ms, ease, ivl, factor, type) per answer, for the card of the first ord."""


def write_collection(path: Path, rows: Sequence[Row]) -> None:
    """A minimal schema-11 collection holding ``rows``."""
    models = {
        str(BASIC_MODEL): {
            "name": "Basic",
            "type": 0,
            "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}],
        },
        str(CLOZE_MODEL): {
            "name": "Cloze",
            "type": 1,
            "flds": [{"name": "Text", "ord": 0}, {"name": "Back Extra", "ord": 1}],
        },
    }
    decks = {"1": {"name": "Default"}, str(DECK): {"name": "Calc::Limits"}}
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE col (id INTEGER PRIMARY KEY, crt INTEGER, ver INTEGER, models TEXT,"
        " decks TEXT);"
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT, mid INTEGER, flds TEXT,"
        " tags TEXT);"
        "CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER, did INTEGER, ord INTEGER,"
        " type INTEGER, queue INTEGER, due INTEGER, ivl INTEGER, factor INTEGER, reps INTEGER,"
        " lapses INTEGER, odid INTEGER, odue INTEGER);"
        "CREATE TABLE revlog (id INTEGER PRIMARY KEY, cid INTEGER, usn INTEGER, ease INTEGER,"
        " ivl INTEGER, lastIvl INTEGER, factor INTEGER, time INTEGER, type INTEGER);"
    )
    db.execute(
        "INSERT INTO col VALUES (1, ?, 11, ?, ?)", (CREATED, json.dumps(models), json.dumps(decks))
    )
    card_id = 5000
    for number, row in enumerate(rows, start=1):
        model = CLOZE_MODEL if row.cloze else BASIC_MODEL
        db.execute(
            "INSERT INTO notes VALUES (?, ?, ?, ?, ?)",
            (number, row.guid, model, "\x1f".join(row.fields), row.tags),
        )
        for index, ord_ in enumerate(row.ords):
            card_id += 1
            db.execute(
                "INSERT INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                (
                    card_id,
                    number,
                    DECK,
                    ord_,
                    row.type,
                    row.queue,
                    row.due,
                    row.ivl,
                    row.factor,
                    len(row.revlog),
                    row.lapses,
                ),
            )
            if index == 0:
                for ms, ease, ivl, factor, kind in row.revlog:
                    db.execute(
                        "INSERT INTO revlog VALUES (?, ?, 0, ?, ?, 0, ?, 5000, ?)",
                        (ms, card_id, ease, ivl, factor, kind),
                    )
    db.commit()
    db.close()


def write_package(path: Path, rows: Sequence[Row], member: str = "collection.anki21") -> Path:
    """An ``.apkg`` at ``path`` whose collection (named ``member``) holds ``rows``."""
    database = path.with_suffix(".sqlite")
    write_collection(database, rows)
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(database, member)
        archive.writestr("media", "{}")
    database.unlink()
    return path


SAMPLE = [
    Row(
        "guid-basic",
        ["What is lim sin(x)/x at 0?", "1"],
        tags=" limits ",
        type=2,
        queue=2,
        due=10,
        ivl=10,
        factor=2350,
        lapses=1,
        revlog=[
            (1_795_690_000_000, 3, -600, 0, 0),
            (1_795_691_000_000, 3, 1, 2500, 0),
            (1_795_780_000_000, 1, -600, 2300, 1),
            (1_795_781_000_000, 0, 0, 2300, 4),
            (1_795_782_000_000, 4, 10, 2350, 2),
        ],
    ),
    Row("guid-cloze", ["A {{c1::limit}} is {{c2::approached}}", ""], cloze=True, ords=(0, 1)),
]
"""A reviewed basic note and a new two-card cloze note."""


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Study days of imported reviews follow the local time zone: pin it to UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _row(
    ms: int, ease: int, ivl: int, factor: int = 2500, kind: int = 1, last: int = 0
) -> AnkiReview:
    return AnkiReview(ms, 1, ease, ivl, last, factor, 4000, kind)


def test_buttons_become_qualities_and_manual_rows_are_left_out() -> None:
    rows = [
        _row(1_000_000_000_000, 1, -60, 0, 0),
        _row(1_000_000_100_000, 2, -600, 0, 0, last=-60),
        _row(1_000_000_200_000, 3, 1, 2500, 0, last=-600),
        _row(1_000_100_000_000, 0, 5, 2500, 4, last=1),  # "set due date": no button
        _row(1_000_200_000_000, 4, 4, 2650, 1, last=5),
    ]
    reviews, state = reviews_from_revlog(rows)
    assert [r.quality for r in reviews] == [1, 3, 4, 5]
    assert all(r.kind == "review" for r in reviews)
    assert [r.after.repetitions for r in reviews] == [0, 0, 1, 2]
    # Intervals as Anki logged them (a step's seconds negative), lastIvl included.
    assert [r.before.interval for r in reviews] == [0, -60, -600, 5]
    assert [r.after.interval for r in reviews] == [-60, -600, 1, 4]
    for earlier, later in itertools.pairwise(reviews):
        assert replace(later.before, interval=0) == replace(earlier.after, interval=0)
    assert reviews[2].after.due == date(2001, 9, 9)  # study day 9-8, plus one day
    assert reviews[-1].after.easiness == 2.65
    assert reviews[0].duration_ms == 4000
    assert reviews[0].study_day == date(2001, 9, 8)  # 01:46 UTC is before the 04:00 rollover
    assert state == reviews[-1].after


def test_a_forget_is_a_reset_and_a_set_due_date_stays_manual() -> None:
    """Anki's Forget (manual, ease 0, ivl 0, factor 0) starts the card over: a ``reset`` row
    to a new card's state, and the next answers count from new; a set due date (manual, with
    an ease) and a Forget of a card new already are no reset and stay among the manual rows."""
    rows = [
        _row(999_900_000_000, 0, 0, 0, 4),  # Forget of a new card: changed nothing
        _row(1_000_000_000_000, 3, 1, 2500, 0),
        _row(1_000_100_000_000, 3, 3, 2500, 1, last=1),
        _row(1_000_200_000_000, 0, 0, 0, 4, last=3),  # Forget
        _row(1_000_300_000_000, 3, 1, 2500, 0),
        _row(1_000_400_000_000, 0, 5, 2500, 4, last=1),  # set due date
    ]
    reviews, state = reviews_from_revlog(rows)
    assert [r.kind for r in reviews] == ["review", "review", "reset", "review"]
    reset = reviews[2]
    assert (reset.quality, reset.before.interval, reset.before.repetitions) == (0, 3, 2)
    assert (reset.after.repetitions, reset.after.interval, reset.after.due) == (0, 0, None)
    assert reset.after.reviews == 2  # the count of answers is kept, as a reset here keeps it
    assert reviews[3].before.repetitions == 0
    assert state.repetitions == 1
    assert [(m.anki_id, m.type, m.factor) for m in manual_rows(rows)] == [
        (999_900_000_000, 4, 0),
        (1_000_400_000_000, 4, 2500),
    ]


def test_a_failed_review_after_a_success_is_a_lapse() -> None:
    reviews, state = reviews_from_revlog(
        [_row(1_000_000_000_000, 3, 1), _row(1_000_100_000_000, 1, -600, 2300)]
    )
    assert reviews[1].before.repetitions == 1
    assert (reviews[1].after.repetitions, reviews[1].after.lapses) == (0, 1)
    assert reviews[1].after.easiness == 2.3
    assert state.lapses == 1


def test_history_lands_in_the_schedule_and_log(tmp_path: Path, db_url: str) -> None:
    package = write_package(tmp_path / "sample.apkg", SAMPLE)
    service = StudyService.open(db_url, Config())
    try:
        report = service.import_path(package, FIXED_NOW, with_progress=True)
        assert (report.added, report.histories) == (3, 1)
        with service.store.transaction() as session:
            card = session.scalar(select(CardRecord).where(CardRecord.card_id == "anki-guid-basic"))
            assert card is not None
            schedule = card.schedule
            assert (schedule.interval, schedule.easiness, schedule.lapses) == (10, 2.35, 1)
            assert schedule.reviews == 4
            assert schedule.due == date(2026, 12, 6)  # crt's day + 10
            assert schedule.last_reviewed_at == datetime(2026, 11, 27, 12, 20, tzinfo=UTC)
            logs = session.scalars(
                select(ReviewLogRecord).order_by(ReviewLogRecord.reviewed_at)
            ).all()
            assert [log.quality for log in logs] == [4, 4, 1, 5]
            assert {log.session_id for log in logs} == {IMPORT_SESSION}
            assert {log.card_key for log in logs} == {card.id}
            assert logs[2].before_repetitions == 1 and logs[2].before_lapses == 0
            cloze = session.scalar(
                select(CardRecord).where(CardRecord.card_id == "anki-guid-cloze::c1")
            )
            assert cloze is not None and cloze.schedule.due is None
    finally:
        service.close()


def test_cards_already_studied_here_keep_their_history(tmp_path: Path, db_url: str) -> None:
    package = write_package(tmp_path / "sample.apkg", SAMPLE)
    service = StudyService.open(db_url, Config())
    try:
        service.import_path(package, FIXED_NOW)
        with service.store.transaction() as session:
            key = session.scalar(
                select(CardRecord.id).where(CardRecord.card_id == "anki-guid-basic")
            )
        assert key is not None
        service.answer(key, 5, FIXED_NOW)
        report = service.import_path(package, FIXED_NOW, with_progress=True)
        assert report.histories == 0
        assert report.problems == [
            f"{package.resolve()}: anki-guid-basic: already has 1 review here; "
            "kept this database's history"
        ]
        with service.store.transaction() as session:
            logs = session.scalars(select(ReviewLogRecord)).all()
        assert len(logs) == 1 and logs[0].session_id != IMPORT_SESSION
    finally:
        service.close()


def test_reading_the_package_gives_progress_only_for_studied_cards(tmp_path: Path) -> None:
    deck = read_apkg(write_package(tmp_path / "sample.apkg", SAMPLE))
    assert set(deck.progress) == {"anki-guid-basic"}


def test_credits_and_resets_are_history_but_not_reviews(tmp_path: Path, db_url: str) -> None:
    package = write_package(tmp_path / "sample.apkg", SAMPLE)
    service = StudyService.open(db_url, Config())
    kept = (
        f"{package.resolve()}: anki-guid-basic: already has {{}} here; kept this database's history"
    )
    try:
        service.import_path(package, FIXED_NOW)
        with service.store.transaction(write=True) as session:
            key = session.scalar(
                select(CardRecord.id).where(CardRecord.card_id == "anki-guid-basic")
            )
            assert key is not None
            session.add(  # credited by another skill's review: never answered, yet not new
                ReviewLogRecord(
                    card_key=key,
                    reviewed_at=FIXED_NOW,
                    study_day=FIXED_NOW.date(),
                    quality=5,
                    kind="implicit",
                    weight=0.5,
                    before_repetitions=0,
                    before_easiness=2.5,
                    before_interval=0,
                    after_repetitions=1,
                    after_easiness=2.5,
                    after_interval=1,
                )
            )
        report = service.import_path(package, FIXED_NOW, with_progress=True)
        assert (report.histories, report.problems) == (0, [kept.format("a history")])
        service.answer(key, 5, FIXED_NOW)
        service.reset_card(key, FIXED_NOW)
        report = service.import_path(package, FIXED_NOW, with_progress=True)
        assert (report.histories, report.problems) == (0, [kept.format("1 review")])
        with service.store.transaction() as session:
            sessions = session.scalars(select(ReviewLogRecord.session_id)).all()
        assert IMPORT_SESSION not in sessions
    finally:
        service.close()
