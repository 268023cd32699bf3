"""End-to-end: ``quizcalc drill`` as a user runs it (worksheets and bad input)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import QUIZCALC
from tests.permissions import bound_by_permissions


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "deck.md").write_text(
        "## 2.8 The learning rate\n\n### Practice\n\n"
        "```problem\nfamily: lr_divergence\ndifficulty: 1\n```\n\n"
        "```problem\nfamily: gd_steps\ndifficulty: 1\n```\n",
        encoding="utf-8",
    )
    return folder


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [QUIZCALC, "drill", *args], env=env, capture_output=True, text=True, timeout=60
    )


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("sync: ")]
    assert len(lines) == 1 and lines[0].startswith("quizcalc: "), result.stderr
    return lines[0]


def test_export_writes_the_same_worksheet_for_the_same_seed(
    env: dict[str, str], tmp_path: Path
) -> None:
    sheet = tmp_path / "sheet.md"
    args = ["--family", "chain_rule", "--family", "lr_divergence", "--count", "4"]
    args += ["--difficulty", "2", "--seed", "7", "--export", str(sheet)]
    result = _run(args, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote 4 problems with an answer key to {sheet}"
    text = sheet.read_text(encoding="utf-8")
    assert re.findall(r"^### Problem (\d+):", text, re.M) == ["1", "2", "3", "4"]
    assert "## Answer key" in text and "difficulty 2" in text and "seed 7" in text
    assert len(re.findall(r"^\*\*Answer:\*\* ", text, re.M)) == 4
    assert not (tmp_path / "q.sqlite3").exists()  # families alone need no database
    again = tmp_path / "again.md"
    assert _run([*args[:-1], str(again)], env).returncode == 0
    assert again.read_text(encoding="utf-8") == text.replace(str(sheet), str(again))


def test_export_of_a_section_and_the_weakest_skills(
    env: dict[str, str], tmp_path: Path, content: Path
) -> None:
    sheet = tmp_path / "section.md"
    args = ["--section", "2.8", "--count", "3", "--seed", "1", "--export", str(sheet)]
    result = subprocess.run(
        [QUIZCALC, "--content", str(content), "drill", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    text = sheet.read_text(encoding="utf-8")
    assert (
        "Learning rate vs curvature" in text and "--family lr_divergence --family gd_steps" in text
    )
    weakest = tmp_path / "weakest.md"
    result = _run(["--weakest", "--count", "3", "--export", str(weakest)], env)
    assert result.returncode == 0, result.stderr
    assert "### Problem 3:" in weakest.read_text(encoding="utf-8")


def test_unknown_family_is_one_line_naming_the_choices(env: dict[str, str], tmp_path: Path) -> None:
    result = _run(["--family", "integrals", "--export", str(tmp_path / "x.md")], env)
    line = _one_line_error(result)
    assert line.startswith("quizcalc: unknown problem family 'integrals'; choose from: derivative")
    assert not (tmp_path / "x.md").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--count", "0"], "the number of problems must be between 1 and 500 (got 0)"),
        (["--difficulty", "4"], "difficulty must be 1, 2 or 3 (got 4)"),
        (["--minutes", "0"], "the time limit must be between 1 and 600 minutes (got 0)"),
    ],
)
def test_bad_numbers_are_clear(
    env: dict[str, str], tmp_path: Path, args: list[str], message: str
) -> None:
    result = _run(["--family", "chain_rule", *args, "--export", str(tmp_path / "x.md")], env)
    assert _one_line_error(result) == f"quizcalc: {message}"


def test_nothing_to_drill_and_an_unknown_section(
    env: dict[str, str], tmp_path: Path, content: Path
) -> None:
    line = _one_line_error(_run(["--export", str(tmp_path / "x.md")], env))
    assert "choose what to drill: --family FAMILY" in line
    result = subprocess.run(
        [QUIZCALC, "--content", str(content), "drill", "--section", "9.9", "--export", "x.md"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert "no problem cards in section '9.9'; sections with problems: 2.8 The learning rate" in (
        _one_line_error(result)
    )


def test_unwritable_export_paths_are_named(env: dict[str, str], tmp_path: Path) -> None:
    family = ["--family", "chain_rule", "--count", "2", "--export"]
    line = _one_line_error(_run([*family, "/proc/nope.md"], env))
    assert line.startswith("quizcalc: /proc/nope.md: cannot write the worksheet (")
    missing = tmp_path / "no" / "such" / "sheet.md"
    line = _one_line_error(_run([*family, str(missing)], env))
    assert line == (
        f"quizcalc: {missing}: the folder {missing.parent} does not exist; "
        "create it or choose another"
    )
    line = _one_line_error(_run([*family, str(tmp_path)], env))
    assert line.startswith(f"quizcalc: {tmp_path}: is a folder")
    if Path("/sys/kernel").is_dir():  # read-only even for root
        line = _one_line_error(_run([*family, "/sys/nope.md"], env))
        assert line.startswith("quizcalc: /sys/nope.md: cannot write the worksheet (")


def test_read_only_folder_is_named(env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        args = ["--family", "chain_rule", "--count", "2", "--export", str(folder / "s.md")]
        command = bound_by_permissions([QUIZCALC, "drill", *args])  # as root too
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        line = _one_line_error(result)
        assert line.startswith(f"quizcalc: {folder / 's.md'}: cannot write the worksheet (")
        assert list(folder.iterdir()) == []  # no partial file left behind
    finally:
        folder.chmod(0o700)
