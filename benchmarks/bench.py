"""`make bench`: every figure of issue 14's table, measured on this machine, as one table.

Each figure runs in its own fresh Python process (so one figure's imports, caches and memory
never colour the next) and prints its samples as JSON; this process gathers them into the
table: figure, median, min, max, baseline (measured in the same run), ratio, peak memory,
target, the measured value the target is compared with, and ok / MISSED.

    .venv/bin/python benchmarks/bench.py [--quick] [--only NAME ...] [--runs N] [--json PATH]

``--quick`` uses the 5k/100k heavy collection (and smaller decks) with fewer runs, for
development; ``--only`` takes a figure's name (or a module's, e.g. ``sync``) and may be
repeated; ``--list`` prints the names. The heavy collections are built once and cached under
``.bench-cache/`` (``QUIZCALC_BENCH_CACHE`` moves it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.figures import Context, Figure, all_figures, find  # noqa: E402
from benchmarks.report import (  # noqa: E402
    Measured,
    Row,
    failed,
    format_notes,
    format_table,
    summarise,
    to_json,
)

_MARK = "BENCH-RESULT "


def _child(name: str, quick: bool, runs: int | None) -> None:
    """Measure one figure in this process and print its :class:`Measured` as JSON."""
    from benchmarks.measure import self_peak_mb

    (figure,) = find([name])
    with tempfile.TemporaryDirectory(prefix=f"quizcalc-bench-{name}-") as folder:
        count = runs or (figure.quick_runs if quick else figure.runs)
        measured = figure.measure(Context(quick=quick, runs=count, folder=Path(folder)))
    if measured.peak_mb is None:  # measured in this process: its own peak
        measured = Measured(measured.samples, measured.baseline, self_peak_mb(), measured.note)
    print(_MARK + json.dumps(asdict(measured)), flush=True)


def measure(figure: Figure, quick: bool, runs: int | None) -> Row:
    """Run ``figure`` in a fresh process; its row (an ``ERROR`` row if it failed)."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", figure.name]
    argv += ["--quick"] if quick else []
    argv += ["--runs", str(runs)] if runs else []
    process = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, check=False)
    lines = [line for line in process.stdout.splitlines() if line.startswith(_MARK)]
    if process.returncode != 0 or not lines:
        error = (process.stderr.strip().splitlines() or ["no output"])[-1]
        return failed(figure.name, figure.title, figure.targets, error)
    measured = Measured(**json.loads(lines[-1].removeprefix(_MARK)))
    return summarise(figure.name, figure.title, figure.targets, measured)


def main(argv: list[str] | None = None) -> int:
    """Measure the chosen figures and print the table; 0 even when a target is missed."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5k/100k collection, fewer runs")
    parser.add_argument("--only", action="append", metavar="NAME", help="only this figure")
    parser.add_argument("--runs", type=int, help="timed runs per figure (default: its own)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the table here")
    parser.add_argument("--list", action="store_true", help="print the figures' names")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.quick, args.runs)
        return 0
    if args.list:
        for figure in all_figures():
            print(f"{figure.name:<24}{figure.title}")
        return 0
    try:
        figures = find(args.only) if args.only else all_figures()
    except KeyError as exc:
        parser.error(str(exc.args[0]))
    started = datetime.now(UTC)
    rows = []
    for figure in figures:
        clock = time.perf_counter()
        print(f"{figure.name} …", end=" ", file=sys.stderr, flush=True)
        row = measure(figure, args.quick, args.runs)
        rows.append(row)
        print(f"{row.verdict} ({time.perf_counter() - clock:.0f} s)", file=sys.stderr)
        if row.error:
            print(f"  {row.error}", file=sys.stderr)
    print(format_table(rows))
    notes = format_notes(rows)
    if notes:
        print(f"\n{notes}")
    if args.json:
        meta = {
            "started": started.isoformat(timespec="seconds"),
            "quick": args.quick,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}",
        }
        args.json.write_text(to_json(rows, meta) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
