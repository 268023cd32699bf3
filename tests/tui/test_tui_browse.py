"""The browse screen: search, filters, suspend (the queue stops serving it), reset, detail."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Select

from quizcalc.study.problem_review import instance_for
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.modals.card_detail import CardDetailModal
from quizcalc.tui.modals.confirm import ConfirmModal
from quizcalc.tui.screens.browse import BrowseScreen
from tests.tui.browse_pilot import (
    answer_first,
    open_browse,
    questions,
    service_of,
    settled,
)
from tests.tui.conftest import (
    NOW,
    QUESTIONS,
    screen_text,
    wait_ready,
    wait_until,
)

SIZES = [(80, 24), (120, 40)]
SIZE_IDS = ["80x24", "120x40"]


async def test_search_and_filters_narrow_the_table(build_app: Callable[..., QuizcalcApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        assert len(screen.rows or []) == 4
        assert "4 cards" in screen_text(app)
        await pilot.press("slash", *"GRADIENT")
        await wait_until(pilot, lambda: len(screen.rows or []) == 2)
        assert [q[:20] for q in questions(screen)] == [
            QUESTIONS[1][:20],
            QUESTIONS[3][:20],
        ]
        assert "2 cards" in screen_text(app)
        screen.query_one("#browse-kind", Select).value = "cloze"
        await wait_until(pilot, lambda: len(screen.rows or []) == 1)
        assert questions(screen)[0].startswith(QUESTIONS[3])
        await pilot.press(*["backspace"] * 8)
        screen.query_one("#browse-kind", Select).clear()
        screen.query_one("#browse-section", Select).value = "Derivatives"
        await wait_until(
            pilot, lambda: len(screen.rows or []) == 2 and not screen.query_filter.text
        )
        assert {r.section for r in screen.rows or []} == {"Derivatives"}
        screen.query_one("#browse-table").focus()
        await pilot.press("escape")  # back to home
        await wait_until(pilot, lambda: not isinstance(app.screen, BrowseScreen))


async def test_typing_s_and_r_in_the_search_box_searches_and_does_nothing_else(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        await pilot.press("slash", *"steepest rs")
        await wait_until(pilot, lambda: screen.query_filter.text == "steepest rs")
        await wait_until(pilot, lambda: screen.rows == [])
        await pilot.press("backspace", "backspace", "backspace")
        await wait_until(pilot, lambda: len(screen.rows or []) == 1)
        assert app.screen is screen  # no reset confirmation
        assert all(r.status == "active" for r in screen.rows or [])
        assert questions(screen)[0].startswith(QUESTIONS[1])  # matched in the answer
        await pilot.press("enter")  # Enter in the search box goes to the table
        await pilot.press("enter")  # and Enter there opens the card
        await wait_until(pilot, lambda: isinstance(app.screen, CardDetailModal))
        assert "never answered" in screen_text(app)


async def test_suspend_stops_the_queue_serving_the_card_and_unsuspend_restores_it(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        service = service_of(app)
        first = (screen.rows or [])[0]
        assert first.key in service.queue(NOW).new
        await pilot.press("s")
        await wait_until(pilot, lambda: (screen.rows or [])[0].status == "suspended")
        assert first.key not in service.queue(NOW).new
        served = service.next_card(NOW)
        assert served is not None and served.key != first.key
        assert "1 susp" in screen_text(app)
        screen.query_one("#browse-show", Select).value = "suspended"
        await wait_until(pilot, lambda: len(screen.rows or []) == 1)
        await pilot.press("s")
        await wait_until(pilot, lambda: not screen.rows)
        assert first.key in service.queue(NOW).new


async def test_reset_asks_first_and_can_be_undone(build_app: Callable[..., QuizcalcApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        key = await answer_first(pilot, (5, None, None))
        service = service_of(app)
        screen = await open_browse(pilot)
        assert (screen.rows or [])[0].due is not None
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("n")  # cancelled: nothing changes
        await wait_until(pilot, lambda: app.screen is screen)
        assert service.card_detail(key).schedule.due is not None
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await wait_until(pilot, lambda: (screen.rows or [])[0].due is None)
        detail = service.card_detail(key)
        assert detail.schedule.repetitions == 0
        assert [h.kind for h in detail.history] == ["reset", "review"]  # the reset is logged
        await pilot.press("u")
        await wait_until(pilot, lambda: (screen.rows or [])[0].due is not None)
        undone = service.card_detail(key)
        assert undone.schedule.repetitions == 1
        assert [h.kind for h in undone.history] == ["review"]  # and its row goes with the undo


async def test_detail_shows_text_and_history_and_can_suspend(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        key = await answer_first(pilot, (4, "two x", 3200))
        screen = await open_browse(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CardDetailModal))
        text = screen_text(app)
        assert QUESTIONS[0] in text and "by the power rule" in text
        assert "2026-11-26" in text and "two x" in text and "3.2 s" in text
        await pilot.press("s")  # suspend from the detail
        await wait_until(pilot, lambda: (screen.rows or [])[0].status == "suspended")
        assert key not in service_of(app).queue(NOW).new


async def test_detail_of_a_problem_card_rebuilds_past_instances(
    build_app: Callable[..., QuizcalcApp], problem_content: Path
) -> None:
    app = build_app(content=problem_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        service = service_of(app)
        card = service.next_card(NOW)
        assert card is not None and card.family is not None and card.difficulty is not None
        service.answer(card.key, 2, NOW, answer_text="42", seed=7, misconception="sign")
        screen = await open_browse(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CardDetailModal))
        modal = app.screen
        assert isinstance(modal, CardDetailModal)
        await wait_until(pilot, lambda: modal.instance_text is not None)
        assert modal.instance_text is not None
        prompt_start = instance_for(card.family, card.difficulty, 7).prompt.split()[0]
        assert prompt_start in modal.instance_text
        assert "answered: 42" in modal.instance_text and "sign" in modal.instance_text
        assert screen.rows is not None


MARKDOWN_DECK = r"""---
deck: Notes
---

