"""Two quizcalc processes creating the same new collection at once both open it.

On a brand-new file, switching SQLite to WAL does not wait for a process holding the file: the
second of two first starts failed at once with "the collection is busy in another window" (4
rounds in 10 here). Processes are forked (quizcalc already imported) and meet at a barrier just
before they open, so every round tries the race.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

ROUNDS = 8


def _open(path: Path, barrier: Any, results: Any) -> None:
    from quizcalc.store import open_store

    barrier.wait(timeout=30)
    try:
        open_store(path).close()
    except Exception as error:  # reported to the test, which names it
        results.put(f"{type(error).__name__}: {error}")
    else:
        results.put("ok")


def test_two_first_starts_at_once_both_open_the_new_collection(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    outcomes = []
    for round_number in range(ROUNDS):
        path = tmp_path / f"round-{round_number}" / "quizcalc.sqlite3"
        path.parent.mkdir()
        barrier, results = context.Barrier(2), context.Queue()
        processes = [context.Process(target=_open, args=(path, barrier, results)) for _ in range(2)]
        for process in processes:
            process.start()
        outcomes.append(sorted(results.get(timeout=60) for _ in processes))
        for process in processes:
            process.join(timeout=60)
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert connection.execute("SELECT value FROM collection_meta").fetchall() == [(0,)]
    assert outcomes == [["ok", "ok"]] * ROUNDS
