"""Cards' maths in the TUI: one line on the first frame, two dimensions once the layout loads,
following the widget's width."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.pilot import Pilot

from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.widgets import math_markdown
from quizcalc.tui.widgets.math_markdown import MathFence, MathMarkdown
from tests.tui.conftest import screen_text, wait_ready, wait_until

CARD = (
    "The Hessian is\n\n"
    "\\[ H = \\begin{bmatrix} 4 & 1 \\\\ 1 & 6 \\end{bmatrix} \\]\n\n"
    "with \\(\\det H = 23\\)."
)
MATRIX = "H = ⎡ 4  1 ⎤\n    ⎣ 1  6 ⎦"
WIDE = "\\[ \\frac{a + b + c + d + e + f + g + h + i + j + k + l + m}{2} \\]"


class _Card(App[None]):
    CSS = "Vertical { width: 40; height: auto; }"

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        with Vertical():
            yield MathMarkdown(self.source)


def _pictures(app: App[None]) -> list[str]:
    return [fence.code for fence in app.query(MathFence) if fence.has_class("-math")]


@pytest.fixture
def held_back(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The layout not loaded yet, and its loading held until the test sets the event."""
    release = threading.Event()
    loaded = threading.Event()
    monkeypatch.setattr(math_markdown, "_LOADED", loaded)
    real = math_markdown.load_typeset

    def slow_load() -> None:
        release.wait(10)
        real()

    monkeypatch.setattr(math_markdown, "load_typeset", slow_load)
    yield release
    release.set()


async def test_the_first_frame_is_one_line_then_the_matrix_is_drawn(
    held_back: threading.Event,
) -> None:
    app = _Card(CARD)
    async with app.run_test() as pilot:
        widget = app.query_one(MathMarkdown)
        await wait_until(pilot, lambda: "[4 1; 1 6]" in (widget._shown or ""))
        assert _pictures(app) == []  # SymPy not loaded: the one-line form
        held_back.set()
        await wait_until(pilot, lambda: _pictures(app) == [MATRIX])
        assert "with det H = 23." in widget._shown


async def test_the_layout_starts_loading_once_the_one_line_form_is_on_screen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Importing SymPy's boxes holds the GIL for a quarter of a second: started at mount, it
    delayed the first frame; it starts once the card is painted."""
    monkeypatch.setattr(math_markdown, "_LOADED", threading.Event())
    on_screen_then: list[str] = []

    def record(widget: MathMarkdown) -> None:
        on_screen_then.append(screen_text(widget.app))  # type: ignore[arg-type]

    monkeypatch.setattr(MathMarkdown, "_load", record)
    app = _Card(CARD)
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: bool(on_screen_then))
    assert "with det H = 23." in on_screen_then[0]


async def test_a_formula_too_wide_for_the_widget_stays_on_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = _Card(WIDE + "\n\n" + CARD)
    async with app.run_test() as pilot:
        widget = app.query_one(MathMarkdown)
        await wait_until(pilot, lambda: _pictures(app) == [MATRIX])
        assert "(a + b + c + d + e + f + g + h + i + j + k + l + m)/2" in widget._shown
        app.query_one(Vertical).styles.width = 60  # room now: it is drawn
        await wait_until(pilot, lambda: len(_pictures(app)) == 2)
        assert _pictures(app)[0].splitlines()[1] == "─" * 49


MATHS_DECK = r"""---
deck: Maths
---

## Activations

Q: Write ReLU piecewise.
A: \[ \mathrm{ReLU}(x) = \begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases} \]
Its slope is \(f_x = 1\) for \(x > 0\).

## Densities

Q: The normal density \(\mathcal{N}(\mu, \sigma^2)\)?
A: $$ f(x) = \frac{1}{\sigma\sqrt{2\pi}} e^{-\frac{(x-\mu)^2}{2\sigma^2}} $$
"""


@pytest.fixture
def maths_app(content: Path, build_app: Callable[..., QuizcalcApp]) -> QuizcalcApp:
    (content / "calculus.md").write_text(MATHS_DECK, encoding="utf-8")
    return build_app(start="review", toasts=False)


async def test_the_reviewer_draws_the_answer_s_cases_as_a_brace_block(
    maths_app: QuizcalcApp,
) -> None:
    async with maths_app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: "Write ReLU piecewise." in screen_text(maths_app))
        await pilot.press("space")
        await wait_until(pilot, lambda: "⎨" in screen_text(maths_app))
        lines = screen_text(maths_app).splitlines()
        brace = next(i for i, line in enumerate(lines) if "⎨" in line)
        assert "⎧ x   x > 0" in lines[brace - 1]
        assert "ReLU(x) = ⎨" in lines[brace]
        assert "⎩ 0   otherwise" in lines[brace + 1]
        assert lines[brace - 1].index("⎧") == lines[brace].index("⎨")
        assert "Its slope is fₓ = 1 for x > 0." in screen_text(maths_app)


def _drawn(app: QuizcalcApp) -> bool:
    return "- ────────" in screen_text(app)


def test_snapshot_the_gaussian_density_in_the_reviewer(
    snap_compare: Callable[..., bool], maths_app: QuizcalcApp
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: "Write ReLU" in screen_text(maths_app))
        for key in ("space", "3"):
            await pilot.press(key)
            await pilot.pause()
        await wait_until(pilot, lambda: "normal density" in screen_text(maths_app))
        await pilot.press("space")
        await wait_until(pilot, lambda: _drawn(maths_app))

    assert snap_compare(maths_app, terminal_size=(80, 24), run_before=run_before)


async def test_a_worked_solution_draws_its_matrix_inside_its_step() -> None:
    from quizcalc.grading import NumberAnswer
    from quizcalc.problems import Problem
    from quizcalc.tui.widgets.problem_text import solution_markdown

    steps = (
        r"The Hessian is \[ H = \begin{bmatrix} 4 & 1 \\ 1 & 6 \end{bmatrix} \] at every point.",
        r"So \(\det H = 23\).",
    )
    problem = Problem("test", 0, 1, "Find it.", NumberAnswer(23.0), steps)
    app = _Card(solution_markdown(problem))
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: _pictures(app) == [MATRIX])
        [fence] = [fence for fence in app.query(MathFence) if fence.has_class("-math")]
        items = [node for node in fence.ancestors if type(node).__name__ == "MarkdownOrderedList"]
        assert items, "the picture left the numbered list"
        assert "So det H = 23." in app.query_one(MathMarkdown)._shown
