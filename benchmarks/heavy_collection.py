"""A heavy learner's collection for the benchmarks, built once and cached under ``.bench-cache/``.

Three years of daily reviews: ``full`` is 50,000 cards in 50 Markdown files over 20 sections
(basic cards with inline and display maths, cloze notes, every problem skill) and 1,000,000
review-log rows; ``quick`` is 5,000 cards and 100,000 rows for development. The cards come
from real Markdown synced by quizcalc itself; the history is written in bulk with raw
``sqlite3`` (a million ORM inserts would take minutes) and left as a learner who was away for
a week would find it: about an eighth of the reviewed cards due, 1,000 cards never seen.

The cache is keyed by scale, schema revision, this generator's version and the study day it
was built on (the dues are relative to today, and the real ``quizcalc`` command reads the real
clock), so a stale copy is rebuilt rather than trusted. A benchmark that writes must work on a
copy (:func:`copy_database`).

    .venv/bin/python benchmarks/heavy_collection.py [--quick] [--rebuild]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import random
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CACHE = Path(os.environ.get("QUIZCALC_BENCH_CACHE") or ROOT / ".bench-cache")
"""Where built collections are kept (``QUIZCALC_BENCH_CACHE`` moves it, e.g. to share one)."""
GENERATOR_VERSION = 1
"""Bump when the generated content or history changes shape: old caches are rebuilt."""

SECTIONS = 20
NEVER_SEEN = 1_000
AWAY_DAYS = 7
INTERVALS = (6, 12, 20, 35, 60, 90, 150, 240, 365)
INTERVAL_WEIGHTS = (1, 2, 3, 4, 5, 6, 6, 5, 4)
"""A mature collection: mostly long intervals, so a week away leaves about 1 in 6 due."""


@dataclass(frozen=True)
class Scale:
    """How big a heavy collection is."""

    name: str
    cards: int
    files: int
    review_rows: int
    years: int = 3


SCALES = {
    "full": Scale("full", cards=50_000, files=50, review_rows=1_000_000),
    "quick": Scale("quick", cards=5_000, files=50, review_rows=100_000),
}


@dataclass(frozen=True)
class HeavyCollection:
    """A built collection: its Markdown folder and its SQLite database (treat as read-only)."""

    scale: Scale
    folder: Path
    content: Path
    database: Path
    built_on: date
    sync_seconds: float
    """How long quizcalc's own sync of ``content`` took when the cache was built."""

    @property
    def url(self) -> str:
        """The database's SQLAlchemy URL."""
        return f"sqlite:///{self.database}"


def _card_lines(number: int, rng: random.Random) -> list[str]:
    """One basic card: a numbered question with inline maths, sometimes display maths."""
    n = 2 + number % 7
    k = 1 + number % 5
    question = (
        f"Q: ({number}) What is the derivative of \\(x^{{{n}}} + {k}\\sin x\\) at \\(x = {k}\\)?"
    )
    answer = [f"A: Differentiate term by term: \\({n}x^{{{n - 1}}} + {k}\\cos x\\), so"]
    if rng.random() < 0.3:
        answer += ["", f"\\[ f'({k}) = {n} \\cdot {k}^{{{n - 1}}} + {k}\\cos {k} \\]", ""]
        answer.append("which is the slope of the tangent there.")
    else:
        answer.append(f"evaluate at \\(x = {k}\\): the slope of the tangent line.")
    if rng.random() < 0.2:
        answer += ["", "- the power rule gives the first term;", "- \\(\\sin' = \\cos\\)."]
    return [question, *answer, ""]


def _cloze_lines(number: int) -> list[str]:
    """One cloze note with two deletions: two cards."""
    return [
        f"Note {number}: the {{{{c1::gradient}}}} of \\(L\\) points {{{{c2::uphill}}}}, so"
        f" step {number} moves against it.",
        "",
    ]


