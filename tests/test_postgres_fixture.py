"""Where PostgreSQL is absent its tests skip with one line saying how to enable them; in CI
they fail instead (CI installs the package, so a skip there would hide a broken set-up)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

INNER_CONFTEST = """
import tests.postgres
from tests.conftest import pytest_runtest_makereport
from tests.postgres import pg_server, pg_url

tests.postgres.find_bin_dir = lambda: None  # a machine without the postgresql package
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
