"""The home screen's cheap weakest-skills query agrees with the full statistics."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from quizcalc.config import Config
from quizcalc.locations import bundled_content_dir
from quizcalc.store import open_store
from quizcalc.study import StudyService
from quizcalc.study.demo import build_demo
from quizcalc.study.stats import service_stats, service_weakest_skills
from tests.conftest import FIXED_NOW


def test_weakest_skills_match_the_full_statistics(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    store = open_store(new_database(tmp_path / "demo.sqlite3"))
    build_demo(store, FIXED_NOW, Config(), content=bundled_content_dir(), days=60)
    store.close()
    service = StudyService.open(str(tmp_path / "demo.sqlite3"), Config())
    weakest = service_weakest_skills(service, FIXED_NOW)
    assert weakest and weakest == service_stats(service, FIXED_NOW).weakest
    service.close()
