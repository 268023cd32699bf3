"""Migration 0006: every source gets its key, rows sharing a key merge, no review is lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.locations import bundled_content_dir
from quizcalc.store import connection as store_connection
from quizcalc.store import engine as engine_module
from quizcalc.store import open_store
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW

DECK = "<!-- id: kept -->\nQ: Still here?\nA: Yes.\n"


def _at_0005(path: Path) -> sqlite3.Connection:
    """A database migrated up to 0005 (before source keys), open for writing rows."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    engine = store_connection.make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config = AlembicConfig()
        config.set_main_option("script_location", str(engine_module._MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO decks (id, name) VALUES (1, 'Deck')")
    return con


def _source(con: sqlite3.Connection, key: int, role: str, path: str, synced: str | None) -> None:
    con.execute(
        "INSERT INTO sources (id, role, path, fingerprint, added_at, synced_at)"
        " VALUES (?, ?, ?, 'f', '2026-11-01 09:00:00', ?)",
        (key, role, path, synced),
    )


def _card(con: sqlite3.Connection, key: int, card_id: str, source_id: int, file: str) -> None:
    con.execute(
        "INSERT INTO cards (id, card_id, deck_id, source_id, kind, question, answer, section,"
        " tags, source, line, position, status, created_at, updated_at, note)"
        " VALUES (?, ?, 1, ?, 'basic', ?, 'A', '', '', ?, 2, 0, 'active',"
        " '2026-11-01 09:00:00', '2026-11-01 09:00:00', '')",
        (key, card_id, source_id, f"{card_id}?", file),
    )
    con.execute(
        "INSERT INTO schedule VALUES (?, 1, 2.6, 1, '2026-11-27', 0, 1, '2026-11-26 09:00:00')",
        (key,),
    )
    con.execute(
        "INSERT INTO review_log (card_key, reviewed_at, study_day, quality, kind,"
        " before_repetitions, before_easiness, before_interval, after_repetitions,"
        " after_easiness, after_interval, before_lapses)"
        " VALUES (?, '2026-11-26 09:00:00', '2026-11-26', 5, 'review', 0, 2.5, 0, 1, 2.6, 1, 0)",
        (key,),
    )


def _rows(path: Path, query: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def test_duplicate_sources_merge_into_one_row_per_key_keeping_every_review(
    tmp_path: Path,
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "deck.md").write_text(DECK, encoding="utf-8")
    deck = str(notes / "deck.md")
    path = tmp_path / "old.sqlite3"
    con = _at_0005(path)
    # Two first starts at once gave two content rows; each took some cards.
    _source(con, 1, "content", str(notes), "2026-11-02 09:00:00")
    _source(con, 2, "content", str(notes), "2026-11-03 09:00:00")
    _source(con, 3, "import", "/somewhere/else.md", None)
    _source(con, 4, "import", "/somewhere/else.md", None)
    _card(con, 1, "kept", 1, deck)
    _card(con, 2, "deleted-from-the-file", 2, deck)
    _card(con, 3, "imported", 4, "/somewhere/else.md")
    con.commit()
    con.close()
    before = _rows(path, "SELECT * FROM review_log ORDER BY id")

    open_store(path).close()

    assert _rows(path, "SELECT id, key, role, fingerprint FROM sources ORDER BY id") == [
        (1, f"content:{notes}", "content", None),
        (3, "import:/somewhere/else.md", "import", None),
    ]
    assert _rows(path, "SELECT id, source_id FROM cards ORDER BY id") == [(1, 1), (2, 1), (3, 3)]
    after = _rows(path, "SELECT * FROM review_log ORDER BY id")
    assert [row[: len(old)] for row, old in zip(after, before, strict=True)] == before  # + 0012's
    assert len(_rows(path, "SELECT * FROM schedule")) == 3
    con = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        con.execute(
            "INSERT INTO sources (role, path, added_at, key)"
            " VALUES ('content', 'x', '2026-12-01', ?)",
            (f"content:{notes}",),
        )
    con.close()

    # The card deleted from the file (held by the second row before) now retires.
    service = StudyService.open(f"sqlite:///{path}", Config())
    report = service.sync(notes, FIXED_NOW)
    service.close()
    assert (report.retired, report.added) == (1, 0)


def test_a_collection_that_studied_the_bundled_folder_keeps_it_under_bundled_keys(
    tmp_path: Path,
) -> None:
    from quizcalc.cards import find_card_files, parse_document

    bundled = bundled_content_dir().resolve()
    deck = bundled / "calculus-optimization.md"
    first = parse_document(deck.read_text(encoding="utf-8"), source=str(deck)).cards[0]
    path = tmp_path / "old.sqlite3"
    con = _at_0005(path)
    _source(con, 1, "content", str(bundled), "2026-11-02 09:00:00")
    _card(con, 1, first.id, 1, str(deck))
    con.commit()
    con.close()

    service = StudyService.open(f"sqlite:///{path}", Config())
    report = service.sync(bundled, FIXED_NOW)
    service.close()

    assert (report.problems, report.retired, report.updated) == ([], 0, 1)
    every_deck = [
        (f"bundled:{file.name}", "bundled", str(file)) for file in find_card_files(bundled)
    ]
    assert ("bundled:calculus-optimization.md", "bundled", str(deck)) in every_deck
    assert sorted(_rows(path, "SELECT key, role, path FROM sources")) == sorted(every_deck)
    assert _rows(path, "SELECT card_key FROM review_log") == [(1,)]
    assert _rows(
        path, "SELECT s.key FROM cards c JOIN sources s ON s.id = c.source_id WHERE c.id = 1"
    ) == [("bundled:calculus-optimization.md",)]
