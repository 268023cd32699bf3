"""Problem cards in the review screen: a fresh instance, live echo, verdict, solution, grade.

The session's rng is ``random.Random(3)``, so the instances are known: the test computes them
with :func:`quizcalc.problems.generate` from the same seeds. The clock is a fake one, so the
answer times (and with them the proposed grades) are exact.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Markdown

from quizcalc.problems import Problem, expected_text, generate
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.modals.give_up import GiveUpModal
from quizcalc.tui.modals.summary import SummaryModal
from quizcalc.tui.widgets.problem_panel import ProblemPanel
from tests.tui.conftest import (
    NOW,
    PROBLEM_RNG_SEED,
    FakeClock,
    notified,
    palette_settled,
    problem_seeds,
    screen_text,
    wait_ready,
    wait_until,
)

SIZE = (100, 40)
SEEDS = problem_seeds()
CHAIN = generate("chain_rule", SEEDS[0], 1)
"""The first card's instance."""
LR = generate("lr_divergence", SEEDS[1], 1)
"""The second card's instance."""


def _panel(app: QuizcalcApp) -> ProblemPanel:
    return app.screen.query_one(ProblemPanel)


def _flat(app: QuizcalcApp) -> str:
    """The screen's text with borders and line breaks folded into single spaces."""
    return " ".join(screen_text(app).replace("│", " ").split())


def _logs(app: QuizcalcApp) -> list[tuple[Any, ...]]:
    assert app.service is not None
    with app.service.store.transaction() as session:
        rows = session.execute(
            text("SELECT quality, seed, answer_text, duration_ms FROM review_log ORDER BY id")
        ).all()
    return [tuple(row) for row in rows]


def _answer(problem: Problem) -> str:
    return expected_text(problem.answer)


async def _shown(pilot: Pilot[Any], problem: Problem | str) -> ProblemPanel:
    """Wait until ``problem`` (or any instance of a family) is on screen, box focused."""
    app = pilot.app
    assert isinstance(app, QuizcalcApp)

    def ready() -> bool:
        panel = app.screen.query(ProblemPanel)
        if not panel or panel.first().phase != "answering":
            return False
        attempt = panel.first().attempt
        if attempt is None or app.focused is None:
            return False
        if isinstance(problem, str):
            return attempt.problem.family == problem
        return attempt.problem == problem

    await wait_until(pilot, ready)
    return _panel(app)


async def _type(pilot: Pilot[Any], answer: str) -> None:
    await pilot.press(*answer)


async def _finished(pilot: Pilot[Any]) -> ProblemPanel:
    app = pilot.app
    assert isinstance(app, QuizcalcApp)
    await wait_until(pilot, lambda: _panel(app).phase == "finished")
    await wait_until(pilot, lambda: "auto-grade" in screen_text(app))
    return _panel(app)


@pytest.fixture
def build(
    build_app: Callable[..., QuizcalcApp], problem_content: Path
) -> Callable[..., QuizcalcApp]:
    """An app over the problem deck, seeded, starting on the review screen."""

    def make(**overrides: Any) -> QuizcalcApp:
        kwargs: dict[str, Any] = {
            "content": problem_content,
            "rng": random.Random(PROBLEM_RNG_SEED),
            "start": "review",
        }
        kwargs.update(overrides)
        return build_app(**kwargs)

    return make


