"""Start-up fast path: today's first card read with the stdlib ``sqlite3`` driver.

SQLAlchemy takes about as long to import as Textual itself. To get the first card on screen
within a hair of a bare Textual app, the TUI shows the card this module reads (read-only, the
same queue SQL as :mod:`quizcalc.study.queue`) while a worker opens the real store, migrates
and syncs content. Whenever this is not possible (a new or non-SQLite database, an older
schema, any error), it returns ``None`` and the normal path does everything.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from quizcalc.config import Config
from quizcalc.scheduling.study_day import study_day
from quizcalc.store.schema_version import HEAD_REVISION
from quizcalc.study.collection_values import read_stored_settings
from quizcalc.study.linear_text import cached_linear
from quizcalc.study.queue import build_queue, load_card, next_in_queue
from quizcalc.study.scope import EVERYTHING, StudyScope
from quizcalc.study.views import QueuedCard

__all__ = ["FirstFrame", "peek_first_card", "peek_first_frame", "peek_settings"]


def _sqlite_file(url: str) -> Path | None:
    if not url.startswith("sqlite:///") or url == "sqlite:///:memory:":
        return None
    return Path(url.removeprefix("sqlite:///"))


def _read_only(url: str) -> sqlite3.Connection | None:
    """A read-only connection to the collection at ``url`` when it is a SQLite file at the
    current schema; ``None`` otherwise (absent, another database, older, unreadable)."""
    path = _sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0.5)
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


def peek_settings(url: str, config: Config) -> Config:
    """``config`` with the collection's own settings (daily limits, drill defaults…), read
    without SQLAlchemy and without creating anything: ``config`` itself when the collection
    cannot be read so (then its first open takes ``config``'s values anyway)."""
    connection = _read_only(url)
    if connection is None:
        return config
    try:
        return read_stored_settings(
            lambda sql, params: connection.execute(sql, dict(params)).fetchall()
        ).over(config)
    except sqlite3.Error:
        return config
    finally:
        connection.close()


@dataclass(frozen=True)
class FirstFrame:
    """What the first frame shows: the card, and its question's cached one-line form."""

    card: QueuedCard
    """The card the session would show first."""
    question_linear: str | None
    """``cards.display``'s one-line form of its question, from the cache (``None``: render
    it; see :mod:`quizcalc.study.linear_text`)."""


def peek_first_card(
    url: str, now: datetime, config: Config, scope: StudyScope = EVERYTHING
) -> QueuedCard | None:
    """The card the session (over ``scope``) would show first, or ``None`` when it can't be
    read quickly."""
    first = peek_first_frame(url, now, config, scope)
    return None if first is None else first.card


def peek_first_frame(
    url: str, now: datetime, config: Config, scope: StudyScope = EVERYTHING
) -> FirstFrame | None:
    """:func:`peek_first_card`, with the question's cached one-line form when there is one."""
    connection = _read_only(url)
    if connection is None:
        return None
    try:

        def run(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
            return connection.execute(sql, dict(params)).fetchall()

        config = read_stored_settings(run).over(config)  # the collection's limits and day
        today = study_day(now, config.rollover_hour)
        chosen = next_in_queue(build_queue(run, today, config, scope))
        if chosen is None:
            return None
        card = load_card(run, *chosen)
        return FirstFrame(card, cached_linear(run, card.key, card.question))
    except (sqlite3.Error, LookupError, ValueError):
        return None
    finally:
        connection.close()
