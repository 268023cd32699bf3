"""``quizcalc settings`` and ``quizcalc decks``, in-process (CliRunner): each setting goes to
its place, a deck's limits and today's extension, and every mistake as one line."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizcalc.cli.main import cli

DECK = "Calculus & Optimization"


@pytest.fixture
def args(
    tmp_path: Path, new_database: Callable[[Path], Path], calculus_content: Path
) -> Callable[..., list[str]]:
    database = new_database(tmp_path / "quizcalc.sqlite3")
    config = tmp_path / "config.toml"

    def build(*rest: str) -> list[str]:
        return [
            "--db", str(database), "--config", str(config),
            "--content", str(calculus_content), *rest,
        ]  # fmt: skip

    return build


def _invoke(arguments: list[str]) -> Result:
    return CliRunner().invoke(cli, arguments, prog_name="quizcalc")


def test_settings_go_to_their_place_and_are_listed_in_words(
    args: Callable[..., list[str]], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("new_per_day = 12\n")
    listed = _invoke(args("settings"))
    assert listed.exit_code == 0, listed.output
    assert "Saved in this collection (travels with its backups):" in listed.stdout
    assert f"Saved on this device, in {config}:" in listed.stdout
    assert "  New cards per day                          12   new_per_day" in listed.stdout

    result = _invoke(args("settings", "set", "new_per_day", "8"))
    assert result.stdout == "New cards per day: 8 (new_per_day), saved in this collection\n"
    result = _invoke(args("settings", "set", "backups_keep", "6"))
    assert result.stdout == f"Automatic backups kept: 6 (backups_keep), saved in {config}\n"
    saved = tomllib.loads(config.read_text())
    assert saved["backups_keep"] == 6 and "new_per_day" not in saved  # the file's old copy goes
    shown = json.loads(_invoke(args("settings", "list", "--json")).stdout)
    assert shown["collection"]["new_per_day"] == 8 and shown["device"]["backups_keep"] == 6


def test_a_value_config_toml_still_sets_is_named_not_ignored(
    args: Callable[..., list[str]], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    _invoke(args("settings", "set", "new_per_day", "8"))
    config.write_text("new_per_day = 12\n")
    result = _invoke(args("settings"))
    assert result.stderr.startswith(
        f"quizcalc: {config}: not used: new_per_day = 12 (the collection has 8): daily limits"
    )
    assert "  New cards per day                           8   new_per_day" in result.stdout


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            ("settings", "set", "rollover_hour", "25"),
            "quizcalc: Next day starts at (hour): must be between 0 and 23, got 25 "
            "(nothing was saved)\n",
        ),
        (("settings", "set", "colour", "2"), "quizcalc: no setting named 'colour'; the settings"),
        (
            ("decks", "extend", "Nope", "--new", "3"),
            "quizcalc: no deck named 'Nope'; the decks are: Calculus & Optimization\n",
        ),
        (("decks", "set", DECK), "quizcalc: nothing to set: give --new N and/or --reviews N"),
        (("decks", "set", DECK, "--new", "lots"), "quizcalc: 'lots' is not a whole number"),
    ],
)
def test_mistakes_are_one_line(
    args: Callable[..., list[str]], command: tuple[str, ...], message: str
) -> None:
    _invoke(args("sync"))
    result = _invoke(args(*command))
    assert result.exit_code == 1
    assert result.stderr.startswith(message)


def test_a_decks_limits_and_todays_extension(args: Callable[..., list[str]]) -> None:
    listed = _invoke(args("decks"))
    assert f"{DECK}  10 (the collection's)" in listed.stdout
    result = _invoke(args("decks", "set", DECK, "--reviews", "50"))
    assert result.stdout == (f"{DECK}: new cards a day 10 (the collection's); reviews a day 50\n")
    result = _invoke(args("decks", "extend", DECK, "--new", "5"))
    assert result.stdout == (
        f"{DECK}: today 15 new cards (+5) and 50 reviews (+0); tomorrow the usual limits\n"
    )
    shown = json.loads(_invoke(args("decks", "list", "--json")).stdout)
    assert shown[0] == {
        "deck": DECK,
        "new_per_day": None,
        "reviews_per_day": 50,
        "extra_new": 5,
        "extra_reviews": 0,
        "new_today": 15,
        "reviews_today": 50,
    }
    assert _invoke(args("decks", "set", DECK, "--reviews", "default")).exit_code == 0
    reset = json.loads(_invoke(args("decks", "list", "--json")).stdout)[0]
    assert (reset["reviews_per_day"], reset["extra_new"]) == (None, 5)


def test_drill_defaults_are_the_collections(args: Callable[..., list[str]], tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("drill_count = 5\n")
    _invoke(args("settings", "set", "drill_count", "3"))  # seeded with 5, then set to 3
    sheet = tmp_path / "sheet.md"
    result = _invoke(args("drill", "--family", "chain_rule", "--seed", "1", "--export", str(sheet)))
    assert result.stdout == f"wrote 3 problems with an answer key to {sheet}\n", result.output
