"""`quizcalc sync` of a 10,000-card deck in 20 files: first, unchanged, one card edited.

Whole processes (``QUIZCALC_CONTENT`` is the deck, written by ``heavy_collection.
write_content``), each figure above `quizcalc --version` started the same way just before:

- ``sync-first``: into a database that does not exist yet (a new path every run);
- ``sync-unchanged``: nothing changed since the last sync;
- ``sync-edit``: one card's answer edited in one file before each run;
- ``sync-edit-heavy``: the same edit in a copy of the heavy collection's content (50,000
  cards in 50 files) and database; its baseline is ``sync-edit`` measured in the same run
  (both above ``--version``), and the target says the one-file cost must not grow with the
  deck (within 1.3×).

``--quick`` uses a 1,000-card deck (and the 5k collection).
"""

from __future__ import annotations

import re
import shutil
import statistics
from collections.abc import Callable
from pathlib import Path

from benchmarks.figures.base import Context, Figure
from benchmarks.measure import QUIZCALC, Run, against_version, run_process, user_env
from benchmarks.report import Measured, Target

SYNC = [QUIZCALC, "sync"]
_EDIT = re.compile(r" \(edit \d+\)$")


def write_deck(ctx: Context) -> Path:
    """The 10,000-card deck in 20 files (1,000 with ``--quick``); its folder."""
    from benchmarks.heavy_collection import Scale, write_content

    cards = 1_000 if ctx.quick else 10_000
    folder = ctx.folder / "deck"
    write_content(folder, Scale("sync", cards=cards, files=20, review_rows=0))
    return folder


def editor(folder: Path) -> Callable[[], None]:
    """A function that edits one card (its answer's first line) in one file, differently on
    every call."""
    target = sorted(folder.glob("*.md"))[len(list(folder.glob("*.md"))) // 2]
    count = 0

    def edit() -> None:
        nonlocal count
        count += 1
        lines = target.read_text("utf-8").split("\n")
        index = next(i for i, line in enumerate(lines) if line.startswith("A: "))
        lines[index] = _EDIT.sub("", lines[index]) + f" (edit {count})"
        target.write_text("\n".join(lines), "utf-8")

    return edit


def _above(ours: list[Run], floor: list[Run], note: str = "") -> Measured:
    return Measured(
        samples=[run.seconds for run in ours],
        baseline=[run.seconds for run in floor],
        peak_mb=max(run.peak_mb for run in ours),
        note=note,
    )


def first(ctx: Context) -> Measured:
    """Into a fresh database every run."""
    deck = write_deck(ctx)
    database = ctx.folder / "sync.sqlite3"
    env = user_env(ctx.folder, database, deck)

    def fresh() -> None:
        for path in ctx.folder.glob("sync.sqlite3*"):
            path.unlink()

    return _above(*against_version(ctx.runs, SYNC, env, fresh))


def unchanged(ctx: Context) -> Measured:
    """Nothing changed (the warm-up run is the first sync)."""
    deck = write_deck(ctx)
    env = user_env(ctx.folder, ctx.folder / "sync.sqlite3", deck)
    run_process(SYNC, env)
    return _above(*against_version(ctx.runs, SYNC, env))


def edited(ctx: Context) -> Measured:
    """One card edited in one file before each run."""
    deck = write_deck(ctx)
    env = user_env(ctx.folder, ctx.folder / "sync.sqlite3", deck)
    run_process(SYNC, env)
    return _above(*against_version(ctx.runs, SYNC, env, editor(deck)))


def edited_heavy(ctx: Context) -> Measured:
    """The one-file edit at the heavy collection's size, against the same at 10,000 cards."""
    from benchmarks.heavy_collection import copy_database, heavy_collection

    small = edited(ctx)
    collection = heavy_collection(ctx.scale)
    content = ctx.folder / "heavy-content"
    shutil.copytree(collection.content, content)
    database = ctx.folder / "heavy.sqlite3"
    copy_database(collection, database)
    env = user_env(ctx.folder, database, content)
    ours, floor = against_version(ctx.runs, SYNC, env, editor(content))
    version = statistics.median(run.seconds for run in floor)
    small_version = statistics.median(small.baseline)
    return Measured(
        samples=[run.seconds - version for run in ours],
        baseline=[seconds - small_version for seconds in small.samples],
        peak_mb=max(run.peak_mb for run in ours),
        note=f"{ctx.collection_note()} vs the {len(list(ctx.folder.glob('deck/*.md')))}-file "
        "deck, both above --version",
    )


FIGURES = [
    Figure(
        "sync-first",
        "quizcalc sync, 10k cards in 20 files, first (new database), above --version",
        (Target("above", 5.0),),
        first,
    ),
    Figure(
        "sync-unchanged",
        "quizcalc sync, 10k cards, nothing changed, above --version",
        (Target("above", 0.3),),
        unchanged,
    ),
    Figure(
        "sync-edit",
        "quizcalc sync, 10k cards, one card edited in one file, above --version",
        (Target("above", 0.5),),
        edited,
    ),
    Figure(
        "sync-edit-heavy",
        "the one-file edit on the heavy collection vs the 10k deck (above --version)",
        (Target("ratio", 1.3),),
        edited_heavy,
    ),
]
