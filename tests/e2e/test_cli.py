"""End-to-end: the real ``quizcalc`` command, as a user runs it.

``--help`` and a clean ``cards check`` run in-process in ``tests/cli``; here the installed
script runs, and exit statuses come from a real process.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import QUIZCALC
from tests.e2e.ptyrun import PtyProcess


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "deck.md").write_text(
        "---\ndeck: E2E\n---\n# Basics\n\n"
        "Q: Which symbol is the learning rate?\nA: Eta, written \\(\\eta\\).\n\n"
        "Q: What is an epoch?\nA: One full pass over the training set.\n",
        encoding="utf-8",
    )
    return folder


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([QUIZCALC, *args], env=env, capture_output=True, text=True, timeout=60)


def test_the_installed_command_says_its_version(env: dict[str, str]) -> None:
    result = _run(["--version"], env)
    assert result.returncode == 0 and result.stdout.strip() == "quizcalc, version 0.1.0"


def test_cards_check_reports_file_and_line_and_fails(env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("# Oops\n\nQ: A question nobody answers\n")
    result = _run(["cards", "check", str(bad)], env)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{bad}:3: ")


def test_cards_list_json_for_scripts(env: dict[str, str], content: Path) -> None:
    result = _run(["--content", str(content), "cards", "list", "--json"], env)
    assert result.returncode == 0, result.stderr
    cards = json.loads(result.stdout)
    assert [c["question"] for c in cards] == [
        "Which symbol is the learning rate?",
        "What is an epoch?",
    ]
    expected = {
        "id",
        "question",
        "kind",
        "section",
        "status",
        "due",
        "interval",
        "easiness",
        "reviews",
    }
    assert expected <= set(cards[0])
    assert cards[0]["status"] == "active" and cards[0]["due"] is None


def test_import_is_remembered_for_later_starts(
    env: dict[str, str], tmp_path: Path, content: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("Q: What is a saddle point?\nA: Flat, down some ways and up others.\n")
    result = _run(["--content", str(content), "import", str(notes)], env)
    assert result.returncode == 0, result.stderr
    assert "added 1" in result.stdout
    listed = json.loads(_run(["--content", str(content), "cards", "list", "--json"], env).stdout)
    assert "What is a saddle point?" in [c["question"] for c in listed]


def test_corrupted_database_is_one_line_and_untouched(
    env: dict[str, str], tmp_path: Path, content: Path
) -> None:
    db = tmp_path / "broken.sqlite3"
    db.write_bytes(b"\x00garbage" * 100)
    result = _run(["--db", str(db), "--content", str(content), "cards", "list"], env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and str(db) in result.stderr
    assert db.read_bytes() == b"\x00garbage" * 100


def test_bad_config_is_one_line(env: dict[str, str], tmp_path: Path, content: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('new_per_day = "ten"\n')
    result = _run(["--config", str(config), "--content", str(content), "cards", "list"], env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "new_per_day must be a whole number" in result.stderr


def test_missing_import_path(env: dict[str, str], tmp_path: Path) -> None:
    result = _run(["import", str(tmp_path / "nope.md")], env)
    assert result.returncode == 1 and "no such file or folder" in result.stderr


@pytest.mark.slow
def test_review_in_a_real_terminal_shows_the_first_card(env: dict[str, str], content: Path) -> None:
    process = PtyProcess([QUIZCALC, "--content", str(content), "review"], env)
    try:
        assert process.read_until("Which symbol is the learning rate?"), process.text()[-2000:]
        process.send(" ")
        assert process.read_until("Eta, written η"), process.text()[-2000:]
        process.send("5")
        assert process.read_until("What is an epoch?"), process.text()[-2000:]
    finally:
        process.close()


def test_problems_list_names_every_family(env: dict[str, str]) -> None:
    from quizcalc.problems.catalog import FAMILY_NAMES

    result = _run(["problems", "list", "--json"], env)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [row["family"] for row in listed] == list(FAMILY_NAMES)
    assert all(row["difficulties"] == [1, 2, 3] and row["description"] for row in listed)


def test_problems_show_json_is_the_generated_instance(env: dict[str, str]) -> None:
    from quizcalc.problems import expected_text, generate

    result = _run(["problems", "show", "chain_rule", "--seed", "5", "--difficulty", "2",
                   "--json"], env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    problem = generate("chain_rule", 5, 2)
    assert shown["prompt"] == problem.prompt
    assert shown["answer"] == expected_text(problem.answer)
    assert shown["solution"] == list(problem.solution)


def test_problems_show_rejects_unknown_family_and_difficulty(env: dict[str, str]) -> None:
    result = _run(["problems", "show", "integrals"], env)
    assert result.returncode == 1 and "choose one of: derivative" in result.stderr
    result = _run(["problems", "show", "chain_rule", "--difficulty", "7"], env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
