"""``quizcalc export FILE.json`` (via :func:`export_backup`) and ``quizcalc restore``.

The commands only parse, call the study service and print: every failure reaches the user as
one ``quizcalc: ...`` line.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import tomllib
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

import quizcalc.store.connection as store_connection
from quizcalc.cli.backup_command import export_backup, restore
from quizcalc.cli.common import PROGRESS_THRESHOLD, Options, progress_bar
from quizcalc.config import DEVICE_SETTINGS
from quizcalc.study import StudyService
from quizcalc.study.backup_use_cases import automatic_backup_path
from tests.conftest import FIXED_NOW

SETTINGS = len(DEVICE_SETTINGS)
"""The device's settings are a backup's ``settings``; the collection's travel as its rows."""


@pytest.fixture(autouse=True)
def _calculus_deck(monkeypatch: pytest.MonkeyPatch, calculus_content: Path) -> None:
    """The content folder holds the Calculus & Optimization deck (92 cards) alone."""
    monkeypatch.setenv("QUIZCALC_CONTENT", str(calculus_content))


@click.group()
@click.option("--db")
@click.option("--config")
@click.pass_context
def cli(ctx: click.Context, db: str | None, config: str | None) -> None:
    """A stand-in for the ``quizcalc`` group: just the global options these commands read."""
    ctx.obj = Options(db=db, content=None, config=config)


@cli.command("export")
@click.argument("out", type=click.Path(path_type=Path))
@click.pass_obj
def export(options: Options, out: Path) -> None:
    """What ``quizcalc export OUT.json`` does."""
    export_backup(options, out)


cli.add_command(restore)


def _run(db: str, config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db, "--config", str(config), *args])


def _ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def _one_line_error(result: Result, *fragments: str) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A settings file with two of the device's settings changed from the defaults."""
    path = tmp_path / "config.toml"
    path.write_text("backups_keep = 5\nimport_max_rows = 400000\n", encoding="utf-8")
    return path


@pytest.fixture
def other(tmp_path: Path) -> tuple[str, Path]:
    """Another (empty) database and config file, as on a second machine."""
    return f"sqlite:///{tmp_path / 'other.sqlite3'}", tmp_path / "other.toml"


def test_export_restore_export_is_byte_identical(
    studied: StudyService, db_url: str, config: Path, other: tuple[str, Path], tmp_path: Path
) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    result = _ok(_run(db_url, config, "export", str(first)))
    assert (
        f"backed up 1 deck, 92 cards, 30 reviews and {SETTINGS} settings to {first}"
        in result.output
    )
    restored = _ok(_run(*other, "restore", "--settings", str(first)))
    assert f"restored 1 deck, 92 cards and 30 reviews from {first}" in restored.output
    assert f"settings: restored to {other[1]}" in restored.output
    _ok(_run(*other, "export", str(second)))
    assert second.read_bytes() == first.read_bytes()
    settings = tomllib.loads(other[1].read_text(encoding="utf-8"))
    assert (settings["backups_keep"], settings["import_max_rows"]) == (5, 400000)


def test_restoring_the_same_settings_leaves_the_config_file_alone(
    studied: StudyService, db_url: str, config: Path, tmp_path: Path
) -> None:
    out = tmp_path / "b.json"
    _ok(_run(db_url, config, "export", str(out)))
    text = config.read_text(encoding="utf-8")
    result = _ok(_run(db_url, config, "restore", "--force", str(out)))
    assert f"settings: unchanged ({config})" in result.output
    assert config.read_text(encoding="utf-8") == text


def test_a_non_empty_database_is_refused_without_force(
    studied: StudyService, db_url: str, config: Path, tmp_path: Path
) -> None:
    out = tmp_path / "b.json"
    _ok(_run(db_url, config, "export", str(out)))
    studied.set_suspended(1, True)
    before = _ok(_run(db_url, config, "export", str(tmp_path / "before.json")))
    result = _run(db_url, config, "restore", str(out))
    _one_line_error(result, str(out), "not restored", "92 cards and 30 reviews", "--force")
    _ok(_run(db_url, config, "export", str(tmp_path / "after.json")))
    assert before.exit_code == 0
    assert (tmp_path / "after.json").read_bytes() == (tmp_path / "before.json").read_bytes()


