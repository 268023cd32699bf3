"""Studying what you choose: Enter on a deck or section, `c` for custom study (Pilot, 80×24)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Markdown, Static

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.scope import StudyScope
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.modals.custom_study import CustomStudyModal
from quizcalc.tui.modals.summary import SummaryModal
from quizcalc.tui.screens.home import HomeScreen
from quizcalc.tui.screens.review import ReviewScreen
from quizcalc.tui.widgets.deck_list import DeckList
from tests.tui.conftest import NOW, QUESTIONS, notified, screen_text, wait_ready, wait_until

SIZE = (80, 24)


def _question(app: QuizcalcApp) -> str:
    return app.screen.query_one("#question", Markdown).source


def _numbers(questions: list[str]) -> list[int]:
    """Which of the deck's cards (0–3, in reading order) these questions are."""
    return [next(i for i, q in enumerate(QUESTIONS) if shown.startswith(q)) for shown in questions]


def _said(app: QuizcalcApp, selector: str) -> str:
    """The plain text of a Static on the active screen, unwrapped."""
    return str(app.screen.query_one(selector, Static).render())


def _rows(app: QuizcalcApp) -> list[str]:
    return [row.name for row in app.screen.query_one(DeckList).shown]


def _studied(db_path: Path, content: Path, grades: dict[int, int], when: datetime = NOW) -> None:
    """Answer the deck's cards (by position in today's queue) before the app starts."""
    service = StudyService.open(f"sqlite:///{db_path}", Config())
    try:
        service.sync(content, when)
        keys = service.queue(when).new
        for index, grade in grades.items():
            service.answer(keys[index], grade, when)
    finally:
        service.close()


async def _review_until_done(pilot: Pilot[object], app: QuizcalcApp) -> list[str]:
    seen = []
    while not isinstance(app.screen, SummaryModal):
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, SummaryModal)
                or (isinstance(app.screen, ReviewScreen) and app.screen.card is not None)
            ),
        )
        if isinstance(app.screen, SummaryModal):
            break
        seen.append(_question(app))
        await pilot.press("space", "5")
        await pilot.pause()
    return seen


async def test_enter_on_a_section_reviews_only_that_section(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        assert _rows(app) == ["Calculus", "Derivatives", "Optimization"]
        await pilot.press("down", "down", "enter")  # Optimization
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.screen.sub_title == "review · Calculus › Optimization"
        seen = await _review_until_done(pilot, app)
        assert _numbers(seen) == [2, 3]
        assert "Calculus › Optimization: nothing left" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.service is not None
        assert len(app.service.queue(NOW).new) == 2  # Derivatives is still waiting for `r`


async def test_a_deck_opens_and_closes_and_keeps_the_selection(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("down", "left")  # on a section, ← goes to its deck
        deck_list = app.screen.query_one(DeckList)
        assert deck_list.selected is not None and deck_list.selected.name == "Calculus"
        await pilot.press("space")
        assert _rows(app) == ["Calculus"] and "▸ Calculus" in screen_text(app)
        app.screen.refresh_summary()  # counts refresh: the deck stays closed
        assert _rows(app) == ["Calculus"]
        await pilot.press("right")
        assert _rows(app) == ["Calculus", "Derivatives", "Optimization"]


async def test_the_counts_take_the_colours_of_the_theme_in_use(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        deck_list = app.screen.query_one(DeckList)

        def new_count_colour() -> str:
            cell = deck_list.get_row_at(0)[1]
            return str(cell.style).split()[-1]

        assert new_count_colour() == app.get_css_variables()["text-success"]
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await wait_until(
            pilot, lambda: new_count_colour() == app.get_css_variables()["text-success"]
        )


async def test_enter_on_a_finished_section_points_to_custom_study(
    build_app: Callable[..., QuizcalcApp], db_path: Path, content: Path
) -> None:
    _studied(db_path, content, {0: 5, 1: 5})  # Derivatives done for today
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Nothing left to review today in Calculus › Derivatives. Press c for custom" in (
            notified(app)[-1].message
        )


async def test_custom_study_reviews_today_s_forgotten_cards(
    build_app: Callable[..., QuizcalcApp], db_path: Path, content: Path
) -> None:
    _studied(db_path, content, {0: 1, 1: 5, 2: 2, 3: 5})
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("down", "c")  # Derivatives
        await wait_until(pilot, lambda: isinstance(app.screen, CustomStudyModal))
        assert "Custom study · Calculus › Derivatives" in screen_text(app)
        await pilot.click("#option-forgotten")
        await wait_until(pilot, lambda: "1 card" in screen_text(app))
        assert "these answers are logged but do not move it" in _said(app, "#custom-explanation")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert "today's forgotten cards" in app.screen.sub_title
        assert _numbers(await _review_until_done(pilot, app)) == [0]


async def test_custom_study_reviews_ahead_and_says_what_early_answers_do(
    build_app: Callable[..., QuizcalcApp], db_path: Path, content: Path
) -> None:
    _studied(db_path, content, {0: 5, 1: 5, 2: 5, 3: 5}, when=NOW - timedelta(days=2))
    service = StudyService.open(f"sqlite:///{db_path}", Config())
    for key in service.queue(NOW - timedelta(days=1)).due[:2]:
        service.answer(key, 5, NOW - timedelta(days=1))  # Derivatives: due in 5 days
    service.close()
    derivatives = StudyScope("Calculus", "Derivatives")
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("down", "c")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomStudyModal))
        await pilot.click("#option-ahead")
        await pilot.pause()
        app.screen.query_one("#custom-number", Input).focus()
        explanation = _said(app, "#custom-explanation")
        assert "a pass keeps at least the card's interval, counted from today" in explanation
        assert "a fail is a lapse as on its due day" in explanation
        assert _said(app, "#custom-count") == (
            "No card in Calculus › Derivatives is due in the next 1 day."
        )
        await pilot.press("backspace", "7")
        assert _said(app, "#custom-count") == "2 cards"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert _numbers(await _review_until_done(pilot, app)) == [0, 1]
        # One of their six days had passed: a day later than planned, not 17 days (SM-2 on time).
        assert app.service is not None
        assert app.service.queue(NOW + timedelta(days=5), derivatives).due == []
        assert len(app.service.queue(NOW + timedelta(days=6), derivatives).due) == 2


