"""TUI fixtures: a temp database, a small deck, a fixed clock, an isolated config, no animation.

Every app is built through :func:`quizcalc.tui.app.make_app`, exactly as the CLI does.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from quizcalc.tui.app import QuizcalcApp, make_app

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
"""Thursday 26 Nov 2026, 09:00 UTC: past the 04:00 rollover, so the study day is the 26th."""

DECK = r"""---
deck: Calculus
---

## Derivatives

Q: What is the derivative of $x^2$?
A: It is $2x$, by the power rule.

Q: Which way does the gradient \(\nabla f\) point?
A: Uphill: the direction of steepest ascent.

## Optimization

Q: What happens when the learning rate is far too large?
A: The steps overshoot the minimum and the loss diverges.

Gradient descent moves the weights {{c1::against the gradient}}, scaled by \(\eta\).
"""
"""Four cards in reading order: three Q/A (with ``$`` and ``\\(`` math) and one cloze."""

QUESTIONS = (
    "What is the derivative of",
    "Which way does the gradient",
    "What happens when the learning rate",
    "Gradient descent moves the weights",
)
"""A math-free prefix of each card's question, in queue order."""

ANSWERS = (
    "by the power rule",
    "direction of steepest ascent",
    "loss diverges",
    "against the gradient",
)
"""A math-free part of each card's answer side, in queue order."""


PROBLEM_DECK = """---
deck: Drills
---

## Backprop

```problem
family: chain_rule
difficulty: 1
```

## Learning rate

```problem
family: lr_divergence
difficulty: 1
```
"""
"""Two problem cards (skills) in queue order: a chain-rule product, then a learning-rate choice."""

PROBLEM_RNG_SEED = 3
"""``random.Random(3)`` draws the problem seeds in the problem tests."""


def problem_seeds(count: int = 2) -> list[int]:
    """The instance seeds a session with ``random.Random(PROBLEM_RNG_SEED)`` draws, in order."""
    from quizcalc.study.problem_review import draw_seed

    rng = random.Random(PROBLEM_RNG_SEED)
    return [draw_seed(rng) for _ in range(count)]


class FakeClock:
    """A monotonic clock that moves only when told: answer times are exact in tests."""

    def __init__(self) -> None:
        self.seconds = 1000.0
        """The current reading."""

    def __call__(self) -> float:
        """The current reading, as :func:`time.monotonic` would give it."""
        return self.seconds

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass."""
        self.seconds += seconds


@pytest.fixture(autouse=True)
def typeset_loaded() -> None:
    """The two-dimensional maths layout already imported, as it is a moment after start-up: a
    snapshot never catches a card between its one-line first frame and its redraw."""
    from quizcalc.tui.widgets.math_markdown import load_typeset

    load_typeset()


@pytest.fixture
def clock() -> FakeClock:
    """The app's monotonic clock (every ``build_app`` app uses it)."""
    return FakeClock()


@pytest.fixture(scope="session")
def warm_grading() -> None:
    """SymPy, the generators, the answer parser and the grading process, ready once per process.

    The app keeps these per interpreter (``ProblemPanel.warm_up`` warms them in a background
    thread after the first problem appears, and every answer goes to the one grading worker of
    :mod:`quizcalc.grading.isolation`), so only the first problem test of a test process paid for
    them: about 2 s, part of it while a background import slowed its key presses (Pilot waits
    for the process to be idle). Warming here makes every test start from the same state,
    whichever runs first; ``warm_up`` still runs in the first app, where it now finds all ready.
    """
    import textual_plotext  # noqa: F401  (the solution's plot, as warm_up imports it)

    from quizcalc.grading import grade_isolated, read_answer
    from quizcalc.problems import generate

    problem = generate("derivative", 0, 1)  # a SymPy family
    read_answer("x", problem.answer)
    verdict = grade_isolated("x", problem.answer, timeout=60)  # starts the worker, waits for it
    assert verdict.error is None, verdict


@pytest.fixture
def problem_content(tmp_path: Path, warm_grading: None) -> Path:
    """A content folder holding :data:`PROBLEM_DECK` only (grading warmed: problems ahead)."""
    folder = tmp_path / "problems"
    folder.mkdir()
    (folder / "drills.md").write_text(PROBLEM_DECK, encoding="utf-8")
    return folder


@pytest.fixture
def db_path(
    tmp_path: Path, request: pytest.FixtureRequest, new_database: Callable[[Path], Path]
) -> Path:
    """Where the test's progress database lives: a new one (absent with ``fresh_db``)."""
    path = tmp_path / "q.sqlite3"
    if request.node.get_closest_marker("fresh_db") is None:
        new_database(path)
    return path


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content folder holding :data:`DECK`."""
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "calculus.md").write_text(DECK, encoding="utf-8")
    return folder


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """The settings file (absent unless a test writes it: defaults apply)."""
    return tmp_path / "config.toml"


@pytest.fixture
def environ(config_file: Path, tmp_path: Path) -> dict[str, str]:
    """An environment that points quizcalc at temp files only."""
    return {
        "QUIZCALC_CONFIG": str(config_file),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }


@pytest.fixture
def build_app(
    db_path: Path, content: Path, environ: dict[str, str], clock: FakeClock
) -> Callable[..., QuizcalcApp]:
    """``build_app(start="home", now=..., toasts=True)``: a deterministic app over temp files.

    The clock is the ``clock`` fixture's; problem seeds come from ``rng`` when it is given.

    ``toasts=False`` leaves notifications out of the picture (for snapshots: they expire on a
    timer).
    """

    def build(*, toasts: bool = True, **overrides: Any) -> QuizcalcApp:
        kwargs: dict[str, Any] = {
            "db": str(db_path),
            "content": content,
            "now": lambda: NOW,
            "environ": environ,
            "clock": clock,
        }
        kwargs.update(overrides)
        app = make_app(**kwargs)
        app.animation_level = "none"
        app._disable_notifications = not toasts
        _record_notifications(app)
        return app

    return build


@dataclass(frozen=True)
class Toast:
    """One notification as shown: its text, title and severity."""

    message: str
    title: str
    severity: str


def _record_notifications(app: QuizcalcApp) -> None:
    """Keep every toast in ``app.notified``: a toast expires on a timer, and on a busy machine
    it can be gone before a test looks for it."""
    shown: list[Toast] = []
    post = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        title = kwargs.get("title", args[0] if args else "")
        severity = kwargs.get("severity", args[1] if len(args) > 1 else "information")
        shown.append(Toast(str(message), str(title), str(severity)))
        post(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    app.notified = shown  # type: ignore[attr-defined]


def notified(app: QuizcalcApp) -> list[Toast]:
    """Every toast the app has shown so far, expired ones included."""
    return list(getattr(app, "notified", []))


async def wait_until(pilot: Pilot[Any], predicate: Callable[[], bool], timeout: float = 30) -> None:
    """Let the app run until ``predicate()`` holds (fails the test after ``timeout`` s)."""
    loop_time = 0.0
    while not predicate():
        if loop_time > timeout:
            raise AssertionError("the app never reached the expected state")
        await pilot.pause(0.02)
        loop_time += 0.02
    await pilot.pause()


def palette_settled(app: App[Any]) -> bool:
    """Whether the command palette is open and done searching for what its box holds: every
    hit is listed (it lists hits in batches, and searches again after each key typed)."""
    from textual.command import CommandPalette

    screen = app.screen
    if not isinstance(screen, CommandPalette) or not screen.has_class("-ready"):
        return False
    group = CommandPalette._GATHER_COMMANDS_GROUP
    return not any(worker.group == group and not worker.is_finished for worker in app.workers)


def in_view(widget: Any) -> bool:
    """Whether ``widget`` is drawn whole on its screen (not scrolled or clipped out of view):
    a focused box is scrolled into view one refresh later, which a snapshot must wait for."""
    try:
        geometry = widget.screen.find_widget(widget)
    except Exception:  # not on the screen (yet): textual's NoWidget
        return False
    return bool(geometry.clip.contains_region(geometry.region))


async def wait_ready(pilot: Pilot[Any]) -> None:
    """Wait for the startup worker and for its message to be handled."""
    app = pilot.app
    assert isinstance(app, QuizcalcApp)
    await app.workers.wait_for_complete()
    await wait_until(pilot, lambda: app.service is not None or app.startup_error is not None)


def screen_text(app: QuizcalcApp) -> str:
    """The plain text a user sees on the active screen, line by line."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)
