"""SVG snapshots of every screen and modal (fixed clock, temp database, no animation).

Toasts are switched off (they expire on a timer, so they would make snapshots flaky); the
Pilot tests check their text. After an intended visual change, regenerate with
``pytest tests/tui --snapshot-update`` and look at the SVGs before committing them.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Input

from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.modals.help import HelpModal
from quizcalc.tui.modals.summary import SummaryModal
from quizcalc.tui.widgets.problem_panel import ProblemPanel
from tests.tui.conftest import PROBLEM_RNG_SEED, QUESTIONS, screen_text, wait_ready, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

Snap = Callable[..., bool]


def _then(
    *keys: str, until: Callable[[QuizcalcApp], bool]
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A ``run_before``: wait for the data, press ``keys``, wait for the expected screen."""

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, QuizcalcApp)
        await wait_ready(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await wait_until(pilot, lambda: until(app))

    return run_before


def _shows(text: str) -> Callable[[QuizcalcApp], bool]:
    return lambda app: text in screen_text(app)


@pytest.mark.parametrize("size", SIZES)
def test_home(
    snap_compare: Snap, build_app: Callable[..., QuizcalcApp], size: tuple[int, int]
) -> None:
    app = build_app(toasts=False)
    assert snap_compare(app, terminal_size=size, run_before=_then(until=_shows("review 4 cards")))


@pytest.mark.parametrize("size", SIZES)
def test_review_question_side(
    snap_compare: Snap, build_app: Callable[..., QuizcalcApp], size: tuple[int, int]
) -> None:
    app = build_app(toasts=False)
    run_before = _then("r", until=_shows(QUESTIONS[0]))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_review_answer_side(
    snap_compare: Snap, build_app: Callable[..., QuizcalcApp], size: tuple[int, int]
) -> None:
    app = build_app(toasts=False)
    run_before = _then("r", "space", until=_shows("power rule"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_review_cloze_answer(snap_compare: Snap, build_app: Callable[..., QuizcalcApp]) -> None:
    app = build_app(toasts=False)
    keys = ("r", "space", "5", "space", "5", "space", "5", "space")
    run_before = _then(*keys, until=_shows("against the gradient"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_help_modal(snap_compare: Snap, build_app: Callable[..., QuizcalcApp]) -> None:
    app = build_app(toasts=False)
    run_before = _then("r", "question_mark", until=lambda a: isinstance(a.screen, HelpModal))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_summary_modal(snap_compare: Snap, build_app: Callable[..., QuizcalcApp]) -> None:
    app = build_app(toasts=False)
    keys = ("r", "space", "5", "space", "1", "space", "4", "q")
    run_before = _then(*keys, until=lambda a: isinstance(a.screen, SummaryModal))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_done_for_today_home(snap_compare: Snap, build_app: Callable[..., QuizcalcApp]) -> None:
    app = build_app(toasts=False)
    keys = ["r"]
    for _ in QUESTIONS:
        keys += ["space", "5"]
    keys.append("enter")
    run_before = _then(*keys, until=_shows("All done for today"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def _problem_app(build_app: Callable[..., QuizcalcApp], problem_content: Path) -> QuizcalcApp:
    return build_app(
        toasts=False,
        content=problem_content,
        rng=random.Random(PROBLEM_RNG_SEED),
        start="review",
    )


def _problem(*keys: str, finished: bool) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A ``run_before`` for problem cards: press ``keys`` once each step has settled."""

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, QuizcalcApp)
        await wait_ready(pilot)

        def panel() -> ProblemPanel:
            return app.screen.query_one(ProblemPanel)

        for key in keys:
            await wait_until(  # a key may have opened a modal (give up asks first)
                pilot,
                lambda: (
                    isinstance(app.screen, ModalScreen)
                    or panel().phase in ("answering", "finished")
                ),
            )
            await pilot.press(key)
            await pilot.pause()
        phase = "finished" if finished else "answering"
        await wait_until(pilot, lambda: panel().phase == phase and app.focused is not None)
        app.screen.query_one(Input).cursor_blink = False
        await pilot.pause(0.2)  # the verdict is scrolled into view after layout

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_problem_card(
    snap_compare: Snap,
    build_app: Callable[..., QuizcalcApp],
    problem_content: Path,
    size: tuple[int, int],
) -> None:
    app = _problem_app(build_app, problem_content)
    assert snap_compare(app, terminal_size=size, run_before=_problem(finished=False))


def test_problem_solved_with_plot(
    snap_compare: Snap, build_app: Callable[..., QuizcalcApp], problem_content: Path
) -> None:
    app = _problem_app(build_app, problem_content)
    keys = ("ctrl+g", "y", "enter", "4", "enter")  # give up the first; answer the second right
    run_before = _problem(*keys, finished=True)
    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
