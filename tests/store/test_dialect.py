"""The dialect seam: SQLite-only forms of the study layer's SQL rewritten for PostgreSQL, and
SQLite's statements never touched."""

from __future__ import annotations

import pytest

from quizcalc.store.dialect import for_dialect

REWRITES = [
    (
        "SELECT c.id FROM schedule AS s CROSS JOIN cards AS c ON c.id = s.card_key WHERE 1",
        "SELECT c.id FROM schedule AS s CROSS JOIN LATERAL "
        "(SELECT * FROM cards WHERE cards.id = s.card_key OFFSET 0) AS c WHERE 1",
    ),
    (
        "SELECT 1 FROM cards AS c CROSS JOIN schedule AS s ON s.card_key = c.id\n  WHERE",
        "SELECT 1 FROM cards AS c CROSS JOIN LATERAL "
        "(SELECT * FROM schedule WHERE schedule.card_key = c.id OFFSET 0) AS s\n  WHERE",
    ),
    (
        "SELECT 1 FROM a AS x CROSS JOIN b AS y ON y.n > x.n",
        "SELECT 1 FROM a AS x JOIN b AS y ON y.n > x.n",
    ),
    (
        "FROM cards AS c WHERE +c.status = 'active' AND c.line + c.position > 0",
        "FROM cards AS c WHERE c.status = 'active' AND c.line + c.position > 0",
    ),
    (
        "FROM cards AS c NOT INDEXED LEFT JOIN review_log AS l INDEXED BY ix_log ON l.id = 1",
        "FROM cards AS c LEFT JOIN review_log AS l ON l.id = 1",
    ),
    (
        "before_due IS NOT after_due OR due IS NOT NULL OR x IS NOT DISTINCT FROM y",
        "before_due IS DISTINCT FROM after_due OR due IS NOT NULL OR x IS NOT DISTINCT FROM y",
    ),
    (
        "CAST(julianday(study_day) - julianday(l.previous_day) AS INTEGER)",
        "CAST((study_day - DATE '2000-01-01') - (l.previous_day - DATE '2000-01-01') AS INTEGER)",
    ),
    (  # a day itself: counted from a fixed day, the same number on both
        "CAST(julianday(study_day) - julianday('2000-01-01') AS INTEGER)",
        "CAST((study_day - DATE '2000-01-01') - (DATE '2000-01-01' - DATE '2000-01-01') AS "
        "INTEGER)",
    ),
]


@pytest.mark.parametrize(("sqlite", "postgresql"), REWRITES)
def test_sqlite_only_forms_are_rewritten_for_postgresql(sqlite: str, postgresql: str) -> None:
    assert for_dialect(sqlite, "postgresql") == postgresql


@pytest.mark.parametrize(("sqlite", "_postgresql"), REWRITES)
def test_sqlite_statements_are_never_changed(sqlite: str, _postgresql: str) -> None:
    assert for_dialect(sqlite, "sqlite") is sqlite
