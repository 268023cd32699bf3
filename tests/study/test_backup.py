"""Full JSON backups through the study layer: byte-identical round trips, all-or-nothing
restores, the automatic backup of a replaced database, the settings, and every failure as a
:class:`StudyError`."""

from __future__ import annotations

import json
import re
import sqlite3
import tomllib
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import quizcalc.store.connection as store_connection
from quizcalc.config import COLLECTION_SETTINGS, DEVICE_SETTINGS, Config, load_config
from quizcalc.store.errors import StoreError
from quizcalc.store.models import CardRecord, ReviewLogRecord, SourceRecord
from quizcalc.store.schema_version import HEAD_REVISION
from quizcalc.study import StudyService
from quizcalc.study.backup import BACKUP_TABLES, count_rows, holds_data, read_backup
from quizcalc.study.backup_use_cases import automatic_backup_path
from quizcalc.study.errors import (
    CollectionUnavailable,
    ExchangeProblem,
    InvalidRequest,
    StudyError,
)
from tests.conftest import FIXED_NOW

SETTINGS = len(DEVICE_SETTINGS)
"""The device's settings are in a backup's ``settings``; the collection's are its rows."""


def _backup(service: StudyService, path: Path, progress: Any = None) -> bytes:
    service.export_backup(path, progress)
    return path.read_bytes()


def _restore(service: StudyService, path: Path, *, force: bool = False, **kwargs: Any) -> Any:
    return service.restore_backup(path, now=FIXED_NOW, force=force, **kwargs)


@pytest.fixture
def fresh(tmp_path: Path, new_database: Callable[[Path], Path]) -> Any:
    """An empty, migrated store."""
    service = StudyService.open(f"sqlite:///{new_database(tmp_path / 'fresh.sqlite3')}", Config())
    yield service
    service.close()


@pytest.fixture
def backup_file(studied: StudyService, tmp_path: Path) -> Path:
    """A backup of the ``studied`` store."""
    path = tmp_path / "backup.json"
    _backup(studied, path)
    return path


def _edit(path: Path, change: Any, name: str = "edited.json") -> Path:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    target = path.with_name(name)
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def _counts(service: StudyService) -> dict[str, int]:
    with service.transaction() as session:
        return count_rows(session)


# --- round trip ----------------------------------------------------------------------------


def test_backup_restore_backup_is_byte_identical(
    studied: StudyService, fresh: StudyService, tmp_path: Path
) -> None:
    first = _backup(studied, tmp_path / "first.json")
    _restore(fresh, tmp_path / "first.json")
    second = _backup(fresh, tmp_path / "second.json")
    assert second == first


def test_backup_holds_everything_with_its_keys(studied: StudyService, backup_file: Path) -> None:
    data = json.loads(backup_file.read_text(encoding="utf-8"))
    expected = ("quizcalc-backup", 1, HEAD_REVISION)
    assert (data["format"], data["version"], data["schema"]) == expected
    assert data["settings"] == {name: asdict(Config())[name] for name in DEVICE_SETTINGS}
    stored = data["collection_settings"]["rows"]
    assert sorted(name for name, _ in stored) == sorted(COLLECTION_SETTINGS)
    with studied.transaction() as session:
        counts = count_rows(session)
        log_keys = session.execute(select(ReviewLogRecord.id).order_by(ReviewLogRecord.id))
        assert [row[0] for row in data["review_log"]["rows"]] == list(log_keys.scalars())
    for key in BACKUP_TABLES:
        assert len(data[key]["rows"]) == counts[key]
    assert counts["review_log"] == 30
    cards = data["cards"]
    statuses = {row[cards["columns"].index("status")] for row in cards["rows"]}
    assert "suspended" in statuses
    log = data["review_log"]
    misconceptions = {row[log["columns"].index("misconception")] for row in log["rows"]}
    assert "sign_error" in misconceptions
    assert "2026-11-26T09:00:00+00:00" in backup_file.read_text(encoding="utf-8")


def test_export_reports_what_it_wrote(studied: StudyService, tmp_path: Path) -> None:
    report = studied.export_backup(tmp_path / "b.json")
    assert report.counts == {
        **_counts(studied),
        "settings": SETTINGS,
        "retired_cards": 0,
        "log_not_answers": 0,
    }
    assert report.size == (tmp_path / "b.json").stat().st_size
    assert report.summary() == (
        f"backed up 1 deck, 92 cards, 30 reviews and {SETTINGS} settings to {tmp_path / 'b.json'}"
    )


