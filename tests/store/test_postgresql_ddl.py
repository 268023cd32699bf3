"""The models build the same PostgreSQL schema, partial index included, though SQLite
processes no longer load SQLAlchemy's PostgreSQL dialect to check its option."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_mock_engine

from quizcalc.store.models import Base


def _postgresql_ddl() -> list[str]:
    statements: list[str] = []

    def collect(sql: Any, *_: Any, **__: Any) -> None:
        statements.append(" ".join(str(sql.compile(dialect=engine.dialect)).split()))

    engine = create_mock_engine("postgresql://", collect)
    Base.metadata.create_all(engine, checkfirst=False)
    return statements


def test_the_partial_indexes_are_partial_on_postgresql() -> None:
    indexes = [s for s in _postgresql_ddl() if "ix_review_log_misconception" in s]
    assert indexes == [
        "CREATE INDEX ix_review_log_misconception ON review_log (misconception, card_key, kind)"
        " WHERE misconception IS NOT NULL"
    ]
    causes = [s for s in _postgresql_ddl() if "ix_review_log_cause" in s]
    assert causes == [
        "CREATE INDEX ix_review_log_cause ON review_log (cause_id) WHERE cause_id IS NOT NULL"
    ]


def test_creating_the_schema_twice_gives_the_same_statements() -> None:
    assert sorted(_postgresql_ddl()) == sorted(_postgresql_ddl())
