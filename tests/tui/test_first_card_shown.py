"""`quizcalc review`'s first card: the queue's own first card, basic or problem, and what waits
for it (the store's worker, SymPy's import) so that nothing takes the GIL from it."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.tui import app as app_module
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.screens import review as review_module
from quizcalc.tui.screens.review import ReviewScreen
from quizcalc.tui.widgets.problem_panel import ProblemPanel
from tests.tui.conftest import NOW, screen_text, wait_ready, wait_until

SIZE = (80, 24)


def _prepared(db_path: Path, content: Path) -> Any:
    """Sync ``content`` as a first run does; the card the full queue shows first."""
    service = StudyService.open(f"sqlite:///{db_path}", Config())
    service.sync(content, NOW)
    first = service.next_card(NOW)
    service.close()
    assert first is not None
    return first


def _phase(app: QuizcalcApp) -> str:
    panels = app.screen.query(ProblemPanel)
    return panels.first().phase if panels else "no panel"


async def test_a_basic_first_card_is_the_queues_first_card(
    build_app: Callable[..., QuizcalcApp],
    db_path: Path,
    content: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = _prepared(db_path, content)
    gate = threading.Event()
    real_open = StudyService.open
    monkeypatch.setattr(
        StudyService, "open", staticmethod(lambda *args: gate.wait(10) and real_open(*args))
    )
    app = build_app(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.session is None  # the fast path
        assert screen.card == expected
        gate.set()
        await wait_ready(pilot)


async def test_a_problem_first_card_keeps_the_store_and_sympy_waiting_for_its_prompt(
    build_app: Callable[..., QuizcalcApp],
    db_path: Path,
    problem_content: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = _prepared(db_path, problem_content)
    started: list[tuple[str, str]] = []
    open_service = QuizcalcApp.open_service
    release = review_module.release_typeset

    def recorded_open(app: QuizcalcApp) -> object:
        started.append(("store", _phase(app)))
        return open_service(app)

    def recorded_release() -> None:
        started.append(("sympy", _phase(app)))
        release()

    monkeypatch.setattr(app_module.QuizcalcApp, "open_service", recorded_open)
    monkeypatch.setattr(review_module, "release_typeset", recorded_release)
    app = build_app(start="review", content=problem_content, rng=random.Random(7))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: ("store", "answering") in started)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.card is not None and screen.card.key == expected.key
        assert "Generated problem" not in screen_text(app)  # its prompt, drawn
        await wait_ready(pilot)
    assert started[:2] == [("sympy", "answering"), ("store", "answering")]