def write_content(folder: Path, scale: Scale, seed: int = 11) -> int:
    """Write the scale's Markdown files into ``folder``; returns the number of cards in them."""
    from quizcalc.problems.catalog import FAMILY_NAMES

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    skills = [(family, level) for family in FAMILY_NAMES for level in (1, 2, 3)]
    per_file = scale.cards // scale.files
    number = 0
    total = 0
    for index in range(scale.files):
        lines = [
            "---",
            f"deck: Heavy {index % 5}",
            "tags: [bench, heavy]",
            "---",
            "",
        ]
        budget = per_file if index < scale.files - 1 else scale.cards - total
        if index == 0:
            lines += ["# Practice", ""]
            for family, level in skills:
                lines += ["```problem", f"family: {family}", f"difficulty: {level}", "```", ""]
            budget -= len(skills)
            total += len(skills)
        headings = 4
        for part in range(headings):
            section = (index * headings + part) % SECTIONS
            lines += [f"# Topic {section:02d}", ""]
            share = budget // headings + (budget % headings if part == headings - 1 else 0)
            while share > 0:
                number += 1
                if share >= 2 and number % 7 == 0:
                    lines += _cloze_lines(number)
                    share -= 2
                    total += 2
                else:
                    lines += _card_lines(number, rng)
                    share -= 1
                    total += 1
        (folder / f"{index + 1:02d}-heavy-part.md").write_text("\n".join(lines), "utf-8")
    return total


def _stamp(moment: datetime) -> str:
    """A datetime as SQLAlchemy's SQLite dialect stores it (naive UTC)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def write_history(database: Path, scale: Scale, today: date, seed: int = 13) -> None:
    """Give every card but :data:`NEVER_SEEN` a plausible schedule and spread the scale's
    review-log rows over its years, ending :data:`AWAY_DAYS` days ago."""
    rng = random.Random(seed)
    connection = sqlite3.connect(database)
    keys = [row[0] for row in connection.execute("SELECT id FROM cards ORDER BY id")]
    reviewed = keys[:-NEVER_SEEN] if len(keys) > NEVER_SEEN else keys
    last_day = today - timedelta(days=AWAY_DAYS)
    days = scale.years * 365
    schedules = []
    for key in reviewed:
        interval = rng.choices(INTERVALS, INTERVAL_WEIGHTS)[0]
        reviewed_on = last_day - timedelta(days=rng.randint(0, interval))
        due = reviewed_on + timedelta(days=interval)
        moment = datetime(reviewed_on.year, reviewed_on.month, reviewed_on.day, 19, tzinfo=UTC)
        schedules.append(
            (
                rng.randint(1, 12),
                round(rng.uniform(1.3, 2.9), 2),
                interval,
                due.isoformat(),
                rng.choice((0, 0, 0, 1, 2, 5)),
                rng.randint(3, 60),
                _stamp(moment),
                key,
            )
        )
    with connection:
        connection.executemany(
            "UPDATE schedule SET repetitions=?, easiness=?, interval=?, due=?, lapses=?,"
            " reviews=?, last_reviewed_at=? WHERE card_key=?",
            schedules,
        )
    columns = (
        "card_key, reviewed_at, study_day, quality, answer_text, duration_ms, kind, session_id,"
        " seed, before_repetitions, before_easiness, before_interval, before_due,"
        " after_repetitions, after_easiness, after_interval, after_due, before_lapses,"
        " misconception"
    )
    sql = f"INSERT INTO review_log ({columns}) VALUES ({', '.join('?' * 19)})"
    per_day = scale.review_rows // days + 1
    written = 0
    batch: list[tuple[object, ...]] = []
    for back in range(days - 1, -1, -1):
        day = last_day - timedelta(days=back)
        start = datetime(day.year, day.month, day.day, 18, tzinfo=UTC)
        for i in range(min(per_day, scale.review_rows - written)):
            key = rng.choice(reviewed)
            kind = rng.choices(("review", "relearn", "drill"), (80, 10, 10))[0]
            quality = rng.choices(range(6), (2, 3, 5, 25, 35, 30))[0]
            before = rng.choice((0, 1, 3, 6, 15, 25, 40, 90))
            after = 1 if quality < 3 else before * 2 + 1
            batch.append(
                (
                    key,
                    _stamp(start + timedelta(seconds=4 * i)),
                    day.isoformat(),
                    quality,
                    None,
                    int(rng.lognormvariate(9.2, 0.6)),
                    kind,
                    f"s{back}",
                    None,
                    2,
                    2.5,
                    before,
                    day.isoformat(),
                    0 if quality < 3 else 3,
                    2.5,
                    after,
                    (day + timedelta(days=after)).isoformat(),
                    0,
                    None,
                )
            )
            written += 1
        if len(batch) >= 50_000:
            with connection:
                connection.executemany(sql, batch)
            batch.clear()
    with connection:
        connection.executemany(sql, batch)
    connection.close()


def _build(folder: Path, scale: Scale, today: date) -> float:
    """Write the content, sync it with quizcalc, add the history; returns the sync's seconds."""
    from quizcalc.config import Config
    from quizcalc.study import StudyService

    content = folder / "content"
    write_content(content, scale)
    database = folder / "collection.sqlite3"
    service = StudyService.open(f"sqlite:///{database}", Config())
    now = datetime.now().astimezone() - timedelta(days=scale.years * 365 + AWAY_DAYS + 1)
    start = time.perf_counter()
    service.sync(content, now)
    seconds = time.perf_counter() - start
    service.close()
    write_history(database, scale, today)
    return seconds


