"""SymPy helpers for generators: printing in the grader's syntax, telling functions apart.

This module imports SymPy at the top, so families import it *inside* their builders: importing
:mod:`quizcalc.problems` must stay cheap (the TUI's first screen never waits for SymPy).
"""

from __future__ import annotations

import cmath
import re
from collections.abc import Iterable, Sequence

import sympy
from sympy.printing.latex import LatexPrinter

from quizcalc.grading.answers import ExpressionAnswer, Misconception

__all__ = [
    "X",
    "Y",
    "Z",
    "expression_answer",
    "latex",
    "plain",
    "same_function",
    "shown",
]

X, Y, Z = sympy.symbols("x y z")
"""The variables problems use (no assumptions, exactly like the grader's parsed symbols)."""

_SAMPLE_POINTS = ((0.7, -1.3, 0.4), (1.9, 0.6, -0.8), (-1.1, 2.3, 1.6), (0.35, 0.45, 2.2))
"""Points where two expressions are compared numerically (odd values avoid coincidences)."""


def plain(expr: sympy.Expr) -> str:
    """``expr`` in the grader's syntax: ``2*x*cos(x^2)``, ``exp(x)``, ``e`` for Euler's number."""
    text = sympy.sstr(expr).replace("**", "^")
    return re.sub(r"\bE\b", "e", text)


class _Printer(LatexPrinter):
    """SymPy's LaTeX, but ``e^{…}`` only for an exponent that reads on one raised line.

    ``e^{2 x}`` and ``e^{- x + 1}`` stay; ``e^{3 x^{3}}`` or ``e^{\\frac{x}{2}}`` become
    ``\\exp\\left(3 x^{3}\\right)``, as textbooks write them: a script inside a script has no
    one-line form, and a terminal would have to mix ``e^(3x³)`` notations.
    """

    def _print_ExpBase(self, expr: sympy.Expr, exp: str | None = None) -> str:
        if _raises_flat(expr.args[0]):
            return str(super()._print_ExpBase(expr, exp))
        tex = f"\\exp\\left({self._print(expr.args[0])}\\right)"
        return str(self._do_exponent(tex, exp))


def _raises_flat(exponent: sympy.Expr) -> bool:
    """Whether ``exponent`` is integer-linear (``2x``, ``-x + 1``): no powers, fractions or
    functions, so it can be a superscript of its own."""
    terms = exponent.args if exponent.is_Add else (exponent,)
    for term in terms:
        factors = term.args if term.is_Mul else (term,)
        if not all(f.is_Symbol or f.is_Integer for f in factors):
            return False
    return True


def shown(expr: sympy.Expr) -> str:
    """``expr`` as feedback quotes it: in plain maths, as the grader echoes an answer
    (``2·x·cos(x²)``), since feedback is shown as written, not rendered from LaTeX."""
    from quizcalc.grading.printer import show

    return show(expr)


def latex(expr: sympy.Expr) -> str:
    """``expr`` in LaTeX (``\\log`` is the natural logarithm, as in the chapter)."""
    return str(_Printer().doprint(expr))


_FUNCTIONS = {
    sympy.exp: cmath.exp,
    sympy.log: cmath.log,
    sympy.sin: cmath.sin,
    sympy.cos: cmath.cos,
    sympy.tan: cmath.tan,
}


def _value(expr: sympy.Expr, point: dict[sympy.Symbol, float]) -> complex:
    """``expr`` at ``point`` in complex floats: a tree walk, ~50× faster than ``evalf``."""
    if expr.is_Symbol:
        return complex(point[expr])
    if expr.is_Rational:
        return complex(int(expr.p) / int(expr.q))
    if expr.is_Number or expr.is_NumberSymbol:
        return complex(float(expr))
    if expr.is_Add:
        return sum((_value(arg, point) for arg in expr.args), complex(0))
    if expr.is_Mul:
        out = complex(1)
        for arg in expr.args:
            out *= _value(arg, point)
        return out
    if expr.is_Pow:
        base, exponent = _value(expr.base, point), _value(expr.exp, point)
        return base**exponent
    function = _FUNCTIONS.get(expr.func)
    if function is not None:
        return function(_value(expr.args[0], point))
    return complex(expr.evalf(15, subs=point))


def same_function(a: sympy.Expr, b: sympy.Expr, variables: Sequence[sympy.Symbol]) -> bool:
    """Whether ``a`` and ``b`` agree at a few fixed sample points (to 1e-9 relative).

    Cheap and good enough to drop a misconception that coincides with the right answer
    (for example "dropped the inner derivative" when the inner derivative is 1).
    """
    for values in _SAMPLE_POINTS:
        point = dict(zip(variables, values, strict=False))
        try:
            va, vb = _value(a, point), _value(b, point)
            if abs(va - vb) > 1e-9 * max(1.0, abs(va), abs(vb)):
                return False
        except (OverflowError, TypeError, ZeroDivisionError):
            continue  # no verdict at this point; the others decide
    return True


def expression_answer(
    expr: sympy.Expr,
    variables: Sequence[sympy.Symbol],
    slips: Iterable[tuple[sympy.Expr, str, str]] = (),
) -> ExpressionAnswer:
    """An ExpressionAnswer for ``expr`` with the slips that differ from it and each other."""
    kept: list[tuple[sympy.Expr, Misconception]] = []
    for wrong, message, tag in slips:
        if same_function(wrong, expr, variables):
            continue
        if any(same_function(wrong, other, variables) for other, _ in kept):
            continue
        kept.append((wrong, Misconception(plain(wrong), message, tag)))
    names = tuple(str(v) for v in variables)
    return ExpressionAnswer(plain(expr), names, tuple(m for _, m in kept))
