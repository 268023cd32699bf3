"""``--help`` and ``cards check`` run in-process with click's CliRunner (no interpreter start).

What depends on being a real process (the installed script, exit statuses, a terminal) stays
in ``tests/e2e``: ``quizcalc --version`` and a failing ``cards check`` run the real command.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizcalc.cli.main import cli
from tests.conftest import REPO_ROOT


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="quizcalc")


@pytest.mark.parametrize(
    "command",
    [[], ["review"], ["import"], ["cards"], ["cards", "check"], ["cards", "list"]],
    ids=lambda command: " ".join(command) or "quizcalc",
)
def test_help(command: list[str]) -> None:
    result = _invoke(*command, "--help")
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Usage:" in result.stdout


def test_drill_help_lists_every_option() -> None:
    result = _invoke("drill", "--help")
    assert result.exit_code == 0, (result.output, result.exception)
    for option in ("--family", "--section", "--weakest", "--count", "--minutes", "--difficulty"):
        assert option in result.stdout
    assert "--seed" in result.stdout and "--export" in result.stdout


def test_bundled_deck_is_lint_clean() -> None:
    result = _invoke("cards", "check", str(REPO_ROOT / "content"))
    assert result.exit_code == 0, (result.output, result.exception)
    assert result.stdout == ""


def test_cards_check_reports_file_and_line_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("# Oops\n\nQ: A question nobody answers\n")
    result = _invoke("cards", "check", str(bad))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{bad}:3: ")
    assert result.stderr == "1 problem(s) found.\n"
