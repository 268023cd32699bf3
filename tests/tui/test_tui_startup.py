"""Startup: the first screen at once, data opened in a worker, clear errors, `start="review"`."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.modals.summary import SummaryModal
from quizcalc.tui.screens.error import StartupErrorScreen
from quizcalc.tui.screens.home import HomeScreen
from tests.tui.conftest import NOW, QUESTIONS, notified, screen_text, wait_ready, wait_until

SIZE = (80, 24)
WIDE = (200, 30)
"""Wide enough that a temp path in an error message is not wrapped."""


@pytest.mark.fresh_db  # a first start: the app creates the database
async def test_home_appears_before_the_data_is_open(
    build_app: Callable[..., QuizcalcApp], db_path: Path
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await wait_ready(pilot)
        assert app.service is not None
    assert db_path.is_file()


async def test_sync_report_is_notified(build_app: Callable[..., QuizcalcApp]) -> None:
    app = build_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        messages = [n.message for n in notified(app)]
        assert "added 4 · updated 0 · retired 0 · unchanged 0" in messages


async def test_card_problems_are_counted_in_a_warning(
    build_app: Callable[..., QuizcalcApp], content: Path
) -> None:
    (content / "broken.md").write_text("Q: a question with no answer\n", encoding="utf-8")
    app = build_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        warnings = [n for n in notified(app) if n.severity == "warning"]
        assert warnings and warnings[0].title.startswith("1 problem")
        assert "broken.md:1" in warnings[0].message
        assert "this file's cards are kept as they were until it is fixed" in warnings[0].message
        assert f"Run `quizcalc cards check {content}` to see them all." in warnings[0].message


async def test_corrupted_database_shows_a_clear_error_and_is_left_alone(
    build_app: Callable[..., QuizcalcApp], db_path: Path
) -> None:
    junk = b"this is not a database\x00\xff" * 200
    db_path.write_bytes(junk)
    app = build_app()
    async with app.run_test(size=WIDE) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, StartupErrorScreen))
        text = screen_text(app)
        assert "Your progress database cannot be opened" in text
        flat = " ".join(text.replace("┃", " ").split())
        assert str(db_path) in flat and "not a readable quizcalc database" in flat
        assert "--db" in flat and "Nothing was changed" in flat
        assert app.service is None
        await pilot.press("r")  # nothing to review from here; still no crash
        assert isinstance(app.screen, StartupErrorScreen)
    assert db_path.read_bytes() == junk


@pytest.mark.fresh_db  # the database must stay absent
async def test_config_with_a_wrong_type_shows_the_config_error(
    build_app: Callable[..., QuizcalcApp], config_file: Path, db_path: Path
) -> None:
    config_file.write_text('new_per_day = "ten"\n', encoding="utf-8")
    app = build_app()
    async with app.run_test(size=WIDE) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, StartupErrorScreen))
        flat = " ".join(screen_text(app).replace("┃", " ").split())
        assert "Your settings file cannot be used" in flat
        assert "config.toml: new_per_day must be a whole number, got 'ten'" in flat
        await pilot.press("q")
    assert not db_path.exists()  # the config is checked before the database is touched


@pytest.mark.fresh_db  # `quizcalc review` on a first start
async def test_start_review_goes_straight_to_the_first_card(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        assert app.review_screen() is app.screen


async def test_nothing_due_says_done_for_today(
    build_app: Callable[..., QuizcalcApp], content: Path
) -> None:
    for path in content.iterdir():
        path.unlink()
    app = build_app(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryModal))
        assert "Done for today" in screen_text(app)
        assert "Nothing was due" in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "No cards yet" in screen_text(app)


async def _answer_every_card_good(pilot: Pilot[Any], app: QuizcalcApp) -> None:
    """Reveal and grade 4 each of the deck's cards in turn, until the summary shows."""
    for question in QUESTIONS:
        await wait_until(pilot, _shows(app, question))
        await pilot.press("space", "4")
    await wait_until(pilot, lambda: isinstance(app.screen, SummaryModal))


