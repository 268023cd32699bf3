"""Two devices on one collection (PostgreSQL, and SQLite for comparison): the first-card fast
path stands aside on PostgreSQL, and content sync from each device neither duplicates nor
retires the other's cards: each device's content folder is a source of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.first_card import peek_first_card, peek_first_frame, peek_settings
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]

DECK = """# Derivatives

Q: What does the derivative measure?
A: The instantaneous rate of change of a function.

Q: What does a zero derivative mean?
A: A flat tangent: a critical point.
"""
OTHER_DECK = """# Eigenvalues

Q: What is the trace of a square matrix in terms of its eigenvalues?
A: Their sum, counted with multiplicity.
"""


@pytest.fixture
def devices(db_url: str) -> Iterator[tuple[StudyService, StudyService]]:
    """Two devices' services open on one collection at once (SQLite, then PostgreSQL)."""
    laptop = StudyService.open(db_url, Config())
    desktop = StudyService.open(db_url, Config())
    yield laptop, desktop
    laptop.close()
    desktop.close()


def _folder(root: Path, name: str, deck: str) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "deck.md").write_text(deck, encoding="utf-8")
    return folder


def _state(service: StudyService) -> tuple[list[tuple[object, ...]], int]:
    """Every card (id, question, retired or not, source) and the number of sources."""
    with service.transaction() as session:
        cards = session.execute(
            text("SELECT id, question, retired_at IS NULL, source_id FROM cards ORDER BY id")
        ).all()
        sources = session.execute(text("SELECT count(*) FROM sources")).scalar_one()
    return [tuple(row) for row in cards], int(sources)


def test_the_first_card_fast_path_falls_back_without_an_error_on_postgresql(
    pg_url: str, tmp_path: Path
) -> None:
    service = StudyService.open(pg_url, Config())
    service.sync(_folder(tmp_path, "notes", DECK), FIXED_NOW)
    config = Config(new_per_day=7)
    assert peek_first_frame(pg_url, FIXED_NOW, config) is None
    assert peek_first_card(pg_url, FIXED_NOW, config) is None
    assert peek_settings(pg_url, config) is config
    # the normal path has the card the fast path left to it
    assert service.queue(FIXED_NOW).order
    service.close()


def test_the_second_device_syncing_the_same_folder_changes_nothing(
    devices: tuple[StudyService, StudyService], tmp_path: Path
) -> None:
    laptop, desktop = devices
    notes = _folder(tmp_path, "notes", DECK)
    first = laptop.sync(notes, FIXED_NOW)
    assert first.added == 2
    before = _state(laptop)
    second = desktop.sync(notes, FIXED_NOW)
    assert not second.changed
    assert (second.added, second.updated, second.retired) == (0, 0, 0)
    assert _state(desktop) == before


def test_different_content_folders_per_device_are_separate_sources(
    devices: tuple[StudyService, StudyService], tmp_path: Path
) -> None:
    laptop, desktop = devices
    laptop.sync(_folder(tmp_path, "laptop-notes", DECK), FIXED_NOW)
    desktop_report = desktop.sync(_folder(tmp_path, "desktop-notes", OTHER_DECK), FIXED_NOW)
    assert (desktop_report.added, desktop_report.retired) == (1, 0)
    cards, sources = _state(laptop)
    assert sources == 2
    assert [active for _id, _q, active, _source in cards] == [True, True, True]
    assert len({source for *_rest, source in cards}) == 2


def test_an_answer_locks_its_card_row_against_writers_outside_quizcalc(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # quizcalc's writers queue on the advisory write lock; a writer that does not take it (an
    # SQL session on the server) must still wait for the card row from the moment an answer
    # reads the card's state until it commits the new one.
    import psycopg
    from sqlalchemy.engine import make_url

    from quizcalc.study import review

    service = StudyService.open(pg_url, Config())
    service.sync(_folder(tmp_path, "notes", DECK), FIXED_NOW)
    first, second = service.queue(FIXED_NOW).new[:2]
    url = make_url(pg_url)
    outsider = psycopg.connect(
        host=url.query["host"], user=url.username, dbname=url.database, autocommit=True
    )
    lock_sql = "SELECT 1 FROM schedule WHERE card_key = %s FOR UPDATE NOWAIT"
    seen: list[str] = []

    def try_lock(key: int) -> str:
        try:
            outsider.execute(lock_sql, (key,))
        except psycopg.errors.LockNotAvailable:
            return "locked"
        return "free"

    rate = review.rating_of

    def rating_while_outsider_tries(*args, **kwargs):  # between reading the state and writing
        seen.append(try_lock(first))
        seen.append(try_lock(second))
        return rate(*args, **kwargs)

    monkeypatch.setattr(review, "rating_of", rating_while_outsider_tries)
    try:
        service.answer(first, 4, FIXED_NOW)
        seen.append(try_lock(first))  # committed: free again
    finally:
        outsider.close()
        service.close()
    assert seen == ["locked", "free", "free"]


def test_a_card_id_in_both_devices_folders_is_kept_once_and_the_copy_reported(
    devices: tuple[StudyService, StudyService], tmp_path: Path
) -> None:
    laptop, desktop = devices
    trace = "<!-- id: trace -->\nQ: What is the trace in terms of eigenvalues?\nA: Their sum.\n"
    laptop_notes = _folder(tmp_path, "laptop-notes", trace)
    laptop.sync(laptop_notes, FIXED_NOW)
    before = _state(laptop)
    copied = "Q: Something only the desktop has?\nA: Yes.\n\n" + trace
    desktop_notes = _folder(tmp_path, "desktop-notes", copied)
    report = desktop.sync(desktop_notes, FIXED_NOW)
    assert (report.added, report.retired) == (1, 0)
    assert report.problems == [
        f"{desktop_notes.resolve() / 'deck.md'}:5: card 'trace' is already in your content "
        f"folder {laptop_notes.resolve()} ({laptop_notes.resolve() / 'deck.md'}:2); this copy "
        "was skipped: give it another id or remove one"
    ]
    cards, sources = _state(laptop)
    assert sources == 2
    assert cards[: len(before[0])] == before[0]  # the laptop's card, untouched
    assert [active for _id, _q, active, _source in cards] == [True, True]
    # and the laptop's next sync finds its folder as it left it
    again = laptop.sync(laptop_notes, FIXED_NOW)
    assert (again.added, again.updated, again.retired, again.problems) == (0, 0, 0, [])


def test_an_answer_follows_the_scheduler_another_device_switched_to_meanwhile(
    devices: tuple[StudyService, StudyService], tmp_path: Path
) -> None:
    # The laptop built its queue under SM-2; the desktop then switched the collection to
    # FSRS. The laptop's next answer is scheduled under FSRS (a memory is stored), as the
    # collection says at the moment the answer holds the write lock.
    laptop, desktop = devices
    laptop.sync(_folder(tmp_path, "notes", DECK), FIXED_NOW)
    key = laptop.queue(FIXED_NOW).new[0]
    assert laptop.scheduler_settings.algorithm == "sm2"
    desktop.save_collection_settings({"algorithm": "fsrs"})
    laptop.answer(key, 4, FIXED_NOW)
    with laptop.transaction() as session:
        stability = session.execute(
            text("SELECT stability FROM schedule WHERE card_key = :key"), {"key": key}
        ).scalar_one()
    assert stability is not None
    assert laptop.scheduler_settings.algorithm == "fsrs"