## Optimisers

Q: Write the **gradient-descent** update.
A: Subtract the gradient, scaled by \(\eta\):

```python
w = w - lr * grad(w)
```

| rate | effect |
|------|--------|
| large | diverges |
| small | crawls |
"""
"""One card whose answer has code, a table and maths: the detail renders it, never as source."""


@pytest.fixture
def markdown_content(tmp_path: Path) -> Path:
    """A content folder holding :data:`MARKDOWN_DECK`."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "notes.md").write_text(MARKDOWN_DECK, encoding="utf-8")
    return folder


async def test_problem_rows_show_their_family_and_difficulty(
    build_app: Callable[..., QuizcalcApp], problem_content: Path
) -> None:
    app = build_app(content=problem_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(pilot)
        await settled(pilot)
        text = screen_text(app)
        assert "chain_rule · d1" in text and "lr_divergence · d1" in text
        assert "Generated problem" not in text


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_every_column_is_whole_with_a_scroll_bar(
    build_app: Callable[..., QuizcalcApp], size: tuple[int, int], tmp_path: Path
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    cards = "\n".join(f"Q: Question {i} on a long deck?\nA: Answer {i}.\n" for i in range(60))
    (folder / "many.md").write_text(f"## Suspended and leech cards\n\n{cards}", "utf-8")
    app = build_app(content=folder)
    async with app.run_test(size=size) as pilot:
        screen = await open_browse(pilot)
        service = service_of(app)
        keys = [r.key for r in screen.rows or []]
        service.suspend_cards(keys[:3], True)
        screen.refresh_rows()
        await wait_until(pilot, lambda: (screen.rows or [])[0].status == "suspended")
        await settled(pilot)
        lines = screen_text(app).splitlines()
        for label in ("Card", "Deck", "Tags", "Due", "Ivl", "Ease", "Lps", "Status"):
            assert f" {label} " in f"{lines[4]} "
        assert lines[4].rstrip().endswith("Status") and lines[5].split()[-1] == "susp"
        assert len(lines[4].rstrip()) <= size[0] - 2  # the scroll bar's columns are free


async def test_the_detail_renders_markdown_like_the_reviewer(
    build_app: Callable[..., QuizcalcApp], markdown_content: Path
) -> None:
    app = build_app(content=markdown_content)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CardDetailModal))
        await settled(pilot)
        text = screen_text(app)
        assert "w = w - lr * grad(w)" in text and "η" in text
        assert "gradient-descent update" in text and "large" in text and "diverges" in text
        for source in ("```", "**", "|------", "\\(", "A:"):
            assert source not in text


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_snapshot_browse(
    snap_compare: Any, size: tuple[int, int], build_app: Callable[..., QuizcalcApp]
) -> None:
    app = build_app(toasts=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        await answer_first(pilot, (1, None, None))
        await open_browse(pilot)
        await pilot.press("down")
        await settled(pilot)  # the table and the detail line

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_snapshot_card_detail(
    snap_compare: Any,
    size: tuple[int, int],
    build_app: Callable[..., QuizcalcApp],
    markdown_content: Path,
) -> None:
    app = build_app(toasts=False, content=markdown_content)

    async def run_before(pilot: Pilot[Any]) -> None:
        await answer_first(pilot, (1, "x times 2", 5000), (4, "2x", 2100))
        await open_browse(pilot)
        await settled(pilot)  # the table behind the modal
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CardDetailModal))
        await settled(pilot)  # the card's history

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_snapshot_browse_selected_sorted_and_tagged(
    snap_compare: Any, size: tuple[int, int], build_app: Callable[..., QuizcalcApp]
) -> None:
    app = build_app(toasts=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        key = await answer_first(pilot, (1, None, None))
        service_of(app).change_tags([key], "exam", add=True)
        screen = await open_browse(pilot)
        await pilot.press("d", "d")  # due, reversed
        await wait_until(pilot, lambda: screen.query_filter.descending)
        await settled(pilot)
        screen.query_one(DataTable).move_cursor(row=2)
        await pilot.press("space", "space")  # the last two rows
        await settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_snapshot_confirm_reset(
    snap_compare: Any, size: tuple[int, int], build_app: Callable[..., QuizcalcApp]
) -> None:
    app = build_app(toasts=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        await answer_first(pilot, (5, None, None))
        await open_browse(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal))

    assert snap_compare(app, terminal_size=size, run_before=run_before)
