"""``derivative``: differentiate a random composite symbolically (chain, product, quotient).

Difficulty 1: one chain rule, ``outer(inner)`` with a linear or monomial inside (powers, exp,
log, sin, cos, sqrt). Difficulty 2: a product ``c·xᵏ · outer(inner)``. Difficulty 3: a
two-level composition ``outer(middle(inner))`` or a quotient ``outer(inner) / (x² + c)``.
Logs and square roots only ever see a positive argument, so every answer is defined for all
real x (the grader may compare at any point).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from quizcalc.problems.family import Draft, Family

if TYPE_CHECKING:
    import sympy

__all__ = ["FAMILY"]

_OUTER_1 = ("power", "exp", "log", "sin", "cos", "sqrt")
_NESTED = (
    ("power", "sin"),
    ("power", "cos"),
    ("exp", "sin"),
    ("exp", "cos"),
    ("sin", "exp"),
    ("cos", "exp"),
    ("sin", "power"),
    ("cos", "power"),
    ("sin", "cos"),
    ("cos", "sin"),
)
"""(outer, middle) pairs SymPy leaves alone (``exp(u)^n`` would become ``exp(n u)``) and whose
values stay finite where the grader samples them."""


def _inner(rng: random.Random, kind: str) -> sympy.Expr:
    import sympy

    from quizcalc.problems.symbolic import X

    if kind == "linear":  # a positive slope: SymPy would pull a sign out of sin(−3x + 1)
        return rng.choice([2, 3, 4, 5]) * X + rng.choice([-5, -4, -3, -2, -1, 1, 2, 3, 4, 5])
    if kind == "monomial":
        return rng.choice([1, 2, 3]) * X ** rng.choice([2, 3])
    return X**2 + sympy.Integer(rng.randint(1, 5))  # positive everywhere


def _outer(rng: random.Random, kind: str, u: sympy.Expr) -> sympy.Expr:
    import sympy

    if kind == "power":
        return u ** rng.randint(2, 5)
    return {
        "exp": sympy.exp,
        "log": sympy.log,
        "sin": sympy.sin,
        "cos": sympy.cos,
        "sqrt": sympy.sqrt,
    }[kind](u)


def _compose(rng: random.Random, outer: str, inner_kind: str | None = None) -> sympy.Expr:
    """``outer(inner)``; log and sqrt get a positive inner, powers never a monomial.

    (SymPy would merge ``(3x²)³`` into ``27x⁶`` and lose the composition the learner is
    meant to see.)
    """
    if outer in ("log", "sqrt"):
        inner_kind = "positive"
    elif outer == "power":
        inner_kind = rng.choice(["linear", "positive"])
    elif inner_kind is None:
        inner_kind = rng.choice(["linear", "monomial"])
    composite = _outer(rng, outer, _inner(rng, inner_kind))
    if not _is_composite(composite, outer):
        raise AssertionError(f"SymPy rewrote {outer}(…) as {composite}")
    return composite


def _is_composite(expr: sympy.Expr, outer: str) -> bool:
    """Whether SymPy kept ``outer(inner)`` as such (no sign pulled out, no power merged)."""
    import sympy

    if outer in ("power", "sqrt"):
        return isinstance(expr, sympy.Pow) and not expr.base.is_Symbol
    head = {"exp": sympy.exp, "log": sympy.log, "sin": sympy.sin, "cos": sympy.cos}[outer]
    return isinstance(expr, head)


def _chain_slips(f: sympy.Expr) -> list[tuple[sympy.Expr, str, str]]:
    """Classic slips differentiating ``outer(inner)``."""
    import sympy

    from quizcalc.problems.symbolic import X

    outer, inner = _split(f)
    u = sympy.Dummy("u")
    outer_prime = sympy.diff(outer(u), u)
    slips = [
        (
            outer_prime.subs(u, inner),
            "Chain rule: multiply by the inner derivative "
            f"d/dx({_shown(inner)}) = {_shown(sympy.diff(inner, X))}.",
            "dropped-inner-derivative",
        )
    ]
    if isinstance(f, sympy.Pow) and f.exp.is_Integer:
        slips.append(
            (
                f.exp * inner**f.exp * sympy.diff(inner, X),
                "Power rule: the exponent drops by one, n·uⁿ⁻¹.",
                "power-rule",
            )
        )
    if isinstance(f, sympy.cos):
        slips.append(
            (
                sympy.sin(inner) * sympy.diff(inner, X),
                "d/du cos(u) = −sin(u): the minus sign went missing.",
                "trig-sign",
            )
        )
    if isinstance(f, sympy.exp):
        slips.append(
            (
                f * inner,
                "Multiply by the inner function's derivative, not the inner function itself.",
                "inner-not-derived",
            )
        )
    return slips


def _split(f: sympy.Expr) -> tuple[Callable[[sympy.Expr], sympy.Expr], sympy.Expr]:
    """``f = outer(inner)`` → ``(outer as a callable, inner)``."""
    import sympy

    if isinstance(f, sympy.Pow):
        exponent = f.exp
        return (lambda u: u**exponent), f.base
    return f.func, f.args[0]


def _shown(expr: sympy.Expr) -> str:
    from quizcalc.problems.symbolic import shown

    return shown(expr)


def _tex(expr: sympy.Expr) -> str:
    from quizcalc.problems.symbolic import latex

    return latex(expr)


def _product(*factors: sympy.Expr) -> str:
    """``\\cos(u) \\cdot (-\\sin(x)) \\cdot 3``: each factor as written, bracketed when it is a
    sum or carries a sign, so the product reads as the chain rule's three links."""
    pieces = []
    for factor in factors:
        text = _tex(factor)
        pieces.append(f"\\left({text}\\right)" if factor.is_Add or text.startswith("-") else text)
    return " \\cdot ".join(pieces)