async def test_right_and_quick_proposes_5_and_enter_commits_it_with_the_seed(
    build: Callable[..., QuizcalcApp], clock: FakeClock
) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        panel = await _shown(pilot, CHAIN)
        text_now = _flat(app)
        assert "Chain rule through a tiny network" in text_now
        assert "chain_rule · difficulty 1 of 3" in text_now
        assert "x = 3, w = 1, t = -3" in text_now  # the prompt's LaTeX as Unicode
        assert app.focused is panel.answer_box
        assert "⏎ Check" in screen_text(app) and "^g Give up" in screen_text(app)

        clock.advance(20)
        await _type(pilot, _answer(CHAIN))
        await wait_until(pilot, lambda: f"read as: {_answer(CHAIN)}" in screen_text(app))
        await pilot.press("enter")
        await _finished(pilot)
        flat = _flat(app)
        assert "✓ Right" in flat and "Correct." in flat
        assert "Worked solution" in flat and "Chain rule:" in flat
        assert "auto-grade: 5 — right, quick (took 20 s, target 1 min 30 s)" in flat
        assert app.screen.query_one("#grade-5").has_class("-proposed")
        assert "⏎ Accept" in screen_text(app)
        assert _logs(app) == []  # nothing is committed before the grade is chosen

        await pilot.press("enter")
        await _shown(pilot, LR)
        assert _logs(app) == [(5, SEEDS[0], _answer(CHAIN), 20_000)]


async def test_wrong_then_right_proposes_3_and_logs_both_tries(
    build: Callable[..., QuizcalcApp],
) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        panel = await _shown(pilot, CHAIN)
        await _type(pilot, "35")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "✗ Not right" in screen_text(app))
        assert "Not equal to the expected answer" in _flat(app)
        assert "Worked solution" not in screen_text(app)  # no spoiler before it is over
        assert panel.phase == "answering" and app.focused is panel.answer_box

        await pilot.press("enter")  # the same answer again is not another try
        await wait_until(pilot, lambda: "already tried" in screen_text(app))
        assert panel.attempt is not None and len(panel.attempt.tries) == 1

        await pilot.press("ctrl+u")
        await _type(pilot, _answer(CHAIN))
        await pilot.press("enter")
        await _finished(pilot)
        assert "auto-grade: 3 — right on try 2" in _flat(app)
        await pilot.press("enter")
        await _shown(pilot, LR)
        assert _logs(app) == [(3, SEEDS[0], f"35 ⏎ {_answer(CHAIN)}", 0)]


async def test_a_misconception_names_the_slip_and_a_digit_overrides_the_grade(
    build: Callable[..., QuizcalcApp],
) -> None:
    slip = CHAIN.misconceptions[0]
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await _shown(pilot, CHAIN)
        await _type(pilot, slip.answer)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "✗ Not right" in screen_text(app))
        assert slip.message in _flat(app)

        await pilot.press("ctrl+g", "y")  # give up: the solution, and the slip earns a 2
        await _finished(pilot)
        flat = _flat(app)
        assert "Gave up" in flat and f"The answer is {_answer(CHAIN)}" in flat
        assert "auto-grade: 2 — wrong, a known slip (after 1 try)" in flat

        await pilot.press("4")  # typos happen: the learner knows better than the grader
        await _shown(pilot, LR)
        assert _logs(app) == [(4, SEEDS[0], slip.answer, 0)]


