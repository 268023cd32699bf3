"""In CI every test must run: a skip fails there, except a missing seed chapter's."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

INNER_CONFTEST = """
from tests.conftest import pytest_runtest_makereport  # the hook under test
"""

INNER_TESTS = """
import pytest
from tests.conftest import SEED_ABSENT

def test_skips_for_a_missing_module():
    pytest.skip("no module named 'sympy'")

def test_skips_for_the_seed():
    pytest.skip(f"{SEED_ABSENT} at /nowhere: it lives beside the repository")

def test_runs():
    assert True
"""


@pytest.mark.parametrize(("ci", "failed", "skipped"), [("true", 1, 1), (None, 0, 2)])
def test_a_skip_fails_in_ci_unless_the_seed_is_missing(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    ci: str | None,
    failed: int,
    skipped: int,
) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    pytester.makeconftest(INNER_CONFTEST)
    pytester.makepyfile(INNER_TESTS)
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "-p", "no:textual-snapshot", "-p", "no:asyncio"
    )
    result.assert_outcomes(passed=1, failed=failed, skipped=skipped)
    if failed:
        result.stdout.fnmatch_lines(["*skipped in CI, where every test must run*sympy*"])