def test_restored_store_serves_the_same_history(
    studied: StudyService, fresh: StudyService, backup_file: Path
) -> None:
    _restore(fresh, backup_file)
    with studied.transaction() as a, fresh.transaction() as b:
        query = select(CardRecord.card_id, ReviewLogRecord.quality, ReviewLogRecord.reviewed_at)
        query = query.join(CardRecord).order_by(ReviewLogRecord.id)
        assert a.execute(query).all() == b.execute(query).all()


@pytest.mark.parametrize("layout", ["compact", "indented", "reordered"])
def test_a_reformatted_backup_restores_the_same(
    fresh: StudyService, backup_file: Path, tmp_path: Path, layout: str
) -> None:
    """Any JSON layout of the same data restores: not only the one quizcalc writes."""
    data = json.loads(backup_file.read_text(encoding="utf-8"))
    if layout == "reordered":  # tables first, "rows" before "columns", header last
        data = {
            **{k: {"rows": data[k]["rows"], "columns": data[k]["columns"]} for k in BACKUP_TABLES},
            **{k: v for k, v in data.items() if k not in BACKUP_TABLES},
        }
    other = tmp_path / f"{layout}.json"
    if layout == "compact":
        other.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    else:
        other.write_text(json.dumps(data, indent=4, ensure_ascii=True), encoding="utf-8")
    _restore(fresh, other)
    assert _backup(fresh, tmp_path / "again.json") == backup_file.read_bytes()


