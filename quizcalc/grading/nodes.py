"""Building the SymPy nodes of a parsed answer, with every constant range-checked first.

Nodes are built unevaluated (``evaluate=False``), so ``2(x+1)`` stays a product and the
learner sees exactly how the input was read. Constant subexpressions also carry their value at
30 digits, computed from their children *after* a log-space estimate says it is safe:
``((9^99)^99)^99`` is refused from 99·99·99·log10(9) before anything is raised to a power.
Division by zero and non-real values (``sqrt(-4)``, ``log(0)``) are refused the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sympy

from quizcalc.grading import numeric
from quizcalc.grading.errors import UnreadableAnswer
from quizcalc.grading.printer import format_number, show
from quizcalc.grading.tokenizer import Token

__all__ = ["MAX_NUMBER_LOG10", "MAX_SYMBOLIC_EXPONENT", "Node", "NodeBuilder", "too_large"]

MAX_NUMBER_LOG10 = 1000
"""Numbers and constant subexpressions must lie within 10^±1000."""
MAX_SYMBOLIC_EXPONENT = 10**6
"""Largest exponent on an expression with variables: (x-a)^6000 is fine, x^(10^9) is not."""

_MAX_NUMBER_BITS = int(MAX_NUMBER_LOG10 * 3.3219280948873626)
_CHECK_DPS = 30
_INTEGER = re.compile(r"\d+")


@dataclass(frozen=True)
class Node:
    """A SymPy expression being built, with its value when it is constant."""

    expr: Any
    value: Any
    """An mpmath number when the subexpression has no variables, else None."""
    position: int
    """1-based position where it starts, for error messages."""
    literal: bool = False
    """A bare number as typed (so ``3/4`` becomes the Rational 3/4)."""


def too_large(text: str, position: int, small: bool = False) -> UnreadableAnswer:
    """The error for a number beyond 10^±1000, naming it."""
    size = "small" if small else "large"
    return UnreadableAnswer(
        f"‘{text}’ at position {position} is too {size} to check "
        f"(the limit is 10^±{MAX_NUMBER_LOG10})",
        position,
    )


class NodeBuilder:
    """Makes :class:`Node` objects; holds this thread's 30-digit mpmath context."""

    def __init__(self) -> None:
        self.ctx = numeric.context(_CHECK_DPS)

    def number(self, token: Token) -> Node:
        """A number literal, refused beyond 10^±1000 before it is constructed."""
        text = token.text
        if _INTEGER.fullmatch(text):
            expr: Any = sympy.Integer(int(text))
            digits = len(text.lstrip("0"))
            if digits > MAX_NUMBER_LOG10:
                raise too_large(text, token.position)
        else:
            mantissa, _, exponent_text = text.lower().partition("e")
            whole, _, fraction = mantissa.partition(".")
            significant = (whole + fraction).lstrip("0")
            if significant:
                exponent = int(exponent_text or "0")
                if whole.lstrip("0"):
                    magnitude = exponent + len(whole.lstrip("0")) - 1
                else:
                    magnitude = exponent - (len(fraction) - len(fraction.lstrip("0"))) - 1
                if abs(magnitude) > MAX_NUMBER_LOG10:
                    raise too_large(text, token.position, small=magnitude < 0)
            expr = sympy.Float(text, max(15, len(significant)))
        return Node(expr, numeric.to_mpf(self.ctx, expr), token.position, literal=True)

    def negate(self, term: Node) -> Node:
        """``-term`` (a negative literal stays a literal: ``-3/4`` is the Rational −3/4)."""
        value = None if term.value is None else -term.value
        if term.literal and term.expr.is_Number:
            return Node(-term.expr, value, term.position, literal=True)
        negated = sympy.Mul(sympy.Integer(-1), term.expr, evaluate=False)
        return Node(negated, value, term.position)

    def divide(self, dividend: Node, divisor: Node, slash: Token) -> list[Node]:
        """The factors of ``dividend / divisor``: ``3/4`` of two literals is one Rational."""
        if divisor.value is not None and not divisor.value:
            piece = "" if divisor.literal else f" (‘{show(divisor.expr)}’ is 0)"
            raise UnreadableAnswer(
                f"division by zero at position {slash.position}{piece}", slash.position
            )
        if (
            dividend.literal
            and divisor.literal
            and dividend.expr.is_Integer
            and divisor.expr.is_Integer
        ):
            fraction = sympy.Rational(dividend.expr, divisor.expr)
            return [Node(fraction, dividend.value / divisor.value, dividend.position, literal=True)]
        reciprocal = sympy.Pow(divisor.expr, sympy.Integer(-1), evaluate=False)
        value = None if divisor.value is None else 1 / divisor.value
        return [dividend, Node(reciprocal, value, divisor.position)]

    def combine(self, operation: Any, terms: list[Node]) -> Node:
        """``Add`` or ``Mul`` of ``terms``, unevaluated; a constant result is range-checked."""
        expr = operation(*[term.expr for term in terms], evaluate=False)
        values = [term.value for term in terms]
        if any(value is None for value in values):
            return Node(expr, None, terms[0].position)
        value = self.ctx.fsum(values) if operation is sympy.Add else self.ctx.fprod(values)
        if value and abs(self.ctx.mag(value)) > _MAX_NUMBER_BITS:
            raise too_large(show(expr), terms[0].position, small=self.ctx.mag(value) < 0)
        return Node(expr, value, terms[0].position)

    def raise_to(self, base: Node, exponent: Node, token: Token) -> Node:
        """``base ^ exponent``, its size estimated in log space before it is computed."""
        expr = sympy.Pow(base.expr, exponent.expr, evaluate=False)
        symbolic_base = base.value is None and exponent.value is not None
        if symbolic_base and abs(exponent.value) > MAX_SYMBOLIC_EXPONENT:
            raise UnreadableAnswer(
                f"the exponent at position {token.position} is too large to check "
                f"(more than {MAX_SYMBOLIC_EXPONENT:,} in size)",
                token.position,
            )
        if base.value is None or exponent.value is None:
            return Node(expr, None, base.position)
        if base.value and abs(exponent.value * self.ctx.log10(abs(base.value))) > MAX_NUMBER_LOG10:
            size = format_number(exponent.value * self.ctx.log10(abs(base.value)))
            raise UnreadableAnswer(
                f"‘{show(expr)}’ at position {base.position} is about 10^({size}): "
                f"too large to check (the limit is 10^{MAX_NUMBER_LOG10})",
                base.position,
            )
        value = self.checked(expr, token, numeric.power, base.value, exponent.value)
        return Node(expr, value, base.position)

    def apply(self, name: str, argument: Node, token: Token) -> Node:
        """A whitelisted function (``sqrt`` is a power of 1/2) applied to ``argument``."""
        if name == "sqrt":
            expr = sympy.Pow(argument.expr, sympy.Rational(1, 2), evaluate=False)
        else:
            function = {"abs": sympy.Abs, "log": sympy.log}.get(name) or getattr(sympy, name)
            expr = function(argument.expr, evaluate=False)
        if argument.value is None:
            return Node(expr, None, token.position)
        if name == "sqrt":
            value = self.checked(expr, token, numeric.power, argument.value, self.ctx.mpf(0.5))
        else:
            value = self.checked(expr, token, numeric.apply_function, name, argument.value)
        return Node(expr, value, token.position)

    def checked(self, expr: Any, token: Token, operation: Any, *args: Any) -> Any:
        """``operation`` on constant values; an undefined result names the piece."""
        try:
            return operation(self.ctx, *args, max_bits=_MAX_NUMBER_BITS)
        except numeric.Undefined as undefined:
            raise UnreadableAnswer(
                f"‘{show(expr)}’ at position {token.position}: {undefined.reason}", token.position
            ) from None
