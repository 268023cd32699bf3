"""Generated problems: families of skills, each a pure function of ``(seed, difficulty)``.

    >>> from quizcalc.problems import generate
    >>> problem = generate("chain_rule", seed=7, difficulty=2)

Importing this package never imports SymPy (families that need it import it when they build an
instance), so the TUI's first screen does not wait for it.
"""

from __future__ import annotations

from quizcalc.problems.expected import expected_text
from quizcalc.problems.family import DIFFICULTIES, Draft, Family
from quizcalc.problems.model import Problem, Trajectory
from quizcalc.problems.registry import FAMILIES, generate, get_family

__all__ = [
    "DIFFICULTIES",
    "FAMILIES",
    "Draft",
    "Family",
    "Problem",
    "Trajectory",
    "expected_text",
    "generate",
    "get_family",
]