async def test_next_day_shows_the_cards_due_again(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await _answer_every_card_good(pilot, app)
    tomorrow = build_app(now=lambda: NOW + timedelta(days=1))
    async with tomorrow.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        assert "review 4 cards  (4 due, 0 new)" in screen_text(tomorrow)
        summary = tomorrow.home_screen.summary
        assert summary is not None and summary.streak_days == 1


async def test_done_for_today_leaves_no_card_counted_due_behind_it(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    """The progress line behind "Done for today" counts what is left: nothing."""
    app = build_app(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await _answer_every_card_good(pilot, app)
    tomorrow = build_app(start="review", now=lambda: NOW + timedelta(days=1))
    async with tomorrow.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await _answer_every_card_good(pilot, tomorrow)
        behind = tomorrow.screen_stack[-2]
        progress = "".join(str(w.render()) for w in behind.query("#progress"))
        assert "0 due · 0 new left · 4 answered" in progress, progress


def test_the_ui_and_the_first_card_path_do_not_import_sqlalchemy() -> None:
    code = (
        "import sys, quizcalc.tui.app, quizcalc.tui.screens.review, quizcalc.study.first_card\n"
        "import quizcalc.tui.widgets.problem_panel, quizcalc.tui.screens.review_problems\n"
        "heavy = ('sqlalchemy', 'alembic', 'sympy', 'numpy', 'plotext', 'textual_plotext')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


def test_the_first_card_path_leaves_the_other_screens_unimported() -> None:
    """Screens, modals and the plot are imported where they are first shown, not at start."""
    code = (
        "import sys, quizcalc.cli.main, quizcalc.tui.app, quizcalc.tui.screens.review\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('quizcalc.tui.'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(result.stdout.strip().split(","))
    lazy = {
        "quizcalc.tui.screens.browse",
        "quizcalc.tui.screens.drill",
        "quizcalc.tui.screens.drill_setup",
        "quizcalc.tui.screens.settings",
        "quizcalc.tui.screens.stats",
        "quizcalc.tui.modals.card_detail",
        "quizcalc.tui.modals.card_editor",
        "quizcalc.tui.modals.card_info",
        "quizcalc.tui.modals.confirm",
        "quizcalc.tui.modals.drill_summary",
        "quizcalc.tui.modals.flag_picker",
        "quizcalc.tui.modals.give_up",
        "quizcalc.tui.modals.path_prompt",
        "quizcalc.tui.widgets.trajectory_plot",
    }
    assert "quizcalc.tui.screens.review" in loaded
    assert not loaded & lazy


async def test_review_start_shows_the_first_card_before_the_store_is_open(
    build_app: Callable[..., QuizcalcApp],
    db_path: Path,
    content: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from quizcalc.config import Config
    from quizcalc.study import StudyService

    prepared = StudyService.open(f"sqlite:///{db_path}", Config())  # as after a first run
    prepared.sync(content, NOW)
    prepared.close()

    gate = threading.Event()
    real_open = StudyService.open

    def held_open(url: str, config: Config) -> StudyService:
        gate.wait(10)
        return real_open(url, config)

    monkeypatch.setattr(StudyService, "open", staticmethod(held_open))
    app = build_app(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        assert app.service is None  # the card came from the stdlib fast path
        assert "Opening your study data" in screen_text(app)
        await pilot.press("space", "4")  # graded before the store is open: kept, not lost
        await wait_until(pilot, lambda: "Saving your answer" in screen_text(app))
        assert QUESTIONS[0] in screen_text(app)

        gate.set()
        await wait_ready(pilot)
        await wait_until(pilot, lambda: QUESTIONS[1] in screen_text(app))
        assert app.service is not None and app.service.home(NOW).reviews_today == 1
        await pilot.press("u")  # the early answer belongs to the session like any other
        await wait_until(pilot, lambda: QUESTIONS[0] in screen_text(app))
        assert app.service.home(NOW).reviews_today == 0


def _shows(app: QuizcalcApp, text: str) -> Callable[[], bool]:
    """A predicate: ``text`` is on the active screen."""
    return lambda: text in screen_text(app)


async def test_an_unchanged_sync_is_not_notified(build_app: Callable[..., QuizcalcApp]) -> None:
    first = build_app()
    async with first.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)  # the first start adds the cards
    app = build_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        titles = [n.title for n in notified(app)]
        assert "Content synced" not in titles


async def test_the_first_cards_footer_keys_are_built_once(
    build_app: Callable[..., QuizcalcApp],
    db_path: Path,
    content: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The review screen's bindings are announced four times while it opens: Textual's footer
    rebuilt its keys (a widget each) every time; ours once per refresh in which they changed."""
    from textual.widgets import Footer

    from quizcalc.config import Config
    from quizcalc.study import StudyService

    prepared = StudyService.open(f"sqlite:///{db_path}", Config())
    prepared.sync(content, NOW)
    prepared.close()
    gate = threading.Event()
    real_open = StudyService.open
    monkeypatch.setattr(
        StudyService,
        "open",
        staticmethod(lambda url, config: gate.wait(10) and real_open(url, config)),
    )
    from quizcalc.tui.screens.review import ReviewScreen

    builds: list[Footer] = []
    real_recompose = Footer.recompose

    async def counted(footer: Footer) -> None:
        if isinstance(footer.screen, ReviewScreen):
            builds.append(footer)
        await real_recompose(footer)

    monkeypatch.setattr(Footer, "recompose", counted)
    app = build_app(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Show answer" in screen_text(app))
        await pilot.pause(0.1)
        assert QUESTIONS[0] in screen_text(app)
        assert len(builds) <= 2  # Textual's Footer: 4
        gate.set()
        await wait_ready(pilot)


async def test_the_startup_worker_caches_the_one_line_questions_for_the_next_start(
    build_app: Callable[..., QuizcalcApp], db_path: Path
) -> None:
    import sqlite3

    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await app.workers.wait_for_complete()
    connection = sqlite3.connect(db_path)
    cached = connection.execute(
        "SELECT COUNT(*) FROM card_renderings WHERE form = 'question_linear'"
    ).fetchone()[0]
    flashcards = connection.execute(
        "SELECT COUNT(*) FROM cards WHERE status = 'active' AND kind IN ('basic', 'cloze')"
    ).fetchone()[0]
    connection.close()
    assert cached == flashcards == 4
