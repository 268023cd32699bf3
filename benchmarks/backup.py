"""Backing up and restoring a heavy learner's collection: whole ``quizcalc`` processes.

The collection is :mod:`benchmarks.heavy_collection`'s (``full``: 50,000 cards and 1,000,000
review rows; ``--quick``: 5,000 and 100,000). Each figure runs the real command in a fresh
process and reads its wall time, CPU time (user + system) and peak resident memory from
``os.wait4``:

- ``backup``: ``quizcalc export backup.json`` of a copy of the collection (the file is kept,
  cached beside the collection, for the restores);
- ``restore``: ``quizcalc restore backup.json`` into a database that does not exist yet
  (read and check every row, then insert them in one transaction).

The settings file raises the import caps (a 1M-row backup is past the default
``import_max_rows``), so the figure is the restore's work, not a refusal.

    .venv/bin/python benchmarks/backup.py [--quick] [--runs 5] [--only backup|restore]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.heavy_collection import heavy_collection  # noqa: E402

QUIZCALC = [str(Path(sys.executable).with_name("quizcalc"))]
"""The installed command, as a learner runs it."""
CAPS = "import_max_file_mib = 4096\nimport_max_rows = 10000000\n"
"""Settings that let a heavy collection's own backup in."""


@dataclass(frozen=True)
class Run:
    """One whole process: wall and CPU seconds, peak resident memory."""

    seconds: float
    cpu: float
    peak_mb: float


def run(arguments: list[str], cwd: Path) -> Run:
    """Run ``quizcalc arguments`` to the end; its time and peak memory (raises on failure)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [*QUIZCALC, *arguments],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    error = process.stderr.read().decode() if process.stderr else ""
    if status != 0:
        raise RuntimeError(f"quizcalc {' '.join(arguments)} failed ({status}): {error}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def heavy_backup(scale: str, work: Path) -> tuple[Path, Run | None]:
    """The heavy collection's backup file, written once per collection (and that run)."""
    collection = heavy_collection(scale)
    target = collection.folder / "backup.json"
    if target.exists():
        return target, None
    copy = work / "copy.sqlite3"
    shutil.copyfile(collection.database, copy)
    made = target.with_name(f"backup-{os.getpid()}.json")  # complete before it is named
    figures = _backup(copy, made, work)
    os.replace(made, target)
    return target, figures


def _backup(database: Path, target: Path, work: Path) -> Run:
    config = work / "config.toml"
    config.write_text(CAPS, encoding="utf-8")
    arguments = ["--db", str(database), "--config", str(config), "export", str(target)]
    return run(arguments, work)


def _restore(backup: Path, work: Path, number: int) -> Run:
    config = work / "config.toml"
    config.write_text(CAPS, encoding="utf-8")
    database = work / f"restored-{number}.sqlite3"
    try:
        return run(["--db", str(database), "--config", str(config), "restore", str(backup)], work)
    finally:
        for leftover in work.glob(f"restored-{number}.sqlite3*"):
            leftover.unlink()
        shutil.rmtree(work / "backups", ignore_errors=True)


def measure(scale: str, runs: int, only: str | None = None) -> dict[str, list[Run]]:
    """``runs`` backups and restores of the ``scale`` collection, each a whole process."""
    found: dict[str, list[Run]] = {"backup": [], "restore": []}
    with tempfile.TemporaryDirectory(prefix="quizcalc-bench-backup-") as folder:
        work = Path(folder)
        backup, _ = heavy_backup(scale, work)
        collection = heavy_collection(scale)
        for number in range(runs):
            if only in (None, "backup"):
                copy = work / "copy.sqlite3"
                shutil.copyfile(collection.database, copy)
                found["backup"].append(_backup(copy, work / "again.json", work))
                (work / "again.json").unlink()
            if only in (None, "restore"):
                found["restore"].append(_restore(backup, work, number))
    return found


def _line(name: str, runs: list[Run]) -> str:
    seconds = [r.seconds for r in runs]
    return (
        f"{name:<8} median {statistics.median(seconds):6.2f} s (min {min(seconds):.2f}, max "
        f"{max(seconds):.2f}; CPU {statistics.median(r.cpu for r in runs):.2f} s)   "
        f"peak {max(r.peak_mb for r in runs):4.0f} MB"
    )


def main() -> None:
    """Print the median time and the peak memory of backing up and restoring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5,000 cards, 100,000 reviews")
    parser.add_argument("--runs", type=int, default=5, help="runs of each figure")
    parser.add_argument("--only", choices=["backup", "restore"], help="one figure only")
    args = parser.parse_args()
    scale = "quick" if args.quick else "full"
    results = measure(scale, args.runs, args.only)
    for name, runs in results.items():
        if runs:
            print(_line(name, runs))


if __name__ == "__main__":
    main()
