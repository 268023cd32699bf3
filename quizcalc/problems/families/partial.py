"""``partial``: one partial derivative of f(x, y), symbolically — freeze the other variable.

Difficulty 1: a polynomial with a mixed term. Difficulty 2: a polynomial plus ``e^{axy}`` or
``sin(axy)`` (a chain rule through the product). Difficulty 3: a product like
``x²·e^{xy}`` or ``y·cos(x²y)`` plus a polynomial (product and chain rule together).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from quizcalc.problems.family import Draft, Family

if TYPE_CHECKING:
    import sympy

__all__ = ["FAMILY"]


def _polynomial(rng: random.Random, degree: int) -> sympy.Expr:
    """Three or four terms, one of them mixed, one free of each variable."""
    from quizcalc.problems.symbolic import X, Y

    mixed = rng.choice([X * Y, X**2 * Y, X * Y**2]) if degree > 2 else X * Y
    terms = [
        rng.choice([1, 2, 3, -1, -2]) * X ** rng.randint(2, degree),
        rng.choice([1, 2, 3, -2, 4]) * mixed,
        rng.choice([1, 2, -1, -3, 5]) * Y ** rng.randint(1, degree),
    ]
    if rng.random() < 0.5:
        terms.append(rng.choice([-4, -2, 3, 5]) * X)
    return sum(terms[1:], terms[0])


def _special(rng: random.Random, difficulty: int) -> sympy.Expr:
    import sympy

    from quizcalc.problems.symbolic import X, Y

    a = rng.choice([1, 2, 3])
    if difficulty == 2:
        return rng.choice([sympy.exp(a * X * Y), sympy.sin(a * X * Y), sympy.cos(a * X * Y)])
    return rng.choice(
        [
            X**2 * sympy.exp(X * Y),
            Y * sympy.cos(X**2 * Y),
            X * sympy.sin(a * X * Y),
            sympy.exp(X) * Y**2,
            X * Y * sympy.exp(a * Y),
        ]
    )


def _composites(f: sympy.Expr, var: sympy.Symbol) -> list[sympy.Expr]:
    """The exp/sin/cos nodes of ``f`` whose argument depends on ``var``."""
    import sympy

    return [
        node
        for node in sympy.preorder_traversal(f)
        if isinstance(node, sympy.exp | sympy.sin | sympy.cos) and node.args[0].has(var)
    ]


def build(rng: random.Random, difficulty: int) -> Draft:
    """``∂f/∂x`` or ``∂f/∂y`` of a random f(x, y)."""
    import sympy

    from quizcalc.problems.symbolic import X, Y, expression_answer, latex, plain, shown
    from quizcalc.problems.writing import answer_line

    f = _polynomial(rng, 2 if difficulty == 1 else 3)
    if difficulty > 1:
        f = f + _special(rng, difficulty)
    var, other = (X, Y) if rng.random() < 0.5 else (Y, X)
    result = sympy.diff(f, var)
    terms = sympy.Add.make_args(sympy.expand(f))
    free = [t for t in terms if not t.has(var)]
    depends = [t for t in terms if t.has(var)]
    name, other_name = str(var), str(other)

    slips = [
        (
            sympy.diff(f, other),
            f"That is ∂f/∂{other_name}; the question asks for ∂f/∂{name}.",
            "wrong-variable",
        ),
        (
            sympy.diff(f.subs(other, 0), var),
            f"Hold {other_name} fixed, don't set it to 0: a term "
            f"like {other_name}·{name} contributes {other_name}.",
            "other-variable-as-zero",
        ),
        (
            result + sum((sympy.diff(t, other) for t in free), sympy.Integer(0)),
            f"Terms without {name} are constants for ∂/∂{name}: their derivative is 0.",
            "differentiated-constant",
        ),
    ]
    u = sympy.Dummy("u")
    for node in _composites(f, var):
        # Differentiate through ``node = outer(arg)`` but forget the factor ∂arg/∂var.
        outer_prime = node.func(u).diff(u).subs(u, node.args[0])
        frozen = f.xreplace({node: u})
        wrong = frozen.diff(var).xreplace({u: node}) + frozen.diff(u).xreplace({u: node}) * (
            outer_prime
        )
        inner = shown(sympy.diff(node.args[0], var))
        slips.append(
            (
                wrong,
                f"Chain rule: the derivative of {shown(node)} also needs the "
                f"inner factor ∂/∂{name}({shown(node.args[0])}) = {inner}.",
                "dropped-inner-derivative",
            )
        )
    prompt = (
        f"For \\(f(x, y) = {latex(f)}\\), find \\(\\frac{{\\partial f}}{{\\partial {name}}}\\)."
        "\n\nType it in x and y, e.g. `2*x*y + y^2`."
    )
    solution = (
        f"Treat \\({other_name}\\) as a constant and differentiate with respect to \\({name}\\).",
        *[
            f"\\(\\frac{{\\partial}}{{\\partial {name}}}\\left({latex(t)}\\right) = "
            f"{latex(sympy.diff(t, var))}\\)"
            for t in depends
        ],
        _constants_line(name, free),
        f"\\(\\frac{{\\partial f}}{{\\partial {name}}} = {latex(result)}\\)",
        answer_line(plain(result)),
    )
    hints = (
        f"Every \\({other_name}\\) is just a number while you differentiate in \\({name}\\).",
        f"Terms with no \\({name}\\) in them vanish.",
        "A product or a composite still needs the product and chain rules.",
    )
    params = {"f": plain(f), "variable": name}
    answer = expression_answer(result, [X, Y], slips)
    return Draft(prompt, answer, solution, hints, params)


def _constants_line(name: str, free: list[sympy.Expr]) -> str:
    """``Terms without x (\\(5y^{3}\\)) give 0.``"""
    from quizcalc.problems.symbolic import latex

    if not free:
        return f"Every term contains \\({name}\\): none drops out."
    terms = ", \\; ".join(latex(t) for t in free)
    return f"Terms without \\({name}\\) give 0: \\({terms}\\)."


FAMILY = Family(
    name="partial",
    title="A partial derivative",
    description="Differentiate f(x, y) in one variable, holding the other fixed.",
    build=build,
    target_seconds=(45, 90, 150),
    levels=(
        "polynomial with a mixed term",
        "polynomial plus exp(axy), sin(axy) or cos(axy)",
        "products such as x²·exp(xy) or y·cos(x²y) plus a polynomial",
    ),
)