async def test_days_ahead_that_are_not_a_number_are_refused_with_one_line(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomStudyModal))
        await pilot.click("#option-ahead")
        await pilot.pause()
        app.screen.query_one("#custom-number", Input).value = "0"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CustomStudyModal)  # not started
        assert _said(app, "#custom-count") == (
            "Days ahead must be a whole number from 1 to 3650; got '0'."
        )
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_review_of_a_named_section_starts_on_its_first_card(
    build_app: Callable[..., QuizcalcApp], db_path: Path, content: Path
) -> None:
    _studied(db_path, content, {})  # synced: the first card is read by the fast path
    app = build_app(start="review", scope=StudyScope("Calculus", "Optimization"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert QUESTIONS[2] in _question(app)
        await wait_ready(pilot)
        await wait_until(pilot, lambda: app.screen.session is not None)
        assert app.screen.session.scope == StudyScope("Calculus", "Optimization")
        assert await _review_until_done(pilot, app) != []
        assert "Calculus › Optimization" in screen_text(app)


async def test_custom_study_raises_today_s_new_card_limit_of_the_deck(
    build_app: Callable[..., QuizcalcApp], db_path: Path, content: Path
) -> None:
    """Anki's first custom-study choice: N more new cards today, from this deck only."""
    service = StudyService.open(f"sqlite:///{db_path}", Config())
    service.sync(content, NOW)
    service.set_deck_limits("Calculus", NOW, new_per_day=1, reviews_per_day=None)
    calculus = StudyScope("Calculus")
    assert len(service.queue(NOW, calculus).new) == 1
    service.close()
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("c")  # the first row: the Calculus deck
        await wait_until(pilot, lambda: isinstance(app.screen, CustomStudyModal))
        assert "Increase today's new card limit" in screen_text(app)
        number = app.screen.query_one("#custom-number", Input)
        number.value = "0"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CustomStudyModal)  # refused, with one line
        assert "more new cards must be a whole number" in _said(app, "#custom-count").lower()
        number.value = "2"
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.service is not None
        assert len(app.service.queue(NOW, calculus).new) == 3
        # Tomorrow the deck's own limit applies again.
        assert len(app.service.queue(NOW + timedelta(days=1), calculus).new) == 1
