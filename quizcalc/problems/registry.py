"""The registry of problem families and the one entry point, :func:`generate`."""

from __future__ import annotations

from types import MappingProxyType

from quizcalc.problems.catalog import FAMILY_NAMES
from quizcalc.problems.families import ALL_FAMILIES
from quizcalc.problems.family import DIFFICULTIES, Family
from quizcalc.problems.model import Problem

__all__ = ["FAMILIES", "generate", "get_family"]

FAMILIES: MappingProxyType[str, Family] = MappingProxyType({f.name: f for f in ALL_FAMILIES})
"""Every problem family by name, in teaching order (the chapter's order)."""

if tuple(FAMILIES) != FAMILY_NAMES:  # pragma: no cover - caught by the test suite at once
    raise RuntimeError("quizcalc.problems.catalog.FAMILY_NAMES is out of step with the registry")


def get_family(name: str) -> Family:
    """The family called ``name``; ValueError listing the valid names otherwise."""
    try:
        return FAMILIES[name]
    except (KeyError, TypeError):
        valid = ", ".join(FAMILIES)
        raise ValueError(f"unknown problem family {name!r} (valid: {valid})") from None


def generate(family: str, seed: int, difficulty: int = 1) -> Problem:
    """A fresh instance of ``family`` at ``difficulty`` (1..3), pure in its three arguments.

    Raises ValueError, naming the valid choices, for an unknown family or a difficulty
    outside 1..3.
    """
    if type(seed) is not int:
        raise ValueError(f"seed must be an int (got {seed!r})")
    if type(difficulty) is not int or difficulty not in DIFFICULTIES:
        valid = ", ".join(str(d) for d in DIFFICULTIES)
        raise ValueError(f"difficulty must be one of {valid} (got {difficulty!r})")
    return get_family(family).generate(seed, difficulty)
