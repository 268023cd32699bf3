"""Shared helpers for the problem tests: the grid of cells, cached instances, SymPy parsing."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from quizcalc.problems import DIFFICULTIES, FAMILIES, Problem, generate

SEEDS = int(os.environ.get("QUIZCALC_PROBLEM_SEEDS", "60"))
"""Seeds per (family, difficulty) for the cheap structural checks."""
CHUNK = 50
"""Seeds per test item, so pytest-xdist spreads a cell over workers."""

CELLS = [(family, difficulty) for family in FAMILIES for difficulty in DIFFICULTIES]
"""Every (family, difficulty) pair."""


def chunks(seeds: int = SEEDS) -> list[tuple[str, int, int]]:
    """``(family, difficulty, first_seed)`` for every chunk of ``CHUNK`` seeds."""
    return [(f, d, start) for f, d in CELLS for start in range(0, seeds, CHUNK)]


def chunk_id(item: tuple[str, int, int]) -> str:
    """A readable test id: ``chain_rule-d2-s50``."""
    family, difficulty, start = item
    return f"{family}-d{difficulty}-s{start}"


@cache
def instances(family: str, difficulty: int, start: int, count: int = CHUNK) -> tuple[Problem, ...]:
    """The problems for seeds ``start … start + count − 1`` (generated once per process)."""
    return tuple(generate(family, seed, difficulty) for seed in range(start, start + count))


def sympify(text: str) -> Any:
    """Parse an expression written in the grader's syntax (``^`` for powers) with SymPy."""
    import sympy

    names = {name: sympy.Symbol(name) for name in ("x", "y", "z", "w")}
    names["e"] = sympy.E
    return sympy.sympify(text.replace("^", "**"), locals=names, rational=True)
