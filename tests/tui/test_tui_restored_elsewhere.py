"""A review open while another window restores a backup: one line, no crash, nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.screens.review import ReviewScreen
from tests.tui.conftest import NOW, QUESTIONS, notified, screen_text, wait_ready, wait_until

SIZE = (80, 24)


async def test_a_review_open_during_a_restore_elsewhere_says_so_and_writes_nothing(
    build_app: Callable[..., QuizcalcApp], db_path: Path, tmp_path: Path
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        other = StudyService.open(str(db_path), Config())  # `quizcalc restore` elsewhere
        backup = tmp_path / "backup.json"
        other.export_backup(backup)  # the deck, not yet studied
        await pilot.press("r")
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        await pilot.press("space", "5")
        await wait_until(pilot, lambda: QUESTIONS[1] in screen_text(app))
        assert other.home(NOW).reviews_today == 1

        other.restore_backup(backup, now=NOW, force=True)
        assert other.home(NOW).reviews_today == 0

        await pilot.press("space", "5")
        await wait_until(pilot, lambda: any(t.title == "Answer not saved" for t in notified(app)))
        (toast,) = [t for t in notified(app) if t.title == "Answer not saved"]
        assert toast.severity == "error" and "\n" not in toast.message
        assert toast.message.startswith("could not save your answer: ")
        assert "the collection was restored elsewhere" in toast.message
        assert toast.message.endswith("restart quizcalc to study the restored collection.")

        await pilot.press("u")  # would delete a restored row on today's code
        await wait_until(pilot, lambda: any(t.title == "Cannot undo" for t in notified(app)))
        (toast,) = [t for t in notified(app) if t.title == "Cannot undo"]
        assert "the collection was restored elsewhere" in toast.message

        assert isinstance(app.screen, ReviewScreen)  # still there, still showing the card
        assert QUESTIONS[1] in screen_text(app)
        assert other.home(NOW).reviews_today == 0  # nothing written after the restore
        other.close()
