"""Building blocks for ``convexity``: functions whose curvature is known in closed form.

One-variable templates carry ``f''`` (as a formula and as a Python function); two-variable
atoms carry their Hessian. Convexity of a sum is then *proved* by construction (a positive
combination of convex pieces) or *disproved* by a witness point where the curvature is negative,
so no instance's answer rests on a numerical guess.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["CONVEX_ATOMS", "INDEFINITE_ATOMS", "Atom", "Curve", "curve", "tidy_plain"]


@dataclass(frozen=True)
class Curve:
    """A one-variable function with its second derivative."""

    latex: str
    plain: str
    second: Callable[[float], float]
    second_latex: str
    convex: bool
    reason: str
    """Why it is convex, or where it is not (a tutor's sentence, maths in ``\\( \\)``)."""
    witness: float | None = None
    """A point with f'' < 0 when not convex."""
    decreasing_somewhere: bool = False
    """Convex but decreasing somewhere: the "decreasing means concave" trap."""
    sum_of_pieces: bool = False
    """Convex although one of its pieces is not (x² + sin x)."""


def tidy_plain(text: str) -> str:
    """``1*x^2 + -3*x + 0*x`` → ``x^2 - 3*x``: unit and zero coefficients, double signs."""
    terms = re.split(r" (?=[+-] )", text.replace("+ -", "- "))
    kept = []
    for term in terms:
        body = term.lstrip("+- ")
        if re.match(r"0\*", body):
            continue
        sign = "-" if term.lstrip().startswith("-") else "+"
        body = re.sub(r"^1\*", "", body)
        kept.append((sign, body))
    if not kept:
        return "0"
    first_sign, first = kept[0]
    out = ("-" if first_sign == "-" else "") + first
    for sign, body in kept[1:]:
        out += f" {sign} {body}"
    return out


def _signed(value: int, body: str) -> str:
    """`` + 3x`` / `` - x`` for a term after the first."""
    if value == 0:
        return ""
    magnitude = "" if abs(value) == 1 and body else str(abs(value))
    return f" {'+' if value > 0 else '-'} {magnitude}{body}"


def _lead(value: int, body: str) -> str:
    magnitude = "" if abs(value) == 1 else str(abs(value))
    return f"{'-' if value < 0 else ''}{magnitude}{body}"


def _quadratic(rng: random.Random) -> Curve:
    a = rng.choice([-3, -2, -1, 1, 2, 3])
    b = rng.randint(-4, 4)
    latex = _lead(a, "x^{2}") + _signed(b, "x")
    plain = f"{a}*x^2 + {b}*x".replace("+ -", "- ")
    if a > 0:
        return Curve(
            latex,
            plain,
            lambda x: 2 * a,
            str(2 * a),
            True,
            f"\\(f''(x) = {2 * a} > 0\\) everywhere",
            decreasing_somewhere=True,
        )
    return Curve(
        latex,
        plain,
        lambda x: 2 * a,
        str(2 * a),
        False,
        f"\\(f''(x) = {2 * a} < 0\\) everywhere: it curves down (concave)",
        witness=0.0,
    )


def _exponential(rng: random.Random) -> Curve:
    k = rng.choice([-2, -1, 1, 2, 3])
    m = rng.choice([-2, -1, 1, 2])
    b = rng.randint(-3, 3)
    power = "x" if m == 1 else "-x" if m == -1 else f"{m}x"
    plain_power = "x" if m == 1 else "-x" if m == -1 else f"{m}*x"
    latex = _lead(k, f"e^{{{power}}}") + _signed(b, "x")
    plain = f"{k}*exp({plain_power}) + {b}*x".replace("+ -", "- ")
    second_latex = _lead(k * m * m, f"e^{{{power}}}")
    if k > 0:
        return Curve(
            latex,
            plain,
            lambda x: k * m * m * math.exp(m * x),
            second_latex,
            True,
            f"\\(f''(x) = {second_latex} > 0\\) everywhere (an exponential is positive)",
            decreasing_somewhere=True,
        )
    return Curve(
        latex,
        plain,
        lambda x: k * m * m * math.exp(m * x),
        second_latex,
        False,
        f"\\(f''(x) = {second_latex} < 0\\) everywhere",
        witness=0.0,
    )


def _quartic(rng: random.Random) -> Curve:
    a = rng.randint(-3, 3)
    latex = "x^{4}" + _signed(a, "x^{2}")
    plain = f"x^4 + {a}*x^2".replace("+ -", "- ")
    second_latex = "12x^{2}" + _signed(2 * a, "")
    if a >= 0:
        return Curve(
            latex,
            plain,
            lambda x: 12 * x * x + 2 * a,
            second_latex,
            True,
            f"\\(f''(x) = {second_latex} \\ge 0\\) everywhere (a square plus {2 * a})",
            decreasing_somewhere=True,
        )
    return Curve(
        latex,
        plain,
        lambda x: 12 * x * x + 2 * a,
        second_latex,
        False,
        f"\\(f''(0) = {2 * a} < 0\\): it curves down near 0",
        witness=0.0,
    )


def _cubic(rng: random.Random) -> Curve:
    a = rng.randint(-3, 3)
    b = rng.randint(-3, 3)
    latex = "x^{3}" + _signed(a, "x^{2}") + _signed(b, "x")
    plain = f"x^3 + {a}*x^2 + {b}*x".replace("+ -", "- ")
    second_latex = "6x" + _signed(2 * a, "")
    witness = float(-a // 3 - 1)
    value = 6 * witness + 2 * a
    return Curve(
        latex,
        plain,
        lambda x: 6 * x + 2 * a,
        second_latex,
        False,
        f"\\(f''({witness:g}) = {value:g} < 0\\): a cubic's curvature changes sign",
        witness=witness,
    )


def _sine(rng: random.Random) -> Curve:
    a = rng.choice([0, 1, 1, 2])
    latex = (_lead(a, "x^{2}") + " + \\sin x") if a else "\\sin x"
    plain = f"{a}*x^2 + sin(x)" if a else "sin(x)"
    second_latex = (f"{2 * a} - \\sin x") if a else "-\\sin x"
    if a:
        return Curve(
            latex,
            plain,
            lambda x: 2 * a - math.sin(x),
            second_latex,
            True,
            f"\\(f''(x) = {second_latex} \\ge {2 * a - 1} > 0\\) since \\(\\sin x \\le 1\\): "
            "the \\(x^{2}\\) term outweighs the wiggle",
            sum_of_pieces=True,
        )
    return Curve(
        latex,
        plain,
        lambda x: -math.sin(x),
        second_latex,
        False,
        "\\(f''(\\frac{\\pi}{2}) = -1 < 0\\): sine curves down on \\((0, \\pi)\\)",
        witness=math.pi / 2,
    )


def _softplus(rng: random.Random) -> Curve:
    sign = rng.choice([-1, 1])
    latex = ("-" if sign < 0 else "") + "\\log(1 + e^{x})"
    plain = ("-" if sign < 0 else "") + "log(1 + exp(x))"
    second_latex = ("-" if sign < 0 else "") + "\\sigma(x)(1 - \\sigma(x))"

    def second(x: float) -> float:
        s = 1 / (1 + math.exp(-x))
        return sign * s * (1 - s)

    if sign > 0:
        return Curve(
            latex,
            plain,
            second,
            second_latex,
            True,
            "\\(f''(x) = \\sigma(x)(1 - \\sigma(x)) > 0\\) (softplus, the log-loss shape)",
        )
    return Curve(
        latex,
        plain,
        second,
        second_latex,
        False,
        "\\(f''(0) = -\\frac{1}{4} < 0\\): the negative of a convex function is concave",
        witness=0.0,
    )


def _gaussian(rng: random.Random) -> Curve:
    del rng
    return Curve(
        "\\exp(-x^{2})",
        "exp(-x^2)",
        lambda x: (4 * x * x - 2) * math.exp(-x * x),
        "(4x^{2} - 2)\\exp(-x^{2})",
        False,
        "\\(f''(0) = -2 < 0\\): a bump curves down at its top",
        witness=0.0,
    )


_CURVES: tuple[Callable[[random.Random], Curve], ...] = (
    _quadratic,
    _exponential,
    _quartic,
    _cubic,
    _sine,
    _softplus,
    _gaussian,
)


def curve(rng: random.Random) -> Curve:
    """A random one-variable function with known convexity."""
    return rng.choice(_CURVES)(rng)


Hessian = Callable[[float, float], tuple[float, float, float]]
"""``(x, y) ↦ (f_xx, f_xy, f_yy)``."""


@dataclass(frozen=True)
class Atom:
    """A two-variable piece with a known Hessian."""

    latex: str
    plain: str
    hessian: Hessian
    why: str
    """Why it is convex, or why it is not (maths in ``\\( \\)``)."""
    variables: frozenset[str]


def _linear(p: int, q: int, plain: bool = False) -> str:
    x = "x" if abs(p) == 1 else f"{abs(p)}{'*' if plain else ''}x"
    y = "y" if abs(q) == 1 else f"{abs(q)}{'*' if plain else ''}y"
    return f"{'-' if p < 0 else ''}{x} {'+' if q > 0 else '-'} {y}"


def _square_of_linear(p: int, q: int) -> Atom:
    return Atom(
        f"({_linear(p, q)})^{{2}}",
        f"({_linear(p, q, True)})^2",
        lambda x, y: (2 * p * p, 2 * p * q, 2 * q * q),
        f"\\(({_linear(p, q)})^{{2}}\\) is the square of a linear function",
        frozenset("xy"),
    )


def _exp_of_linear(p: int, q: int) -> Atom:
    def hessian(x: float, y: float) -> tuple[float, float, float]:
        e = math.exp(p * x + q * y)
        return (p * p * e, p * q * e, q * q * e)

    return Atom(
        f"e^{{{_linear(p, q)}}}",
        f"exp({_linear(p, q, True)})",
        hessian,
        f"\\(e^{{{_linear(p, q)}}}\\) is the exponential of a linear function",
        frozenset("xy"),
    )


CONVEX_ATOMS: tuple[Atom, ...] = (
    _square_of_linear(1, -1),
    _square_of_linear(1, 2),
    _square_of_linear(2, -1),
    _exp_of_linear(1, 1),
    _exp_of_linear(1, -1),
    Atom(
        "x^{4}",
        "x^4",
        lambda x, y: (12 * x * x, 0.0, 0.0),
        "\\(x^{4}\\) has second derivative \\(12x^{2} \\ge 0\\)",
        frozenset("x"),
    ),
    Atom(
        "y^{4}",
        "y^4",
        lambda x, y: (0.0, 0.0, 12 * y * y),
        "\\(y^{4}\\) has second derivative \\(12y^{2} \\ge 0\\)",
        frozenset("y"),
    ),
    Atom("x^{2}", "x^2", lambda x, y: (2.0, 0.0, 0.0), "\\(x^{2}\\) is a parabola", frozenset("x")),
    Atom("y^{2}", "y^2", lambda x, y: (0.0, 0.0, 2.0), "\\(y^{2}\\) is a parabola", frozenset("y")),
)
"""Pieces whose Hessian is positive semi-definite everywhere."""

INDEFINITE_ATOMS: tuple[Atom, ...] = (
    Atom("xy", "x*y", lambda x, y: (0.0, 1.0, 0.0), "\\(xy\\) is a saddle", frozenset("xy")),
    Atom(
        "x^{3}",
        "x^3",
        lambda x, y: (6 * x, 0.0, 0.0),
        "\\(x^{3}\\) curves down for \\(x < 0\\)",
        frozenset("x"),
    ),
    Atom(
        "y^{3}",
        "y^3",
        lambda x, y: (0.0, 0.0, 6 * y),
        "\\(y^{3}\\) curves down for \\(y < 0\\)",
        frozenset("y"),
    ),
    Atom(
        "\\sin(x + y)",
        "sin(x + y)",
        lambda x, y: (-math.sin(x + y), -math.sin(x + y), -math.sin(x + y)),
        "\\(\\sin(x + y)\\) curves both ways",
        frozenset("xy"),
    ),
    Atom(
        "x^{2}y",
        "x^2*y",
        lambda x, y: (2 * y, 2 * x, 0.0),
        "\\(x^{2}y\\) is a saddle-like cubic",
        frozenset("xy"),
    ),
)
"""Pieces whose Hessian is indefinite somewhere (curving down in some direction)."""
