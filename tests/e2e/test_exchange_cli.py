"""End-to-end: ``quizcalc export`` and ``quizcalc import`` as a user runs them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import QUIZCALC


@pytest.fixture
def env(env: dict[str, str], calculus_content: Path) -> dict[str, str]:
    """The user's environment, their content folder holding the Calculus & Optimization deck."""
    return {**env, "QUIZCALC_CONTENT": str(calculus_content)}


def _run(
    args: list[str], env: dict[str, str], content: str | Path | None = None
) -> subprocess.CompletedProcess[str]:
    chosen = [] if content is None else ["--content", str(content)]
    return subprocess.run(
        [QUIZCALC, *chosen, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )


def test_markdown_export_then_import_into_another_store(
    env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "deck.md"
    result = _run(["export", str(out)], env)
    assert result.returncode == 0, result.stderr
    assert f"exported 92 cards (84 notes) to {out}" in result.stdout
    other = {**env, "QUIZCALC_DB": str(tmp_path / "other.sqlite3")}
    empty = tmp_path / "empty"
    empty.mkdir()
    imported = _run(["import", str(out)], other, content=empty)
    assert imported.returncode == 0, imported.stderr
    assert "added 92" in imported.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "{tmp}/missing/deck.md"], "folder {tmp}/missing does not exist"),
        (["export", "{tmp}/deck.pdf"], "unknown export format .pdf; use .apkg"),
        (["export", "{tmp}/deck.md", "--deck", "Physics"], "no deck named 'Physics'"),
        (["export", "{tmp}/deck.md", "--section", "Topology"], "no cards under section"),
        (["export", "{tmp}/b.json", "--deck", "X"], "a .json backup holds the whole store"),
    ],
)
def test_export_mistakes_are_one_clear_line(
    env: dict[str, str], tmp_path: Path, args: list[str], message: str
) -> None:
    result = _run([a.format(tmp=tmp_path) for a in args], env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert message.format(tmp=tmp_path) in result.stderr
    assert [line for line in result.stderr.splitlines() if "quizcalc:" in line] == [
        result.stderr.splitlines()[-1]
    ]


def test_every_format_round_trips_through_the_real_command(
    env: dict[str, str], tmp_path: Path
) -> None:
    """Export to each format, import it into a fresh store; a backup restores exactly."""
    empty = tmp_path / "empty"
    empty.mkdir()
    for name, expected in (("deck.csv", "added 74"), ("deck.apkg", "added 92")):
        out = tmp_path / name
        exported = _run(["export", str(out)], env)
        assert exported.returncode == 0, exported.stderr
        other = {**env, "QUIZCALC_DB": str(tmp_path / f"{name}.sqlite3")}
        imported = _run(["import", str(out)], other, content=empty)
        assert imported.returncode == 0, imported.stderr
        assert expected in imported.stdout, imported.stdout
    backup = tmp_path / "backup.json"
    assert _run(["export", str(backup)], env).returncode == 0
    restored_env = {**env, "QUIZCALC_DB": str(tmp_path / "restored.sqlite3")}
    restored = _run(["restore", str(backup)], restored_env)
    assert restored.returncode == 0, restored.stderr
    again = tmp_path / "again.json"
    assert _run(["export", str(again)], restored_env).returncode == 0
    assert again.read_bytes() == backup.read_bytes()


def test_a_corrupted_package_is_one_line_and_imports_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.apkg"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = _run(["import", str(broken)], env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert str(broken) in result.stderr and "nothing imported" in result.stderr
    listed = _run(["cards", "list", "--json"], env)
    assert '"deck": "broken"' not in listed.stdout.lower()


def test_restore_failures_are_one_line_from_the_real_command(
    env: dict[str, str], tmp_path: Path
) -> None:
    """A corrupted backup names its line and column; a database in use is not replaced."""
    assert _run(["export", str(tmp_path / "deck.md")], env).returncode == 0  # syncs the deck
    backup = tmp_path / "backup.json"
    assert _run(["export", str(backup)], env).returncode == 0
    refused = _run(["restore", str(backup)], env)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.splitlines()[-1].startswith(f"quizcalc: {backup}: not restored: ")
    assert "--force" in refused.stderr
    text = backup.read_text(encoding="utf-8")
    backup.write_text(text.replace('"rows": [', '"rows": [}', 1), encoding="utf-8")
    other = {**env, "QUIZCALC_DB": str(tmp_path / "other.sqlite3")}
    corrupted = _run(["restore", str(backup)], other)
    assert corrupted.returncode == 1 and "Traceback" not in corrupted.stderr
    assert corrupted.stderr.strip().splitlines() == [
        f"quizcalc: {backup}: corrupted JSON at line 8 column 12 (Expecting value); "
        "use an intact copy of the backup"
    ]
    assert not (tmp_path / "other.sqlite3").exists()
