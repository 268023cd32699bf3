"""The figures of issue 14's table, one module per row of it, in the table's order.

Each module lists its :class:`~benchmarks.figures.base.Figure` objects in ``FIGURES``; the
modules are imported only when asked for, so ``--only`` pays for one.
"""

from __future__ import annotations

from importlib import import_module

from benchmarks.figures.base import Context, Figure

__all__ = ["MODULES", "Context", "Figure", "all_figures", "find"]

MODULES = (
    "first_card",
    "problem_first",
    "queue",
    "answer",
    "stats",
    "sync",
    "export",
    "restore",
    "grading",
    "scheduler",
)
"""Modules under ``benchmarks.figures``, in the order of the issue's table."""


def all_figures() -> list[Figure]:
    """Every figure, in table order."""
    figures: list[Figure] = []
    for module in MODULES:
        figures.extend(import_module(f"benchmarks.figures.{module}").FIGURES)
    return figures


def find(names: list[str]) -> list[Figure]:
    """The figures named (a name may also be a module's, for all its figures), in order.

    An unknown name raises ``KeyError`` listing the known ones.
    """
    chosen: list[Figure] = []
    for name in names:
        module = name.replace("-", "_")
        if module in MODULES:
            chosen.extend(import_module(f"benchmarks.figures.{module}").FIGURES)
            continue
        matches = [figure for figure in all_figures() if figure.name == name]
        if not matches:
            known = ", ".join(figure.name for figure in all_figures())
            raise KeyError(f"no figure {name!r}; known: {known}")
        chosen.extend(matches)
    return chosen
