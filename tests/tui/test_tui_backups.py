"""Backups in the TUI: a snapshot on exit after answers, one every 30 minutes of a long
session, and the damaged-collection screen's Restore button."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from textual.widgets import Button

from quizcalc.store.snapshots import find_snapshots, write_snapshot
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.screens.error import StartupErrorScreen
from quizcalc.tui.screens.home import HomeScreen
from tests.damage import CARDS, damage_the_middle, fill
from tests.tui.conftest import NOW, QUESTIONS, screen_text, wait_ready, wait_until

WIDE = (200, 30)


def _reasons(db_path: Path) -> list[str]:
    return [snapshot.reason for snapshot in find_snapshots(db_path)]


async def test_leaving_after_answers_takes_a_snapshot(
    build_app: Callable[..., QuizcalcApp], db_path: Path
) -> None:
    app = build_app()
    async with app.run_test(size=WIDE) as pilot:
        await wait_ready(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        await pilot.press("space", "5")
        await wait_until(pilot, lambda: QUESTIONS[1] in screen_text(app))
        app.exit()
    assert _reasons(db_path) == ["close"]
    with sqlite3.connect(find_snapshots(db_path)[0].path) as copy:
        assert copy.execute("SELECT count(*) FROM review_log").fetchone() == (1,)


async def test_leaving_without_answers_takes_none(
    build_app: Callable[..., QuizcalcApp], db_path: Path
) -> None:
    app = build_app()
    async with app.run_test(size=WIDE) as pilot:
        await wait_ready(pilot)
        app.exit()
    assert _reasons(db_path) == []


async def test_the_timer_snapshots_a_long_session_every_thirty_minutes(
    build_app: Callable[..., QuizcalcApp], db_path: Path
) -> None:
    clock = [NOW]
    app = build_app(now=lambda: clock[0])
    async with app.run_test(size=WIDE) as pilot:
        await wait_ready(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        await pilot.press("space", "5")
        await wait_until(pilot, lambda: QUESTIONS[1] in screen_text(app))
        for minutes in (1, 30, 31):  # the app ticks every minute; the clock is ours
            clock[0] = NOW + timedelta(minutes=minutes)
            app.snapshot_tick()
            await app.workers.wait_for_complete()
            assert _reasons(db_path) == ([] if minutes < 31 else ["timer"]), minutes


async def test_a_damaged_collection_offers_to_restore_its_newest_backup(
    build_app: Callable[..., QuizcalcApp], db_path: Path
) -> None:
    fill(db_path)
    backup = write_snapshot(db_path, datetime(2026, 11, 25, 21, 14), "close")
    damage_the_middle(db_path)
    app = build_app()
    async with app.run_test(size=WIDE) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, StartupErrorScreen))
        flat = "".join(screen_text(app).replace("┃", " ").split())  # the box wraps the path
        assert "Yourprogressdatabaseisdamaged" in flat
        said = f"Your newest backup is {backup} (2026-11-25 21:14, 12 reviews)"
        assert "".join(said.split()) in flat
        command = f"`quizcalc --db {db_path} backups restore latest`"
        assert "".join(command.split()) in flat
        await pilot.click("#restore-backup")
        await wait_until(pilot, lambda: app.service is not None)
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.startup_error is None
    assert _reasons(db_path) == ["close", "before-restore-damaged"]  # the damaged file is kept
    with sqlite3.connect(db_path) as restored:
        assert restored.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert restored.execute("SELECT count(*) FROM cards").fetchone() == (CARDS + 4,)


async def test_a_damaged_collection_without_a_backup_has_no_button(
    build_app: Callable[..., QuizcalcApp], db_path: Path
) -> None:
    fill(db_path)
    damage_the_middle(db_path)
    app = build_app()
    async with app.run_test(size=WIDE) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, StartupErrorScreen))
        assert "There is no backup" in " ".join(screen_text(app).split())
        assert not app.screen.query(Button)
