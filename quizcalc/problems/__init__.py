"""Generated problems: families of skills, each a pure function of ``(seed, difficulty)``.

    >>> from quizcalc.problems import generate
    >>> problem = generate("chain_rule", seed=7, difficulty=2)

Importing this package never imports SymPy (families that need it import it when they build an
instance), so the TUI's first screen does not wait for it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizcalc.problems.expected import expected_text
    from quizcalc.problems.family import DIFFICULTIES, Draft, Family
    from quizcalc.problems.model import Problem, Trajectory
    from quizcalc.problems.registry import FAMILIES, generate, get_family

_HOMES = {
    "DIFFICULTIES": "quizcalc.problems.family",
    "Draft": "quizcalc.problems.family",
    "Family": "quizcalc.problems.family",
    "FAMILIES": "quizcalc.problems.registry",
    "generate": "quizcalc.problems.registry",
    "get_family": "quizcalc.problems.registry",
    "Problem": "quizcalc.problems.model",
    "Trajectory": "quizcalc.problems.model",
    "expected_text": "quizcalc.problems.expected",
}

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


def __getattr__(name: str) -> Any:
    # Lazy, so that ``quizcalc.problems.catalog`` (family names only) loads no generator.
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'quizcalc.problems' has no attribute {name!r}")
