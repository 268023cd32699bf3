"""A review session under FSRS, driven through the keyboard: the grade keys preview FSRS's
intervals, each answer stores its rating and the card's FSRS memory (Pilot, 80×24)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from quizcalc.study import open_study
from quizcalc.tui.app import QuizcalcApp
from tests.tui.conftest import QUESTIONS, screen_text, wait_ready, wait_until


async def test_a_session_under_fsrs_schedules_by_fsrs(
    build_app: Callable[..., QuizcalcApp], db_path: Path, tmp_path: Path
) -> None:
    service = open_study(f"sqlite:///{db_path}", tmp_path / "fsrs-config.toml")
    service.save_collection_settings({"algorithm": "fsrs"})
    service.close()
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        await pilot.press("space")
        # A new card rated Easy gets FSRS-6's initial Easy stability, 8.3 days (SM-2: 1d).
        assert "5 · 8d perfect" in screen_text(app)
        await pilot.press("5")
        await wait_until(pilot, lambda: QUESTIONS[1] in screen_text(app))
        await pilot.press("space", "1")  # Again: asked again today, as under SM-2
        await wait_until(pilot, lambda: QUESTIONS[2] in screen_text(app))
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT l.quality, l.rating, s.stability, s.interval FROM review_log AS l "
            "JOIN schedule AS s ON s.card_key = l.card_key ORDER BY l.id"
        ).fetchall()
    assert [(q, r) for q, r, _, _ in rows] == [(5, 4), (1, 1)]
    assert rows[0][2] > 8 and rows[0][3] == 8
    assert rows[1][2] is not None and rows[1][2] < 1
