"""Browse: the search syntax, Escape in the search box, sorting, selection, and changes to it."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable, Input

from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.modals.confirm import ConfirmModal
from quizcalc.tui.modals.tag_prompt import TagPromptModal
from quizcalc.tui.screens.browse import BrowseScreen
from tests.tui.browse_pilot import (
    answer_first,
    open_browse,
    questions,
    search,
    service_of,
    settled,
)
from tests.tui.conftest import (
    NOW,
    QUESTIONS,
    notified,
    screen_text,
    wait_ready,
    wait_until,
)


async def test_the_search_syntax_narrows_the_table_and_a_bad_term_says_so(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        await search(pilot, screen, "tag:optim* -cloze")
        await wait_until(pilot, lambda: len(screen.rows or []) == 2)
        await search(pilot, screen, 'tag:optim* -"descent moves"')
        await wait_until(pilot, lambda: len(screen.rows or []) == 1)
        assert questions(screen)[0].startswith(QUESTIONS[2])
        assert "1 card ·" in screen_text(app)
        await search(pilot, screen, "deck:CALC* section:derivatives is:new")
        await wait_until(pilot, lambda: len(screen.rows or []) == 2)
        await search(pilot, screen, "gradient is:foo")
        await wait_until(pilot, lambda: screen.problem is not None)
        text = screen_text(app)
        assert "“is:foo” not understood: is: takes due, new, review, suspended, leech" in text
        assert len(screen.rows or []) == 2  # the last good result stays on show
        screen.query_one(DataTable).focus()
        await pilot.press("s", "d")  # a change and a sort still act on the rows on show
        await wait_until(pilot, lambda: (screen.rows or [])[0].status == "suspended")
        await wait_until(pilot, lambda: "Due▲" in screen_text(app))
        assert screen.shown_query is not None and screen.shown_query.sort == "due"
        assert screen.problem is not None and "not understood" in screen_text(app)
        await search(pilot, screen, "")
        await wait_until(pilot, lambda: len(screen.rows or []) == 4 and screen.problem is None)


async def test_escape_in_the_search_box_clears_then_leaves_it_but_not_browse(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        await pilot.press("slash", *"power")
        await wait_until(pilot, lambda: len(screen.rows or []) == 1)
        await pilot.press("escape")  # clears the search
        await wait_until(pilot, lambda: len(screen.rows or []) == 4)
        box = screen.query_one("#browse-search", Input)
        assert box.value == "" and box.has_focus and app.screen is screen
        await pilot.press("escape")  # leaves the box for the table
        assert screen.query_one("#browse-table", DataTable).has_focus and app.screen is screen
        await pilot.press("escape")  # and now Escape goes back
        await wait_until(pilot, lambda: not isinstance(app.screen, BrowseScreen))


async def test_a_key_or_a_header_click_sorts_and_again_reverses(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        key = await answer_first(pilot, (1, None, None))
        screen = await open_browse(pilot)
        assert (screen.rows or [])[0].key == key
        await pilot.press("d")  # by due: the new cards after the one answered
        await wait_until(pilot, lambda: screen.query_filter.sort == "due")
        await settled(pilot)
        assert (screen.rows or [])[0].key == key and "by due date ▲" in screen_text(app)
        await pilot.press("d")  # again: reversed
        await wait_until(pilot, lambda: (screen.rows or [])[-1].key == key)
        assert "by due date ▼" in screen_text(app) and "Due▼" in screen_text(app)
        header = screen_text(app).splitlines()[4]
        await pilot.click(offset=(header.index("Ease") + 1, 4))  # the Ease header
        await wait_until(pilot, lambda: screen.query_filter.sort == "ease")
        await wait_until(pilot, lambda: (screen.rows or [])[0].key == key)  # 1.96 < 2.50
        await pilot.press("S", "S")  # by section, then reversed: Optimization first
        await wait_until(pilot, lambda: (screen.rows or [])[0].section == "Optimization")
        assert screen.query_filter.sort == "section"
        await pilot.press("o")
        await wait_until(pilot, lambda: screen.query_filter.sort is None)
        await wait_until(pilot, lambda: (screen.rows or [])[0].key == key)


async def test_space_and_a_select_and_suspend_acts_on_the_selection_with_undo(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        service = service_of(app)
        keys = [r.key for r in screen.rows or []]
        await pilot.press("space", "down", "space")  # rows 1 and 3 (space moves down)
        assert screen.selected == {keys[0], keys[2]}
        assert "2 selected" in screen_text(app) and "● " in screen_text(app)
        await pilot.press("s")
        await wait_until(
            pilot, lambda: sum(r.status == "suspended" for r in screen.rows or []) == 2
        )
        assert {r.key for r in screen.rows or [] if r.status == "suspended"} == {keys[0], keys[2]}
        assert any("Suspended 2 cards" in t.message for t in notified(app))
        assert keys[0] not in service.queue(NOW).new
        await pilot.press("u")
        await wait_until(pilot, lambda: all(r.status == "active" for r in screen.rows or []))
        await pilot.press("a")  # every match
        assert screen.selected == set(keys)
        await pilot.press("a")  # again: none
        assert screen.selected == set()


async def test_reset_of_a_selection_asks_once_and_undo_restores_every_card(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        service = service_of(app)
        for _ in range(2):
            card = service.next_card(NOW)
            assert card is not None
            service.answer(card.key, 5, NOW)
        screen = await open_browse(pilot)
        await pilot.press("a", "r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        assert "Reset the 4 cards selected to new?" in screen_text(app)
        await pilot.press("y")
        await wait_until(pilot, lambda: all(r.due is None for r in screen.rows or []))
        await pilot.press("u")
        await wait_until(pilot, lambda: sum(r.due is not None for r in screen.rows or []) == 2)


async def test_tags_are_added_and_removed_on_the_selection_and_shown(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        await pilot.press("space", "space", "t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagPromptModal))
        assert "Add tag to the 2 cards selected." in screen_text(app)
        await pilot.press(*"exam", "enter")
        await wait_until(pilot, lambda: "exam" in (screen.rows or [])[1].tags)
        assert (screen.rows or [])[0].tags == ("derivatives", "exam")
        assert any("exam added to 2 cards" in t.message for t in notified(app))
        await search(pilot, screen, "tag:exam")
        await wait_until(pilot, lambda: len(screen.rows or []) == 2)
        screen.selected.clear()
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(app.screen, TagPromptModal))
        assert "Their tags: derivatives exam" in screen_text(app)
        await pilot.press(*"exam", "enter")
        await wait_until(pilot, lambda: len(screen.rows or []) == 1)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagPromptModal))
        await pilot.press("escape")  # cancelled: nothing changes
        await wait_until(pilot, lambda: app.screen is screen)
        assert len(screen.rows or []) == 1
