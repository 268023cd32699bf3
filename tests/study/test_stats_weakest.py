"""The home screen's cheap weakest-skills query agrees with the full statistics, on SQLite
and on PostgreSQL."""

from __future__ import annotations

from quizcalc.config import Config
from quizcalc.locations import bundled_content_dir
from quizcalc.store import open_store
from quizcalc.study import StudyService
from quizcalc.study.demo import build_demo
from quizcalc.study.stats import service_stats, service_weakest_skills
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # on SQLite and on PostgreSQL


def test_weakest_skills_match_the_full_statistics(db_url: str) -> None:
    store = open_store(db_url)
    build_demo(store, FIXED_NOW, Config(), content=bundled_content_dir(), days=60)
    store.close()
    service = StudyService.open(db_url, Config())
    weakest = service_weakest_skills(service, FIXED_NOW)
    assert weakest and weakest == service_stats(service, FIXED_NOW).weakest
    service.close()