async def test_hostile_input_is_a_read_error_and_not_a_try(
    build: Callable[..., QuizcalcApp],
) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        panel = await _shown(pilot, CHAIN)
        await _type(pilot, "__import__('os')")
        await wait_until(pilot, lambda: "can't read this" in screen_text(app))
        assert "unknown name ‘__import__’" in _flat(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Not read" in screen_text(app))
        assert panel.attempt is not None and panel.attempt.tries == ()
        assert panel.phase == "answering"

        panel.answer_box.value = "9^9^9^9^9 + " + "(" * 500  # as if pasted
        await pilot.press("enter")
        await wait_until(pilot, lambda: panel.phase == "answering" and "Not read" in _flat(app))
        assert panel.attempt is not None and panel.attempt.tries == ()
        await pilot.press("end", "ctrl+u")
        await pilot.press("enter")  # an empty box is not a try either
        await wait_until(pilot, lambda: "Type an answer first" in screen_text(app))
        assert _logs(app) == []


async def test_give_up_at_once_shows_the_solution_and_proposes_0(
    build: Callable[..., QuizcalcApp],
) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        panel = await _shown(pilot, CHAIN)
        await pilot.press("ctrl+g")  # asks once: "n" (or Escape) keeps trying
        await wait_until(pilot, lambda: isinstance(app.screen, GiveUpModal))
        assert "Stop trying and show the worked solution?" in _flat(app)
        await pilot.press("n")
        await wait_until(pilot, lambda: not isinstance(app.screen, GiveUpModal))
        assert panel.phase == "answering" and app.focused is panel.answer_box
        await pilot.press("ctrl+g", "ctrl+g")  # the same key again says yes
        await _finished(pilot)
        flat = _flat(app)
        assert "Gave up" in flat and f"The answer is {_answer(CHAIN)}" in flat
        assert "Worked solution" in flat and f"Answer: {_answer(CHAIN)}" in flat
        assert "auto-grade: 0 — gave up without an answer" in flat
        assert not app.screen.query("TrajectoryPlot")  # chain rule: nothing to plot
        await pilot.press("enter")
        await _shown(pilot, LR)
        assert _logs(app) == [(0, SEEDS[0], None, 0)]


async def test_learning_rate_solution_plots_the_trajectory(
    build: Callable[..., QuizcalcApp],
) -> None:
    from textual_plotext import PlotextPlot

    from quizcalc.tui.widgets.trajectory_plot import TrajectoryPlot

    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await _shown(pilot, CHAIN)
        await pilot.press("ctrl+g", "y", "enter")
        await _shown(pilot, LR)
        assert "1. converges monotonically" in screen_text(app)
        await _type(pilot, "4")
        await wait_until(pilot, lambda: "read as: 4. diverges" in screen_text(app))
        await pilot.press("enter")
        await _finished(pilot)
        plot = app.screen.query_one(TrajectoryPlot)
        assert LR.trajectory is not None
        assert LR.trajectory.label == "\\(\\eta = 0.4\\), \\(\\lambda = 8\\): diverges"
        assert plot.border_title == "η = 0.4, λ = 8: diverges"  # the title rendered as maths
        assert len(plot.query(PlotextPlot)) == 2
        plot.scroll_visible(animate=False)
        await pilot.pause()
        assert "wₖ against k" in screen_text(app) and "loss L(wₖ) against k" in screen_text(app)


async def test_hints_and_keys_while_typing_and_outside_the_box(
    build: Callable[..., QuizcalcApp],
) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        panel = await _shown(pilot, CHAIN)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: "Hint 1/3" in screen_text(app))
        await _type(pilot, "hu?q")  # letters type into the box, whatever they do elsewhere
        assert panel.answer_box.value == "hu?q" and app.screen is app.review_screen()
        assert "? Help" not in screen_text(app)

        await pilot.press("escape")  # leave the box: now the letters are keys
        await wait_until(pilot, lambda: app.focused is not panel.answer_box)
        assert "⏎ Answer" in screen_text(app) and "u Undo" in screen_text(app)
        await pilot.press("h")
        await wait_until(pilot, lambda: "Hint 2/3" in screen_text(app))
        await pilot.press("enter")  # back into the box
        await wait_until(pilot, lambda: app.focused is panel.answer_box)
        await pilot.press("ctrl+n", "ctrl+n")
        await wait_until(pilot, lambda: "Hint 3/3" in screen_text(app))
        assert panel.attempt is not None and panel.attempt.hints_shown == 3

        await pilot.press("ctrl+u")
        await _type(pilot, _answer(CHAIN))
        await pilot.press("enter")
        await _finished(pilot)
        assert "auto-grade: 3 — right after 3 hints" in _flat(app)


async def test_a_slow_right_answer_proposes_4(
    build: Callable[..., QuizcalcApp], clock: FakeClock
) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await _shown(pilot, CHAIN)
        clock.advance(100)
        await _type(pilot, _answer(CHAIN))
        await pilot.press("enter")
        await _finished(pilot)
        assert "auto-grade: 4 — right, hesitant (took 1 min 40 s, target 1 min 30 s)" in _flat(app)


