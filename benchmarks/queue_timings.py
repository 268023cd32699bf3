"""Today's queue, the deck list and answering, on the heavy collection (50,000 cards, 1M rows).

Every figure runs on a private copy of the cached collection (``heavy_collection``), so the
cache is never written. Figures, each the median/min/max of ``runs`` timings:

- ``queue``: ``build_queue`` after a week away, through the stdlib ``sqlite3`` driver (as the
  first card's fast path runs it), and ``queue (service)`` through ``StudyService.queue``;
- ``raw``: the same rows fetched with raw ``sqlite3`` through the ``schedule.due`` index
  (the reviews' top-N joined to their deck, then the first new cards): the baseline; and
  ``raw (queue's order)``, the reviews in the queue's full order (due day, then reading
  order), which makes SQLite sort one due day's cards as the queue must;
- ``queue mid-session``: the queue after 150 answers today (the queue is rebuilt after each);
- ``queue all-new``: every card new, no history (a first sync of a big deck);
- ``queue (50 decks)``: the same cards filed in 50 decks (one per file);
- ``deck list (5 decks)`` and ``deck list (50 decks)``: the home screen's counts;
- ``answer``: grade → schedule → commit through ``StudyService.answer`` (median and p99).

    .venv/bin/python benchmarks/queue_timings.py [--quick] [--runs 20]

:func:`queue_figures` returns the timings for a harness to fold into its own table.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.heavy_collection import HeavyCollection, copy_database, heavy_collection

__all__ = ["Timing", "queue_figures"]

MID_SESSION_ANSWERS = 150


@dataclass(frozen=True)
class Timing:
    """One figure's timings, in seconds."""

    name: str
    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        """The median sample."""
        return statistics.median(self.samples)

    @property
    def p99(self) -> float:
        """The 99th percentile (the maximum below 100 samples)."""
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]

    def line(self) -> str:
        """``name  median  min  max`` in milliseconds."""
        return (
            f"{self.name:<24}{self.median * 1000:9.3f}{min(self.samples) * 1000:9.3f}"
            f"{max(self.samples) * 1000:9.3f}{self.p99 * 1000:9.3f}"
        )


def _repeat(name: str, runs: int, action: Callable[[], object]) -> Timing:
    action()  # warm the page cache and the statement cache
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return Timing(name, tuple(samples))


def _runner(connection: sqlite3.Connection) -> Callable[[str, Mapping[str, Any]], Sequence[Any]]:
    def run(sql: str, params: Mapping[str, Any]) -> Sequence[Any]:
        return connection.execute(sql, dict(params)).fetchall()

    return run


RAW_DUE = """
SELECT s.card_key, c.deck_id FROM schedule AS s JOIN cards AS c ON c.id = s.card_key
WHERE s.due IS NOT NULL AND s.due <= ? ORDER BY s.due LIMIT ?
"""
RAW_DUE_IN_ORDER = """
SELECT s.card_key, c.deck_id FROM schedule AS s CROSS JOIN cards AS c ON c.id = s.card_key
WHERE s.due IS NOT NULL AND s.due <= ? ORDER BY s.due, c.source_id, c.position, c.id LIMIT ?
"""
RAW_NEW = """
SELECT s.card_key, c.deck_id FROM schedule AS s JOIN cards AS c ON c.id = s.card_key
WHERE s.due IS NULL LIMIT ?
"""


def _raw(
    connection: sqlite3.Connection, today: str, reviews: int, new: int, due_sql: str = RAW_DUE
) -> object:
    """The baseline: the queue's rows, fetched through the due index with no rule applied."""
    due = connection.execute(due_sql, (today, reviews)).fetchall()
    return due, connection.execute(RAW_NEW, (new,)).fetchall()


