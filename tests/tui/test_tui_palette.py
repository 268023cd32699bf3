"""The command palette on the review screen: every action of the screen, with its keys.

Each test opens the palette (ctrl+p) over a review session, reads what it lists or types a
command's name, runs it with Enter, and checks the effect in the session and on screen.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.commands import COMMANDS, REVIEW_COMMANDS, bound_keys
from quizcalc.tui.modals.summary import SummaryModal
from quizcalc.tui.screens.review import ReviewScreen
from tests.tui.conftest import (
    NOW,
    PROBLEM_RNG_SEED,
    QUESTIONS,
    palette_settled,
    screen_text,
    wait_ready,
    wait_until,
)

SIZE = (100, 30)


def _review(app: QuizcalcApp) -> ReviewScreen:
    review = app.review_screen()
    assert review is not None
    return review


async def _palette(pilot: Pilot[Any], typed: str = "") -> list[tuple[str, str]]:
    """Open the palette, type ``typed``; return what it lists as ``(name, help)`` pairs."""
    app = pilot.app
    await pilot.press("ctrl+p", *typed)
    await wait_until(pilot, lambda: palette_settled(app))
    listed = app.screen.query_one(CommandList)
    rows = []
    for index in range(listed.option_count):
        option = listed.get_option_at_index(index)
        hit = getattr(option, "hit", None)
        if hit is not None:
            rows.append((str(hit.text), str(hit.help)))
    return rows


async def _run(pilot: Pilot[Any], name: str) -> None:
    """Type ``name`` into the palette and run the best match (which must be ``name``)."""
    rows = await _palette(pilot, name)
    assert rows and rows[0][0] == name, rows[:3]
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, CommandPalette))


def test_every_key_of_the_review_screen_has_a_palette_command() -> None:
    review_actions = {command.action for command in REVIEW_COMMANDS}
    for cls in ReviewScreen.__mro__:
        if not cls.__module__.startswith("quizcalc."):
            continue
        for binding in cls.__dict__.get("BINDINGS", []):
            assert binding.action in review_actions, binding.action
    for command in REVIEW_COMMANDS:
        assert bound_keys(ReviewScreen, command.action), command.name
    app_actions = {command.action for command in COMMANDS}
    for binding in QuizcalcApp.BINDINGS:
        assert not isinstance(binding, tuple) and binding.action in app_actions


async def test_palette_opened_empty_lists_the_actions_of_the_card_with_their_keys(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        rows = await _palette(pilot)
        assert rows[0][0] == "Show answer"  # the screen's own actions come first
        listed = dict(rows)
        assert listed["Show answer"] == "space · Show the answer side of the card"
        assert listed["Undo last answer"].startswith("u · ")
        assert listed["Edit card"].startswith("e · ")
        assert listed["Bury card"] == "b, - · Leave it out until tomorrow"
        assert listed["Flag red"].startswith("^1 · ")
        assert listed["End session"].startswith("q, esc · ")
        assert "Start review" in listed  # the app's commands are there too
        assert not any(name.startswith(("Grade", "Problem:")) for name in listed)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is _review(app))

        await pilot.press("space")
        await wait_until(pilot, lambda: _review(app).revealed)
        listed = dict(await _palette(pilot))
        assert "Show answer" not in listed
        assert listed["Grade 0: blackout"].startswith("0 · ")
        assert (
            listed["Grade 4: right, hesitant"] == "4 · Save this grade and go on to the next card"
        )


async def test_palette_grade_records_an_answer_and_palette_undo_takes_it_back(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        await _run(pilot, "Show answer")
        await wait_until(pilot, lambda: _review(app).revealed)

        await _run(pilot, "Grade 4: right, hesitant")
        session = _review(app).session
        assert session is not None
        await wait_until(pilot, lambda: len(session.answers) == 1)
        assert session.answers[0].quality == 4
        await wait_until(pilot, lambda: QUESTIONS[1] in screen_text(app))

        await _run(pilot, "Undo last answer")
        await wait_until(pilot, lambda: not session.answers)
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        assert app.service is not None and app.service.home(NOW).reviews_today == 0

        await _run(pilot, "End session")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryModal))


async def test_review_commands_are_offered_on_the_review_screen_only(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        listed = dict(await _palette(pilot))
        assert "Start review" in listed
        review_names = {command.name for command in REVIEW_COMMANDS}
        assert not review_names & set(listed)


async def test_while_typing_a_problem_answer_the_palette_still_undoes_and_ends(
    build_app: Callable[..., QuizcalcApp], problem_content: Path
) -> None:
    app = build_app(content=problem_content, rng=random.Random(PROBLEM_RNG_SEED), start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await wait_until(
            pilot,
            lambda: app.review_screen() is not None and _review(app).typing(),
        )
        await pilot.press("1")
        listed = dict(await _palette(pilot))
        for name in (
            "Problem: check the answer",
            "Problem: next hint",
            "Problem: show the solution",
            "Problem: leave the answer box",
            "Undo last answer",
            "End session",
        ):
            assert name in listed, name
        assert listed["Problem: next hint"] == "^n, h · Reveal the problem's next hint"
        assert "Problem: back to the answer box" not in listed  # the box has the focus
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is _review(app))
        box = app.screen.query_one("#problem-answer", Input)
        assert box.value == "1" and _review(app).typing()  # the palette typed nothing into it

        await _run(pilot, "End session")  # `q` would type into the box; the palette ends
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryModal))
