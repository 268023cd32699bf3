"""Statistics on a year of heavy use: build ≥ 1,000,000 review-log rows, time the computation.

The database is synthetic and built in bulk (Core ``insert`` with executemany, 50,000 rows a
batch; about a minute for a million rows): a few thousand cards (flashcards in many
sections, problem skills of every family), answers spread over 365 study days with every
kind (review, relearn, drill), answer times, seeds and misconceptions. Rows are plausible
rather than an SM-2 replay (``quizcalc.study.demo`` builds the consistent, smaller history):
the statistics' cost depends on the row count and the indexes, not on whether the schedule
could be replayed.

Prints the median of ``--repeat`` full computations (``compute_stats``), then the median time
of each part, so a regression points at its query.

    .venv/bin/python benchmarks/stats.py [--rows 1000000] [--cards 3000] [--repeat 5]
                                         [--db PATH]   # keep (and reuse) the database there
    .venv/bin/python benchmarks/stats.py --heavy [--quick] [--process]

``--heavy`` times a copy of the shared heavy collection instead (50,000 cards, 1,000,000 rows
over three years; ``--quick``: 5,000 / 100,000; see ``benchmarks/heavy_collection.py``), as
of now. ``--process`` also times whole processes, ``quizcalc stats --json`` minus ``quizcalc
--version`` (the figure the step-9 target is stated in), median of ``--repeat`` runs each.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from quizcalc.config import Config
from quizcalc.problems.catalog import FAMILY_NAMES
from quizcalc.scheduling.study_day import study_day
from quizcalc.store import Store, open_store
from quizcalc.store.models import Base, CardRecord, ReviewLogRecord
from quizcalc.study.collection_base import sql_runner
from quizcalc.study.stats import activity, cards, compute_stats, groups, retention

NOW = datetime(2026, 11, 26, 21, 0, tzinfo=UTC)
"""The benchmark's "now": the evening of the year's last study day."""

BATCH = 50_000
SECTIONS = 40
TAGS = ("sign-error", "dropped-link", "forgot-factor-2", "off-by-one-steps", "transposed")


def _cards(session_cards: int, rng: random.Random) -> tuple[list[dict], list[dict]]:
    cards, schedules = [], []
    today = study_day(NOW, Config().rollover_hour)
    for key in range(1, session_cards + 1):
        problem = key % 5 == 0
        family = FAMILY_NAMES[key % len(FAMILY_NAMES)] if problem else None
        section = f"{key % SECTIONS:02d} Section" + ("::Practice" if problem else "")
        cards.append(
            {
                "id": key,
                "card_id": f"bench-{key}",
                "deck_id": 1,
                "kind": "problem" if problem else "basic",
                "question": f"Question {key}?",
                "answer": f"Answer {key}.",
                "section": section,
                "tags": "leech" if key % 997 == 0 else "",
                "source": "bench.md",
                "line": key,
                "position": key,
                "status": "suspended" if key % 211 == 0 else "active",
                "family": family,
                "difficulty": 1 + key % 3 if problem else None,
                "created_at": NOW - timedelta(days=366),
                "updated_at": NOW - timedelta(days=366),
            }
        )
        interval = rng.choice((1, 1, 3, 6, 12, 20, 30, 60, 120))
        schedules.append(
            {
                "card_key": key,
                "repetitions": rng.randint(0, 8),
                "easiness": round(rng.uniform(1.3, 2.9), 2),
                "interval": interval,
                "due": today + timedelta(days=rng.randint(-3, interval)),
                "lapses": rng.choice((0, 0, 0, 1, 2, 9)),
                "reviews": rng.randint(5, 400),
                "last_reviewed_at": NOW - timedelta(days=1),
            }
        )
    return cards, schedules


def _log_rows(rows: int, cards: int, rng: random.Random) -> list[dict]:
    today = study_day(NOW, Config().rollover_hour)
    out: list[dict] = []
    per_day = rows // 365 + 1
    for back in range(365):
        day = today - timedelta(days=back)
        start = datetime(day.year, day.month, day.day, 18, tzinfo=UTC)
        for i in range(min(per_day, rows - len(out))):
            key = rng.randint(1, cards)
            problem = key % 5 == 0
            kind = rng.choices(("review", "relearn", "drill"), (75, 10, 15))[0]
            quality = rng.choices(range(6), (2, 3, 5, 25, 35, 30))[0]
            interval = rng.choice((0, 1, 3, 6, 15, 25, 40, 90))
            out.append(
                {
                    "card_key": key,
                    "reviewed_at": start + timedelta(seconds=5 * i),
                    "study_day": day,
                    "quality": quality,
                    "answer_text": None,
                    "duration_ms": int(rng.lognormvariate(9.2, 0.6)),
                    "kind": kind,
                    "session_id": f"s{back}",
                    "seed": rng.getrandbits(31) if problem else None,
                    "misconception": rng.choice(TAGS) if problem and quality < 3 else None,
                    "before_repetitions": 2,
                    "before_easiness": 2.5,
                    "before_interval": interval,
                    "before_due": day,
                    "after_repetitions": 3,
                    "after_easiness": 2.5,
                    "after_interval": interval * 2 + 1,
                    "after_due": day + timedelta(days=interval * 2 + 1),
                    "before_lapses": 0,
                }
            )
    return out


def build(store: Store, rows: int, cards: int, seed: int = 7) -> None:
    """Fill ``store`` with ``cards`` cards and ``rows`` review-log rows (bulk, in batches).

    No ``ANALYZE`` afterwards: a user's database has no planner statistics either.
    """
    rng = random.Random(seed)
    card_rows, schedule_rows = _cards(cards, rng)
    tables = Base.metadata.tables
    with store.engine.begin() as connection:
        connection.execute(insert(tables["decks"]), [{"id": 1, "name": "Benchmark"}])
        connection.execute(insert(tables["cards"]), card_rows)
        connection.execute(insert(tables["schedule"]), schedule_rows)
    log = _log_rows(rows, cards, rng)
    for start in range(0, len(log), BATCH):
        with store.engine.begin() as connection:
            connection.execute(insert(tables["review_log"]), log[start : start + BATCH])


def _parts(session: Session, config: Config, now: datetime) -> dict[str, Callable[[], object]]:
    """Each query of :func:`compute_stats` on its own, for the breakdown."""
    today = study_day(now, config.rollover_hour)
    run = sql_runner(session)
    return {
        "per day + relearn (whole)": lambda: activity.activity_by_day(run),
        "due forecast": lambda: activity.due_forecast(run, today),
        "true retention (12 weeks)": lambda: retention.true_retention(run, today),
        "per group, whole history": lambda: groups._totals(run),
        "per group, last 30 days": lambda: groups._recent(run, today),
        "misconceptions": lambda: groups._misconceptions(run),
        "medians (family, section)": lambda: groups.recent_medians(run, today),
        "card states, easiness": lambda: cards.card_states(run, config.leech_threshold),
    }


def _median_ms(run: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def _process_ms(args: list[str], database: Path, repeat: int) -> tuple[float, float, float]:
    """Median, min and max wall time of ``quizcalc ARGS`` run as a whole process."""
    command = [str(Path(sys.executable).with_name("quizcalc")), *args]  # the console script
    env = {**os.environ, "QUIZCALC_DB": str(database)}
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def _heavy_copy(folder: Path, quick: bool) -> Path:
    """A private copy of the shared heavy collection's database (never write the cache)."""
    from benchmarks.heavy_collection import copy_database, heavy_collection

    collection = heavy_collection("quick" if quick else "full")
    target = folder / "heavy.sqlite3"
    copy_database(collection, target)
    return target


