"""Syncing the content folder, as whole ``quizcalc sync`` processes above ``quizcalc --version``.

Three figures on a 10,000-card deck in 20 Markdown files (written by
:func:`benchmarks.heavy_collection.write_content`), each the median of ``--repeat`` runs:

- ``first``: a new database, every card new;
- ``unchanged``: nothing changed since the last sync;
- ``one-file``: one card's question edited in one file (a new word each run).

``--at-50k`` adds the one-file figure on the cached ``full`` collection (50,000 cards in 50
files, 1,000,000 review rows), copied to a temporary folder first, so the one-file cost can
be compared with the deck's size (the target: within 1.3x of the 10k figure).

    QUIZCALC_BENCH_CACHE=/work/main/.bench-cache \\
        .venv/bin/python benchmarks/sync.py [--repeat 5] [--at-50k]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.heavy_collection import (  # noqa: E402
    Scale,
    copy_database,
    heavy_collection,
    write_content,
)

QUIZCALC = Path(sys.executable).with_name("quizcalc")
DECK = Scale("s10k", cards=10_000, files=20, review_rows=0)


CPU: list[float] = []
"""CPU seconds (user + system) of each process run, beside its wall time: on a shared
machine the wall time swings with the load, the CPU time much less."""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(args: list[str], env: dict[str, str]) -> float:
    """Seconds one ``quizcalc`` process takes (it must succeed)."""
    cpu = _cpu()
    start = time.perf_counter()
    subprocess.run([str(QUIZCALC), *args], env=env, check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    CPU.append(_cpu() - cpu)
    return elapsed


def _median(times: list[float]) -> str:
    cpu = statistics.median(CPU[-len(times) :])
    return (
        f"{statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f};"
        f" CPU {cpu:.3f} s)"
    )


def _edit_one_card(folder: Path, run: int) -> None:
    """Reword the first question of the middle file (a different word each run)."""
    files = sorted(folder.glob("*.md"))
    target = files[len(files) // 2]
    lines = target.read_text("utf-8").split("\n")
    for index, line in enumerate(lines):
        if line.startswith("Q: ("):
            head = line.split(" — edit", 1)[0]
            lines[index] = f"{head} — edit {run}"
            break
    target.write_text("\n".join(lines), "utf-8")


def _measure(label: str, repeat: int, before: Callable[[int], None], run: Callable[[], float]):
    times = []
    for index in range(repeat):
        before(index)
        times.append(run())
    CPU[:] = CPU[-repeat:]
    print(f"{label:<28}{_median(times)}")
    return statistics.median(times), statistics.median(CPU)


def _above(label: str, figure: tuple[float, float], version: tuple[float, float]) -> float:
    wall, cpu = figure[0] - version[0], figure[1] - version[1]
    print(f"{'  above --version':<28}{wall:.3f} s (CPU {cpu:.3f} s)  {label}")
    return wall


def main() -> None:
    """Print the version baseline and the sync figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--at-50k", action="store_true", help="also the one-file edit at 50k")
    parser.add_argument("--skip-first", action="store_true", help="skip the first-sync figure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quizcalc-sync-bench-") as name:
        tmp = Path(name)
        env = dict(os.environ, XDG_DATA_HOME=str(tmp / "data"), XDG_CONFIG_HOME=str(tmp / "cfg"))
        content = tmp / "content"
        write_content(content, DECK)
        database = tmp / "s10k.sqlite3"
        common = ["--db", str(database), "--content", str(content)]
        version = _measure(
            "quizcalc --version", args.repeat, lambda _: None, lambda: _run(["--version"], env)
        )

        def fresh(_: int) -> None:
            database.unlink(missing_ok=True)

        if not args.skip_first:
            first = _measure(
                "first sync (10k)", args.repeat, fresh, lambda: _run([*common, "sync"], env)
            )
            _above("(target <= 5 s)", first, version)
        else:
            _run([*common, "sync"], env)
        unchanged = _measure(
            "unchanged (10k)", args.repeat, lambda _: None, lambda: _run([*common, "sync"], env)
        )
        _above("(target <= 0.3 s)", unchanged, version)
        one = _measure(
            "one card edited (10k)",
            args.repeat,
            lambda i: _edit_one_card(content, i),
            lambda: _run([*common, "sync"], env),
        )
        one_above = _above("(target <= 0.5 s)", one, version)
        if args.at_50k:
            heavy = heavy_collection("full")
            big = tmp / "content50k"
            shutil.copytree(heavy.content, big)
            url = copy_database(heavy, tmp / "full.sqlite3")
            common50 = ["--db", url, "--content", str(big)]
            _run([*common50, "sync"], env)  # the folder moved: one full sync first
            one50 = _measure(
                "one card edited (50k)",
                args.repeat,
                lambda i: _edit_one_card(big, i),
                lambda: _run([*common50, "sync"], env),
            )
            cpu_ratio = (one50[1] - version[1]) / max(one[1] - version[1], 1e-9)
            above = _above("", one50, version)
            print(
                f"{'  vs the 10k figure':<28}{above / max(one_above, 1e-9):.2f}x"
                f" (CPU {cpu_ratio:.2f}x; target <= 1.3x)"
            )


if __name__ == "__main__":
    main()
