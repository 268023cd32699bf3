"""Start-up fast path: today's first card read with the stdlib ``sqlite3`` driver.

SQLAlchemy takes about as long to import as Textual itself. To get the first card on screen
within a hair of a bare Textual app, the TUI shows the card this module reads (read-only, the
same queue SQL as :mod:`quizcalc.study.queue`) while a worker opens the real store, migrates
and syncs content. Whenever this is not possible (a new or non-SQLite database, an older
schema, any error), it returns ``None`` and the normal path does everything.

On PostgreSQL there is no file to read with ``sqlite3``: :func:`peek_first_frame` returns
``None`` (and :func:`peek_settings` the ``config`` it was given) without connecting or
raising, so the first card comes from the normal path, once the store is open.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from quizcalc.config import Config
from quizcalc.scheduling.study_day import study_day
from quizcalc.study.collection_values import read_stored_settings
from quizcalc.study.linear_text import cached_linear
from quizcalc.study.queue import build_queue, load_card, next_in_queue
from quizcalc.study.scope import EVERYTHING, StudyScope
from quizcalc.study.sqlite_peek import open_current, runner
from quizcalc.study.views import QueuedCard

__all__ = ["FirstFrame", "peek_first_card", "peek_first_frame", "peek_settings"]


def peek_settings(url: str, config: Config) -> Config:
    """``config`` with the collection's own settings (daily limits, drill defaults…), read
    without SQLAlchemy and without creating anything: ``config`` itself when the collection
    cannot be read so (then its first open takes ``config``'s values anyway)."""
    connection = open_current(url)
    if connection is None:
        return config
    try:
        return read_stored_settings(runner(connection)).over(config)
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
    connection = open_current(url)
    if connection is None:
        return None
    run = runner(connection)
    try:
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