def _level1(rng: random.Random) -> tuple[sympy.Expr, list[str], list[tuple], tuple[str, ...]]:
    import sympy

    from quizcalc.problems.symbolic import X

    f = _compose(rng, rng.choice(_OUTER_1))
    outer, inner = _split(f)
    u = sympy.Symbol("u")
    steps = [
        f"Outer \\(g(u) = {_tex(outer(u))}\\), inner \\(u = {_tex(inner)}\\).",
        f"\\(g'(u) = {_tex(sympy.diff(outer(u), u))}\\) and "
        f"\\(u'(x) = {_tex(sympy.diff(inner, X))}\\).",
        "Chain rule: \\(f'(x) = g'(u(x)) \\cdot u'(x)\\).",
    ]
    hints = (
        "Spot the outer function and the inside (inner) function.",
        "Differentiate the outer function, leaving the inside untouched.",
        "Then multiply by the derivative of the inside (chain rule).",
    )
    return f, steps, _chain_slips(f), hints


def _level2(rng: random.Random) -> tuple[sympy.Expr, list[str], list[tuple], tuple[str, ...]]:
    import sympy

    from quizcalc.problems.symbolic import X

    p = rng.choice([1, 2, 3]) * X ** rng.choice([1, 2])
    h = _compose(rng, rng.choice(["power", "exp", "sin", "cos", "log"]))
    f = p * h
    dp, dh = sympy.diff(p, X), sympy.diff(h, X)
    steps = [
        f"Product of \\(p = {_tex(p)}\\) and \\(h = {_tex(h)}\\): \\((ph)' = p'h + ph'\\).",
        f"\\(p' = {_tex(dp)}\\); by the chain rule \\(h' = {_tex(dh)}\\).",
        f"So \\(f'(x) = ({_tex(dp)}) \\cdot {_tex(h)} + {_tex(p)} \\cdot ({_tex(dh)})\\).",
    ]
    slips = [
        (dp * dh, "The product rule is p'h + ph', not p'·h'.", "product-of-derivatives"),
        (p * dh, f"Missing the term p'h = {_shown(dp * h)}.", "missing-product-term"),
        (dp * h, "Missing the term p·h': both factors depend on x.", "missing-product-term"),
    ]
    slips += [(dp * h + p * wrong, message, tag) for wrong, message, tag in _chain_slips(h)]
    hints = (
        "It is a product of two functions of \\(x\\): use the product rule.",
        "\\((ph)' = p'h + ph'\\).",
        "The second factor needs the chain rule for \\(h'\\).",
    )
    return f, steps, slips, hints


