"""The collection's settings live in its database: seeded once from config.toml, then theirs;
a value config.toml still sets differently is named, never silently ignored.

On SQLite and on PostgreSQL, but the start-up fast path's test (a SQLite file's)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import fields
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from quizcalc.config import COLLECTION_SETTINGS, DEVICE_SETTINGS, Config
from quizcalc.store import open_store
from quizcalc.study import StudyService, open_study
from quizcalc.study.errors import InvalidRequest, InvalidSetting
from quizcalc.study.first_card import peek_first_card
from quizcalc.study.settings import SETTING_LABELS, save_settings
from tests.conftest import FIXED_NOW, REPO_ROOT
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # the tests taking db_url run on both backends


def _stored(db_url: str) -> dict[str, str]:
    store = open_store(db_url)
    try:
        with store.transaction() as session:
            rows = session.execute(text("SELECT name, value FROM collection_settings"))
            return {name: value for name, value in rows}
    finally:
        store.close()


def test_the_first_open_copies_config_toml_in_once_then_the_collection_decides(
    db_url: str, tmp_path: Path
) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text("new_per_day = 20\nleech_threshold = 5\nbackups_keep = 3\n")
    service = open_study(db_url, config_file)
    assert (service.config.new_per_day, service.config.leech_threshold) == (20, 5)
    assert service.settings_warning is None  # the file and the collection agree
    service.close()
    assert _stored(db_url)["new_per_day"] == "20"
    assert "backups_keep" not in _stored(db_url)  # the device's own stays in the file

    config_file.write_text("new_per_day = 7\nleech_threshold = 5\nbackups_keep = 4\n")
    again = open_study(db_url, config_file)
    assert again.config.new_per_day == 20  # the collection's, not the file's
    assert again.config.backups_keep == 4  # the device's, from the file
    assert again.settings_warning == (
        f"{config_file}: not used: new_per_day = 7 (the collection has 20): daily limits and "
        "other study settings are now saved in the collection (they travel with its "
        "backups); change them in Settings or with `quizcalc settings set NAME VALUE`, and "
        "delete the line from the file"
    )
    again.close()


def test_saving_the_device_settings_drops_the_files_old_collection_values(
    db_url: str, tmp_path: Path
) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text("new_per_day = 7\nbackups_keep = 4\n")
    service = open_study(db_url, config_file)
    save_settings(service.config, config_file)
    saved = tomllib.loads(config_file.read_text())
    assert saved["backups_keep"] == 4 and "new_per_day" not in saved
    service.close()
    assert open_study(db_url, config_file).settings_warning is None


def test_saved_collection_settings_are_checked_and_kept(db_url: str) -> None:
    service = StudyService.open(db_url, Config())
    assert service.save_collection_settings({"new_per_day": 3, "rollover_hour": 6}).new_per_day == 3
    with pytest.raises(InvalidSetting, match="rollover_hour must be between 0 and 23, got 30"):
        service.save_collection_settings({"new_per_day": 4, "rollover_hour": 30})
    with pytest.raises(InvalidRequest, match="backups_keep is not one of the collection's"):
        service.save_collection_settings({"backups_keep": 3})
    service.close()
    reopened = StudyService.open(db_url, Config(new_per_day=50))
    assert (reopened.config.new_per_day, reopened.config.rollover_hour) == (3, 6)
    reopened.close()


def test_an_unusable_stored_value_is_named_and_not_used(db_url: str) -> None:
    opened = StudyService.open(db_url, Config())
    with opened.transaction(write=True) as session:
        session.execute(
            text("UPDATE collection_settings SET value = '\"ten\"' WHERE name = 'new_per_day'")
        )
        session.execute(
            text("INSERT INTO collection_settings VALUES ('fsrs_weights', '[0.4, 1.2]')")
        )
    opened.close()
    service = StudyService.open(db_url, Config(new_per_day=12))
    assert service.config.new_per_day == 12
    assert service.settings_problems == (
        "the collection's setting new_per_day is unusable (new_per_day must be a whole number, "
        "got 'ten'); set it again in Settings (until then config.toml's value or the default "
        "applies)",
    )
    service.close()
    assert "fsrs_weights" in _stored(db_url)  # a newer version's setting is left alone


def test_the_first_card_at_start_up_follows_the_collections_limits(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    """The start-up fast path (stdlib ``sqlite3``, so on SQLite only: on PostgreSQL the normal
    path shows the first card) reads the collection's limits and day."""
    db_url = f"sqlite:///{new_database(tmp_path / 'fast.sqlite3')}"
    service = StudyService.open(db_url, Config(new_per_day=0))
    service.sync(REPO_ROOT / "content", FIXED_NOW)
    assert peek_first_card(db_url, FIXED_NOW, Config(new_per_day=5)) is None  # 0 in the collection
    service.save_collection_settings({"new_per_day": 5, "rollover_hour": 10})
    first = peek_first_card(db_url, FIXED_NOW, Config(new_per_day=0))
    assert first is not None and first.reason == "new"
    assert service.today(FIXED_NOW) == FIXED_NOW.date() - timedelta(days=1)  # 09:00 < 10:00
    service.close()


def test_another_windows_change_applies_at_the_next_card(db_url: str) -> None:
    first = StudyService.open(db_url, Config())
    first.sync(REPO_ROOT / "content", FIXED_NOW)
    second = StudyService.open(db_url, Config())
    assert len(second.queue(FIXED_NOW).new) == 10
    first.save_collection_settings({"new_per_day": 2})
    assert len(second.queue(FIXED_NOW).new) == 2
    assert second.home(FIXED_NOW).new == 2 and second.config.new_per_day == 2
    first.close()
    second.close()


def test_every_setting_is_either_the_collections_or_the_devices() -> None:
    names = {field.name for field in fields(Config)}
    assert set(COLLECTION_SETTINGS) | set(DEVICE_SETTINGS) == names
    assert not set(COLLECTION_SETTINGS) & set(DEVICE_SETTINGS)
    assert set(SETTING_LABELS) == names  # each has its words