def _queue_figures(path: Path, name: str, runs: int, now: datetime) -> list[Timing]:
    from quizcalc.config import Config
    from quizcalc.scheduling.study_day import study_day
    from quizcalc.study.collection_values import read_stored_settings
    from quizcalc.study.queue import build_queue

    connection = sqlite3.connect(path)
    run = _runner(connection)
    config = read_stored_settings(run).over(Config())
    today = study_day(now, config.rollover_hour)
    queue = build_queue(run, today, config)
    figures = [_repeat(name, runs, lambda: build_queue(run, today, config))]
    if name == "queue":
        reviews, new = len(queue.due), len(queue.new)
        day = today.isoformat()
        figures.append(_repeat("raw", runs, lambda: _raw(connection, day, reviews, new)))
        figures.append(
            _repeat(
                "raw (queue's order)",
                runs,
                lambda: _raw(connection, day, reviews, new, RAW_DUE_IN_ORDER),
            )
        )
    connection.close()
    return figures


def _service(path: Path) -> Any:
    from quizcalc.config import Config
    from quizcalc.study import StudyService

    return StudyService.open(f"sqlite:///{path}", Config())


def _answer_figures(path: Path, runs: int, now: datetime) -> list[Timing]:
    """Answer ``MID_SESSION_ANSWERS`` cards (timing each), then time the queue mid-session."""
    service = _service(path)
    samples = []
    for step in range(max(runs, MID_SESSION_ANSWERS)):
        chosen = service.next_card(now)
        if chosen is None:
            break
        moment = now + timedelta(seconds=step)
        start = time.perf_counter()
        service.answer(chosen.key, 2 if step % 9 == 0 else 4, moment)
        samples.append(time.perf_counter() - start)
    service.close()
    return [Timing("answer", tuple(samples))]


def _all_new(path: Path) -> None:
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("DELETE FROM review_log")
        connection.execute(
            "UPDATE schedule SET due = NULL, repetitions = 0, interval = 0, reviews = 0,"
            " lapses = 0, last_reviewed_at = NULL"
        )
    connection.close()


def _fifty_decks(path: Path) -> None:
    connection = sqlite3.connect(path)
    with connection:
        for index in range(50):
            connection.execute(
                "INSERT OR IGNORE INTO decks (name) VALUES (?)", (f"Heavy deck {index:02d}",)
            )
        connection.execute(
            "UPDATE cards SET deck_id = (SELECT id FROM decks WHERE name = 'Heavy deck ' ||"
            " printf('%02d', (CAST(substr(cards.source, -16, 2) AS INTEGER) - 1) % 50))"
        )
    connection.close()


def queue_figures(
    collection: HeavyCollection | None = None, runs: int = 20, now: datetime | None = None
) -> list[Timing]:
    """Every figure of this module on ``collection`` (the full heavy one by default)."""
    collection = collection or heavy_collection("full")
    now = now or datetime.now().astimezone()
    figures: list[Timing] = []
    with tempfile.TemporaryDirectory(prefix="quizcalc-queue-bench-") as folder:
        work = Path(folder)
        week_away = work / "week-away.sqlite3"
        copy_database(collection, week_away)
        figures += _queue_figures(week_away, "queue", runs, now)
        service = _service(week_away)
        figures.append(_repeat("queue (service)", runs, lambda: service.queue(now)))
        lists = max(5, runs // 4)
        figures.append(_repeat("deck list (5 decks)", lists, lambda: service.deck_list(now)))
        service.close()
        for variant, change in (("all-new", _all_new), ("50 decks", _fifty_decks)):
            shutil.copyfile(week_away, work / f"{variant}.sqlite3")
            change(work / f"{variant}.sqlite3")
        figures += _answer_figures(week_away, runs, now)
        figures += _queue_figures(week_away, "queue mid-session", runs, now)
        figures += _queue_figures(work / "all-new.sqlite3", "queue all-new", runs, now)
        figures += _queue_figures(work / "50 decks.sqlite3", "queue (50 decks)", runs, now)
        service = _service(work / "50 decks.sqlite3")
        figures.append(_repeat("deck list (50 decks)", lists, lambda: service.deck_list(now)))
        service.close()
    return figures


def main() -> None:
    """Print the figures as a table in milliseconds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5,000 cards, 100,000 rows")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    collection = heavy_collection("quick" if args.quick else "full")
    print(f"{'figure (ms)':<24}{'median':>9}{'min':>9}{'max':>9}{'p99':>9}")
    for timing in queue_figures(collection, args.runs):
        print(timing.line())


if __name__ == "__main__":
    main()
