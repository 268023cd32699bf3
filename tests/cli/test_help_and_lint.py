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


def test_cards_check_does_not_read_a_file_past_the_size_setting(tmp_path: Path) -> None:
    """A huge file is reported and never read whole (the import_max_file_mib cap)."""
    config = tmp_path / "config.toml"
    config.write_text("import_max_file_mib = 1\n", encoding="utf-8")
    huge = tmp_path / "huge.md"
    huge.write_text("Q: Big?\nA: " + "x" * (1024 * 1024) + "\n", encoding="utf-8")
    fine = tmp_path / "fine.md"
    fine.write_text("Q: Small?\nA: Yes.\n", encoding="utf-8")
    result = _invoke("--config", str(config), "cards", "check", str(huge), str(fine))
    assert result.exit_code == 1
    assert result.stdout == (
        f"{huge}: the file is larger than 1 MiB (import_max_file_mib); raise it in config.toml "
        "if you trust this file\n"
    )


def test_cards_check_names_a_broken_settings_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("import_max_file_mib = [\n", encoding="utf-8")
    result = _invoke("--config", str(config), "cards", "check", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith("quizcalc: ") and str(config) in result.stderr
    assert "Traceback" not in result.output
