"""A review while another window holds the write lock: one line, the card stays, retry works."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

import quizcalc.store.connection as store_connection
from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.screens.review import ReviewScreen
from tests.tui.conftest import NOW, QUESTIONS, notified, screen_text, wait_ready, wait_until

SIZE = (80, 24)


async def test_an_answer_while_another_window_writes_is_refused_then_saved_on_retry(
    build_app: Callable[..., QuizcalcApp], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_connection, "BUSY_TIMEOUT_MS", 200)  # wait 0.2 s, not 5 s
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))

        other = sqlite3.connect(db_path, isolation_level=None)  # another window, writing
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("space", "5")
            await wait_until(
                pilot, lambda: any(t.title == "Answer not saved" for t in notified(app))
            )
        finally:
            other.execute("ROLLBACK")
            other.close()
        (toast,) = [t for t in notified(app) if t.title == "Answer not saved"]
        assert toast.severity == "error" and "\n" not in toast.message
        assert "the collection is busy in another window" in toast.message
        assert "nothing was changed" in toast.message
        assert isinstance(app.screen, ReviewScreen)
        assert QUESTIONS[0] in screen_text(app)  # the same card, still to answer

        await pilot.press("5")  # the lock is free again: the same grade is saved
        await wait_until(pilot, lambda: QUESTIONS[1] in screen_text(app))
        service = StudyService.open(str(db_path), Config())
        assert service.home(NOW).reviews_today == 1
        service.close()
