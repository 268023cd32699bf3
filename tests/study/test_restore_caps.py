"""A restore is the learner's own collection: its caps are ``restore_max_*``, not the caps on
files from elsewhere, so a heavy learner's backup restores with the default settings."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.errors import ExchangeProblem
from tests.conftest import FIXED_NOW

DECK = "\n\n".join(f"Q: Restore-cap question {i}?\nA: {i}" for i in range(12))


def _service(path: Path, config: Config) -> StudyService:
    return StudyService.open(f"sqlite:///{path}", config)


def _backup_of_twelve_cards(tmp_path: Path, new_database: Callable[[Path], Path]) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    (content / "deck.md").write_text(DECK, encoding="utf-8")
    service = _service(new_database(tmp_path / "source.sqlite3"), Config())
    try:
        service.sync(content, FIXED_NOW)
        service.export_backup(tmp_path / "b.json")
    finally:
        service.close()
    return tmp_path / "b.json"


def test_a_backup_past_the_import_caps_restores_under_the_restore_caps(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    backup = _backup_of_twelve_cards(tmp_path, new_database)
    strict_imports = Config(import_max_rows=2, import_max_file_mib=1)
    service = _service(new_database(tmp_path / "restored.sqlite3"), strict_imports)
    try:
        service.restore_backup(backup, now=FIXED_NOW)
        with sqlite3.connect(tmp_path / "restored.sqlite3") as db:
            assert db.execute("SELECT count(*) FROM cards").fetchone() == (12,)
    finally:
        service.close()


def test_a_backup_past_restore_max_rows_is_refused_naming_that_setting(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    backup = _backup_of_twelve_cards(tmp_path, new_database)
    service = _service(new_database(tmp_path / "restored.sqlite3"), Config(restore_max_rows=10))
    try:
        with pytest.raises(
            ExchangeProblem, match=r"has 12 rows, more than 10 \(restore_max_rows\)"
        ):
            service.restore_backup(backup, now=FIXED_NOW)
    finally:
        service.close()
