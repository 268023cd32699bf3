"""A content folder is a source of its own, keyed by its path (``content:<resolved path>``).

Two folders are two sources; a folder moved on this device is a new source that takes its
cards over with their schedules and review log, and the old source goes. On SQLite and on
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.sync_peek import unchanged_quickly
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]

FIRST = """# Derivatives

Q: What does the derivative measure?
A: The instantaneous rate of change of a function.

Q: What does a zero derivative mean?
A: A flat tangent: a critical point.
"""
DROPPED = "\nQ: What is a saddle point?\nA: A critical point that is no extremum.\n"
SECOND = """# Eigenvalues

<!-- id: trace -->
Q: What is the trace of a square matrix in terms of its eigenvalues?
A: Their sum, counted with multiplicity.
"""


@pytest.fixture
def service(db_url: str) -> Iterator[StudyService]:
    svc = StudyService.open(db_url, Config())
    yield svc
    svc.close()


def _rows(service: StudyService, sql: str) -> list[tuple[object, ...]]:
    with service.transaction() as session:
        return [tuple(row) for row in session.execute(text(sql))]


def _cards(service: StudyService) -> list[tuple[object, ...]]:
    """Every card's row id, content id, status and position (what a move must keep)."""
    return _rows(service, "SELECT id, card_id, status, position FROM cards ORDER BY id")


def _history(service: StudyService) -> tuple[list[tuple[object, ...]], ...]:
    return (
        _rows(service, "SELECT * FROM schedule ORDER BY card_key"),
        _rows(service, "SELECT * FROM review_log ORDER BY id"),
    )


def _notes(root: Path) -> Path:
    notes = root / "notes"
    (notes / "linear-algebra").mkdir(parents=True)
    (notes / "calculus.md").write_text(FIRST + DROPPED, encoding="utf-8")
    (notes / "linear-algebra" / "eigen.md").write_text(SECOND, encoding="utf-8")
    return notes


def test_a_moved_content_folder_keeps_every_card_with_its_history(
    service: StudyService, tmp_path: Path
) -> None:
    notes = _notes(tmp_path)
    service.sync(notes, FIXED_NOW)
    for (key,) in _rows(service, "SELECT id FROM cards ORDER BY id"):
        service.answer(int(str(key)), 5, FIXED_NOW)
    (notes / "calculus.md").write_text(FIRST, encoding="utf-8")  # one card retired, reviewed
    assert service.sync(notes, FIXED_NOW).retired == 1
    cards, history = _cards(service), _history(service)

    (tmp_path / "study").mkdir()
    moved = notes.rename(tmp_path / "study" / "notes-moved")
    report = service.sync(moved, FIXED_NOW)

    assert (report.added, report.retired, report.unchanged, report.problems) == (0, 0, 3, [])
    assert _cards(service) == cards
    assert _history(service) == history
    folder = moved.resolve()
    assert _rows(service, "SELECT key, role, path FROM sources") == [
        (f"content:{folder}", "content", str(folder))
    ]
    # every card (the retired one too) names its file at the new path, and belongs to it
    assert _rows(service, "SELECT DISTINCT source FROM cards ORDER BY source") == [
        (str(folder / "calculus.md"),),
        (str(folder / "linear-algebra" / "eigen.md"),),
    ]
    assert _rows(service, "SELECT count(DISTINCT source_id) FROM cards") == [(1,)]
    assert _rows(service, "SELECT path FROM source_files ORDER BY path") == [
        ("calculus.md",),
        ("linear-algebra/eigen.md",),
    ]
    # the retired card comes back with its review, and nothing else moves
    (moved / "calculus.md").write_text(FIRST + DROPPED, encoding="utf-8")
    back = service.sync(moved, FIXED_NOW)
    assert (back.added, back.restored, back.retired) == (0, 1, 0)
    assert _history(service) == history


def test_an_unchanged_moved_folder_is_nothing_to_do_for_the_fast_path(
    db_url: str, service: StudyService, tmp_path: Path
) -> None:
    notes = _notes(tmp_path)
    service.sync(notes, FIXED_NOW)
    moved = notes.rename(tmp_path / "elsewhere")
    config = tmp_path / "no-config.toml"
    if db_url.startswith("sqlite"):
        assert unchanged_quickly(db_url, moved, config) is None  # the real sync moves it
    service.sync(moved, FIXED_NOW)
    if db_url.startswith("sqlite"):
        assert unchanged_quickly(db_url, moved, config) == 4
    again = service.sync(moved, FIXED_NOW)
    assert (again.added, again.updated, again.retired, again.unchanged) == (0, 0, 0, 4)


def test_two_content_folders_are_two_sources_and_neither_retires_the_other(
    service: StudyService, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    first.mkdir()
    (first / "deck.md").write_text(FIRST, encoding="utf-8")
    second = tmp_path / "second"
    second.mkdir()
    (second / "deck.md").write_text(SECOND, encoding="utf-8")
    assert service.sync(first, FIXED_NOW).added == 2
    report = service.sync(second, FIXED_NOW)
    assert (report.added, report.retired) == (1, 0)
    again = service.sync(first, FIXED_NOW)
    assert (again.added, again.retired, again.unchanged) == (0, 0, 2)
    assert _rows(service, "SELECT key FROM sources ORDER BY id") == [
        (f"content:{first.resolve()}",),
        (f"content:{second.resolve()}",),
    ]
    assert _rows(service, "SELECT count(*) FROM cards WHERE status = 'active'") == [(3,)]


def test_a_file_deleted_while_the_folder_moved_has_its_cards_retired(
    service: StudyService, tmp_path: Path
) -> None:
    notes = _notes(tmp_path)
    service.sync(notes, FIXED_NOW)
    moved = notes.rename(tmp_path / "moved")
    (moved / "linear-algebra" / "eigen.md").unlink()
    report = service.sync(moved, FIXED_NOW)
    assert (report.added, report.retired, report.unchanged) == (0, 1, 3)
    assert _rows(service, "SELECT key FROM sources") == [(f"content:{moved.resolve()}",)]
    assert _rows(service, "SELECT card_id FROM cards WHERE status = 'retired'") == [("trace",)]


def test_another_device_s_folder_sharing_one_file_is_not_taken_for_a_move(
    service: StudyService, tmp_path: Path
) -> None:
    laptop = tmp_path / "laptop-notes"
    laptop.mkdir()
    (laptop / "calculus.md").write_text(FIRST, encoding="utf-8")
    (laptop / "more.md").write_text(DROPPED + "\n" + SECOND, encoding="utf-8")
    service.sync(laptop, FIXED_NOW)
    cards = _cards(service)
    # on the desktop the laptop's folder does not exist, and one of its files was copied
    away = laptop.rename(tmp_path / "not-on-this-device")
    desktop = tmp_path / "desktop-notes"
    desktop.mkdir()
    (desktop / "calculus.md").write_text(FIRST, encoding="utf-8")
    report = service.sync(desktop, FIXED_NOW)
    assert (report.added, report.retired) == (0, 0)
    assert len(_rows(service, "SELECT id FROM sources")) == 2  # the laptop's folder stays
    assert _cards(service) == cards
    # and the laptop, back, finds every card of its folder as it left it
    again = service.sync(away.rename(laptop), FIXED_NOW)
    assert (again.added, again.retired, again.problems) == (0, 0, [])
    assert _cards(service) == cards