async def test_undo_brings_back_the_same_instance_to_grade_again(
    build: Callable[..., QuizcalcApp],
) -> None:
    app = build()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_ready(pilot)
        await _shown(pilot, CHAIN)
        await _type(pilot, _answer(CHAIN))
        await pilot.press("enter")
        await _finished(pilot)
        await pilot.press("enter")
        await _shown(pilot, LR)
        assert len(_logs(app)) == 1

        await pilot.press("escape", "u")
        await wait_until(pilot, lambda: any("same problem" in t.message for t in notified(app)))
        panel = await _finished(pilot)
        assert panel.attempt is not None and panel.attempt.problem == CHAIN  # the same seed
        assert panel.attempt.tries == (_answer(CHAIN),)
        assert "✓ Right" in screen_text(app) and "auto-grade: 5" in screen_text(app)
        assert _logs(app) == []
        assert any("same problem" in n.message for n in notified(app))

        await pilot.press("3")
        panel = await _shown(pilot, "lr_divergence")  # a card shown again is drawn afresh
        assert panel.attempt is not None and panel.attempt.problem.seed not in SEEDS[:2]
        assert _logs(app) == [(3, SEEDS[0], _answer(CHAIN), 0)]

        await pilot.press("escape", "q")  # the summary's undo brings it back too
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryModal))
        await pilot.press("u")
        await _finished(pilot)
        assert _logs(app) == []


async def test_flashcards_and_problems_share_a_session(
    build: Callable[..., QuizcalcApp], problem_content: Path
) -> None:
    (problem_content / "zz_cards.md").write_text(
        "Q: What does a negative gradient point to?\nA: Downhill.\n", encoding="utf-8"
    )
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        for problem in (CHAIN, LR):
            await _shown(pilot, problem)
            await pilot.press("ctrl+g", "y")
            await _finished(pilot)
            await pilot.press("5")  # over the auto-grade: neither comes back today
        await wait_until(pilot, lambda: "negative gradient" in screen_text(app))
        assert not _panel(app).display or not app.screen.has_class("-problem")
        assert app.screen.query_one("#question", Markdown).source.startswith("What does")
        await pilot.press("space")
        await wait_until(pilot, lambda: "Downhill" in screen_text(app))
        await pilot.press("5")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryModal))
        assert [row[0] for row in _logs(app)] == [5, 5, 5]
        assert not app.screen.query(Input)


