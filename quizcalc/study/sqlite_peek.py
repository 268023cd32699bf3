"""The quick paths' read-only look at a collection, with the stdlib ``sqlite3`` driver.

Three things answer without importing SQLAlchemy when the collection is a SQLite file at the
current schema: the first card (:mod:`~quizcalc.study.first_card`), ``quizcalc sync`` when
nothing changed (:mod:`~quizcalc.study.sync_peek`) and ``quizcalc stats``
(:mod:`~quizcalc.study.stats.quick`). They open it here, the same way, and leave anything else
(a new, older or non-SQLite database, an unreadable file) to the normal path.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from quizcalc.config import COLLECTION_SETTINGS, ConfigError, file_settings
from quizcalc.store.messages import sqlite_path
from quizcalc.store.schema_version import HEAD_REVISION
from quizcalc.study.queue_limits import RunSQL

__all__ = ["BUSY_SECONDS", "open_current", "runner", "settings_file_decides_nothing"]

BUSY_SECONDS = 0.5
"""How long a quick read waits for another process's lock before the normal path takes over."""


def open_current(url: str) -> sqlite3.Connection | None:
    """A read-only connection to the collection at ``url`` when it is a SQLite file at the
    current schema; ``None`` otherwise (absent, another database, older, unreadable)."""
    path = sqlite_path(url)
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_SECONDS
        )
    except sqlite3.Error:
        return None
    try:
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        version = None
    if version is None or version[0] != HEAD_REVISION:
        connection.close()
        return None
    return connection


def runner(connection: sqlite3.Connection) -> RunSQL:
    """The study layer's plain-SQL runner (:data:`~quizcalc.study.queue_limits.RunSQL`) over
    ``connection``: named parameters in, all rows out."""

    def run(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        return connection.execute(sql, dict(params)).fetchall()

    return run


def settings_file_decides_nothing(config_file: Path) -> bool:
    """True when ``config_file`` reads and sets no collection setting; otherwise the normal
    opening has something to say (what it ignores, or what is wrong with the file)."""
    try:
        return not any(name in COLLECTION_SETTINGS for name in file_settings(config_file))
    except ConfigError:
        return False
