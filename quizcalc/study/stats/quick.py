"""``quizcalc stats`` fast path: the statistics read with the stdlib ``sqlite3`` driver.

SQLAlchemy, its ORM, the models and the study service take longer to import than the
statistics take to compute on a heavy collection. The statistics only read, so when the
collection is a SQLite file at the current schema that opening would not change, they are
computed here, read-only, with the same SQL as inside the service (:func:`stats_from`), in one
read transaction. Whenever the normal opening has something to do or to say (a new, older,
read-only or non-SQLite database, a collection without stored settings or with unusable ones,
a ``config.toml`` that sets collection settings or cannot be read, any database error), this
returns ``None`` and the caller opens the service as before.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from quizcalc.config import ConfigError, load_config
from quizcalc.store.messages import is_read_only, sqlite_path
from quizcalc.study.collection_values import read_stored_settings
from quizcalc.study.sqlite_peek import open_current, runner, settings_file_decides_nothing
from quizcalc.study.stats.compute import stats_from
from quizcalc.study.stats.model import Stats

__all__ = ["peek_stats"]


def peek_stats(url: str, config_file: Path, now: datetime) -> Stats | None:
    """Every statistic as of ``now``, or ``None`` when the normal path must open the
    collection (see the module docstring); never writes anything."""
    path = sqlite_path(url)
    if path is None or is_read_only(path) or not settings_file_decides_nothing(config_file):
        return None
    connection = open_current(url)
    if connection is None:
        return None
    connection.isolation_level = None  # BEGIN below, as the store does
    run = runner(connection)
    try:
        connection.execute("BEGIN")  # one snapshot for every figure
        stored = read_stored_settings(run)
        if stored.empty or stored.problems:
            return None
        return stats_from(run, now, stored.over(load_config(config_file)))
    except (sqlite3.Error, ConfigError, LookupError, ValueError, TypeError):
        return None
    finally:
        connection.close()
