"""The query plans of what a use case runs, to prove it is served by an index."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from sqlalchemy import event

from quizcalc.study import StudyService

__all__ = ["query_plans"]


def query_plans(service: StudyService, db_url: str, action: Callable[[], Any]) -> list[str]:
    """SQLite's query plan (``EXPLAIN QUERY PLAN``) of every SELECT ``action`` runs on
    ``service``, whose collection is the file at ``db_url``."""
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        statements.append((sql, params))

    engine = service.store.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    connection = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    plans = []
    for sql, params in statements:
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            rows = connection.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
            plans.append("\n".join(str(row[-1]) for row in rows))
    connection.close()
    return plans
