"""80×24 snapshots of the screens the other snapshot files show only wider, or not at all.

With ``test_tui_snapshots.py`` (home, review question and answer, cloze, problem card, help,
summary, done for today), ``test_tui_browse.py`` (browse, card detail, confirm),
``test_tui_drill.py`` (set-up, in progress, summary), ``test_tui_settings.py`` and
``test_tui_stats.py``, every screen has a picture at 80×24. These add: home with real,
long section names (Total stays, names end in …), a problem given up with its worked
solution, the statistics' sections table and its total, the start-up error and the
damaged-collection screen that offers the newest backup.
"""

from __future__ import annotations

import fcntl
import random
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Input, Static

from quizcalc.config import Config
from quizcalc.store import open_store
from quizcalc.store.snapshots import write_snapshot
from quizcalc.study.demo import build_demo
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.screens.error import StartupErrorScreen
from quizcalc.tui.screens.stats import StatsScreen
from quizcalc.tui.widgets.problem_panel import ProblemPanel
from tests.damage import damage_the_middle, fill
from tests.tui.conftest import NOW, PROBLEM_RNG_SEED, screen_text, wait_ready, wait_until
from tests.tui.test_tui_layout80 import LONG_SECTIONS

SMALL = (80, 24)

Snap = Callable[..., bool]

BOOK = """---
deck: Calculus & Optimization
---

## 2.4 Jacobian and Hessian

### Practice

Q: What shape is the Jacobian of $f: \\mathbb{R}^3 \\to \\mathbb{R}^2$?
A: $2 \\times 3$: one row per output.

## 2.9 Local minima, saddle points and plateaus

### Practice

Q: What does a Hessian with eigenvalues of both signs say about a critical point?
A: It is a saddle point.
"""


def test_home_with_long_sections(
    snap_compare: Snap, build_app: Callable[..., QuizcalcApp], content: Path
) -> None:
    (content / "long.md").write_text(LONG_SECTIONS, encoding="utf-8")
    (content / "book.md").write_text(BOOK, encoding="utf-8")
    app = build_app(toasts=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: "2.9 Local minima" in screen_text(app))

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_problem_given_up_shows_the_solution(
    snap_compare: Snap, build_app: Callable[..., QuizcalcApp], problem_content: Path
) -> None:
    app = build_app(
        toasts=False,
        content=problem_content,
        rng=random.Random(PROBLEM_RNG_SEED),
        start="review",
    )

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_ready(pilot)

        def phase() -> str:
            return str(app.screen.query_one(ProblemPanel).phase)

        await wait_until(pilot, lambda: phase() == "answering")
        await pilot.press("ctrl+g")
        await pilot.press("y")
        await wait_until(pilot, lambda: phase() == "finished" and app.focused is not None)
        app.screen.query_one(Input).cursor_blink = False
        await pilot.pause(0.2)  # the solution is scrolled into view after layout

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_stats_sections_add_up(
    snap_compare: Snap, build_app: Callable[..., QuizcalcApp], db_path: Path, content: Path
) -> None:
    (content / "book.md").write_text(BOOK, encoding="utf-8")
    store = open_store(db_path)
    try:
        build_demo(store, NOW, Config(), content=content, days=30)
    finally:
        store.close()
    app = build_app(toasts=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_ready(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen))
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await wait_until(pilot, lambda: screen.stats is not None)
        body = screen.query_one("#stats-body", VerticalScroll)
        await wait_until(pilot, lambda: body.max_scroll_y > 0)
        sections = body.children[6]  # heatmap, four chart rows, families, sections, …
        assert isinstance(sections, Static) and "Sections" in str(sections.content.title)
        # The table's last rows, its "all" footer and the caption that adds the answers up.
        await wait_until(pilot, lambda: sections.virtual_region.height > 0)
        bottom = sections.virtual_region.bottom - body.scrollable_content_region.height
        body.scroll_to(y=bottom, animate=False)
        await wait_until(pilot, lambda: "relearn re-asks" in screen_text(app))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_startup_error(snap_compare: Snap, build_app: Callable[..., QuizcalcApp]) -> None:
    missing = Path("/nonexistent-quizcalc-folder/study/progress.sqlite3")  # the same every run
    app = build_app(toasts=False, db=str(missing))

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, StartupErrorScreen))

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


DAMAGED = Path("/tmp/quizcalc-snapshot-damaged")
"""Where the damaged collection lives: its path is part of the picture, so it is fixed."""


@pytest.fixture
def damaged_db() -> Iterator[Path]:
    """A damaged collection with one backup at :data:`DAMAGED`; a lock keeps two test runs
    on this machine (engineers in parallel) from using the folder at once."""
    with open(f"{DAMAGED}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        shutil.rmtree(DAMAGED, ignore_errors=True)
        DAMAGED.mkdir()
        database = DAMAGED / "progress.sqlite3"
        open_store(database).close()
        fill(database)
        write_snapshot(database, datetime(2026, 11, 25, 21, 14), "close")
        damage_the_middle(database)
        try:
            yield database
        finally:
            shutil.rmtree(DAMAGED, ignore_errors=True)


def test_damaged_collection_offers_its_backup(
    snap_compare: Snap, build_app: Callable[..., QuizcalcApp], damaged_db: Path
) -> None:
    app = build_app(toasts=False, db=str(damaged_db))

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, StartupErrorScreen))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)
