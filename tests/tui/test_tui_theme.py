"""The theme chosen is a device preference: it is written to config.toml and used next start."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.screens.settings import SettingsScreen
from tests.tui.conftest import notified, wait_ready, wait_until


def _saved_theme(config_file: Path) -> object:
    return tomllib.loads(config_file.read_text(encoding="utf-8")).get("theme")


async def test_the_theme_chosen_is_the_theme_of_the_next_start(
    build_app: Callable[..., QuizcalcApp], config_file: Path
) -> None:
    config_file.write_text("new_per_day = 3\nbackups_keep = 4\n", encoding="utf-8")
    app = build_app()
    async with app.run_test() as pilot:
        await wait_ready(pilot)
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: _saved_theme(config_file) == "textual-light")
        app.theme = "nord"  # as the palette's theme picker sets it
        await wait_until(pilot, lambda: _saved_theme(config_file) == "nord")
        await pilot.press("comma")  # saving the settings form keeps the theme
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, SettingsScreen))
        assert _saved_theme(config_file) == "nord"
    saved = tomllib.loads(config_file.read_text(encoding="utf-8"))
    assert saved["backups_keep"] == 4  # the device's other settings are kept
    assert "new_per_day" not in saved  # the collection's moved into it at the first start

    again = build_app()
    async with again.run_test() as pilot:
        await wait_ready(pilot)
        assert again.theme == "nord"
        assert again.service is not None and again.service.config.new_per_day == 3
        assert again.service.config.backups_keep == 4


async def test_an_unknown_saved_theme_keeps_the_default_and_says_so(
    build_app: Callable[..., QuizcalcApp], config_file: Path
) -> None:
    config_file.write_text('theme = "no-such-theme"\n', encoding="utf-8")
    app = build_app()
    async with app.run_test() as pilot:
        await wait_ready(pilot)
        assert app.theme == "textual-dark"
        assert any("unknown theme 'no-such-theme'" in toast.message for toast in notified(app))
    assert _saved_theme(config_file) == "no-such-theme"  # not overwritten behind its back


async def test_a_theme_that_is_not_a_name_is_a_settings_error(
    build_app: Callable[..., QuizcalcApp], config_file: Path
) -> None:
    config_file.write_text("theme = 3\n", encoding="utf-8")
    app = build_app()
    async with app.run_test() as pilot:
        await wait_ready(pilot)
        assert app.startup_error is not None
        assert "theme must be a name" in app.startup_error
