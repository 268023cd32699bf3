"""Switching scheduler and FSRS's calibration at a heavy learner's scale.

``rebuild``: on a copy of the heavy collection, one sample is a round trip of
``rebuild_schedules`` (what saving ``algorithm`` does): SM-2 → FSRS, then FSRS → SM-2, each
in its own write transaction, committed. The note gives each direction's median.

``calibration-fsrs``: ``scheduler_calibration`` with FSRS active, the part of ``stats`` that
replays every card's rated answers to predict each one's recall, in one read transaction.

``stats-fsrs``: the whole ``quizcalc stats --json`` process on a copy switched to FSRS (the
``stats`` figure's measurement, with the calibration FSRS makes), above ``quizcalc --version``.

The targets are not issue 14's (it predates FSRS) but Step 11's own: a switch of scheduler is
a rare, deliberate act on the settings screen, so 10 s there and back at 50,000 cards; the
statistics under FSRS within 2 s of a command's start. At the start of this work (the replay
row by row, the log read into objects) the full collection took 96.7 s, 22.6 s and +15.6 s,
with 1.3 GB of memory each.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace

from benchmarks.figures.base import Context, Figure
from benchmarks.report import Measured, Target


def rebuild(ctx: Context) -> Measured:
    """Seconds per SM-2 → FSRS → SM-2 round trip of ``rebuild_schedules``."""
    from benchmarks.heavy_collection import copy_database, heavy_collection
    from quizcalc.config import Config
    from quizcalc.study import StudyService
    from quizcalc.study.schedule_rebuild import rebuild_schedules

    collection = heavy_collection(ctx.scale)
    url = copy_database(collection, ctx.folder / "heavy.sqlite3")
    service = StudyService.open(url, Config())
    sm2 = service.scheduler_settings
    fsrs = replace(sm2, algorithm="fsrs")
    samples: list[float] = []
    directions: dict[str, list[float]] = {"sm2→fsrs": [], "fsrs→sm2": []}
    changed: dict[str, int] = {}
    try:
        for _ in range(ctx.runs):
            trip = 0.0
            for name, settings in (("sm2→fsrs", fsrs), ("fsrs→sm2", sm2)):
                start = time.perf_counter()
                with service.transaction(write=True) as session:
                    changed[name] = rebuild_schedules(session, settings)
                seconds = time.perf_counter() - start
                directions[name].append(seconds)
                trip += seconds
            samples.append(trip)
    finally:
        service.close()
    split = ", ".join(
        f"{name} {statistics.median(times):.2f} s ({changed[name]:,} changed)"
        for name, times in directions.items()
    )
    return Measured(samples, note=f"{ctx.collection_note()}: {split}")


def calibration_fsrs(ctx: Context) -> Measured:
    """Seconds per ``scheduler_calibration`` under FSRS."""
    from benchmarks.heavy_collection import heavy_collection
    from quizcalc.config import Config
    from quizcalc.study import StudyService
    from quizcalc.study.collection_base import sql_runner
    from quizcalc.study.stats.calibration import scheduler_calibration

    collection = heavy_collection(ctx.scale)
    service = StudyService.open(collection.url, Config())
    config = Config(algorithm="fsrs")
    samples: list[float] = []
    scored = 0
    try:
        for _ in range(ctx.runs):
            start = time.perf_counter()
            with service.transaction() as session:
                scored = scheduler_calibration(sql_runner(session), config).count
            samples.append(time.perf_counter() - start)
    finally:
        service.close()
    return Measured(samples, note=f"{ctx.collection_note()}: {scored:,} reviews scored")


def stats_fsrs(ctx: Context) -> Measured:
    """Alternate ``quizcalc --version`` and ``quizcalc stats --json`` on a copy under FSRS."""
    from benchmarks.figures.stats import stats_command
    from benchmarks.heavy_collection import copy_database, heavy_collection
    from quizcalc.config import Config
    from quizcalc.study import StudyService

    collection = heavy_collection(ctx.scale)
    database = ctx.folder / "heavy.sqlite3"
    url = copy_database(collection, database)
    service = StudyService.open(url, Config())
    try:
        service.save_collection_settings({"algorithm": "fsrs"})
    finally:
        service.close()
    return stats_command(ctx, database, collection.content)


FIGURES = [
    Figure(
        "rebuild",
        "switch scheduler: rebuild_schedules SM-2 → FSRS → SM-2 (round trip)",
        (Target("median", 10.0),),
        rebuild,
        runs=3,
        quick_runs=2,
    ),
    Figure(
        "calibration-fsrs",
        "stats calibration under FSRS (scheduler_calibration)",
        (Target("median", 2.0),),
        calibration_fsrs,
        runs=3,
        quick_runs=2,
    ),
    Figure(
        "stats-fsrs",
        "quizcalc stats --json under FSRS on the heavy collection, above quizcalc --version",
        (Target("above", 2.0),),
        stats_fsrs,
        runs=3,
        quick_runs=2,
    ),
]
