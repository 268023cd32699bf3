"""A learner's session driven through the keyboard (Pilot, 80×24)."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Markdown

from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.modals.help import HelpModal
from quizcalc.tui.modals.summary import SummaryModal
from quizcalc.tui.screens.home import HomeScreen
from tests.tui.conftest import (
    ANSWERS,
    NOW,
    QUESTIONS,
    notified,
    palette_settled,
    screen_text,
    wait_ready,
    wait_until,
)

SIZE = (80, 24)


def _answer_shown(app: QuizcalcApp) -> bool:
    return app.screen.query_one("#answer-panel").display


def _question(app: QuizcalcApp) -> str:
    return app.screen.query_one("#question", Markdown).source


def _reviews_today(app: QuizcalcApp) -> int:
    assert app.service is not None
    return app.service.home(NOW).reviews_today


async def test_home_shows_todays_counts_per_section(build_app: Callable[..., QuizcalcApp]) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        text = screen_text(app)
        assert isinstance(app.screen, HomeScreen)
        assert "review 4 cards  (0 due, 4 new)" in text
        lines = {line.split()[0]: line.split()[-4:] for line in text.splitlines() if line.strip()}
        assert lines["Derivatives"] == ["2", "0", "0", "2"]  # new, learn, due, total
        assert lines["Optimization"] == ["2", "0", "0", "2"]
        assert "Calculus" in text and "day streak" in text


async def test_full_session_reveal_grade_relearn_undo_summary(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        text = screen_text(app)
        assert QUESTIONS[0] in text and "x²" in text  # $x^2$ shown as Unicode
        assert "new" in text and "Calculus › Derivatives" in text
        assert ANSWERS[0] not in text and not _answer_shown(app)

        await pilot.press("5")  # grades are ignored until the answer is shown
        assert QUESTIONS[0] in _question(app) and _reviews_today(app) == 0

        await pilot.press("space")
        assert _answer_shown(app) and ANSWERS[0] in screen_text(app)
        assert "0 · again blackout" in screen_text(app) and "5 · 1d perfect" in screen_text(app)

        await pilot.press("5")
        await wait_until(pilot, lambda: QUESTIONS[1] in screen_text(app))
        assert _reviews_today(app) == 1  # committed before the next card appeared
        assert not _answer_shown(app)

        await pilot.press("space", "1")  # failed: SM-2 step 7 asks it again today
        await wait_until(pilot, lambda: QUESTIONS[2] in screen_text(app))
        await pilot.press("space", "5")
        await wait_until(pilot, lambda: QUESTIONS[3] in screen_text(app))
        assert "Cloze" in screen_text(app)
        await pilot.press("space")
        assert ANSWERS[3] in screen_text(app)
        await pilot.press("5")
        await wait_until(pilot, lambda: QUESTIONS[1] in screen_text(app))
        assert "relearn" in screen_text(app)  # the failed card is back, marked as such
        assert _reviews_today(app) == 4

        await pilot.press("u")  # undo the cloze's grade: it comes back, question side up
        await wait_until(pilot, lambda: QUESTIONS[3] in screen_text(app))
        assert not _answer_shown(app)
        assert _reviews_today(app) == 3

        await pilot.press("space", "5")
        await wait_until(pilot, lambda: QUESTIONS[1] in screen_text(app))
        await pilot.press("space", "4")  # 4 ends the relearning: the queue is now empty
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryModal))
        text = screen_text(app)
        assert "Done for today" in text
        assert "4  cards" in text and "5  answers" in text
        assert "80%  accuracy" in text and "1  relearned" in text and "0 s  time" in text

        await pilot.press("u")  # a slip on the last card can still be taken back from here
        await wait_until(pilot, lambda: QUESTIONS[1] in screen_text(app))
        assert _reviews_today(app) == 4 and not _answer_shown(app)
        await pilot.press("space", "5")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryModal))

        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        text = screen_text(app)
        assert "All done for today" in text
        assert "next: 4 reviews tomorrow (Fri 27 Nov)" in text


async def test_quit_mid_session_shows_summary_with_counts(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        await pilot.press("space", "5")
        await wait_until(pilot, lambda: QUESTIONS[1] in screen_text(app))
        await pilot.press("space", "2")
        await wait_until(pilot, lambda: QUESTIONS[2] in screen_text(app))
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryModal))
        text = screen_text(app)
        assert "Session summary" in text
        assert "3 cards still waiting today" in text  # cards 3 and 4, and the failed card 2
        assert "2  cards" in text and "2  answers" in text and "50%  accuracy" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "review 3 cards  (1 due, 2 new)" in screen_text(app)


async def test_undo_with_nothing_to_undo_says_so(build_app: Callable[..., QuizcalcApp]) -> None:
    app = build_app(start="review")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        await pilot.press("u")
        await pilot.pause()
        assert any("Nothing to undo" in n.message for n in notified(app))
        assert QUESTIONS[0] in _question(app)


async def test_help_lists_the_bindings_of_the_current_screen(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpModal))
        text = screen_text(app)
        assert "Keys — today" in text
        assert "r  Start a review session" in text and "q  Quit quizcalc" in text
        assert "⏎  Review only the selected deck or section" in text
        assert "?  Show the keys of the current screen" in text
        assert "^p  Command palette" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))

        await pilot.press("r")
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpModal))
        text = screen_text(app)
        for expected in (
            "space",
            "Show the answer side of the card",
            "Grade 0: blackout",
            "Grade 5: perfect",
            "Undo the last answer",
            "Edit this card",
            "Bury this card until tomorrow (b or Anki's -)",
            "End the session",
        ):
            assert expected in text, expected
        await pilot.press("question_mark")  # the same key closes it
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpModal))
        assert QUESTIONS[0] in _question(app)


async def test_command_palette_runs_quizcalc_actions(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+p")
        await pilot.press(*"toggle")
        await wait_until(pilot, lambda: palette_settled(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.theme == "textual-light")

        await pilot.press("ctrl+p")
        await pilot.press(*"start")
        await wait_until(pilot, lambda: palette_settled(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.review_screen() is not None)
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))


async def test_palette_undo_and_home_during_a_review(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        await pilot.press("space", "5")
        await wait_until(pilot, lambda: QUESTIONS[1] in screen_text(app))
        await pilot.press("ctrl+p", *"undo")
        await wait_until(pilot, lambda: palette_settled(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        assert _reviews_today(app) == 0

        await pilot.press("ctrl+p", *"home")
        await wait_until(pilot, lambda: palette_settled(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryModal))
        assert "0  answers" in screen_text(app)


async def test_enter_and_space_grade_a_revealed_flashcard_good_as_in_anki(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    from sqlalchemy import text as sql

    app = build_app()
    async with app.run_test(size=(120, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        assert "Good" not in screen_text(app)  # nothing to grade before the answer shows
        await pilot.press("space")  # space first reveals
        assert _answer_shown(app) and "⏎ Good" in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: QUESTIONS[1] in screen_text(app))
        await pilot.press("space", "space")  # reveal, then good
        await wait_until(pilot, lambda: QUESTIONS[2] in screen_text(app))
        assert app.service is not None
        with app.service.store.transaction() as session:
            rows = session.execute(sql("SELECT quality FROM review_log ORDER BY id")).all()
        assert [row[0] for row in rows] == [4, 4]