def test_progress_counts_every_row(studied: StudyService, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    _backup(studied, tmp_path / "b.json", lambda done, total: calls.append((done, total)))
    total = calls[-1][1]
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_restore_reports_progress(fresh: StudyService, backup_file: Path) -> None:
    calls: list[tuple[int, int]] = []
    backup = read_backup(backup_file)
    report = _restore(fresh, backup, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (backup.rows, backup.rows)
    assert report.counts["review_log"] == 30
    assert "30 reviews" in report.summary()
    assert (report.replaced, report.saved_to, report.settings) == ({}, None, "not asked")


def test_an_older_schema_without_the_note_column_restores(
    fresh: StudyService, backup_file: Path
) -> None:
    def drop_note(data: dict[str, Any]) -> None:
        data["schema"] = "0003"
        cards = data["cards"]
        index = cards["columns"].index("note")
        del cards["columns"][index]
        for row in cards["rows"]:
            del row[index]

    _restore(fresh, _edit(backup_file, drop_note))
    with fresh.transaction() as session:
        notes = set(session.execute(select(CardRecord.note)).scalars())
    assert notes == {""}


def test_a_0005_backup_without_source_keys_restores_one_row_per_key(
    fresh: StudyService, backup_file: Path
) -> None:
    """Before 0006 sources had no key, and two first starts could leave two content rows."""
    twin_id = 1000
    folders: list[str] = []

    def as_0005(data: dict[str, Any]) -> None:
        data["schema"] = "0005"
        sources, cards = data["sources"], data["cards"]
        index = sources["columns"].index("key")
        del sources["columns"][index]
        for row in sources["rows"]:
            del row[index]
        role = sources["columns"].index("role")
        path = sources["columns"].index("path")
        sources["rows"][0][role] = "content"
        folders.append(sources["rows"][0][path])
        twin = [*sources["rows"][0]]
        twin[sources["columns"].index("id")] = twin_id
        sources["rows"].append(twin)
        sources["rows"].append([*twin[:path], "/an/import.md", *twin[path + 1 :]])
        sources["rows"][-1][sources["columns"].index("id")] = twin_id + 1
        sources["rows"][-1][role] = "import"
        cards["rows"][0][cards["columns"].index("source_id")] = twin_id

    _restore(fresh, _edit(backup_file, as_0005))
    with fresh.transaction() as session:
        keys = session.execute(select(SourceRecord.key).order_by(SourceRecord.id)).scalars()
        assert list(keys) == [f"content:{folders[0]}", "import:/an/import.md"]
        first = session.scalars(select(CardRecord).order_by(CardRecord.id)).first()
        assert first is not None and first.source_id == 1
    assert _counts(fresh)["review_log"] == 30


def test_a_0012_backup_s_content_source_is_keyed_by_its_path_on_restore(
    fresh: StudyService, backup_file: Path, tmp_path: Path
) -> None:
    """Before 0013 the content folder's key was ``content`` alone, whatever its path."""
    folders: list[str] = []

    def as_0012(data: dict[str, Any]) -> None:
        data["schema"] = "0012"
        sources = data["sources"]
        key, path = sources["columns"].index("key"), sources["columns"].index("path")
        content = next(row for row in sources["rows"] if row[key].startswith("content:"))
        content[key] = "content"
        folders.append(content[path])

    _restore(fresh, _edit(backup_file, as_0012))
    with fresh.transaction() as session:
        keys = session.scalars(select(SourceRecord.key).where(SourceRecord.role == "content"))
        assert list(keys) == [f"content:{folders[0]}"]
    # the content folder syncs as the same source: nothing added, nothing retired
    sources = _counts(fresh)["sources"]
    report = fresh.sync(Path(folders[0]), FIXED_NOW)
    assert (report.added, report.retired) == (0, 0)
    assert _counts(fresh)["sources"] == sources


def test_a_0006_backup_without_note_types_restores(fresh: StudyService, backup_file: Path) -> None:
    """Before 0007 a backup had no ``note_types`` table and no Anki columns on cards."""

    def as_0006(data: dict[str, Any]) -> None:
        data["schema"] = "0006"
        del data["note_types"], data["anki_revlog_extra"]
        cards = data["cards"]
        for name in ("anki_guid", "anki_ord", "note_type_id", "anki_fields"):
            index = cards["columns"].index(name)
            del cards["columns"][index]
            for row in cards["rows"]:
                del row[index]

    _restore(fresh, _edit(backup_file, as_0006))
    counts = _counts(fresh)
    assert (counts["review_log"], counts["note_types"]) == (30, 0)
    assert counts["cards"] > 0


def test_a_0007_backup_without_anki_revlog_extra_restores(
    fresh: StudyService, backup_file: Path
) -> None:
    """Before 0008 a backup had no ``anki_revlog_extra`` table: it restores, the table empty."""

    def as_0007(data: dict[str, Any]) -> None:
        data["schema"] = "0007"
        del data["anki_revlog_extra"]

    _restore(fresh, _edit(backup_file, as_0007))
    counts = _counts(fresh)
    assert (counts["review_log"], counts["anki_revlog_extra"]) == (30, 0)


def test_a_bad_setting(backup_file: Path) -> None:
    path = _edit(backup_file, lambda d: d["settings"].update(rollover_hour=99))
    with pytest.raises(ExchangeProblem) as caught:
        read_backup(path)
    assert str(caught.value) == (
        f"{path}: settings: rollover_hour must be between 0 and 23, got 99"
    )


def test_a_bad_file_is_a_study_error_naming_line_and_column(
    fresh: StudyService, backup_file: Path
) -> None:
    text = backup_file.read_text(encoding="utf-8")
    backup_file.write_text(text.replace('"rows": [', '"rows": [}', 1), encoding="utf-8")
    with pytest.raises(
        ExchangeProblem,
        match=rf"^{re.escape(str(backup_file))}: corrupted JSON at line 8 column 12 ",
    ):
        _restore(fresh, backup_file)
    assert not holds_data(_counts(fresh))


# --- into a store that is not empty ------------------------------------------------------


def test_restore_into_a_non_empty_store_is_refused(
    studied: StudyService, backup_file: Path, tmp_path: Path
) -> None:
    with pytest.raises(InvalidRequest, match=r"not empty.*--force") as caught:
        _restore(studied, backup_file)
    assert str(caught.value).startswith(f"{backup_file}: not restored: the database ")
    assert "92 cards and 30 reviews" in str(caught.value)
    assert not automatic_backup_path(FIXED_NOW, studied.store.url).exists()


def test_replace_swaps_the_store_for_the_backup(
    studied: StudyService, fresh: StudyService, backup_file: Path, tmp_path: Path
) -> None:
    _restore(fresh, backup_file)
    fresh.set_suspended(1, True)
    changed = _backup(fresh, tmp_path / "changed.json")
    _restore(studied, tmp_path / "changed.json", force=True)
    assert _backup(studied, tmp_path / "after.json") == changed


def test_force_saves_the_replaced_database_first_and_says_where(
    studied: StudyService, backup_file: Path, tmp_path: Path
) -> None:
    studied.set_suspended(1, True)  # a change the restore undoes
    current = _backup(studied, tmp_path / "current.json")
    heard: list[Path] = []
    report = _restore(studied, backup_file, force=True, saved=heard.append)
    assert report.saved_to == automatic_backup_path(FIXED_NOW, studied.store.url) == heard[0]
    database = Path(studied.store.url.removeprefix("sqlite:///"))
    assert report.saved_to.parent == database.parent / "backups"  # beside its collection
    assert report.saved_to.name.startswith(f"{database.stem}-")
    assert report.saved_to.read_bytes() == current
    assert report.replaced == {**_counts(studied)}
    assert _backup(studied, tmp_path / "after.json") == backup_file.read_bytes()


def test_a_backups_folder_that_cannot_be_made_restores_nothing(
    studied: StudyService, backup_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Path(studied.store.url.removeprefix("sqlite:///"))
    (database.parent / "backups").write_text("", encoding="utf-8")  # a file in its place
    studied.set_suspended(1, True)
    before = _backup(studied, tmp_path / "before.json")
    with pytest.raises(StudyError, match=r"backups: cannot (write a backup|create the backups)"):
        _restore(studied, backup_file, force=True)
    assert _backup(studied, tmp_path / "after.json") == before


# --- settings ------------------------------------------------------------------------------


def test_the_backups_settings_are_written_and_used(
    fresh: StudyService, studied: StudyService, tmp_path: Path
) -> None:
    studied.config = replace(studied.config, backups_keep=5, import_max_rows=1000)
    _backup(studied, tmp_path / "b.json")
    settings = tmp_path / "config.toml"
    report = _restore(fresh, tmp_path / "b.json", settings_file=settings, write_settings=True)
    assert (report.settings, report.settings_summary()) == (
        "written",
        f"settings: restored to {settings}",
    )
    assert load_config(settings) == fresh.config == studied.config
    assert set(tomllib.loads(settings.read_text(encoding="utf-8"))) == set(DEVICE_SETTINGS)


def test_a_restore_brings_the_collection_settings_and_deck_limits_back(
    fresh: StudyService, studied: StudyService, tmp_path: Path
) -> None:
    studied.save_collection_settings({"new_per_day": 25, "rollover_hour": 5, "leech_threshold": 4})
    studied.set_deck_limits(
        "Calculus & Optimization", FIXED_NOW, new_per_day=7, reviews_per_day=None
    )
    _backup(studied, tmp_path / "b.json")
    assert fresh.config.new_per_day == 10
    _restore(fresh, tmp_path / "b.json")
    assert (fresh.config.new_per_day, fresh.config.rollover_hour) == (25, 5)
    assert fresh.config.leech_threshold == 4
    assert [(d.deck, d.new_per_day) for d in fresh.deck_limits(FIXED_NOW)] == [
        ("Calculus & Optimization", 7)
    ]
    reopened = StudyService.open(fresh.store.url, Config())  # read from the database
    assert reopened.config.new_per_day == 25
    reopened.close()


def test_a_backup_from_before_collection_settings_brings_its_settings_into_the_collection(
    fresh: StudyService, backup_file: Path
) -> None:
    def old_style(data: dict[str, Any]) -> None:
        data["collection_settings"]["rows"] = []
        data["settings"] = asdict(replace(Config(), new_per_day=30, relearn_gap=2))

    _restore(fresh, _edit(backup_file, old_style))
    assert (fresh.config.new_per_day, fresh.config.relearn_gap) == (30, 2)
    assert fresh.reload_settings().new_per_day == 30  # stored, not only in memory


def test_settings_already_in_place_are_left_alone(
    fresh: StudyService, backup_file: Path, tmp_path: Path
) -> None:
    settings = tmp_path / "config.toml"
    report = _restore(fresh, backup_file, settings_file=settings)
    assert report.settings_summary() == f"settings: unchanged ({settings})"
    assert not settings.exists()


def test_a_backup_without_settings_leaves_the_file_alone(
    fresh: StudyService, backup_file: Path, tmp_path: Path
) -> None:
    settings = tmp_path / "config.toml"
    settings.write_text("backups_keep = 3\n", encoding="utf-8")
    report = _restore(
        fresh, _edit(backup_file, lambda d: d.pop("settings")), settings_file=settings
    )
    assert report.settings_summary() == f"settings: none in the backup; {settings} left as it was"
    assert settings.read_text(encoding="utf-8") == "backups_keep = 3\n"


def test_settings_that_cannot_be_written_say_the_database_was_restored(
    fresh: StudyService, studied: StudyService, tmp_path: Path
) -> None:
    studied.config = replace(studied.config, backups_keep=5)
    _backup(studied, tmp_path / "b.json")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    settings = blocker / "config.toml"
    with pytest.raises(StudyError, match="the database was restored, but the settings could not"):
        _restore(fresh, tmp_path / "b.json", settings_file=settings, write_settings=True)
    assert _counts(fresh)["review_log"] == 30


# --- all or nothing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("review_log", "card_key", 999_999),  # a history row of a card not in the backup
        ("review_log", "id", 1),  # a duplicate primary key, deep in the file
        ("cards", "card_id", "derivative-meaning"),  # a duplicate content id
    ],
)
def test_a_restore_failing_half_way_leaves_the_store_as_it_was(
    studied: StudyService, backup_file: Path, tmp_path: Path, table: str, column: str, value: Any
) -> None:
    def spoil(data: dict[str, Any]) -> None:
        part = data[table]
        part["rows"][-1][part["columns"].index(column)] = value

    spoiled = _edit(backup_file, spoil)
    before = _backup(studied, tmp_path / "before.json")
    with pytest.raises(ExchangeProblem, match=f'cannot restore.*"{table}".*left unchanged'):
        _restore(studied, spoiled, force=True)
    assert _backup(studied, tmp_path / "after.json") == before


def test_a_failure_in_an_empty_store_leaves_it_empty(
    fresh: StudyService, backup_file: Path
) -> None:
    def spoil(data: dict[str, Any]) -> None:
        data["review_log"]["rows"][-1][1] = 999_999

    with pytest.raises(ExchangeProblem, match="review_log"):
        _restore(fresh, _edit(backup_file, spoil))
    assert not holds_data(_counts(fresh))


def test_a_locked_database_is_a_study_error_naming_it_and_changes_nothing(
    backup_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_connection, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "locked.sqlite3"
    service = StudyService.open(f"sqlite:///{path}", Config())
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(CollectionUnavailable) as caught:
            _restore(service, backup_file)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    message = str(caught.value)
    assert message.startswith(
        f"could not restore the backup: {path}: the collection is busy in another window"
    )
    assert isinstance(caught.value.__cause__, StoreError)
    assert not holds_data(_counts(service))
    service.close()


def test_a_backup_into_a_missing_folder_is_a_study_error(
    studied: StudyService, tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "b.json"
    with pytest.raises(
        ExchangeProblem, match=rf"^{re.escape(str(target))}: folder .* does not exist"
    ):
        studied.export_backup(target)


def test_a_settings_file_holding_other_settings_is_rewritten_when_asked(
    fresh: StudyService, backup_file: Path, tmp_path: Path
) -> None:
    """What the file holds counts, not the settings the service was opened with; the old
    file is copied aside first (named after ``now``)."""
    settings = tmp_path / "elsewhere.toml"
    settings.write_text("backups_keep = 3\n", encoding="utf-8")
    report = _restore(fresh, backup_file, settings_file=settings, write_settings=True)
    assert report.settings == "written"
    assert load_config(settings) == Config() == fresh.config
    kept = tmp_path / f"elsewhere.toml.bak-{FIXED_NOW:%Y%m%d-%H%M%S}"
    assert report.settings_saved_to == kept
    assert kept.read_text(encoding="utf-8") == "backups_keep = 3\n"
    again = _restore(fresh, backup_file, force=True, settings_file=settings, write_settings=True)
    assert again.settings == "unchanged"  # nothing rewritten, no second copy


def test_a_second_copy_in_the_same_second_never_overwrites_the_first(
    fresh: StudyService, backup_file: Path, tmp_path: Path
) -> None:
    settings = tmp_path / "config.toml"
    first = tmp_path / f"config.toml.bak-{FIXED_NOW:%Y%m%d-%H%M%S}"
    first.write_text("backups_keep = 1\n", encoding="utf-8")
    settings.write_text("backups_keep = 3\n", encoding="utf-8")
    report = _restore(fresh, backup_file, settings_file=settings, write_settings=True)
    assert report.settings_saved_to == first.with_name(f"{first.name}-2")
    assert first.read_text(encoding="utf-8") == "backups_keep = 1\n"


def test_settings_are_not_touched_unless_asked(
    fresh: StudyService, backup_file: Path, tmp_path: Path
) -> None:
    settings = tmp_path / "elsewhere.toml"
    settings.write_text("backups_keep = 3\n", encoding="utf-8")
    report = _restore(fresh, backup_file, settings_file=settings)
    assert report.settings == "kept"
    assert settings.read_text(encoding="utf-8") == "backups_keep = 3\n"
    assert sorted(p.name for p in tmp_path.glob("elsewhere.toml*")) == ["elsewhere.toml"]
