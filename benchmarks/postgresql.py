"""The review path on PostgreSQL beside SQLite, on the same heavy collection.

The heavy collection (``benchmarks/heavy_collection.py``: 50,000 cards and 1,000,000 review
rows, or 5,000 and 100,000 with ``--quick``) is copied with ``quizcalc db copy``'s code into a
throwaway PostgreSQL server started for the run (a Unix socket in a temp folder, PostgreSQL's
default durability: ``fsync`` and synchronous commits on, as a learner's server runs). Then
each figure runs on both databases with the service open, as in the TUI:

- **queue**: ``StudyService.queue`` (what the review screen and the home counts ask);
- **answer**: ``ReviewSession.answer`` (grade → schedule → commit), every fifth a fail;
- **undo**: ``ReviewSession.undo`` of the answer just given;
- **stats**: the whole statistics (``service_stats``), in one transaction.

Each prints the median and the 90th percentile in milliseconds. SQLite runs on a local file;
PostgreSQL on a local socket, so a network's round trips come on top of its figures.

    .venv/bin/python benchmarks/postgresql.py [--quick] [--runs N] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

Timings = dict[str, list[float]]


def _timed(samples: list[float], action: Callable[[], object]) -> None:
    start = time.perf_counter()
    action()
    samples.append(time.perf_counter() - start)


def measure(url: str, runs: int, now: datetime) -> Timings:
    """Seconds per call of each figure on the collection at ``url`` (it is written to)."""
    from quizcalc.config import Config
    from quizcalc.study import StudyService
    from quizcalc.study.stats import service_stats

    service = StudyService.open(url, Config())
    timings: Timings = {"queue": [], "answer": [], "undo": [], "stats": []}
    try:
        service.queue(now)  # warm-up: settings read, statements prepared
        for _ in range(runs):
            _timed(timings["queue"], lambda: service.queue(now))
        service_stats(service, now)
        for _ in range(max(3, runs // 5)):
            _timed(timings["stats"], lambda: service_stats(service, now))
        session = service.begin_session(now, random.Random(7))
        order = service.queue(now).order[: runs + 1]
        when = now
        for number, key in enumerate(order):
            card = service.card(key)
            quality = 2 if number % 5 == 4 else 4
            start = time.perf_counter()
            session.answer(card, quality, when, duration_ms=4000)
            if number:  # the first answer is the warm-up
                timings["answer"].append(time.perf_counter() - start)
            if number % 2:  # every other answer is undone, and given again
                _timed(timings["undo"], session.undo)
                session.answer(service.card(key), quality, when, duration_ms=4000)
            when += timedelta(seconds=5)
    finally:
        service.close()
    return timings


def _percentile(samples: list[float], share: float) -> float:
    """The sample below which ``share`` of them fall, in milliseconds (nearest rank)."""
    ranked = sorted(samples)
    return ranked[min(len(ranked) - 1, int(share * len(ranked)))] * 1000


def _row(name: str, sqlite: list[float], postgres: list[float]) -> str:
    return (
        f"{name:<7} {_percentile(sqlite, 0.5):>9.1f} {_percentile(sqlite, 0.9):>9.1f}"
        f" {_percentile(postgres, 0.5):>11.1f} {_percentile(postgres, 0.9):>11.1f}"
        f"   n={len(postgres)}"
    )


def main(argv: list[str] | None = None) -> int:
    """Build or find the heavy collection, copy it to PostgreSQL, print both sets of figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5k cards / 100k reviews")
    parser.add_argument("--runs", type=int, default=40, help="timed calls per figure")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the samples here")
    args = parser.parse_args(argv)

    from benchmarks.heavy_collection import copy_database, heavy_collection
    from quizcalc.config import Config
    from quizcalc.study import StudyService
    from quizcalc.study.database_copy import copy_collection
    from tests.postgres import running_server

    scale = "quick" if args.quick else "full"
    collection = heavy_collection(scale)
    now = datetime.now().astimezone()
    with tempfile.TemporaryDirectory(prefix="quizcalc-bench-") as folder:
        sqlite_url = copy_database(collection, Path(folder) / "heavy.sqlite3")
        with running_server(durable=True) as server:
            server.execute("CREATE DATABASE heavy")
            postgres_url = server.url("heavy")
            source = StudyService.open(sqlite_url, Config())
            start = time.perf_counter()
            try:
                report = copy_collection(source, postgres_url, now=now)
            finally:
                source.close()
            copy_seconds = time.perf_counter() - start
            print(f"db copy to PostgreSQL: {copy_seconds:.1f} s ({report.summary()})")
            on_postgres = measure(postgres_url, args.runs, now)
        on_sqlite = measure(sqlite_url, args.runs, now)
    print(f"{scale} heavy collection, milliseconds per call")
    print(f"{'':<7} {'SQLite':>9} {'p90':>9} {'PostgreSQL':>11} {'p90':>11}")
    for name in on_sqlite:
        print(_row(name, on_sqlite[name], on_postgres[name]))
    if args.json:
        payload = {"scale": scale, "copy_seconds": copy_seconds}
        payload |= {"sqlite": on_sqlite, "postgresql": on_postgres}
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
