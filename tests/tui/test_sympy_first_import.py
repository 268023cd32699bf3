"""SymPy's first import from two workers at once: the 2-D layout's and a problem's draw.

Without one lock both threads find the other's half-built ``sympy.printing`` and one fails
(``ImportError: … partially initialized module``): the app crashed when the layout's load
was deferred to after the first frame and met a drill's draw. Only a fresh process imports
SymPy for the first time, so each try is its own process; the layout's thread starts a few
tens of milliseconds after the draw's (without the lock, some of these six failed in every
run of this file: 1–3 of them, on two cores).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

CHILD = """
import sys, threading, time

from quizcalc.study.problem_review import instance_for
from quizcalc.tui.widgets.math_markdown import load_typeset

lag = float(sys.argv[1])
start = threading.Barrier(2)
failures = []


def run(path, wait):
    start.wait()
    time.sleep(wait)
    try:
        path()
    except BaseException as error:
        failures.append(f"{type(error).__name__}: {error}")


threads = [
    threading.Thread(target=run, args=(lambda: instance_for("derivative", 1, 7), 0.0)),
    threading.Thread(target=run, args=(load_typeset, lag)),
]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
import quizcalc.typeset  # both paths finished: the layout is usable
print(failures[0] if failures else "ok")
"""


@pytest.mark.parametrize("lag", [0.03, 0.04, 0.05, 0.06, 0.07, 0.09])
def test_two_workers_importing_sympy_at_once_both_succeed(lag: float) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(lag)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "ok"