def _level3(rng: random.Random) -> tuple[sympy.Expr, list[str], list[tuple], tuple[str, ...]]:
    import sympy

    from quizcalc.problems.symbolic import X

    if rng.random() < 0.5:
        outer, middle = rng.choice(_NESTED)
        mid = _compose(rng, middle)
        inner = _split(mid)[1]
        f = _outer(rng, outer, mid)
        g_outer, _ = _split(f)
        g_mid, _ = _split(mid)
        u, v = sympy.Symbol("u"), sympy.Symbol("v")
        d_outer = sympy.diff(g_outer(u), u).subs(u, mid)
        d_mid = sympy.diff(g_mid(v), v).subs(v, inner)
        d_inner = sympy.diff(inner, X)
        steps = [
            f"Three layers: \\(f = g(m)\\), \\(m = {_tex(mid)}\\), "
            f"inside it \\(v = {_tex(inner)}\\).",
            f"Local derivatives: \\(g'(m) = {_tex(d_outer)}\\), \\(m'(v) = {_tex(d_mid)}\\), "
            f"\\(v'(x) = {_tex(d_inner)}\\).",
            "Chain rule: multiply all three, "
            f"\\[ f'(x) = g'(m) \\, m'(v) \\, v'(x) = {_product(d_outer, d_mid, d_inner)} \\]",
        ]
        slips = [
            (
                d_outer * d_mid,
                "Chain rule all the way down: multiply by the innermost "
                f"derivative {_shown(d_inner)} too.",
                "dropped-inner-derivative",
            ),
            (
                d_outer * d_inner,
                f"A layer is missing: the middle function's derivative {_shown(d_mid)}.",
                "dropped-inner-derivative",
            ),
            (
                d_outer,
                "Only the outer layer was differentiated: multiply by every inner derivative.",
                "dropped-inner-derivative",
            ),
        ]
        hints = (
            "Peel the layers from the outside in.",
            "Differentiate each layer at its own argument.",
            "Multiply all the local derivatives (three of them).",
        )
        return f, steps, slips, hints
    numerator = _compose(rng, rng.choice(["power", "exp", "sin", "cos"]), "linear")
    denominator = X**2 + rng.randint(1, 4)
    f = numerator / denominator
    dn, dd = sympy.diff(numerator, X), sympy.diff(denominator, X)
    top_outer, top_inner = _split(numerator)
    u = sympy.Dummy("u")
    dn_unchained = sympy.diff(top_outer(u), u).subs(u, top_inner)  # n' without inner'
    steps = [
        f"Quotient of \\(n = {_tex(numerator)}\\) and \\(d = {_tex(denominator)}\\): "
        "\\(\\left(\\frac{n}{d}\\right)' = \\frac{n'd - nd'}{d^{2}}\\).",
        f"\\(n' = {_tex(dn)}\\), \\(d' = {_tex(dd)}\\).",
        "Substitute into the quotient rule: "
        f"\\[ f'(x) = \\frac{{{_product(dn, denominator)} - {_product(numerator, dd)}}}"
        f"{{\\left({_tex(denominator)}\\right)^{{2}}}} \\]",
    ]
    slips = [
        (
            (numerator * dd - dn * denominator) / denominator**2,
            "Quotient rule order: n'd − nd' (derivative of the top first).",
            "quotient-order",
        ),
        (
            (dn * denominator - numerator * dd) / denominator,
            "The quotient rule divides by d², the denominator squared.",
            "quotient-denominator",
        ),
        (
            dn / dd,
            "The derivative of a quotient is not the quotient of the derivatives.",
            "quotient-of-derivatives",
        ),
        (
            (dn_unchained * denominator - numerator * dd) / denominator**2,
            "Right quotient rule, but n' needs the chain rule too: the numerator is a "
            "function of an inner function, so multiply by the inner function's derivative.",
            "dropped-inner-derivative",
        ),
    ]
    hints = (
        "It is a quotient: \\(\\left(\\frac{n}{d}\\right)' = \\frac{n'd - nd'}{d^2}\\).",
        "The numerator needs the chain rule.",
        "Keep the order \\(n'd - nd'\\) and square the denominator.",
    )
    return f, steps, slips, hints


def build(rng: random.Random, difficulty: int) -> Draft:
    """A composite f(x) and its derivative (SymPy, imported only here)."""
    import sympy

    from quizcalc.problems.symbolic import X, expression_answer, latex, plain
    from quizcalc.problems.writing import answer_line

    level = {1: _level1, 2: _level2, 3: _level3}[difficulty]
    f, steps, slips, hints = level(rng)
    derivative = sympy.diff(f, X)
    answer = expression_answer(derivative, [X], slips)
    prompt = (
        f"Differentiate with respect to \\(x\\):\n\n\\[ f(x) = {latex(f)} \\]\n\n"
        "Type \\(f'(x)\\) using `*`, `^`, `exp`, `log`, `sin`, `cos`, `sqrt`, "
        "e.g. `2*x*cos(x^2)`."
    )
    solution = (*steps, f"\\(f'(x) = {latex(derivative)}\\).", answer_line(plain(derivative)))
    params = {"f": plain(f)}
    return Draft(prompt, answer, solution, hints, params)


FAMILY = Family(
    name="derivative",
    title="Differentiate a composite",
    description="Symbolic derivatives with the chain, product and quotient rules.",
    build=build,
    target_seconds=(60, 120, 180),
    levels=(
        "one chain rule: outer(inner) with powers, exp, log, sin, cos, sqrt",
        "product rule: c·xᵏ times a composite",
        "two-level composition, or a quotient over x² + c",
    ),
)
