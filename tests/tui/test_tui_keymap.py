"""One key map (docs/keys.md): Esc and `q` leave every screen, ctrl+s only saves or submits,
and every key of every screen is in the help (`?`) and in the command palette (ctrl+p)."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList
from textual.pilot import Pilot
from textual.screen import Screen

from quizcalc.study.drill_plan import DrillSpec
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.commands import (
    APP_ACTIONS,
    COMMANDS,
    REVIEW_COMMANDS,
    binding_commands,
)
from quizcalc.tui.modals.card_detail import CardDetailModal
from quizcalc.tui.modals.confirm import ConfirmModal
from quizcalc.tui.modals.drill_summary import DrillSummaryModal
from quizcalc.tui.modals.give_up import GiveUpModal
from quizcalc.tui.modals.help import PROBLEM_PREFIX, HelpModal, describe_bindings
from quizcalc.tui.modals.help import described_bindings as bindings_of
from quizcalc.tui.modals.summary import SummaryModal
from quizcalc.tui.screens.browse import BrowseScreen
from quizcalc.tui.screens.drill import DrillScreen
from quizcalc.tui.screens.drill_setup import DrillSetupScreen
from quizcalc.tui.screens.error import StartupErrorScreen
from quizcalc.tui.screens.home import HomeScreen
from quizcalc.tui.screens.review import ReviewScreen
from quizcalc.tui.screens.settings import SettingsScreen
from quizcalc.tui.screens.stats import StatsScreen
from tests.tui.conftest import (
    NOW,
    PROBLEM_RNG_SEED,
    palette_settled,
    screen_text,
    wait_ready,
    wait_until,
)

SIZE = (100, 30)
SCREENS: tuple[type[Screen[Any]], ...] = (
    HomeScreen,
    ReviewScreen,
    DrillScreen,
    DrillSetupScreen,
    BrowseScreen,
    SettingsScreen,
    StatsScreen,
    StartupErrorScreen,
)
"""Every full screen of the app."""
MODALS: tuple[type[Screen[Any]], ...] = (
    HelpModal,
    SummaryModal,
    DrillSummaryModal,
    CardDetailModal,
    ConfirmModal,
    GiveUpModal,
)


@pytest.mark.parametrize("screen_type", SCREENS + MODALS, ids=lambda t: t.__name__)
def test_every_key_of_every_screen_is_in_the_help(
    screen_type: type[Screen[Any]], build_app: Callable[..., QuizcalcApp]
) -> None:
    app = build_app()
    rows = describe_bindings(screen_type, app)
    for binding in bindings_of(screen_type):
        about = (binding.tooltip or binding.description).removeprefix(PROBLEM_PREFIX)
        key = app.get_key_display(binding)
        assert any(row.description == about and key in row.key.split(", ") for row in rows), (
            screen_type.__name__,
            binding.key,
            about,
        )


@pytest.mark.parametrize("screen_type", SCREENS, ids=lambda t: t.__name__)
def test_every_key_of_every_screen_is_in_the_palette(
    screen_type: type[Screen[Any]], build_app: Callable[..., QuizcalcApp]
) -> None:
    app = build_app()
    offered = {command.action for command in binding_commands(screen_type, skip=APP_ACTIONS)}
    if screen_type is ReviewScreen:
        offered |= {command.action for command in REVIEW_COMMANDS}
    for binding in bindings_of(screen_type):
        name = binding.action.removeprefix("app.")
        assert binding.action in offered or name in APP_ACTIONS, (screen_type.__name__, binding)
    for command in binding_commands(screen_type):  # each runs something that exists
        target: Any = app if command.action.startswith("app.") else screen_type
        name = command.action.removeprefix("app.").split("(")[0]
        assert hasattr(target, f"action_{name}"), command
    for command in COMMANDS:
        assert hasattr(app, f"action_{command.action}"), command


def test_ctrl_s_never_gives_up() -> None:
    for screen_type in SCREENS:
        for binding in bindings_of(screen_type):
            if binding.key == "ctrl+s":
                assert binding.action in ("save", "start"), (screen_type.__name__, binding)


async def _palette(pilot: Pilot[Any], typed: str) -> list[str]:
    app = pilot.app
    await pilot.press("ctrl+p", *typed)
    await wait_until(pilot, lambda: palette_settled(app))
    listed = app.screen.query_one(CommandList)
    names = []
    for index in range(listed.option_count):
        hit = getattr(listed.get_option_at_index(index), "hit", None)
        if hit is not None:
            names.append(str(hit.text))
    return names


async def test_the_palette_suspends_the_card_highlighted_in_browse(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("b")
        await wait_until(
            pilot, lambda: isinstance(app.screen, BrowseScreen) and app.screen.rows is not None
        )
        browse = app.screen
        assert isinstance(browse, BrowseScreen)
        first = (browse.rows or [])[0]
        names = await _palette(pilot, "unsuspend")
        assert names[0] == "Suspend/unsuspend", names
        await pilot.press("enter")
        await wait_until(pilot, lambda: (browse.rows or [])[0].status == "suspended")
        assert app.service is not None and first.key not in app.service.queue(NOW).new


async def test_q_and_escape_leave_browse_stats_and_the_drill_set_up(
    build_app: Callable[..., QuizcalcApp], problem_content: Path
) -> None:
    app = build_app(content=problem_content)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        for key, screen_type in (("b", BrowseScreen), ("s", StatsScreen), ("d", DrillSetupScreen)):
            for leave in ("q", "escape"):
                await pilot.press(key)
                await wait_until(pilot, lambda t=screen_type: isinstance(app.screen, t))
                await pilot.pause()
                app.screen.set_focus(None)  # as after Escape leaves a box
                await pilot.press(leave)
                await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_escape_leaves_the_answer_box_then_ends_the_review(
    build_app: Callable[..., QuizcalcApp], problem_content: Path
) -> None:
    app = build_app(content=problem_content, rng=random.Random(PROBLEM_RNG_SEED), start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await wait_until(pilot, review.typing)
        await pilot.press("escape")  # first: out of the box (nothing else happens)
        await wait_until(pilot, lambda: not review.typing())
        assert app.screen is review
        await pilot.press("escape")  # second: the session ends, with its summary
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryModal))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_escape_leaves_the_answer_box_then_ends_the_drill(
    build_app: Callable[..., QuizcalcApp], problem_content: Path
) -> None:
    spec = DrillSpec(("chain_rule",), count=2, seed=5)
    app = build_app(content=problem_content, start="drill", drill=spec)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, DrillScreen))
        drill = app.screen
        assert isinstance(drill, DrillScreen)
        await wait_until(pilot, lambda: drill._typing())
        await pilot.press("escape")
        await wait_until(pilot, lambda: not drill._typing())
        assert app.screen is drill and "Drill over" not in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DrillSummaryModal))


async def test_the_help_states_the_key_map(build_app: Callable[..., QuizcalcApp]) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpModal))
        flat = " ".join(screen_text(app).replace("│", " ").split())
        assert "esc goes back (in a text box it first leaves the box)" in flat
        assert "^s saves or submits a form" in flat
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
