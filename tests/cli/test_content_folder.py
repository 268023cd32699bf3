"""A content folder that does not exist is named at start, even by commands that do not
sync (``stats``, ``import``, ``restore``): a mistyped path must not look like lost cards."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizcalc.cli.main import cli


def _invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="quizcalc", env=env)


@pytest.mark.parametrize("how", ["--content", "QUIZCALC_CONTENT"])
def test_a_missing_content_folder_is_a_warning_even_without_a_sync(
    db_url: str, tmp_path: Path, how: str
) -> None:
    """``stats`` does not sync, and said nothing about a mistyped content folder."""
    missing = tmp_path / "notes-typo"
    env = {"QUIZCALC_CONTENT": str(missing)} if how == "QUIZCALC_CONTENT" else None
    option = ["--content", str(missing)] if how == "--content" else []
    result = _invoke("--db", db_url, *option, "stats", env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    assert result.stderr.splitlines() == [
        f"quizcalc: {missing}: the content folder does not exist, so no cards were synced from "
        "it (your cards and progress are kept); check --content or QUIZCALC_CONTENT"
    ]
    assert "Statistics" in result.stdout


def test_a_sync_names_a_missing_content_folder_once(db_url: str, tmp_path: Path) -> None:
    missing = tmp_path / "notes-typo"
    result = _invoke("--db", db_url, "--content", str(missing), "sync")
    assert result.exit_code == 0, (result.output, result.exception)
    warnings = [line for line in result.stderr.splitlines() if str(missing) in line]
    assert warnings == [
        f"quizcalc: {missing}: the content folder does not exist, so no cards were synced from "
        "it (your cards and progress are kept); check --content or QUIZCALC_CONTENT"
    ]


def test_an_unchanged_sync_is_only_printed_when_asked_for(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    db = str(new_database(tmp_path / "q.sqlite3"))
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "deck.md").write_text("Q: One?\nA: one\n", encoding="utf-8")
    first = _invoke("--db", db, "--content", str(notes), "cards", "list")
    listed = _invoke("--db", db, "--content", str(notes), "cards", "list")
    synced = _invoke("--db", db, "--content", str(notes), "sync")
    assert "sync: added 1" in first.stderr
    assert "sync:" not in listed.stderr  # nothing changed: a command stays quiet about it
    assert "sync: added 0 · updated 0 · retired 0 · unchanged 1" in synced.stderr
