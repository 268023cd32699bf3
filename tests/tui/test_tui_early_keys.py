"""Keys pressed straight after launch, while the study data opens, are acted on, in order."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.modals.help import HelpModal
from quizcalc.tui.screens.home import HomeScreen
from tests.tui.conftest import NOW, QUESTIONS, notified, screen_text, wait_ready, wait_until

SIZE = (80, 24)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Holds the start-up worker in ``StudyService.open`` until set: the data is "opening"."""
    from quizcalc.config import Config
    from quizcalc.study import StudyService

    event = threading.Event()
    real_open = StudyService.open

    def held_open(url: str, config: Config) -> StudyService:
        event.wait(10)
        return real_open(url, config)

    monkeypatch.setattr(StudyService, "open", staticmethod(held_open))
    yield event
    event.set()


async def test_keys_typed_before_the_data_is_open_review_the_first_card(
    build_app: Callable[..., QuizcalcApp], gate: threading.Event
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen) and app.service is None
        await pilot.press("r", "space", "4")  # at once: the home screen still shows "–"
        assert app.service is None and isinstance(app.screen, HomeScreen)
        assert not [n for n in notified(app) if "Still opening" in n.message]

        gate.set()
        await wait_ready(pilot)
        await wait_until(pilot, lambda: QUESTIONS[1] in screen_text(app))
        assert app.service is not None and app.service.home(NOW).reviews_today == 1


async def test_quit_and_help_act_at_once_while_the_data_opens(
    build_app: Callable[..., QuizcalcApp], gate: threading.Event
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpModal) and app.service is None
        await pilot.press("escape", "q")
        await wait_until(pilot, lambda: app._exit)
        gate.set()


async def test_held_keys_are_dropped_when_the_data_cannot_be_opened(
    build_app: Callable[..., QuizcalcApp], db_path: Path, gate: threading.Event
) -> None:
    db_path.write_bytes(b"this is not a database\x00" * 100)
    app = build_app()
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.press("r", "space")
        gate.set()
        await wait_ready(pilot)
        await wait_until(pilot, lambda: "cannot be opened" in screen_text(app))
        assert not app.early_keys.held
