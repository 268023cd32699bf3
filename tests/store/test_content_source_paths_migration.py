"""Migration 0013: the content source is keyed by its path; downgrading merges content rows
back into one without losing a card. On SQLite and on PostgreSQL, from revision 0012."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, text

from quizcalc.store import connection as store_connection
from quizcalc.store import engine as engine_module
from quizcalc.store import open_store
from quizcalc.store.schema_version import HEAD_REVISION
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]

pytestmark = pytest.mark.fresh_db  # an empty database: the test migrates it itself

NOTES = "/home/learner/notes"
DESKTOP = "/home/learner/desktop-notes"


def _alembic(url: str, action: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config as AlembicConfig

    engine = store_connection.make_engine(url)
    with engine.begin() as connection:
        config = AlembicConfig()
        config.set_main_option("script_location", str(engine_module._MIGRATIONS))
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)
    engine.dispose()


def _run(url: str, *statements: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def _rows(url: str, query: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(text(query))]
    engine.dispose()
    return rows


def _source(key: int, role: str, path: str, source_key: str, synced: str) -> str:
    return (
        "INSERT INTO sources (id, role, path, fingerprint, added_at, synced_at, key) VALUES "
        f"({key}, '{role}', '{path}', 'f', '2026-11-01 09:00:00', '{synced}', '{source_key}')"
    )


def _card(key: int, source_id: int, file: str) -> str:
    return (
        "INSERT INTO cards (id, card_id, deck_id, source_id, kind, question, answer, section,"
        " tags, source, line, position, status, created_at, updated_at, note) VALUES"
        f" ({key}, 'card-{key}', 1, {source_id}, 'basic', 'Q{key}?', 'A', '', '', '{file}', 2,"
        " 0, 'active', '2026-11-01 09:00:00', '2026-11-01 09:00:00', '')"
    )


def _at_0012(url: str) -> None:
    """A collection at 0012: one content row keyed ``content``, an import, a bundled deck."""
    _alembic(url, "upgrade", "0012")
    _run(
        url,
        "INSERT INTO decks (id, name) VALUES (1, 'Deck')",
        _source(1, "content", NOTES, "content", "2026-11-02 09:00:00"),
        _source(2, "import", "/somewhere/else.md", "import:/somewhere/else.md", "2026-11-02"),
        _source(3, "bundled", "/opt/qc/content/a.md", "bundled:a.md", "2026-11-02 09:00:00"),
        _card(1, 1, f"{NOTES}/deck.md"),
        _card(2, 2, "/somewhere/else.md"),
        "INSERT INTO source_files (source_id, path, size, mtime_ns, content_hash)"
        " VALUES (1, 'deck.md', 10, 20, 'h')",
    )


def test_the_content_row_is_keyed_by_its_path_and_keeps_its_cards(db_url: str) -> None:
    _at_0012(db_url)
    open_store(db_url).close()
    assert _rows(db_url, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    assert _rows(db_url, "SELECT id, key, path FROM sources ORDER BY id") == [
        (1, f"content:{NOTES}", NOTES),
        (2, "import:/somewhere/else.md", "/somewhere/else.md"),
        (3, "bundled:a.md", "/opt/qc/content/a.md"),
    ]
    assert _rows(db_url, "SELECT id, source_id FROM cards ORDER BY id") == [(1, 1), (2, 2)]
    assert _rows(db_url, "SELECT source_id, path FROM source_files") == [(1, "deck.md")]

    _alembic(db_url, "downgrade", "0012")
    assert _rows(db_url, "SELECT id, key, fingerprint FROM sources ORDER BY id") == [
        (1, "content", "f"),
        (2, "import:/somewhere/else.md", "f"),
        (3, "bundled:a.md", "f"),
    ]


def test_downgrading_two_devices_folders_merges_them_into_the_latest_synced(
    db_url: str,
) -> None:
    _at_0012(db_url)
    _alembic(db_url, "upgrade", "0013")
    _run(
        db_url,
        _source(4, "content", DESKTOP, f"content:{DESKTOP}", "2026-11-05 09:00:00"),
        _card(3, 4, f"{DESKTOP}/deck.md"),
        "INSERT INTO source_files (source_id, path, size, mtime_ns, content_hash)"
        " VALUES (4, 'deck.md', 10, 20, 'h')",
    )

    _alembic(db_url, "downgrade", "0012")

    # the desktop's folder was synced last: it is the one content folder the older quizcalc
    # knows, and the laptop's cards move to it (its next sync retires them, history kept)
    assert _rows(db_url, "SELECT id, key, path, fingerprint FROM sources ORDER BY id") == [
        (2, "import:/somewhere/else.md", "/somewhere/else.md", "f"),
        (3, "bundled:a.md", "/opt/qc/content/a.md", "f"),
        (4, "content", DESKTOP, None),
    ]
    assert _rows(db_url, "SELECT id, source_id FROM cards ORDER BY id") == [(1, 4), (2, 2), (3, 4)]
    assert _rows(db_url, "SELECT source_id FROM source_files") == [(4,)]
