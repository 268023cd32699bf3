"""The grid inside a LaTeX math environment (``matrix``, ``cases``, ``aligned``, …).

Both math layouts read environments through this module: the one-line Unicode form
(``math_text``) writes ``[4 1; 1 6]`` and ``{x if x > 0; 0 otherwise}``, the two-dimensional
one (``quizcalc.typeset``) draws aligned grids. An environment not named here is not laid
out by either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pylatexenc.latexwalker import LatexMacroNode, LatexSpecialsNode

__all__ = ["ENVIRONMENTS", "EnvironmentShape", "grid_cells"]


@dataclass(frozen=True)
class EnvironmentShape:
    """How an environment's grid is shown."""

    left: str
    """Delimiter before the grid (``""`` for none)."""
    right: str
    """Delimiter after the grid."""
    align: str
    """Column alignment: ``c`` (centred, matrices), ``l`` (cases), ``rl`` (alternating, as
    ``aligned`` pairs a right-aligned left side with a left-aligned ``= …``)."""
    cell_gap: int
    """Spaces between columns in the grid."""


_MATRIX = EnvironmentShape("", "", "c", 2)
ENVIRONMENTS: dict[str, EnvironmentShape] = {
    "matrix": _MATRIX,
    "smallmatrix": _MATRIX,
    "array": _MATRIX,
    "pmatrix": EnvironmentShape("(", ")", "c", 2),
    "bmatrix": EnvironmentShape("[", "]", "c", 2),
    "Bmatrix": EnvironmentShape("{", "}", "c", 2),
    "vmatrix": EnvironmentShape("|", "|", "c", 2),
    "Vmatrix": EnvironmentShape("‖", "‖", "c", 2),
    "cases": EnvironmentShape("{", "", "l", 3),
    "dcases": EnvironmentShape("{", "", "l", 3),
    "rcases": EnvironmentShape("", "}", "l", 3),
    "aligned": EnvironmentShape("", "", "rl", 0),
    "align": EnvironmentShape("", "", "rl", 0),
    "align*": EnvironmentShape("", "", "rl", 0),
    "alignedat": EnvironmentShape("", "", "rl", 0),
    "split": EnvironmentShape("", "", "rl", 0),
    "gathered": EnvironmentShape("", "", "c", 0),
    "gather": EnvironmentShape("", "", "c", 0),
    "gather*": EnvironmentShape("", "", "c", 0),
}
"""The environments both layouts know, by name."""


def grid_cells(nodes: list[Any] | None) -> list[list[list[Any]]]:
    """An environment body as rows of cells of nodes (``&`` splits cells, ``\\\\`` rows).

    A trailing empty row (``a \\\\ b \\\\``) is dropped; ``\\hline`` and friends vanish.
    """
    rows: list[list[list[Any]]] = [[[]]]
    for node in nodes or []:
        if isinstance(node, LatexSpecialsNode) and node.specials_chars == "&":
            rows[-1].append([])
        elif isinstance(node, LatexMacroNode) and node.macroname in ("\\", "cr"):
            rows.append([[]])
        elif isinstance(node, LatexMacroNode) and node.macroname in ("hline", "midrule"):
            continue
        else:
            rows[-1][-1].append(node)
    if len(rows) > 1 and all(_blank(cell) for cell in rows[-1]):
        rows.pop()
    return rows


def _blank(cell: list[Any]) -> bool:
    return all(getattr(node, "chars", "x").isspace() for node in cell)
