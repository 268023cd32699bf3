"""Every screen is one key (or one palette entry) away from home."""

from __future__ import annotations

from collections.abc import Callable

from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.screens.browse import BrowseScreen
from quizcalc.tui.screens.home import HomeScreen
from quizcalc.tui.screens.settings import SettingsScreen
from tests.tui.conftest import wait_ready, wait_until


async def test_home_keys_open_browse_and_settings(build_app: Callable[..., QuizcalcApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("comma")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_palette_lists_browse_and_settings(build_app: Callable[..., QuizcalcApp]) -> None:
    from quizcalc.tui.commands import COMMANDS

    names = {command.name: command.action for command in COMMANDS}
    assert names["Browse cards"] == "browse" and names["Settings"] == "settings"
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await app.run_action("browse")
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen))


async def test_home_shows_sync_progress_until_the_data_is_open(
    build_app: Callable[..., QuizcalcApp],
) -> None:
    from quizcalc.tui.messages import SyncProgressed
    from tests.tui.conftest import screen_text

    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.home_screen.summary = None  # as before the worker finishes
        app.post_message(SyncProgressed(12, 40))
        await wait_until(pilot, lambda: "Syncing your cards… 12/40 files" in screen_text(app))
