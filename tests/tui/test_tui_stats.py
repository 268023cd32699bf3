"""The statistics screen: "Computing…" then charts and tables; "no reviews yet" when empty."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Static

from quizcalc.config import Config
from quizcalc.store import open_store
from quizcalc.study.demo import build_demo
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.commands import COMMANDS
from quizcalc.tui.screens.stats import StatsScreen
from tests.tui.conftest import NOW, screen_text, wait_ready, wait_until

SIZES = [(80, 24), (120, 40)]
SIZE_IDS = ["80x24", "120x40"]


def _stats_text(app: QuizcalcApp) -> str:
    """Everything in the scrolling column (also what is below the fold)."""
    screen = app.screen
    assert isinstance(screen, StatsScreen)
    console = Console(width=120, record=True, file=io.StringIO())
    for static in screen.query("#stats-body Static"):
        if isinstance(static, Static):
            console.print(static.content)
    return console.export_text()


async def test_empty_database_says_no_reviews_yet(build_app: Callable[..., QuizcalcApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_stats(pilot, app)
        await pilot.pause()
        assert "No reviews yet" in screen_text(app)
        assert not screen.query("PlotextPlot")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, StatsScreen))


@pytest.fixture
def demo_db(db_path: Path, content: Path) -> Path:
    """A month of simulated history over the test deck (seeded: the same every run)."""
    store = open_store(db_path)
    try:
        build_demo(store, NOW, Config(), content=content, days=30)
    finally:
        store.close()
    return db_path


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_small_history_shows_figures_charts_and_tables(
    build_app: Callable[..., QuizcalcApp], demo_db: Path, size: tuple[int, int]
) -> None:
    app = build_app()
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot)
        await app.run_action("stats")
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen))
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await wait_until(pilot, lambda: screen.stats is not None)
        await pilot.pause()
        stats = screen.stats
        assert stats is not None and not stats.is_empty
        assert f"{stats.total_reviews:,} answers" in screen_text(app)
        assert len(screen.query("PlotextPlot")) == 4
        body = _stats_text(app)
        for words in (
            "Last 30 days",
            "True retention",
            "Calibration (SM-2)",
            "cards",
            "Easiness",
            "busiest day",
        ):
            assert words in body
        assert "Sections" in body and stats.per_section
        assert stats.per_section[0].name.replace("::", " › ") in body
        scroll = screen.query_one("#stats-body", VerticalScroll)
        if size == (80, 24):
            assert scroll.max_scroll_y > 0  # everything is reachable by scrolling
            await pilot.press("pagedown")
            await wait_until(pilot, lambda: scroll.scroll_y > 0)


async def _open_stats(pilot: Pilot[Any], app: QuizcalcApp) -> StatsScreen:
    """Home, then ``s``: the statistics screen once its figures are in."""
    await wait_ready(pilot)
    await pilot.press("s")
    await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen))
    screen = app.screen
    assert isinstance(screen, StatsScreen)
    await wait_until(pilot, lambda: screen.stats is not None)
    return screen


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_snapshot_stats(
    snap_compare: Any, size: tuple[int, int], build_app: Callable[..., QuizcalcApp], demo_db: Path
) -> None:
    app = build_app(toasts=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _open_stats(pilot, app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_home_names_the_weakest_skills_and_the_palette_lists_drill_and_stats(
    build_app: Callable[..., QuizcalcApp],
    tmp_path: Path,
    problem_content: Path,
    new_database: Callable[[Path], Path],
) -> None:
    store = open_store(new_database(tmp_path / "weak.sqlite3"))
    try:
        build_demo(store, NOW, Config(), content=problem_content, days=30)
    finally:
        store.close()
    app = build_app(db=str(tmp_path / "weak.sqlite3"), content=problem_content)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: "Weakest (30 days):" in screen_text(app))
        footer = screen_text(app).splitlines()[-1]
        assert "d Drill" in footer and "s Stats" in footer
    names = [command.name for command in COMMANDS]
    assert "Drill" in names and "Statistics" in names


def test_snapshot_stats_calibration(
    snap_compare: Any, build_app: Callable[..., QuizcalcApp], demo_db: Path
) -> None:
    """The calibration row: SM-2's predicted recall against the share recalled, the diagonal,
    and the table of bins with their counts."""
    app = build_app(toasts=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await _open_stats(pilot, app)
        body = screen.query_one("#stats-body", VerticalScroll)
        row = body.children[4]  # heatmap, answers, due, retention, calibration
        assert row.query("#plot-calibration")
        await wait_until(pilot, lambda: row.virtual_region.height > 0)
        body.scroll_to(y=row.virtual_region.y, animate=False)
        await wait_until(pilot, lambda: "Calibration (SM-2)" in screen_text(app))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
