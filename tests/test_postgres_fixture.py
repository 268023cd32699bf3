"""Where PostgreSQL is absent its tests skip with one line saying how to enable them; in CI
they fail instead (CI installs the package, so a skip there would hide a broken set-up)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

INNER_CONFTEST = """
import pytest

import tests.postgres
from tests.conftest import pytest_runtest_makereport
from tests.postgres import pg_server, pg_url


@pytest.fixture(scope="session", autouse=True)
def _no_postgresql_package():
    # a machine without the postgresql package; undone after: this runs in the outer process
    real = tests.postgres.find_bin_dir
    tests.postgres.find_bin_dir = lambda: None
    yield
    tests.postgres.find_bin_dir = real
"""

INNER_TESTS = """
def test_one(pg_url):
    assert pg_url

def test_two(pg_url):
    assert pg_url

def test_three(pg_url):
    assert pg_url
"""


def _run(pytester: pytest.Pytester) -> pytest.RunResult:
    pytester.makeconftest(INNER_CONFTEST)
    pytester.makepyfile(INNER_TESTS)
    return pytester.runpytest_inprocess(
        "-ra", "-p", "no:cacheprovider", "-p", "no:textual-snapshot", "-p", "no:asyncio"
    )


def test_without_postgresql_the_tests_skip_with_one_line_saying_how_to_enable_them(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    result = _run(pytester)
    result.assert_outcomes(skipped=3)
    skip_lines = [line for line in result.outlines if line.startswith("SKIPPED")]
    assert len(skip_lines) == 1, skip_lines
    assert "SKIPPED [3]" in skip_lines[0] and "apt-get install postgresql" in skip_lines[0]


def test_in_ci_a_missing_postgresql_fails_the_tests(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    result = _run(pytester)
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines(["*initdb not found*apt-get install postgresql*CI must run*"])


def test_a_recycled_database_is_a_new_collection_again(pg_server) -> None:
    """The next test's database may be the last test's, emptied: it must hold nothing of it."""
    from sqlalchemy import text

    from quizcalc.store import open_store

    url = pg_server.new_collection()
    store = open_store(url)
    with store.transaction(write=True) as session:
        session.execute(text("INSERT INTO decks (name) VALUES ('Left behind')"))
        store.replace_collection(session)  # generation 1
    # the store is left open, as a test may leave it: recycling closes its connections
    pg_server.recycle(url)
    assert pg_server.new_collection() == url
    again = open_store(url)
    with again.transaction(write=True) as session:
        assert session.execute(text("SELECT count(*) FROM decks")).scalar() == 0
        new_id = session.execute(text("INSERT INTO decks (name) VALUES ('New') RETURNING id"))
        assert new_id.scalar() == 1  # identities restart too
    assert again.generation == 0
    again.close()
    store.close()


def test_a_database_whose_schema_a_test_changed_is_not_used_again(pg_server) -> None:
    from sqlalchemy import text

    from quizcalc.store import open_store

    url = pg_server.new_collection()
    store = open_store(url)
    with store.transaction(write=True) as session:
        session.execute(text("DROP TABLE card_renderings"))
    store.close()
    pg_server.recycle(url)
    assert pg_server.new_collection() != url