async def test_a_problem_as_the_fast_path_first_card_is_drawn_before_the_store_opens(
    build: Callable[..., QuizcalcApp],
    db_path: Path,
    problem_content: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from quizcalc.config import Config
    from quizcalc.study import StudyService

    prepared = StudyService.open(f"sqlite:///{db_path}", Config())
    prepared.sync(problem_content, NOW)
    prepared.close()
    gate = threading.Event()
    real_open = StudyService.open

    def held_open(url: str, config: Config) -> StudyService:
        gate.wait(10)
        return real_open(url, config)

    monkeypatch.setattr(StudyService, "open", staticmethod(held_open))
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await _shown(pilot, CHAIN)  # the same seed the session would have drawn
        assert app.service is None
        await _type(pilot, _answer(CHAIN))
        await pilot.press("enter")
        await _finished(pilot)
        await pilot.press("enter")  # kept until the store is open, then committed first
        await wait_until(pilot, lambda: "Saving your answer" in screen_text(app))
        gate.set()
        await wait_ready(pilot)
        await _shown(pilot, LR)
        assert _logs(app) == [(5, SEEDS[0], _answer(CHAIN), 0)]


async def test_palette_offers_hint_and_solution_while_typing(
    build: Callable[..., QuizcalcApp],
) -> None:
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        panel = await _shown(pilot, CHAIN)
        await pilot.press("ctrl+p", *"next hint")
        await wait_until(pilot, lambda: palette_settled(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Hint 1/3" in screen_text(app))
        await pilot.press("ctrl+p", *"show the solution")
        await wait_until(pilot, lambda: palette_settled(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, GiveUpModal))
        await pilot.press("y")
        await _finished(pilot)
        assert panel.attempt is not None and panel.attempt.gave_up


async def test_a_generator_failure_is_one_clear_message(
    build: Callable[..., QuizcalcApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizcalc.study.service import ReviewSession

    def broken(self: ReviewSession, card: Any, seed: int | None = None) -> Any:
        raise RuntimeError("no valid instance in 1000 draws")

    monkeypatch.setattr(ReviewSession, "draw_problem", broken)
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: _panel(app).phase == "failed")
        flat = _flat(app)
        assert "This problem could not be generated" in flat and "1000 draws" in flat
        await pilot.press("q")  # the session can still be ended
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryModal))


async def test_the_answer_box_stops_at_the_cap_and_counts_near_it(
    build: Callable[..., QuizcalcApp],
) -> None:
    from quizcalc.study.problem_review import MAX_ANSWER_CHARS

    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        panel = await _shown(pilot, CHAIN)
        box = panel.answer_box
        box.value = "1" * 898  # as if typed: far from the cap, no counter
        await pilot.pause()
        assert box.border_subtitle == ""
        await pilot.press("end", "1", "1")
        assert box.border_subtitle == "900/1,000"
        await wait_until(pilot, lambda: "900/1,000" in screen_text(app))
        box.value = "1" * (MAX_ANSWER_CHARS - 1)
        await pilot.press("end", "2", "3", "4")
        assert box.value == "1" * (MAX_ANSWER_CHARS - 1) + "2"
        assert box.border_subtitle == "1,000/1,000"
        box.value = "1" * (MAX_ANSWER_CHARS - 10)
        box.cursor_position = len(box.value)
        box.post_message(events.Paste("2" * 50 + "\nsecond line"))  # past the cap: cut, not lost
        await wait_until(pilot, lambda: len(box.value) == MAX_ANSWER_CHARS)
        assert box.value == "1" * (MAX_ANSWER_CHARS - 10) + "2" * 10
        assert any("pasted text was cut" in n.message for n in notified(app))


async def test_keys_pressed_while_checking_are_not_typed_and_focus_leaves_the_box(
    build: Callable[..., QuizcalcApp], clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizcalc.study import problem_review

    gate = threading.Event()
    real_grade = problem_review.grade_try

    def held_grade(*args: Any) -> Any:
        gate.wait(10)
        return real_grade(*args)

    monkeypatch.setattr(problem_review, "grade_try", held_grade)
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        panel = await _shown(pilot, CHAIN)
        clock.advance(20)
        await _type(pilot, _answer(CHAIN))
        await pilot.press("enter", "4")  # a quick grade key while the grader still works
        assert panel.phase == "checking" and app.focused is not panel.answer_box
        assert panel.answer_box.value == _answer(CHAIN)
        assert any("Still checking" in str(toast.message) for toast in notified(app))
        gate.set()
        await _finished(pilot)
        assert app.focused is not panel.answer_box
        assert panel.answer_box.value == _answer(CHAIN)
        await pilot.press("4")  # after the verdict a digit is a grade, not text
        await _shown(pilot, LR)
        assert _logs(app) == [(4, SEEDS[0], _answer(CHAIN), 20_000)]


async def test_a_misconception_met_in_a_review_is_logged_and_counted_in_the_statistics(
    build: Callable[..., QuizcalcApp],
) -> None:
    from quizcalc.study.stats import service_stats

    slip = CHAIN.misconceptions[0]
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await _shown(pilot, CHAIN)
        await _type(pilot, slip.answer)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "✗ Not right" in screen_text(app))
        await pilot.press("ctrl+u")
        await _type(pilot, _answer(CHAIN))
        await pilot.press("enter")
        await _finished(pilot)
        await pilot.press("enter")  # right on try 2: the slip on the way is still recorded
        await _shown(pilot, LR)
        assert app.service is not None
        with app.service.store.transaction() as session:
            tags = session.execute(text("SELECT misconception FROM review_log")).scalars().all()
        assert tags == [slip.tag]
        stats = service_stats(app.service, NOW)
        chain = next(group for group in stats.per_family if group.name == "chain_rule")
        assert [(m.tag, m.count) for m in chain.misconceptions] == [(slip.tag, 1)]
