"""The browse screen: search, filters, suspend (the queue stops serving it), reset, detail."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from quizcalc.study.problem_review import instance_for
from quizcalc.study.service import StudyService
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.modals.card_detail import CardDetailModal
from quizcalc.tui.modals.confirm import ConfirmModal
from quizcalc.tui.screens.browse import BrowseScreen
from tests.tui.conftest import NOW, QUESTIONS, screen_text, wait_ready, wait_until

SIZES = [(80, 24), (120, 40)]
SIZE_IDS = ["80x24", "120x40"]


async def _open_browse(pilot: Pilot[Any]) -> BrowseScreen:
    """Start the app, push the browse screen and wait for its first query."""
    app = pilot.app
    assert isinstance(app, QuizcalcApp)
    await wait_ready(pilot)
    screen = BrowseScreen()
    app.push_screen(screen)
    await wait_until(pilot, lambda: app.screen is screen and screen.rows is not None)
    return screen


async def _settled(pilot: Pilot[Any]) -> None:
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


def _service(app: QuizcalcApp) -> StudyService:
    assert app.service is not None
    return app.service


def _questions(screen: BrowseScreen) -> list[str]:
    return [r.question for r in screen.rows or []]


async def test_search_and_filters_narrow_the_table(build_app: Callable[..., QuizcalcApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_browse(pilot)
        assert len(screen.rows or []) == 4
        assert "4 cards" in screen_text(app)
        await pilot.press("slash", *"GRADIENT")
        await wait_until(pilot, lambda: len(screen.rows or []) == 2)
        assert [q[:20] for q in _questions(screen)] == [
            QUESTIONS[1][:20],
            QUESTIONS[3][:20],
        ]
        assert "2 cards" in screen_text(app)
        screen.query_one("#browse-kind", Select).value = "cloze"
        await wait_until(pilot, lambda: len(screen.rows or []) == 1)
        assert _questions(screen)[0].startswith(QUESTIONS[3])
        await pilot.press(*["backspace"] * 8)
        screen.query_one("#browse-kind", Select).clear()
        screen.query_one("#browse-section", Select).value = "Derivatives"
        await wait_until(
            pilot, lambda: len(screen.rows or []) == 2 and not screen.query_filter.text
        )
        assert {r.section for r in screen.rows or []} == {"Derivatives"}
        await pilot.press("escape")  # back to home
        await wait_until(pilot, lambda: not isinstance(app.screen, BrowseScreen))


async def test_typing_s_and_r_in_the_search_box_searches_and_does_nothing_else(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_browse(pilot)
        await pilot.press("slash", *"steepest r")
        await wait_until(pilot, lambda: screen.query_filter.text == "steepest r")
        await wait_until(pilot, lambda: screen.rows == [])
        await pilot.press("backspace", "backspace")
        await wait_until(pilot, lambda: len(screen.rows or []) == 1)
        assert app.screen is screen  # no reset confirmation
        assert all(r.status == "active" for r in screen.rows or [])
        assert _questions(screen)[0].startswith(QUESTIONS[1])  # matched in the answer
        await pilot.press("enter")  # Enter in the search box goes to the table
        await pilot.press("enter")  # and Enter there opens the card
        await wait_until(pilot, lambda: isinstance(app.screen, CardDetailModal))
        assert "never answered" in screen_text(app)


async def test_suspend_stops_the_queue_serving_the_card_and_unsuspend_restores_it(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_browse(pilot)
        service = _service(app)
        first = (screen.rows or [])[0]
        assert first.key in service.queue(NOW).new
        await pilot.press("s")
        await wait_until(pilot, lambda: (screen.rows or [])[0].status == "suspended")
        assert first.key not in service.queue(NOW).new
        served = service.next_card(NOW)
        assert served is not None and served.key != first.key
        assert "1 suspended" in screen_text(app)
        screen.query_one("#browse-show", Select).value = "suspended"
        await wait_until(pilot, lambda: len(screen.rows or []) == 1)
        await pilot.press("s")
        await wait_until(pilot, lambda: not screen.rows)
        assert first.key in service.queue(NOW).new


async def test_reset_asks_first_and_can_be_undone(build_app: Callable[..., QuizcalcApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        service = _service(app)
        card = service.next_card(NOW)
        assert card is not None
        service.answer(card.key, 5, NOW)
        screen = await _open_browse(pilot)
        assert (screen.rows or [])[0].due is not None
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("n")  # cancelled: nothing changes
        await wait_until(pilot, lambda: app.screen is screen)
        assert service.card_detail(card.key).schedule.due is not None
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await wait_until(pilot, lambda: (screen.rows or [])[0].due is None)
        detail = service.card_detail(card.key)
        assert detail.schedule.repetitions == 0 and len(detail.history) == 1
        await pilot.press("u")
        await wait_until(pilot, lambda: (screen.rows or [])[0].due is not None)
        assert service.card_detail(card.key).schedule.repetitions == 1


async def test_detail_shows_text_and_history_and_can_suspend(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        service = _service(app)
        card = service.next_card(NOW)
        assert card is not None
        service.answer(card.key, 4, NOW, answer_text="two x", duration_ms=3200)
        screen = await _open_browse(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CardDetailModal))
        text = screen_text(app)
        assert QUESTIONS[0] in text and "by the power rule" in text
        assert "2026-11-26" in text and "two x" in text and "3.2 s" in text
        await pilot.press("s")  # suspend from the detail
        await wait_until(pilot, lambda: (screen.rows or [])[0].status == "suspended")
        assert card.key not in service.queue(NOW).new


async def test_detail_of_a_problem_card_rebuilds_past_instances(
    build_app: Callable[..., QuizcalcApp], problem_content: Path
) -> None:
    app = build_app(content=problem_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        service = _service(app)
        card = service.next_card(NOW)
        assert card is not None and card.family is not None and card.difficulty is not None
        service.answer(card.key, 2, NOW, answer_text="42", seed=7, misconception="sign")
        screen = await _open_browse(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CardDetailModal))
        modal = app.screen
        assert isinstance(modal, CardDetailModal)
        await wait_until(pilot, lambda: modal.instance_text is not None)
        assert modal.instance_text is not None
        prompt_start = instance_for(card.family, card.difficulty, 7).prompt.split()[0]
        assert prompt_start in modal.instance_text
        assert "answered: 42" in modal.instance_text and "sign" in modal.instance_text
        assert screen.rows is not None


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_snapshot_browse(
    snap_compare: Any, size: tuple[int, int], build_app: Callable[..., QuizcalcApp]
) -> None:
    app = build_app(toasts=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_ready(pilot)
        service = _service(app)
        card = service.next_card(NOW)
        assert card is not None
        service.answer(card.key, 1, NOW)
        await _open_browse(pilot)
        await pilot.press("down")
        await _settled(pilot)  # the table and the detail line

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_snapshot_card_detail(
    snap_compare: Any, size: tuple[int, int], build_app: Callable[..., QuizcalcApp]
) -> None:
    app = build_app(toasts=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_ready(pilot)
        service = _service(app)
        card = service.next_card(NOW)
        assert card is not None
        service.answer(card.key, 1, NOW, answer_text="x times 2", duration_ms=5000)
        service.answer(card.key, 4, NOW, answer_text="2x", duration_ms=2100)
        await _open_browse(pilot)
        await _settled(pilot)  # the table behind the modal
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CardDetailModal))
        await _settled(pilot)  # the card's history

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_snapshot_confirm_reset(
    snap_compare: Any, size: tuple[int, int], build_app: Callable[..., QuizcalcApp]
) -> None:
    app = build_app(toasts=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_ready(pilot)
        service = _service(app)
        card = service.next_card(NOW)
        assert card is not None
        service.answer(card.key, 5, NOW)
        await _open_browse(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal))

    assert snap_compare(app, terminal_size=size, run_before=run_before)