def main() -> None:
    """Build (or reuse) the database, then print the median of ``--repeat`` computations."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="review-log rows")
    parser.add_argument("--cards", type=int, default=3000, help="cards")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (median printed)")
    parser.add_argument("--db", type=Path, help="keep the database at this path and reuse it")
    parser.add_argument("--heavy", action="store_true", help="time the heavy collection")
    parser.add_argument("--quick", action="store_true", help="with --heavy: the quick scale")
    parser.add_argument("--process", action="store_true", help="also time whole processes")
    args = parser.parse_args()

    now = datetime.now().astimezone() if args.heavy else NOW
    with tempfile.TemporaryDirectory(prefix="quizcalc-bench-") as tmp:
        path = _heavy_copy(Path(tmp), args.quick) if args.heavy else args.db or Path(tmp) / "s.db"
        store = open_store(path)
        with store.transaction() as session:
            existing = session.scalar(select(func.count()).select_from(ReviewLogRecord)) or 0
        if existing == 0:
            start = time.perf_counter()
            build(store, args.rows, args.cards)
            elapsed = time.perf_counter() - start
            print(f"built {args.rows:,} rows, {args.cards:,} cards in {elapsed:.1f} s")
        config = Config()
        with store.transaction() as session:
            rows = session.scalar(select(func.count()).select_from(ReviewLogRecord)) or 0
            card_count = session.scalar(select(func.count()).select_from(CardRecord)) or 0

            def full() -> object:
                return compute_stats(session, now, config)

            total = _median_ms(full, args.repeat)
            breakdown = {
                name: _median_ms(run, args.repeat)[0]
                for name, run in _parts(session, config, now).items()
            }
        store.close()
        processes = None
        if args.process:
            processes = (
                _process_ms(["stats", "--json"], path, args.repeat),
                _process_ms(["--version"], path, args.repeat),
            )
    print(f"review_log rows: {rows:,} · cards: {card_count:,} · runs: {args.repeat}")
    median, low, high = total
    print(f"compute_stats: median {median:,.0f} ms (min {low:,.0f}, max {high:,.0f})")
    for name, ms in breakdown.items():
        print(f"  {name:<28}{ms:>7,.0f} ms")
    if processes is not None:
        (stats_ms, stats_low, stats_high), (version_ms, _, _) = processes
        print(
            f"quizcalc stats --json: median {stats_ms:,.0f} ms (min {stats_low:,.0f}, "
            f"max {stats_high:,.0f}); quizcalc --version: median {version_ms:,.0f} ms; "
            f"above --version: {stats_ms - version_ms:,.0f} ms (target 500)"
        )


if __name__ == "__main__":
    main()