def test_force_saves_the_database_first_and_says_where(
    studied: StudyService, db_url: str, config: Path, tmp_path: Path
) -> None:
    out = tmp_path / "b.json"
    _ok(_run(db_url, config, "export", str(out)))
    studied.set_suspended(1, True)  # a change the restore undoes
    _ok(_run(db_url, config, "export", str(tmp_path / "changed.json")))
    result = _ok(_run(db_url, config, "restore", "--force", str(out)))
    saved = Path(result.output.split("saved the current database to ")[1].splitlines()[0])
    expected = automatic_backup_path(FIXED_NOW, db_url)  # the CLI's clock is the real one
    assert saved.parent == expected.parent and saved.name.endswith("-before-restore.json")
    assert saved.read_bytes() == (tmp_path / "changed.json").read_bytes()
    _ok(_run(db_url, config, "export", str(tmp_path / "after.json")))
    assert (tmp_path / "after.json").read_bytes() == out.read_bytes()


def test_a_restore_failing_half_way_changes_nothing(
    studied: StudyService, db_url: str, config: Path, tmp_path: Path
) -> None:
    out = tmp_path / "b.json"
    _ok(_run(db_url, config, "export", str(out)))
    data = json.loads(out.read_text(encoding="utf-8"))
    data["review_log"]["rows"][-1][1] = 999_999  # a review of a card not in the backup
    spoiled = tmp_path / "spoiled.json"
    spoiled.write_text(json.dumps(data), encoding="utf-8")
    config.write_text("backups_keep = 3\n", encoding="utf-8")
    result = _run(db_url, config, "restore", "--force", str(spoiled))
    assert "saved the current database to" in result.output
    _one_line_error(result, str(spoiled), 'table "review_log"', "left unchanged")
    _ok(_run(db_url, config, "export", str(tmp_path / "after.json")))
    after = json.loads((tmp_path / "after.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in after.items() if k != "settings"} == {
        k: v for k, v in json.loads(out.read_text(encoding="utf-8")).items() if k != "settings"
    }
    assert config.read_text(encoding="utf-8") == "backups_keep = 3\n"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b'{"format": "quizcalc-backup", "version": 1, "sche', "truncated"),
        (b"# Calculus\n\nQ: What is a derivative?\n", "not JSON"),
        (b"PK\x03\x04rest of an apkg", "zip archive"),
        (b'{"decks": []}', "not a quizcalc backup"),
        (b'{"format": "quizcalc-backup", "version": 7}', "newer quizcalc"),
    ],
)
def test_a_bad_backup_is_one_line_and_touches_nothing(
    other: tuple[str, Path], tmp_path: Path, content: bytes, fragment: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    _one_line_error(_run(*other, "restore", str(bad)), f"quizcalc: {bad}: ", fragment)
    assert not Path(other[0].removeprefix("sqlite:///")).exists()
    assert not other[1].exists()


def test_a_corrupted_backup_names_its_line_and_column(
    studied: StudyService, db_url: str, config: Path, other: tuple[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "b.json"
    _ok(_run(db_url, config, "export", str(out)))
    text = out.read_text(encoding="utf-8")
    out.write_text(text.replace('"rows": [', '"rows": [}', 1), encoding="utf-8")
    line = _one_line_error(_run(*other, "restore", str(out)))
    assert re.fullmatch(
        rf"quizcalc: {re.escape(str(out))}: corrupted JSON at line 8 column 12 .*", line
    )
    assert not Path(other[0].removeprefix("sqlite:///")).exists()


def test_a_locked_database_during_restore_is_one_line_naming_it(
    studied: StudyService,
    db_url: str,
    config: Path,
    other: tuple[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "b.json"
    _ok(_run(db_url, config, "export", str(out)))
    _ok(_run(*other, "export", str(tmp_path / "empty.json")))  # creates the other database
    monkeypatch.setattr(store_connection, "BUSY_TIMEOUT_MS", 100)
    database = other[0].removeprefix("sqlite:///")
    blocker = sqlite3.connect(database, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        result = _run(*other, "restore", str(out))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    _one_line_error(
        result,
        f"quizcalc: could not restore the backup: {database}: the collection is busy in "
        "another window",
    )
    _ok(_run(*other, "restore", str(out)))  # nothing was written: it restores once free


def test_settings_that_cannot_be_written_are_one_line_after_the_restore(
    studied: StudyService,
    db_url: str,
    config: Path,
    other: tuple[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "b.json"
    _ok(_run(db_url, config, "export", str(out)))

    def full_disk(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("quizcalc.study.backup_use_cases.save_config", full_disk)
    result = _run(*other, "restore", "--settings", str(out))
    _one_line_error(
        result,
        f"quizcalc: {other[1]}: the database was restored, but the settings could not be "
        "written (No space left on device)",
    )
    assert "92 cards" in _ok(_run(*other, "export", str(tmp_path / "again.json"))).output


def test_a_restore_into_another_database_leaves_the_shared_settings_alone(
    studied: StudyService, db_url: str, config: Path, other: tuple[str, Path], tmp_path: Path
) -> None:
    """The settings file serves every database: restoring cards never rewrites it unasked."""
    out = tmp_path / "b.json"
    _ok(_run(db_url, config, "export", str(out)))
    other[1].write_text("backups_keep = 60\n", encoding="utf-8")
    result = _ok(_run(*other, "restore", str(out)))
    assert other[1].read_text(encoding="utf-8") == "backups_keep = 60\n"
    assert (
        f"settings: {other[1]} left as it was; the backup's settings differ (pass --settings "
        "to restore them too)"
    ) in result.output
    assert [p.name for p in tmp_path.glob("other.toml.bak-*")] == []


def test_restoring_the_settings_keeps_a_copy_of_the_old_file_and_names_it(
    studied: StudyService, db_url: str, config: Path, other: tuple[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "b.json"
    _ok(_run(db_url, config, "export", str(out)))
    other[1].write_text("backups_keep = 60\n", encoding="utf-8")
    result = _ok(_run(*other, "restore", "--settings", str(out)))
    (copy,) = tmp_path.glob("other.toml.bak-*")
    assert re.fullmatch(r"other\.toml\.bak-\d{8}-\d{6}", copy.name)
    assert copy.read_text(encoding="utf-8") == "backups_keep = 60\n"
    assert f"settings: restored to {other[1]} (the old file was kept as {copy})" in result.output
    restored = tomllib.loads(other[1].read_text(encoding="utf-8"))
    assert restored["backups_keep"] == 5 and "new_per_day" not in restored  # the device's only


def test_a_missing_backup(other: tuple[str, Path], tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    _one_line_error(_run(*other, "restore", str(missing)), str(missing), "no such file")


def test_backup_into_a_missing_folder(other: tuple[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "nope" / "b.json"
    _one_line_error(_run(*other, "export", str(target)), str(target), "does not exist")
    assert not Path(other[0].removeprefix("sqlite:///")).exists()


def test_progress_bar_only_on_a_terminal_and_only_for_big_jobs() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    class Pipe(io.StringIO):
        def isatty(self) -> bool:
            return False

    big = PROGRESS_THRESHOLD + 1
    for stream, total, drawn in [
        (Terminal(), big, True),
        (Terminal(), PROGRESS_THRESHOLD, False),
        (Pipe(), big, False),
    ]:
        with progress_bar("restoring", stream) as progress:
            for done in (0, total // 2, total):
                progress(done, total)
        assert ("restoring" in stream.getvalue()) is drawn


def test_the_automatic_backup_is_named_after_the_time_beside_its_collection(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    path = automatic_backup_path(FIXED_NOW, url)
    assert path == tmp_path / "backups" / "q-20261126-090000-before-restore.json"
    other = automatic_backup_path(FIXED_NOW, f"sqlite:///{tmp_path / 'other' / 'q.sqlite3'}")
    assert other.parent != path.parent  # two collections never mix their backups
