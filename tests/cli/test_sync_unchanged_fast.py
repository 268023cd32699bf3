"""``quizcalc sync`` with nothing changed answers without loading the store, and says the same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.locations import bundled_content_dir
from quizcalc.study import StudyService
from quizcalc.study.sync_peek import unchanged_quickly
from tests.conftest import FIXED_NOW

DECK = "Q: What is a gradient?\nA: Partials.\n\nQ: What is a Hessian?\nA: Second partials.\n"


def _folder(tmp_path: Path, name: str, text: str = DECK) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "deck.md").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("bundled", [False, True], ids=["content folder", "bundled decks"])
def test_the_quick_answer_is_the_syncs(db_url: str, tmp_path: Path, bundled: bool) -> None:
    content = bundled_content_dir() if bundled else _folder(tmp_path, "notes")
    imported = _folder(tmp_path, "imported", "Q: What is a saddle?\nA: Neither.\n")
    config = tmp_path / "config.toml"
    service = StudyService.open(db_url, Config())
    try:
        assert unchanged_quickly(db_url, content, config) is None  # never synced
        service.import_path(imported, FIXED_NOW)
        service.sync(content, FIXED_NOW)
        again = service.sync(content, FIXED_NOW)
        assert not again.changed
        assert unchanged_quickly(db_url, content, config) == again.unchanged
        (imported / "deck.md").write_text("Q: What is a saddle point?\nA: Neither.\n", "utf-8")
        assert unchanged_quickly(db_url, content, config) is None  # an import changed
        service.sync(content, FIXED_NOW)
        config.write_text('theme = "nord"\n', encoding="utf-8")  # the device's own
        assert unchanged_quickly(db_url, content, config) is not None
        config.write_text("new_per_day = 3\n", encoding="utf-8")
        assert unchanged_quickly(db_url, content, config) is None  # the open warns about it
    finally:
        service.close()


def test_an_unchanged_sync_does_not_load_sqlalchemy(db_url: str, tmp_path: Path) -> None:
    folder = _folder(tmp_path, "notes")
    config = tmp_path / "config.toml"
    args = ["--db", db_url, "--content", str(folder), "--config", str(config), "sync"]
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('sqlalchemy' in sys.modules))\n"
        f"sys.argv = ['quizcalc', *{args!r}]\n"
        "from quizcalc.cli.main import main\n"
        "main()\n"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (first.stdout, second.stdout) == ("True\n", "False\n"), (first.stderr, second.stderr)
    assert "sync: added 0 · updated 0 · retired 0 · unchanged 2" in second.stderr
