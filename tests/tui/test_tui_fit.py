"""Fitting FSRS from the settings screen: the line says what FSRS schedules with, the fit runs
in a worker while the form stays usable, and the line then says what it did (the parameters
stored, or how many reviews are missing); a study error is the screen's error line."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Input, Static

from quizcalc.config import Config
from quizcalc.scheduling.fsrs import DEFAULT_PARAMETERS
from quizcalc.store import open_store
from quizcalc.study.demo import build_demo
from quizcalc.study.errors import InvalidRequest
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.commands import COMMANDS
from quizcalc.tui.screens.settings import FIT_BUTTON_LABEL, SettingsScreen
from tests.tui.conftest import NOW, notified, screen_text, wait_ready, wait_until
from tests.tui.test_tui_settings import _open_settings

PRACTICE_CARDS = 100
"""Enough cards for two simulated months to give fsrs-rs reviews to train on."""


@pytest.fixture(autouse=True)
def few_epochs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fits from the screen train for two passes: fast, and the same code path."""
    monkeypatch.setattr(SettingsScreen, "fit_epochs", 2)


def _demo(db_path: Path, content: Path, days: int) -> None:
    store = open_store(db_path)
    try:
        build_demo(store, NOW, Config(), content=content, days=days)
    finally:
        store.close()


@pytest.fixture
def practice(tmp_path: Path, db_path: Path) -> Path:
    """A content folder of :data:`PRACTICE_CARDS` cards, with 60 simulated days of reviews
    in the test database (seeded: the same every run); the folder."""
    folder = tmp_path / "practice"
    folder.mkdir()
    cards = "\n".join(
        f"Q: What is {n} plus {n}?\nA: It is {2 * n}.\n" for n in range(PRACTICE_CARDS)
    )
    (folder / "practice.md").write_text(f"---\ndeck: Practice\n---\n\n{cards}", encoding="utf-8")
    _demo(db_path, folder, days=60)
    return folder


def _line(screen: SettingsScreen) -> str:
    return str(screen.query_one("#settings-fit-line", Static).render())


async def test_a_fit_stores_the_parameters_and_the_line_says_so(
    build_app: Callable[..., QuizcalcApp], practice: Path
) -> None:
    app = build_app(content=practice)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_settings(pilot)
        service = app.service
        assert service is not None
        assert _line(screen) == "FSRS-6 defaults"
        assert FIT_BUTTON_LABEL in screen_text(app)
        reviews = service.reviews_to_fit()
        assert reviews > 200
        release = threading.Event()
        real_fit = service.fit_scheduler

        def held_fit(*args: Any, **kwargs: Any) -> Any:
            release.wait(10)  # the fit runs only once the test has looked at the screen
            return real_fit(*args, **kwargs)

        service.fit_scheduler = held_fit  # type: ignore[method-assign]
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: _line(screen) == f"Fitting… ({reviews:,} reviews)")
        assert screen.query_one("#settings-fit", Button).disabled
        await pilot.press("backspace", "backspace", "7")  # the form still takes typing
        assert screen.query_one("#set-new_per_day", Input).value == "7"
        await pilot.press("ctrl+s")  # saving waits for the fit
        assert app.screen is screen
        assert screen.error == "Not saved yet: FSRS is being fitted; save once the fit has ended."
        release.set()
        await wait_until(pilot, lambda: not screen.fitting)
        assert _line(screen) == (
            f"Fitted on {reviews:,} reviews: FSRS now schedules with your parameters."
        )
        assert not screen.query_one("#settings-fit", Button).disabled
        assert screen.error is None  # "save once the fit has ended": it has
        stored = service.stored_fit()
        assert (stored.reviews, stored.fitted_at) == (reviews, NOW)
        assert stored.parameters != DEFAULT_PARAMETERS
        await pilot.press("escape")  # cancel the form: the fit stays stored
        await wait_until(pilot, lambda: app.screen is not screen)
        again = await _open_settings(pilot)
        assert _line(again) == f"your parameters, fitted on {reviews:,} reviews on 26 Nov 2026"


async def test_too_few_reviews_a_study_error_and_a_fit_outliving_the_screen(
    build_app: Callable[..., QuizcalcApp], db_path: Path, content: Path
) -> None:
    """Too few reviews: the line gives the missing count. A study error: the error line.
    A fit still running when the form is left: its outcome is a toast."""
    _demo(db_path, content, days=30)  # four cards: reviews, but none fsrs-rs trains on
    assert any(command.action == "fit_scheduler" for command in COMMANDS)
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        await app.run_action("fit_scheduler")  # the palette's "Fit FSRS to my reviews"
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        await wait_until(pilot, lambda: _line(screen).startswith("Not fitted"))
        not_fitted = "Not fitted: at least 8 more reviews are needed; the defaults stay."
        assert _line(screen) == not_fitted
        service = app.service
        assert service is not None and service.stored_fit().is_default
        real_fit = service.fit_scheduler

        def failing_fit(*args: Any, **kwargs: Any) -> Any:
            raise InvalidRequest("the collection is locked by another quizcalc")

        service.fit_scheduler = failing_fit  # type: ignore[method-assign]
        await pilot.click("#settings-fit")
        await wait_until(pilot, lambda: screen.error is not None)
        assert screen.error == "Not fitted: the collection is locked by another quizcalc."
        assert "Not fitted: the collection is locked by another quizcalc." in screen_text(app)
        await wait_until(pilot, lambda: not screen.fitting)
        assert _line(screen) == "FSRS-6 defaults"
        assert not screen.query_one("#settings-fit", Button).disabled

        release = threading.Event()

        def held_fit(*args: Any, **kwargs: Any) -> Any:
            release.wait(10)
            return real_fit(*args, **kwargs)

        service.fit_scheduler = held_fit  # type: ignore[method-assign]
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: _line(screen).startswith("Fitting…"))
        await pilot.press("escape")  # the form is left while the fit runs
        await wait_until(pilot, lambda: app.screen is not screen)
        release.set()
        await wait_until(pilot, lambda: any(t.title == "FSRS fit" for t in notified(app)))
        assert [t.message for t in notified(app) if t.title == "FSRS fit"] == [not_fitted]
