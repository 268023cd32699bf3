"""Shared fixtures: a fixed clock, throwaway databases and content folders.

Databases: a test gets a *copy* of a new database (``db_url``, ``new_database``) made once per
test process by ``open_store`` itself (:func:`template_db`), which is about ten times cheaper
than creating one (no DDL, no fsync). A test marked ``@pytest.mark.fresh_db`` gets no copy: its
database file is absent until the code under test creates it. ``tests/store`` always creates
from scratch, and a test there checks the template is exactly what ``open_store`` creates.

In CI (``CI`` set) a skipped test is reported as a failure: there every test must run. The one
exception is the seed chapter, which lives beside the repository (``../shared``), never in it:
a test that reads it skips through :func:`read_seed_chapter` where it is absent.
"""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.postgres import fold_skip, pg_server, pg_url

__all__ = ["pg_server", "pg_url"]  # fixtures for every test (PostgreSQL: tests/postgres.py)

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED_PATH = REPO_ROOT.parent / "shared" / "seeds" / "000_9b4ce8c2a6fbe130.txt"
SEED_ABSENT = "seed chapter not found"
"""How a skip for a missing seed chapter starts: the only skip CI accepts."""

FIXED_NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
"""A Thursday morning, well past the 04:00 rollover."""

# A read transaction that writes fails at once (PRAGMA query_only), here and in every process
# a test starts: a write path that forgot ``transaction(write=True)`` cannot pass unnoticed.
os.environ["QUIZCALC_STRICT_TRANSACTIONS"] = "1"


GC_THRESHOLDS = (50_000, 20, 100)
"""The garbage collector's thresholds while tests run (Python's are 700, 10, 10)."""


def pytest_collection_finish(session: pytest.Session) -> None:
    """Once the tests are collected, keep the garbage collector off what is already there.

    Textual allocates fast enough (segments, strips, styles for every frame) to start a
    collection every few milliseconds, and each full one walked every module, test and
    SymPy object of the process again: 8.5 of 40 s in ``tests/tui/test_tui_problems.py``.
    Frozen (``gc.freeze``) and with fewer, larger collections, that file's collector time is
    2 s. Cycles are still collected, only less often; a test process lives a few minutes.
    """
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test ever reads or writes the real user's database or config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("QUIZCALC_DB", raising=False)
    monkeypatch.delenv("QUIZCALC_CONTENT", raising=False)
    monkeypatch.delenv("QUIZCALC_CONFIG", raising=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """In CI, a skip is a failure: a test that cannot run there must say so loudly."""
    outcome: Any = yield
    report = outcome.get_result()
    fold_skip(report)
    if report.skipped and os.environ.get("CI") and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        if str(reason).startswith(f"Skipped: {SEED_ABSENT}") or str(reason).startswith(SEED_ABSENT):
            return
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {reason}"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new database exactly as ``open_store`` creates it (schema at head, stamped), once per
    test process (each pytest-xdist worker has its own); read-only: tests get copies."""
    from quizcalc.store import open_store

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    open_store(path).close()
    leftovers = sorted(p.name for p in path.parent.iterdir() if p != path)
    assert leftovers == [], f"the template must be one file (WAL checkpointed): {leftovers}"
    path.chmod(0o444)
    return path


@pytest.fixture(scope="session")
def new_database(template_db: Path) -> Callable[[Path], Path]:
    """``new_database(path)``: a new, empty database at ``path`` (a copy of the template).

    Returns ``path``. Opening it is what opening a database ``open_store`` just created is.
    """

    def place(path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template_db, path)
        return path

    return place


TEST_DB_VARIABLE = "QUIZCALC_TEST_DB"
"""Set to ``postgresql``, every test's ``db_url`` is a PostgreSQL database."""


@pytest.fixture
def db_url(
    tmp_path: Path, request: pytest.FixtureRequest, new_database: Callable[[Path], Path]
) -> str:
    """A SQLite URL in the test's temp folder, holding a new database (absent with ``fresh_db``).

    With ``QUIZCALC_TEST_DB=postgresql`` it is a PostgreSQL database instead (``pg_url``): a
    way to see which tests of a folder do not pass there yet, e.g.
    ``QUIZCALC_TEST_DB=postgresql pytest tests/study``.
    """
    if os.environ.get(TEST_DB_VARIABLE) == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    path = tmp_path / "quizcalc.sqlite3"
    if request.node.get_closest_marker("fresh_db") is None:
        new_database(path)
    return f"sqlite:///{path}"


CALCULUS_DECK = REPO_ROOT / "content" / "calculus-optimization.md"
"""The first deck: tests that count its cards or decks read it alone (:func:`calculus_content`)."""


@pytest.fixture(scope="session")
def calculus_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A content folder holding only the Calculus & Optimization deck, so a test written
    against that deck's numbers (92 cards, one deck) stays true as decks join ``content/``."""
    folder = tmp_path_factory.mktemp("calculus-content")
    shutil.copyfile(CALCULUS_DECK, folder / CALCULUS_DECK.name)
    return folder


@pytest.fixture(scope="session")
def calculus_demo(
    tmp_path_factory: pytest.TempPathFactory,
    new_database: Callable[[Path], Path],
    calculus_content: Path,
) -> Path:
    """A collection holding 150 simulated days of study on the Calculus deck, built once per
    worker: copy it before changing it (the schedulers' fit, evaluation and switch tests)."""
    from quizcalc.store import open_store
    from quizcalc.study.demo import build_demo

    path = new_database(tmp_path_factory.mktemp("calculus-demo") / "demo.sqlite3")
    store = open_store(path)
    try:
        build_demo(store, FIXED_NOW, content=calculus_content, days=150)
    finally:
        store.close()
    return path


@pytest.fixture
def write_deck(tmp_path: Path) -> Callable[..., Path]:
    """Write Markdown into ``tmp_path/content/<name>`` and return the content folder."""
    folder = tmp_path / "content"
    folder.mkdir(exist_ok=True)

    def write(text: str, name: str = "deck.md") -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return folder

    return write


def read_seed_chapter() -> str:
    """The seed chapter's text, or a skip saying why it is absent (allowed in CI too)."""
    if not SEED_PATH.is_file():
        pytest.skip(
            f"{SEED_ABSENT} at {SEED_PATH}: it lives beside the repository, never in it, "
            "so a test that reads it cannot run here"
        )
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture
def seed_text() -> str:
    """The seed chapter, or a skip saying why it is absent."""
    return read_seed_chapter()


@pytest.fixture
def break_generator(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """``break_generator(family)`` makes that family's generator raise, as a bug would."""
    import random
    from dataclasses import replace

    from quizcalc.problems import FAMILIES, registry

    def breaker(family: str) -> None:
        def boom(rng: random.Random, difficulty: int) -> Any:
            raise RuntimeError("no valid instance in 1000 draws")

        broken = replace(FAMILIES[family], build=boom)
        real = registry.get_family
        monkeypatch.setattr(
            registry, "get_family", lambda name: broken if name == family else real(name)
        )

    return breaker