def heavy_collection(name: str = "full", *, rebuild: bool = False) -> HeavyCollection:
    """The cached collection of scale ``name`` (``full`` or ``quick``), built if missing."""
    from quizcalc.config import Config
    from quizcalc.scheduling.study_day import study_day
    from quizcalc.store.schema_version import HEAD_REVISION

    scale = SCALES[name]
    today = study_day(datetime.now().astimezone(), Config().rollover_hour)
    tag = f"{scale.name}-schema{HEAD_REVISION}-gen{GENERATOR_VERSION}-{today.isoformat()}"
    folder = CACHE / tag
    ready = folder / "READY"
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / ".lock").open("w") as lock:  # one builder at a time; the others wait, reuse
        fcntl.flock(lock, fcntl.LOCK_EX)
        if rebuild or not ready.exists():
            for stale in CACHE.glob(f"{scale.name}-*"):  # other days' copies (others' schemas
                if not stale.name.endswith(today.isoformat()):  # of today may still be in use)
                    shutil.rmtree(stale, ignore_errors=True)
            folder.mkdir(parents=True)
            seconds = _build(folder, scale, today)
            ready.write_text(f"{seconds:.3f}\n", "utf-8")
    return HeavyCollection(
        scale=scale,
        folder=folder,
        content=folder / "content",
        database=folder / "collection.sqlite3",
        built_on=today,
        sync_seconds=float(ready.read_text("utf-8")),
    )


def copy_database(collection: HeavyCollection, target: Path) -> str:
    """Copy the collection's database to ``target`` (for a benchmark that writes); its URL."""
    shutil.copyfile(collection.database, target)
    return f"sqlite:///{target}"


def main() -> None:
    """Build (or find) the cached collection and print what it holds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5,000 cards, 100,000 rows")
    parser.add_argument("--rebuild", action="store_true", help="ignore the cache")
    args = parser.parse_args()
    start = time.perf_counter()
    collection = heavy_collection("quick" if args.quick else "full", rebuild=args.rebuild)
    elapsed = time.perf_counter() - start
    connection = sqlite3.connect(collection.database)
    today = collection.built_on.isoformat()
    counts = {
        "cards": "SELECT count(*) FROM cards",
        "review_log rows": "SELECT count(*) FROM review_log",
        "due today": f"SELECT count(*) FROM schedule WHERE due <= '{today}'",
        "never seen": "SELECT count(*) FROM schedule WHERE due IS NULL",
        "sections": "SELECT count(DISTINCT section) FROM cards",
    }
    print(
        f"{collection.folder} (ready in {elapsed:.1f} s; its sync took "
        f"{collection.sync_seconds:.1f} s)"
    )
    for label, sql in counts.items():
        print(f"  {label:<16}{connection.execute(sql).fetchone()[0]:>10,}")
    connection.close()


if __name__ == "__main__":
    main()
