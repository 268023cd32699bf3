"""Anki's actions on the card under review, through the keyboard (Pilot, 80×24): suspend, bury,
flag, card info, undo in order with the answers, each grade's interval, and `e` editing."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Markdown, Static, TextArea

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.modals.card_editor import CardEditorModal
from quizcalc.tui.modals.card_info import CardInfoModal
from quizcalc.tui.modals.flag_picker import FlagPickerModal
from tests.tui.conftest import NOW, QUESTIONS, notified, screen_text, wait_ready, wait_until

SIZE = (80, 24)


def _question(app: QuizcalcApp) -> str:
    return app.screen.query_one("#question", Markdown).source


def _shows(app: QuizcalcApp, index: int) -> bool:
    return QUESTIONS[index] in _question(app)


def _service(app: QuizcalcApp) -> StudyService:
    assert app.service is not None
    return app.service


def _toasts(app: QuizcalcApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in notified(app)]


async def _start(pilot: object, app: QuizcalcApp) -> None:
    await wait_ready(pilot)  # type: ignore[arg-type]
    await wait_until(pilot, lambda: _shows(app, 0))  # type: ignore[arg-type]


def test_the_review_screen_and_its_card_actions_load_no_sqlalchemy() -> None:
    """The review screen opens before the store (the first card comes by the fast path)."""
    code = (
        "import sys, quizcalc.tui.screens.review, quizcalc.tui.app\n"
        "print('sqlalchemy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"


async def test_suspend_moves_on_and_undo_brings_the_card_back(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app(start="review")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _start(pilot, app)
        key = app.screen.card.key  # type: ignore[attr-defined]
        await pilot.press("@")
        await wait_until(pilot, lambda: _shows(app, 1))
        assert any(t.startswith("Card suspended: ") for t in _toasts(app))
        assert key not in _service(app).queue(NOW).order
        assert "3 new left" in screen_text(app)
        await pilot.press("u")
        await wait_until(pilot, lambda: _shows(app, 0))
        assert key in _service(app).queue(NOW).order
        assert any("Suspend undone" in t for t in _toasts(app))


async def test_bury_leaves_the_card_out_until_tomorrow_and_undo_keeps_the_order(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app(start="review")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _start(pilot, app)
        await pilot.press("space", "5")  # card 0 answered
        await wait_until(pilot, lambda: _shows(app, 1))
        await pilot.press("b")  # card 1 buried
        await wait_until(pilot, lambda: _shows(app, 2))
        assert "Card buried: Buried until tomorrow. (u takes this back.)" in _toasts(app)
        assert _service(app).home(NOW).new == 2  # 4 new, one answered, one buried
        await pilot.press("minus")  # Anki's key buries too: card 2
        await wait_until(pilot, lambda: _shows(app, 3))
        for expected in (2, 1, 0):  # undo walks back: bury, bury, then the answer
            await pilot.press("u")
            await wait_until(pilot, lambda e=expected: _shows(app, e))
        assert _service(app).home(NOW).reviews_today == 0


async def test_flag_shows_in_the_header_and_is_stored(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app(start="review")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _start(pilot, app)
        key = app.screen.card.key  # type: ignore[attr-defined]
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, FlagPickerModal))
        assert "3 ⚑ green" in screen_text(app)
        await pilot.press("3")
        await wait_until(pilot, lambda: "⚑ green" in screen_text(app))
        assert _shows(app, 0)  # a flag keeps the card on screen
        assert _service(app).card(key).flag == 3
        await pilot.press("u")
        await wait_until(pilot, lambda: "⚑" not in screen_text(app))
        assert _service(app).card(key).flag == 0
        await pilot.press("f", "escape")
        await pilot.pause()
        assert _service(app).card(key).flag == 0


async def test_each_grade_shows_the_interval_it_would_give(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot, app)
        await pilot.press("space")
        await wait_until(pilot, lambda: "4 · 1d" in screen_text(app))
        text = screen_text(app)
        assert "0 · again blackout" in text and "5 · 1d perfect" in text
        legend = app.screen.query_one("#grade-3", Static)
        assert "3 · 1d" in str(legend.render())


async def test_card_info_shows_anki_s_facts_and_the_history(
    build_app: Callable[..., QuizcalcApp], db_path: Path, content: Path
) -> None:
    yesterday = NOW - timedelta(days=1)
    service = StudyService.open(str(db_path), Config())
    service.sync(content, yesterday)
    first = service.next_card(yesterday)
    assert first is not None
    service.answer(first.key, 5, yesterday, duration_ms=4200)  # due again today
    service.close()
    app = build_app(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot, app)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, CardInfoModal))
        text = screen_text(app)
        print(text)
        for fact in ("Added", "First review  2026-11-25", "Ease          260%", "calculus.md:7"):
            assert fact in text
        assert "Average time 4.2 s" in text and "Calculus › Derivatives" in text
        assert "2026-11-25 09:00  Review" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, CardInfoModal))


FAKE_EDITOR = """#!{python}
import pathlib, sys
pathlib.Path({log!r}).write_text(" ".join(sys.argv[1:]))
path = pathlib.Path(sys.argv[-1])
path.write_text(path.read_text().replace("derivative of", "first derivative of"))
"""


@pytest.fixture
def fake_vi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake ``vi`` as $EDITOR: logs its arguments, edits the first card's question."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "vi"
    log = tmp_path / "editor-args"
    script.write_text(FAKE_EDITOR.format(python=sys.executable, log=str(log)))
    script.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    return log


async def test_e_opens_the_file_at_the_line_and_shows_the_edited_card(
    build_app: Callable[..., QuizcalcApp], content: Path, fake_vi: Path
) -> None:
    app = build_app(start="review")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _start(pilot, app)
        key = app.screen.card.key  # type: ignore[attr-defined]
        await pilot.press("e")
        await wait_until(pilot, lambda: "first derivative" in _question(app))
        assert fake_vi.read_text() == f"+7 {content.resolve() / 'calculus.md'}"
        assert app.screen.card.key == key  # type: ignore[attr-defined]  # progress kept
        assert any("updated 1" in t for t in _toasts(app))


async def test_e_without_an_editor_names_the_variables(
    build_app: Callable[..., QuizcalcApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    app = build_app(start="review")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _start(pilot, app)
        await pilot.press("e")
        await wait_until(pilot, lambda: any("No editor" in t for t in _toasts(app)))
        assert any("set VISUAL or EDITOR" in t for t in _toasts(app))
        assert _shows(app, 0)


@pytest.fixture
def imported_first(db_path: Path, tmp_path: Path, content: Path) -> Path:
    """An Anki text file imported, the content folder's decks held back today (new cards are
    dealt from the decks in turn): the imported card comes first."""
    tsv = tmp_path / "words.tsv"
    tsv.write_text("What is a tensor?\tAn array with axes.\n", "utf-8")
    service = StudyService.open(str(db_path), Config())
    service.sync(content, NOW)
    service.import_path(tsv, NOW)
    decks = [limits.deck for limits in service.deck_limits(NOW)]
    assert "Words" in decks and len(decks) > 1
    for deck in decks:
        if deck != "Words":
            service.set_deck_limits(deck, NOW, new_per_day=0, reviews_per_day=None)
    service.close()
    return tsv


async def test_a_card_without_a_markdown_file_is_edited_in_the_app(
    build_app: Callable[..., QuizcalcApp], imported_first: Path
) -> None:
    app = build_app(start="review")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: "What is a tensor?" in _question(app))
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, CardEditorModal))
        await pilot.press("end", *" Explain.")
        await pilot.press("escape")  # unsaved: a first Escape only warns
        assert isinstance(app.screen, CardEditorModal)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Explain." in _question(app))
        key = app.screen.card.key  # type: ignore[attr-defined]
        assert _service(app).card(key).question == "What is a tensor? Explain."


def _answered_yesterday(db_path: Path, content: Path) -> None:
    yesterday = NOW - timedelta(days=1)
    service = StudyService.open(str(db_path), Config())
    service.sync(content, yesterday)
    first = service.next_card(yesterday)
    assert first is not None
    service.answer(first.key, 5, yesterday, duration_ms=4200)
    service.flag_card(first.key, 4)
    service.close()


def _then(*keys: str, until: Callable[[QuizcalcApp], bool]) -> Callable[..., object]:
    async def run_before(pilot: object) -> None:
        app = pilot.app  # type: ignore[attr-defined]
        await wait_ready(pilot)  # type: ignore[arg-type]
        await wait_until(pilot, lambda: _shows(app, 0))  # type: ignore[arg-type]
        for key in keys:
            await pilot.press(key)  # type: ignore[attr-defined]
            await pilot.pause()  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: until(app))  # type: ignore[arg-type]

    return run_before


def test_snapshot_card_info(
    snap_compare: Callable[..., bool],
    build_app: Callable[..., QuizcalcApp],
    db_path: Path,
    content: Path,
) -> None:
    _answered_yesterday(db_path, content)
    app = build_app(start="review", toasts=False)
    run_before = _then("i", until=lambda a: isinstance(a.screen, CardInfoModal))
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_flagged_card_with_grade_intervals(
    snap_compare: Callable[..., bool],
    build_app: Callable[..., QuizcalcApp],
    db_path: Path,
    content: Path,
) -> None:
    _answered_yesterday(db_path, content)
    app = build_app(start="review", toasts=False)
    run_before = _then("space", until=lambda a: "4 · 6d" in screen_text(a))
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_flag_picker(
    snap_compare: Callable[..., bool], build_app: Callable[..., QuizcalcApp]
) -> None:
    app = build_app(start="review", toasts=False)
    run_before = _then("f", until=lambda a: isinstance(a.screen, FlagPickerModal))
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_card_editor(
    snap_compare: Callable[..., bool],
    build_app: Callable[..., QuizcalcApp],
    imported_first: Path,
) -> None:
    app = build_app(start="review", toasts=False)

    async def run_before(pilot: object) -> None:
        await wait_ready(pilot)  # type: ignore[arg-type]
        await wait_until(pilot, lambda: "What is a tensor?" in _question(app))  # type: ignore[arg-type]
        await pilot.press("e")  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: isinstance(app.screen, CardEditorModal))  # type: ignore[arg-type]
        for area in app.screen.query(TextArea):
            area.cursor_blink = False  # a blinking cursor would be caught on or off
        await pilot.pause()  # type: ignore[attr-defined]

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_e_on_a_card_whose_file_is_gone_says_so(
    build_app: Callable[..., QuizcalcApp], content: Path, fake_vi: Path
) -> None:
    app = build_app(start="review")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _start(pilot, app)
        (content / "calculus.md").unlink()
        await pilot.press("e")
        await wait_until(pilot, lambda: any("no such file any more" in t for t in _toasts(app)))
        assert not fake_vi.exists() and _shows(app, 0)


async def test_an_editor_that_cannot_run_is_named(
    build_app: Callable[..., QuizcalcApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "no-such-editor-anywhere")
    app = build_app(start="review")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _start(pilot, app)
        await pilot.press("e")
        await wait_until(pilot, lambda: any("could not run $EDITOR" in t for t in _toasts(app)))
        assert _shows(app, 0)
