"""``quizcalc backups`` as the installed command: one real run of list and restore."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.e2e.conftest import QUIZCALC


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([QUIZCALC, *args], env=env, capture_output=True, text=True, timeout=60)


def test_an_import_leaves_a_backup_that_list_shows_and_restore_puts_back(
    env: dict[str, str], tmp_path: Path
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("Q: one?\nA: 1\n", encoding="utf-8")
    notes = tmp_path / "notes.md"
    notes.write_text("Q: What is a saddle point?\nA: Flat, down some ways and up others.\n")
    imported = _run(["--content", str(content), "import", str(notes)], env)
    assert imported.returncode == 0, imported.stderr

    listed = _run(["backups", "list", "--json"], env)
    assert listed.returncode == 0, listed.stderr
    (row,) = json.loads(listed.stdout)
    assert row["reason"] == "before-import" and row["reviews"] == 0
    assert Path(row["path"]).parent == tmp_path / "backups"

    restored = _run(["backups", "restore", "latest"], env)
    assert restored.returncode == 0, restored.stderr
    assert f"from {row['path']}" in restored.stdout
    cards = _run(["--content", str(content), "cards", "list", "--json"], env)
    assert [c["question"] for c in json.loads(cards.stdout)] == ["one?"]  # the import undone
