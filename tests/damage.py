"""A real collection with many rows, and damage in the middle of its file.

The damaged collection still opens (its schema, on page 1, and its review log, at the end,
are intact); only reading the cards fails, as with a disk that lost some sectors.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = ["CARDS", "damage_the_middle", "fill"]

CARDS = 2000
"""Cards :func:`fill` puts in by default."""


def fill(database: Path, cards: int = CARDS, reviews: int = 12) -> None:
    """Put ``cards`` cards (long questions: many pages) and ``reviews`` reviews in ``database``."""
    connection = sqlite3.connect(database)
    with connection:
        connection.execute("INSERT INTO decks (id, name) VALUES (1, 'Big')")
        connection.execute(
            "INSERT INTO sources (id, role, path, added_at) VALUES (1, 'import', '/x', ?)",
            ("2026-11-01 08:00:00.000000+00:00",),
        )
        connection.executemany(
            "INSERT INTO cards (id, card_id, deck_id, source_id, kind, question, answer, "
            "section, tags, source, line, position, status, created_at, updated_at) "
            "VALUES (?, ?, 1, 1, 'basic', ?, 'a', 'Big', '', 'x.md', ?, ?, 'active', ?, ?)",
            [
                (
                    key,
                    f"big-{key}",
                    f"question {key} " + "lorem ipsum " * 25,
                    key,
                    key,
                    "2026-11-01 08:00:00.000000+00:00",
                    "2026-11-01 08:00:00.000000+00:00",
                )
                for key in range(1, cards + 1)
            ],
        )
        connection.executemany(
            "INSERT INTO review_log (card_key, reviewed_at, study_day, quality, kind, "
            "before_repetitions, before_easiness, before_interval, after_repetitions, "
            "after_easiness, after_interval, before_lapses) "
            "VALUES (?, '2026-11-02 08:00:00.000000+00:00', '2026-11-02', 4, 'review', "
            "0, 2.5, 0, 1, 2.5, 1, 0)",
            [(key,) for key in range(1, reviews + 1)],
        )
        connection.executemany(
            "INSERT INTO schedule (card_key, repetitions, easiness, interval, lapses, reviews) "
            "VALUES (?, 0, 2.5, 0, 0, 0)",
            [(key,) for key in range(1, cards + 1)],
        )
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def damage_the_middle(database: Path) -> None:
    """Overwrite the middle fifth of ``database``'s pages (the cards' pages are most of it;
    the schema, on page 1, and the review log, at the end, stay readable)."""
    pages = database.stat().st_size // 4096
    with database.open("r+b") as handle:
        handle.seek(pages * 2 // 5 * 4096)
        handle.write(b"\xa5" * 4096 * (pages // 5))
