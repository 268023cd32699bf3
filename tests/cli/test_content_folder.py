"""A content folder that does not exist is named at start, even by commands that do not
sync (``stats``, ``import``, ``restore``): a mistyped path must not look like lost cards."""

from __future__ import annotations

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
