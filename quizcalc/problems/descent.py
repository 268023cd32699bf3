"""Exact optimiser iterates (gradient descent, momentum) and their plotted trajectories."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

from quizcalc.problems.expected import number_text
from quizcalc.problems.model import Trajectory
from quizcalc.problems.numbers import latex_number, readable

__all__ = ["gd_iterates", "intermediate", "momentum_iterates", "trajectory"]

Scalar = Callable[[Fraction], Fraction]
"""A function of one exact number: a loss or its derivative."""


def gd_iterates(grad: Scalar, w0: Fraction, eta: Fraction, steps: int) -> list[Fraction]:
    """``w_0 … w_steps`` of ``w ← w − η·grad(w)``, exactly."""
    ws = [Fraction(w0)]
    for _ in range(steps):
        ws.append(ws[-1] - eta * grad(ws[-1]))
    return ws


def momentum_iterates(
    grad: Scalar, w0: Fraction, v0: Fraction, eta: Fraction, beta: Fraction, steps: int
) -> tuple[list[Fraction], list[Fraction]]:
    """``(w_0 … w_steps, v_0 … v_steps)`` of ``v ← βv − η·grad(w); w ← w + v``, exactly."""
    ws, vs = [Fraction(w0)], [Fraction(v0)]
    for _ in range(steps):
        vs.append(beta * vs[-1] - eta * grad(ws[-1]))
        ws.append(ws[-1] + vs[-1])
    return ws, vs


def trajectory(loss: Scalar, ws: Sequence[Fraction], label: str) -> Trajectory:
    """The iterates and their losses as floats, for the terminal plot."""
    return Trajectory(
        w=tuple(float(w) for w in ws), loss=tuple(float(loss(w)) for w in ws), label=label
    )


def intermediate(value: Fraction, bracket: bool = False) -> str:
    """An iterate in a worked solution: exact when short, else rounded with an ellipsis.

    ``bracket`` wraps a negative value in parentheses, for use inside a product.
    """
    shown = readable(value)
    text = latex_number(shown) if isinstance(shown, Fraction) else f"{number_text(shown)}\\ldots"
    return f"({text})" if bracket and value < 0 else text
