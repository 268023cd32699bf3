"""``quizcalc backups list|restore`` and the damaged-collection message, in-process (CliRunner).

The damaged collection is real (:mod:`tests.damage`): many rows, the middle of the file
overwritten, so it still opens and only reading the cards fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizcalc.cli.main import cli
from quizcalc.store.snapshots import find_snapshots, write_snapshot
from tests.conftest import FIXED_NOW
from tests.damage import CARDS, damage_the_middle, fill


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="quizcalc")


@pytest.fixture
def big(tmp_path: Path, new_database: Callable[[Path], Path]) -> Path:
    """A collection of :data:`CARDS` cards and 12 reviews, and an empty content folder."""
    database = new_database(tmp_path / "quizcalc.sqlite3")
    fill(database)
    (tmp_path / "content").mkdir()
    return database


def _args(database: Path, *rest: str) -> list[str]:
    return ["--db", str(database), "--content", str(database.parent / "content"), *rest]


def test_a_collection_damaged_mid_file_names_its_newest_backup_and_the_fix(big: Path) -> None:
    backup = write_snapshot(big, FIXED_NOW, "close")
    before = _invoke(*_args(big, "cards", "list", "--json"))
    assert before.exit_code == 0, before.output
    damage_the_middle(big)
    damaged = big.read_bytes()
    result = _invoke(*_args(big, "cards", "list", "--json"))
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr == (
        f"quizcalc: could not sync your cards: {big}: this file is not a readable quizcalc "
        f"database (corrupted?). Your newest backup is {backup} (2026-11-26 09:00, 12 reviews): "
        f"`quizcalc --db {big} backups restore latest`\n"  # the command for this collection
    )
    assert big.read_bytes() == damaged  # left as it was

    restored = _invoke(*_args(big, "backups", "restore", "latest"))
    assert restored.exit_code == 0, restored.output
    assert f"from {backup}" in restored.stdout and "before-restore" in restored.stdout
    after = _invoke(*_args(big, "cards", "list", "--json"))
    assert after.exit_code == 0, after.output
    assert len(json.loads(after.stdout)) == CARDS


def test_a_damaged_collection_without_a_backup_says_what_to_do(big: Path) -> None:
    damage_the_middle(big)
    result = _invoke(*_args(big, "cards", "list"))
    assert result.exit_code == 1
    assert "not a readable quizcalc database (corrupted?). There is no backup" in result.stderr
    assert result.stderr.count("\n") == 1


def test_backups_list_shows_each_snapshot_newest_first(big: Path) -> None:
    from datetime import timedelta

    write_snapshot(big, FIXED_NOW, "close")
    write_snapshot(big, FIXED_NOW + timedelta(hours=1), "timer")
    listed = _invoke("--db", str(big), "backups", "list", "--json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [row["reason"] for row in rows] == ["timer", "close"]
    assert rows[0]["created"] == "2026-11-26T10:00:00"
    assert (rows[0]["cards"], rows[0]["reviews"]) == (CARDS, 12)
    assert rows[0]["size"] == Path(rows[0]["path"]).stat().st_size
    text = _invoke("--db", str(big), "backups", "list")
    assert "2000 cards  12 reviews  timer" in text.stdout


def test_restore_of_a_named_file_and_of_a_file_that_is_not_a_backup(
    big: Path, tmp_path: Path
) -> None:
    chosen = write_snapshot(big, FIXED_NOW, "close")
    ok = _invoke("--db", str(big), "backups", "restore", str(chosen))
    assert ok.exit_code == 0, ok.output
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not sqlite" * 100)
    refused = _invoke("--db", str(big), "backups", "restore", str(junk))
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"quizcalc: {junk}: not a readable quizcalc database; nothing was restored. "
        "`quizcalc backups list` shows the backups.\n"
    )
    missing = _invoke("--db", str(tmp_path / "none" / "q.sqlite3"), "backups", "restore", "latest")
    assert missing.exit_code == 1 and "there is no backup to restore" in missing.stderr


def test_backups_of_a_server_database_are_listed_from_the_device_folder() -> None:
    # a server database's snapshots are JSON files on this device: listed without connecting
    result = _invoke("--db", "postgresql://localhost/quizcalc", "backups", "list")
    assert result.exit_code == 0
    assert result.stderr == "no backups yet.\n"


def test_a_command_that_answered_leaves_a_snapshot(big: Path) -> None:
    from quizcalc.cli.common import Options, open_service

    options = Options(db=str(big), content=None, config=None)
    with open_service(options, sync=False):
        pass  # nothing answered
    assert find_snapshots(big) == []
    with open_service(options, sync=False) as service:
        service.answer(1, 4, FIXED_NOW)
    assert [snapshot.reason for snapshot in find_snapshots(big)] == ["close"]
