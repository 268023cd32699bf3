"""`quizcalc stats --json` on the heavy collection (50,000 cards, 1,000,000 review rows over
three years), a whole process, above `quizcalc --version` started the same way."""

from __future__ import annotations

from pathlib import Path

from benchmarks.figures.base import Context, Figure
from benchmarks.measure import QUIZCALC, against_version, user_env
from benchmarks.report import Measured, Target


def stats(ctx: Context) -> Measured:
    """Alternate ``quizcalc --version`` and ``quizcalc stats --json`` on a copy."""
    from benchmarks.heavy_collection import copy_database, heavy_collection

    collection = heavy_collection(ctx.scale)
    database = ctx.folder / "heavy.sqlite3"
    copy_database(collection, database)
    return stats_command(ctx, database, collection.content)


def stats_command(ctx: Context, database: Path, content: Path) -> Measured:
    """``quizcalc stats --json`` on ``database`` against ``quizcalc --version``, alternated."""
    env = user_env(ctx.folder, database, content)
    ours, floor = against_version(ctx.runs, [QUIZCALC, "stats", "--json"], env)
    return Measured(
        samples=[run.seconds for run in ours],
        baseline=[run.seconds for run in floor],
        peak_mb=max(run.peak_mb for run in ours),
        note=ctx.collection_note(),
    )


FIGURES = [
    Figure(
        "stats",
        "quizcalc stats --json on the heavy collection, above quizcalc --version",
        (Target("above", 0.5),),
        stats,
    ),
]
