"""Pilot steps the browse tests share: open Browse, wait for it to settle, search, answer."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from quizcalc.study.service import StudyService
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.screens.browse import BrowseScreen
from tests.tui.conftest import NOW, wait_ready, wait_until


async def open_browse(pilot: Pilot[Any]) -> BrowseScreen:
    """Start the app, push the browse screen and wait for its first query."""
    app = pilot.app
    assert isinstance(app, QuizcalcApp)
    await wait_ready(pilot)
    screen = BrowseScreen()
    app.push_screen(screen)
    await wait_until(pilot, lambda: app.screen is screen and screen.rows is not None)
    return screen


async def settled(pilot: Pilot[Any]) -> None:
    """Until no worker is left and the app is idle.

    Waiting for the workers once was not enough: a query's result can start another query
    (filling the section select can change it), and a picture taken between the two showed
    the table refilled but its columns not yet widened (2 runs in 10 here; 0 in 10 now).
    """
    app = pilot.app
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not len(app.workers):
            return
    raise AssertionError("the browse screen never settled")


def service_of(app: QuizcalcApp) -> StudyService:
    """The app's open service."""
    assert app.service is not None
    return app.service


async def answer_first(pilot: Pilot[Any], *answers: tuple[int, str | None, int | None]) -> int:
    """Once the app is ready, answer the first queued card with each (grade, text, ms); its key."""
    await wait_ready(pilot)
    app = pilot.app
    assert isinstance(app, QuizcalcApp)
    service = service_of(app)
    card = service.next_card(NOW)
    assert card is not None
    for grade, text, ms in answers:
        service.answer(card.key, grade, NOW, answer_text=text, duration_ms=ms)
    return card.key


def questions(screen: BrowseScreen) -> list[str]:
    """The questions of the rows on show."""
    return [r.question for r in screen.rows or []]


async def search(pilot: Pilot[Any], screen: BrowseScreen, text: str) -> None:
    """Replace the search text and wait for the query it starts to come back (or fail)."""
    box = screen.query_one("#browse-search", Input)
    box.value = text
    await wait_until(pilot, lambda: screen.query_filter.text == text and not len(pilot.app.workers))
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
