"""The settings screen: each part saved in its place (the collection's in it, a deck's limits
through the picker, the device's in config.toml) and applied; a bad value is named in words
and nothing is written; the first field has the focus."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, Static

from quizcalc.config import Config, SettingError, validate_settings
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.screens.settings import SettingsScreen
from quizcalc.tui.widgets.deck_limits_form import DeckLimitsForm
from tests.tui.conftest import NOW, notified, screen_text, wait_ready, wait_until

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


async def test_the_first_field_has_the_focus_and_every_label_is_words(
    build_app: Callable[..., QuizcalcApp], config_file: Path
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_settings(pilot)
        await wait_until(pilot, lambda: app.focused is not None)
        assert app.focused is screen.query_one("#set-new_per_day", Input)
        await pilot.press("backspace", "backspace", "7")  # typing goes to it at once
        assert screen.query_one("#set-new_per_day", Input).value == "7"
        text = screen_text(app)
        assert "This collection · saved in it, travels with backups" in text
        assert "New cards per day" in text and "new_per_day" not in text
        assert screen.query_one("#set-drill_moves_schedule", Checkbox).label.plain == (
            "Drill answers reschedule cards"
        )
        where = str(screen.query_one("#settings-file", Static).render())
        assert f"This device · saved in {config_file}" in where  # its full path


async def test_save_puts_each_setting_in_its_place_and_applies_it(
    build_app: Callable[..., QuizcalcApp], config_file: Path
) -> None:
    config_file.write_text('theme = "nord"\n', encoding="utf-8")  # chosen with ctrl+t
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_settings(pilot)
        screen.query_one("#set-new_per_day", Input).value = "25"
        screen.query_one("#set-leech_threshold", Input).value = "5"
        screen.query_one("#set-drill_moves_schedule", Checkbox).value = True
        screen.query_one("#set-backups_keep", Input).value = "7"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not screen)
        saved = tomllib.loads(config_file.read_text(encoding="utf-8"))
        assert saved["backups_keep"] == 7 and "new_per_day" not in saved  # the device's only
        assert saved["theme"] == "nord"  # not in the form, kept
        service = app.service
        assert service is not None
        wanted = Config(
            new_per_day=25,
            leech_threshold=5,
            drill_moves_schedule=True,
            backups_keep=7,
            theme="nord",
        )
        assert service.config == wanted
        assert service.reload_settings() == wanted  # the collection's are in the collection


async def test_a_decks_own_limits_are_edited_through_the_deck_picker(
    build_app: Callable[..., QuizcalcApp], content: Path
) -> None:
    (content / "second.md").write_text("---\ndeck: Second\n---\n\nQ: Two?\nA: Yes.\n")
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_settings(pilot)
        picker = screen.query_one("#deck-choice", Select)
        assert picker.value == "Calculus"
        assert "blank: collection's 10" in screen_text(app)
        screen.query_one("#deck-new", Input).value = "3"
        picker.value = "Second"
        await wait_until(pilot, lambda: screen.query_one(DeckLimitsForm).shown == "Second")
        assert screen.query_one("#deck-new", Input).value == ""  # Second has no limit of its own
        screen.query_one("#deck-reviews", Input).value = "40"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not screen)
        assert app.service is not None
        limits = {d.deck: (d.new_per_day, d.reviews_per_day) for d in app.service.deck_limits(NOW)}
        assert limits == {"Calculus": (3, None), "Second": (None, 40)}


async def test_a_bad_value_is_named_in_words_and_nothing_is_written(
    build_app: Callable[..., QuizcalcApp], config_file: Path
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_settings(pilot)
        hour = screen.query_one("#set-rollover_hour", Input)
        hour.focus()
        await pilot.press("end", "backspace", "3", "0")  # typing checks at once
        await wait_until(pilot, lambda: screen.error is not None)
        assert "Next day starts at (hour): must be between 0 and 23, got 30." in screen_text(app)
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
        deck_new = screen.query_one("#deck-new", Input)
        deck_new.value = "-2"
        await wait_until(pilot, lambda: screen.error is not None)
        assert screen.error == "Calculus: new cards per day must be between 0 and 10000, got -2."
        assert deck_new.has_class("-invalid")
        await pilot.press("escape")  # cancel: still nothing written
        await wait_until(pilot, lambda: app.screen is not screen)
        assert not config_file.exists()
        assert app.service is not None and app.service.config == Config()
        assert app.service.deck_limits(NOW)[0].new_per_day is None


async def test_a_value_config_toml_sets_in_vain_is_shown_until_saved(
    build_app: Callable[..., QuizcalcApp], config_file: Path, db_path: Path
) -> None:
    from quizcalc.study import StudyService

    StudyService.open(f"sqlite:///{db_path}", Config()).close()  # the collection has 10
    config_file.write_text("new_per_day = 30\n", encoding="utf-8")
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        await wait_until(
            pilot, lambda: any("not used: new_per_day = 30" in t.message for t in notified(app))
        )
        screen = await _open_settings(pilot)
        ignored = str(screen.query_one("#settings-ignored", Static).render())
        assert ignored.startswith(f"{config_file}: not used: new_per_day = 30 (the collection has")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not screen)
        assert "new_per_day" not in config_file.read_text(encoding="utf-8")
        assert app.service is not None and app.service.settings_warning is None


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_snapshot_settings(
    snap_compare: Any,
    size: tuple[int, int],
    build_app: Callable[..., QuizcalcApp],
    environ: dict[str, str],
) -> None:
    home = Path(os.environ["HOME"])
    environ["QUIZCALC_CONFIG"] = str(home / ".config" / "quizcalc" / "config.toml")
    app = build_app(toasts=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await _open_settings(pilot)
        box = screen.query_one("#set-drill_difficulty", Input)
        box.cursor_blink = False  # the cursor stays shown: a slow run cannot catch it blinked off
        box.focus()
        await pilot.press("backspace", "7")
        await wait_until(pilot, lambda: screen.error is not None)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
