"""``quizcalc sync`` that has work to do imports only what a sync needs: not the modules of
every other use case (reviews, backups, card editing, decks...), which ``StudyService`` pulls."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

OFF_THE_SYNC_PATH = (
    "quizcalc.study.service",
    "quizcalc.study.backup_use_cases",
    "quizcalc.study.backup",
    "quizcalc.study.card_editing",
    "quizcalc.study.card_management",
    "quizcalc.study.card_actions",
    "quizcalc.study.card_info",
    "quizcalc.study.review_session",
    "quizcalc.study.home_summary",
    "quizcalc.study.deck_list",
    "quizcalc.study.linear_cache",
    "quizcalc.study.queue",
    "sqlalchemy.dialects.postgresql",
    "sympy",
    "textual",
)
"""Modules ``quizcalc sync`` does not load (a sync never uses them; nor, on SQLite, the
PostgreSQL dialect)."""


def test_a_sync_that_changes_cards_loads_only_the_sync_modules(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "deck.md").write_text("Q: What is a gradient?\nA: Partials.\n", encoding="utf-8")
    args = ["--db", db_url, "--content", str(folder), "--config", str(tmp_path / "c.toml")]
    code = (
        "import atexit, sys\n"
        f"off = {OFF_THE_SYNC_PATH!r}\n"
        "atexit.register(lambda: print(sorted(m for m in off if m in sys.modules)))\n"
        f"sys.argv = ['quizcalc', *{args!r}, 'sync']\n"
        "from quizcalc.cli.main import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout == "[]\n", (done.stdout, done.stderr)
    assert "sync: added 1 · updated 0 · retired 0 · unchanged 0" in done.stderr
