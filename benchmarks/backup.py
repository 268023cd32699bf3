"""Backing up and restoring a heavy year: the time and peak memory of a backup and a restore.

The store is ``benchmarks/stats.py``'s synthetic year (``--rows`` review-log rows over
``--cards`` cards, built in bulk). Each step runs in a fresh process that opens the store,
then starts the peak resident memory count afresh (Linux: ``/proc/self/clear_refs``), so the
peak printed is the step's own, beside the memory the open process held before it:

- ``backup``: ``StudyService.export_backup`` of the whole store to JSON;
- ``restore``: ``StudyService.restore_backup`` of that file into an empty database (reading
  and checking every row, then inserting them chunk by chunk in one transaction).

    .venv/bin/python benchmarks/backup.py [--rows 100000] [--cards 3000]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 26, 21, 0, tzinfo=UTC)


def _status_mb(field: str) -> float:
    """``VmRSS`` or ``VmHWM`` (peak) of this process, from Linux's ``/proc/self/status``."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: whole run


def _reset_peak() -> None:
    """Start the peak-RSS count afresh (Linux ≥ 4.0), so imports do not hide the step's."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _child(step: str, db: Path, backup: Path) -> None:
    """Run one step in this process; print its seconds, RSS before and peak RSS as JSON."""
    from quizcalc.config import Config
    from quizcalc.study import StudyService

    service = StudyService.open(f"sqlite:///{db}", Config())
    _reset_peak()
    before = _status_mb("VmRSS")
    start = time.perf_counter()
    if step == "backup":
        service.export_backup(backup)
    elif step == "restore":
        service.restore_backup(backup, now=NOW)
    seconds = time.perf_counter() - start
    peak = _status_mb("VmHWM")
    service.close()
    print(json.dumps({"seconds": seconds, "before_mb": before, "peak_mb": peak}))


def _run(step: str, db: Path, backup: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", step, str(db), str(backup)]
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, float] = json.loads(out.stdout.splitlines()[-1])
    return result


def main() -> None:
    """Build the store, then back it up and restore it, each in a fresh process."""
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="review-log rows")
    parser.add_argument("--cards", type=int, default=3000, help="cards")
    args = parser.parse_args()

    from benchmarks.stats import build
    from quizcalc.store import open_store

    with tempfile.TemporaryDirectory(prefix="quizcalc-bench-") as tmp:
        source, target, backup = (
            Path(tmp) / "a.sqlite3",
            Path(tmp) / "b.sqlite3",
            Path(tmp) / "b.json",
        )
        store = open_store(source)
        start = time.perf_counter()
        build(store, args.rows, args.cards)
        store.close()
        elapsed = time.perf_counter() - start
        print(f"built {args.rows:,} reviews, {args.cards:,} cards in {elapsed:.1f} s")
        written = _run("backup", source, backup)
        _print("backup", written, f"{backup.stat().st_size / 1e6:.0f} MB file")
        open_store(target).close()
        restored = _run("restore", target, backup)
        _print("restore", restored, "read, checked and inserted in one transaction")


def _print(step: str, figures: dict[str, float], note: str) -> None:
    print(
        f"{step:<8} {figures['seconds']:6.1f} s   RSS {figures['before_mb']:4.0f} MB before, "
        f"peak {figures['peak_mb']:4.0f} MB (+{figures['peak_mb'] - figures['before_mb']:.0f})"
        f"   {note}"
    )


if __name__ == "__main__":
    main()
