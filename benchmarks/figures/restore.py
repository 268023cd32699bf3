"""`quizcalc restore` of a backup holding the heavy collection (50,000 cards, 1M reviews).

The backup is written once (``StudyService.export_backup`` of a copy of the collection) and
cached beside the collection under ``.bench-cache/``, so it is keyed as the collection is
(scale, schema, generator, study day). Each run restores it, as a whole process, into a
database that does not exist yet; the peak memory is the restoring process's own. The backup
is past the default import caps (128 MiB, 500,000 rows), so the settings file raises them, as
the refusal tells a user with such a backup to do.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from benchmarks.figures.base import Context, Figure
from benchmarks.measure import QUIZCALC, run_process, user_env
from benchmarks.report import Measured, Target

RAISED_CAPS = "import_max_file_mib = 4096\nimport_max_rows = 10000000\n"
"""The settings file's caps, raised for the heavy collection's backup."""


def cached_backup(ctx: Context) -> Path:
    """The collection's JSON backup, written (atomically) the first time it is asked for."""
    from benchmarks.heavy_collection import copy_database, heavy_collection
    from quizcalc.config import Config
    from quizcalc.study import StudyService

    collection = heavy_collection(ctx.scale)
    backup = collection.folder / "backup.json"
    if backup.exists():
        return backup
    url = copy_database(collection, ctx.folder / "source.sqlite3")
    service = StudyService.open(url, Config())
    partial = ctx.folder / "backup.json"
    try:
        service.export_backup(partial)
    finally:
        service.close()
    staged = backup.with_name(f"backup.json.{os.getpid()}.tmp")
    shutil.move(partial, staged)  # then renamed: a reader never sees half a file
    staged.replace(backup)
    return backup


def restore(ctx: Context) -> Measured:
    """``quizcalc restore BACKUP`` into a new database, every run."""
    backup = cached_backup(ctx)
    (ctx.folder / "content").mkdir()
    database = ctx.folder / "restored.sqlite3"
    env = user_env(ctx.folder, database, ctx.folder / "content")
    Path(env["QUIZCALC_CONFIG"]).write_text(RAISED_CAPS, "utf-8")
    runs = []
    for _ in range(ctx.runs):
        for path in ctx.folder.glob("restored.sqlite3*"):
            path.unlink()
        runs.append(run_process([QUIZCALC, "restore", str(backup)], env))
    return Measured(
        samples=[run.seconds for run in runs],
        peak_mb=max(run.peak_mb for run in runs),
        note=f"{backup.stat().st_size / 1e6:.0f} MB backup",
    )


FIGURES = [
    Figure(
        "restore",
        "quizcalc restore of the heavy collection's backup (50k cards / 1M reviews)",
        (Target("median", 20.0),),
        restore,
        runs=3,
        quick_runs=1,
    ),
]
