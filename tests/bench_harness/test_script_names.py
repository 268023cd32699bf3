"""A benchmark script runs with ``benchmarks/`` first on ``sys.path``, so a script named like a
standard-library module (``queue.py``) breaks every program that folder starts (Textual
imports ``queue``): no script may take such a name."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def test_no_benchmark_script_shadows_a_standard_library_module() -> None:
    names = {path.stem for path in BENCHMARKS.glob("*.py")}
    assert names, "no benchmark scripts found"
    assert sorted(names & set(sys.stdlib_module_names)) == []
