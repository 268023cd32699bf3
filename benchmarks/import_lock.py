"""How long a big Markdown import holds the collection's write lock (an open review waits).

A 20,000-card Markdown file is imported with ``StudyService.import_path`` while a second
process plays the open review: it takes the write lock (``BEGIN IMMEDIATE``, plain
``sqlite3``) every few milliseconds and records how long each attempt waited. Its longest wait
is the longest the import held the lock; the import's own time is printed beside it.

    .venv/bin/python benchmarks/import_lock.py [--cards 20000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 26, 21, 0, tzinfo=UTC)

OPEN_REVIEW = textwrap.dedent(
    """
    import sqlite3, sys, time
    from pathlib import Path
    db, stop = sys.argv[1], Path(sys.argv[2])
    con = sqlite3.connect(db, isolation_level=None, timeout=300)
    waits = []
    print("ready", flush=True)
    while not stop.exists():
        start = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        waits.append(time.perf_counter() - start)
        con.execute("COMMIT")
        time.sleep(0.005)
    print(max(waits), sum(w > 1 for w in waits), len(waits), flush=True)
    """
)


def _deck(cards: int) -> str:
    return "\n".join(
        f"Q: Imported question number {i} about a topic?\nA: Its answer, number {i}.\n"
        for i in range(cards)
    )


def main() -> None:
    """Import ``--cards`` Markdown cards beside an open review; print the lock figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=20_000)
    args = parser.parse_args()

    from quizcalc.config import Config
    from quizcalc.study import StudyService

    with tempfile.TemporaryDirectory(prefix="quizcalc-import-lock-") as folder:
        base = Path(folder)
        source = base / "big.md"
        source.write_text(_deck(args.cards), encoding="utf-8")
        db = base / "q.sqlite3"
        service = StudyService.open(f"sqlite:///{db}", Config())
        stop = base / "stop"
        review = subprocess.Popen(
            [sys.executable, "-c", OPEN_REVIEW, str(db), str(stop)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert review.stdout is not None and review.stdout.readline().strip() == "ready"
        time.sleep(0.2)
        start = time.perf_counter()
        report = service.import_path(source, NOW)
        took = time.perf_counter() - start
        time.sleep(0.2)
        stop.touch()
        longest, over_a_second, attempts = review.communicate()[0].split()
        service.close()
    print(f"imported {report.added} cards in {took:.2f} s")
    print(
        f"open review: longest wait for the write lock {float(longest):.2f} s "
        f"({over_a_second} of {attempts} attempts waited over 1 s)"
    )


if __name__ == "__main__":
    main()
