"""Today's queue at 50,000 cards after a week away, against the same rows fetched raw.

``StudyService.queue`` (what the review screen and the home counts ask) on a copy of the heavy
collection, one call per sample after a warm-up call (the service is open, as in the TUI).
The baseline fetches as many rows as the queue holds (its reviews, then its new cards) with
plain ``sqlite3`` through the ``schedule.due`` index: what the query costs when SQLite is
driven from the right index.
"""

from __future__ import annotations

import sqlite3
import time

from benchmarks.figures.base import Context, Figure
from benchmarks.report import Measured, Target

CALLS_PER_RUN = 10


def _raw_fetch(connection: sqlite3.Connection, today: str, due: int, new: int) -> int:
    """The queue's number of due and new cards' keys, straight from ``schedule``'s index."""
    reviews = connection.execute(
        "SELECT card_key FROM schedule INDEXED BY ix_schedule_due"
        " WHERE due <= ? ORDER BY due LIMIT ?",
        (today, due),
    ).fetchall()
    fresh = connection.execute(
        "SELECT card_key FROM schedule INDEXED BY ix_schedule_due WHERE due IS NULL LIMIT ?",
        (new,),
    ).fetchall()
    return len(reviews) + len(fresh)


def queue(ctx: Context) -> Measured:
    """Median of single ``StudyService.queue`` calls vs the raw fetch of as many rows."""
    from benchmarks.heavy_collection import copy_database, heavy_collection
    from quizcalc.config import Config
    from quizcalc.study import StudyService

    collection = heavy_collection(ctx.scale)
    database = ctx.folder / "heavy.sqlite3"
    url = copy_database(collection, database)
    service = StudyService.open(url, Config())
    samples = []
    try:
        now = ctx.now()
        today = service.queue(now)  # warm-up: settings read, statements prepared
        for _ in range(ctx.runs * CALLS_PER_RUN):
            start = time.perf_counter()
            service.queue(now)
            samples.append(time.perf_counter() - start)
        day = service.today(now).isoformat()
    finally:
        service.close()
    connection = sqlite3.connect(database)
    baseline = []
    try:
        _raw_fetch(connection, day, len(today.due), len(today.new))
        for _ in range(ctx.runs * CALLS_PER_RUN):
            start = time.perf_counter()
            _raw_fetch(connection, day, len(today.due), len(today.new))
            baseline.append(time.perf_counter() - start)
    finally:
        connection.close()
    note = f"{ctx.collection_note()}: {len(today.due)} due, {len(today.new)} new in the queue"
    return Measured(samples, baseline, note=note)


FIGURES = [
    Figure(
        "queue",
        "today's queue on the heavy collection vs raw sqlite3 through schedule.due",
        (Target("median", 0.010), Target("ratio", 10.0)),
        queue,
    ),
]
