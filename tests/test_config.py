"""Settings file: defaults, typed values, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizcalc.config import Config, ConfigError, load_config, save_config


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml") == Config()


def test_values_round_trip_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c" / "config.toml"
    save_config(Config(new_per_day=25, rollover_hour=3), path)
    assert load_config(path) == Config(new_per_day=25, rollover_hour=3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('new_per_day = "ten"', "new_per_day must be a whole number"),
        ("rollover_hour = 30", "rollover_hour must be between 0 and 23"),
        ("colour = 1", "unknown setting 'colour'"),
        ("new_per_day = ", "not valid TOML"),
        ("new_per_day = true", "new_per_day must be a whole number"),
    ],
)
def test_bad_config_names_the_file_and_the_setting(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value) and expected in str(caught.value)


def test_switches_must_be_booleans(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("drill_moves_schedule = true\nleech_threshold = 5\n")
    assert load_config(path) == Config(drill_moves_schedule=True, leech_threshold=5)
    path.write_text("drill_moves_schedule = 1\n")
    with pytest.raises(ConfigError, match="drill_moves_schedule must be true or false"):
        load_config(path)
