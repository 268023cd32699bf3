"""Notifications never cover the answer box, the grade legend or a modal's box."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input

from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.modals.help import HelpModal
from tests.tui.conftest import PROBLEM_RNG_SEED, screen_text, wait_ready, wait_until

SIZE = (80, 24)
LONG = "A warning long enough to wrap onto a second line of the toast at 80 columns, as some do."


def _region(widget: Widget) -> Region:
    return widget.screen.find_widget(widget).region


def _toasts(app: QuizcalcApp) -> list[Region]:
    from textual.widgets._toast import Toast

    return [_region(toast) for toast in app.screen.query(Toast) if toast.display]


async def _toasted(pilot: Any, app: QuizcalcApp) -> list[Region]:
    """Show two toasts, a long warning and a short note, alone on screen; their regions."""
    # The start-up sync's toast ("Content synced", 5 s) would be a third: the test waited for
    # it to expire before it saw exactly two.
    app.clear_notifications()
    app.notify(LONG, title="Backup failed", severity="warning", timeout=30)
    app.notify("Saved.", timeout=30)
    await wait_until(pilot, lambda: len(_toasts(app)) == 2)
    await pilot.pause()
    return _toasts(app)


def _clear_of(toasts: list[Region], *widgets: Widget) -> None:
    for widget in widgets:
        region = _region(widget)
        assert region.area, widget
        for toast in toasts:
            assert not toast.overlaps(region), (widget, toast, region)


async def test_toasts_leave_the_problem_answer_box_clear(
    build_app: Callable[..., QuizcalcApp], problem_content: Path
) -> None:
    app = build_app(content=problem_content, rng=random.Random(PROBLEM_RNG_SEED), start="review")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: bool(app.screen.query(Input)))
        box = app.screen.query_one(Input)
        await wait_until(pilot, lambda: _region(box).area > 0)
        toasts = await _toasted(pilot, app)
        _clear_of(toasts, box)
        assert "Backup failed" in screen_text(app)

        await pilot.press("3", "5")  # a wrong answer: the verdict grows the panel
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Not right" in screen_text(app))
        _clear_of(_toasts(app), box)


async def test_toasts_leave_a_revealed_flashcard_grade_legend_clear(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app(start="review")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_ready(pilot)
        await pilot.press("space")
        await wait_until(pilot, lambda: app.screen.query_one("#grades").display)
        toasts = await _toasted(pilot, app)
        _clear_of(toasts, app.screen.query_one("#grades"))


async def test_toasts_leave_a_modal_clear(build_app: Callable[..., QuizcalcApp]) -> None:
    app = build_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_ready(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpModal))
        toasts = await _toasted(pilot, app)
        _clear_of(toasts, app.screen.query_one("#help-box"))
