"""The settings screen: save writes the TOML and applies it; a bad value is named, not written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input

from quizcalc.config import Config, SettingError, load_config, validate_settings
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.screens.settings import SettingsScreen
from tests.tui.conftest import screen_text, wait_ready, wait_until

SIZES = [(80, 24), (120, 40)]
SIZE_IDS = ["80x24", "120x40"]


async def _open_settings(pilot: Pilot[Any]) -> SettingsScreen:
    app = pilot.app
    assert isinstance(app, QuizcalcApp)
    await wait_ready(pilot)
    screen = SettingsScreen()
    app.push_screen(screen)
    await wait_until(pilot, lambda: app.screen is screen)
    return screen


def test_validate_settings_applies_the_file_rules() -> None:
    assert validate_settings({"new_per_day": 3}) == Config(new_per_day=3)
    with pytest.raises(SettingError, match="between 0 and 23") as bounds:
        validate_settings({"rollover_hour": 24})
    assert bounds.value.key == "rollover_hour" and not bounds.value.wrong_type
    with pytest.raises(SettingError, match="whole number") as kind:
        validate_settings({"drill_count": "ten"})
    assert kind.value.wrong_type
    with pytest.raises(SettingError, match="unknown setting"):
        validate_settings({"colour": 1})


async def test_save_writes_the_toml_and_applies_it(
    build_app: Callable[..., QuizcalcApp], config_file: Path
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_settings(pilot)
        new = screen.query_one("#set-new_per_day", Input)
        new.value = "25"
        screen.query_one("#set-leech_threshold", Input).value = "5"
        screen.query_one("#set-drill_moves_schedule", Checkbox).value = True
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not screen)
        saved = load_config(config_file)
        assert saved == Config(new_per_day=25, leech_threshold=5, drill_moves_schedule=True)
        assert app.service is not None and app.service.config == saved


async def test_a_bad_value_shows_the_error_and_writes_nothing(
    build_app: Callable[..., QuizcalcApp], config_file: Path
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_settings(pilot)
        hour = screen.query_one("#set-rollover_hour", Input)
        hour.focus()
        await pilot.press("end", "backspace", "3", "0")  # typing checks at once
        await wait_until(pilot, lambda: screen.error is not None)
        assert "rollover_hour must be between 0 and 23, got 30." in screen_text(app)
        assert hour.has_class("-invalid")
        await pilot.press("enter")  # Enter saves: refused
        await pilot.pause()
        assert app.screen is screen and screen.error is not None
        assert screen.error.startswith("Not saved")
        assert not config_file.exists()
        await pilot.press("backspace", "backspace", "x")
        await wait_until(pilot, lambda: "whole number" in (screen.error or ""))
        await pilot.press("backspace", "6")
        await wait_until(pilot, lambda: screen.error is None)
        assert not hour.has_class("-invalid")
        await pilot.press("escape")  # cancel: still nothing written
        await wait_until(pilot, lambda: app.screen is not screen)
        assert not config_file.exists()
        assert app.service is not None and app.service.config == Config()


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_snapshot_settings(
    snap_compare: Any, size: tuple[int, int], build_app: Callable[..., QuizcalcApp]
) -> None:
    app = build_app(toasts=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await _open_settings(pilot)
        box = screen.query_one("#set-drill_difficulty", Input)
        box.cursor_blink = False  # the cursor stays shown: a slow run cannot catch it blinked off
        box.focus()
        await pilot.press("backspace", "7")
        await wait_until(pilot, lambda: screen.error is not None)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
