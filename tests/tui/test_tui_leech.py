"""A card that lapses to the leech threshold is suspended, and the learner is told why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.tui.app import QuizcalcApp
from tests.tui.conftest import NOW, QUESTIONS, notified, wait_ready, wait_until


async def test_leech_lapse_is_announced_and_the_card_leaves_the_queue(
    build_app: Callable[..., QuizcalcApp], db_path: Path, content: Path, config_file: Path
) -> None:
    config_file.write_text("leech_threshold = 1\nnew_per_day = 1\n")
    service = StudyService.open(str(db_path), Config(leech_threshold=1, new_per_day=1))
    service.sync(content, NOW - timedelta(days=1))
    first = service.next_card(NOW - timedelta(days=1))
    assert first is not None and first.question.startswith(QUESTIONS[0][:20])
    service.answer(first.key, 5, NOW - timedelta(days=1))  # learnt yesterday, due today
    service.close()

    app = build_app(start="review")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: app.screen.query("#answer-panel") is not None)
        await pilot.press("space")
        await pilot.press("1")  # the first lapse reaches the threshold of 1
        await wait_until(pilot, lambda: any(n.title == "Leech" for n in notified(app)), timeout=5)
        assert app.service is not None
        statuses = [row.status for row in app.service.list_cards() if row.reviews]
        assert statuses == ["suspended"]
