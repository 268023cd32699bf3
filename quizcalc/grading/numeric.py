"""Arbitrary-precision real evaluation of parsed answers, with every operation bounded.

A walk over the SymPy tree in mpmath (private, thread-local contexts: Textual workers are
threads and mpmath's global ``mp`` is shared state). Every operation is checked *before* it
runs: a power or exponential whose result would exceed about 10^(10^6) and a sine of a number
above 10^100 are :class:`Undefined`, so no input can make the evaluator crunch for long.
Only real arithmetic: a square root or log of a negative number, a negative base with a
non-integer power and a division by zero are :class:`Undefined` at that point, as in a
textbook's domain.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import sympy
from mpmath import MPContext

__all__ = [
    "MAX_MAGNITUDE_BITS",
    "Undefined",
    "apply_function",
    "context",
    "evaluate",
    "power",
    "to_mpf",
]

MAX_MAGNITUDE_BITS = 3_400_000
"""Largest |log2| of any intermediate value (about 10^(10^6)) at a sample point."""
MAX_TRIG_ARGUMENT_LOG2 = 333
"""sin, cos and tan of numbers above 2^333 ≈ 10^100 are refused (argument reduction cost)."""
_EXACT_POWER_LIMIT = 2**64
"""Integer exponents below this use exact repeated squaring (at most 64 steps)."""

_LOG2_E = 1.4426950408889634
_local = threading.local()


class Undefined(ArithmeticError):
    """The value does not exist (or is too large to compute) as a real number."""

    def __init__(self, reason: str, piece: sympy.Basic | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        """Why, in words: "division by zero", "log of a negative number"…"""
        self.piece = piece
        """The subexpression where it happened, when known."""


def context(dps: int) -> Any:
    """This thread's mpmath context at ``dps`` decimal digits."""
    contexts: dict[int, Any] = getattr(_local, "contexts", None) or {}
    _local.contexts = contexts
    ctx = contexts.get(dps)
    if ctx is None:
        ctx = MPContext()
        ctx.dps = dps
        contexts[dps] = ctx
    return ctx


def check_magnitude(ctx: Any, value: Any, max_bits: int = MAX_MAGNITUDE_BITS) -> Any:
    """``value`` if it is finite and within ``max_bits`` of magnitude, else :class:`Undefined`."""
    if not ctx.isfinite(value):
        raise Undefined("not a finite number")
    if value and abs(ctx.mag(value)) > max_bits:
        raise Undefined("too large to check" if ctx.mag(value) > 0 else "too small to check")
    return value


def power(ctx: Any, base: Any, exponent: Any, max_bits: int = MAX_MAGNITUDE_BITS) -> Any:
    """``base ** exponent`` as a real number, refusing results beyond ``max_bits``."""
    integer_exponent = ctx.isint(exponent)
    if not base:
        if exponent > 0:
            return ctx.zero
        raise Undefined("division by zero" if exponent < 0 else "0^0 is undefined")
    if base < 0 and not integer_exponent:
        if exponent == 0.5:
            raise Undefined("the square root of a negative number is not real")
        raise Undefined("a negative number to a fractional power is not real")
    # log2 of the result, from log2 |base| itself: the base's bit length (mag) is 0 for any
    # base in [0.5, 1), which let 0.8^(10^600000) through to a 2-million-step integer power.
    estimated_bits = exponent * ctx.log(abs(base), 2)
    if abs(estimated_bits) > 2 * max_bits:
        raise Undefined("too large to check" if estimated_bits > 0 else "too small to check")
    if integer_exponent and abs(exponent) < _EXACT_POWER_LIMIT:
        result = ctx.power(base, int(exponent))
    elif integer_exponent:  # exp/log, not one squaring per bit of a huge exponent
        magnitude = ctx.exp(exponent * ctx.log(abs(base)))
        result = -magnitude if base < 0 and int(exponent) % 2 else magnitude
    else:
        result = ctx.power(base, exponent)
    return check_magnitude(ctx, result, max_bits)


def apply_function(ctx: Any, name: str, argument: Any, max_bits: int = MAX_MAGNITUDE_BITS) -> Any:
    """One of the whitelisted functions applied to a real ``argument``."""
    if name == "exp":
        if abs(argument) * _LOG2_E > max_bits:
            raise Undefined("too large to check")
        return check_magnitude(ctx, ctx.exp(argument), max_bits)
    if name == "log":
        if argument <= 0:
            raise Undefined("log of zero or a negative number is not real")
        return ctx.log(argument)
    if name in ("sin", "cos", "tan"):
        if argument and ctx.mag(argument) > MAX_TRIG_ARGUMENT_LOG2:
            raise Undefined(f"{name} of a number this large is not checked")
        if name == "tan":
            cosine = ctx.cos(argument)
            if not cosine:
                raise Undefined("tan is undefined here")
            return check_magnitude(ctx, ctx.sin(argument) / cosine, max_bits)
        return ctx.sin(argument) if name == "sin" else ctx.cos(argument)
    if name == "abs":
        return abs(argument)
    raise Undefined(f"unsupported function {name}")


def to_mpf(ctx: Any, number: sympy.Basic) -> Any:
    """A SymPy number (Integer, Rational, Float, pi, E) in ``ctx``."""
    if number.is_Integer:
        return ctx.mpf(int(number))
    if number.is_Rational:
        return ctx.mpf(int(number.p)) / int(number.q)
    if number.is_Float:
        return ctx.make_mpf(number._mpf_)
    if number is sympy.pi:
        return +ctx.pi
    if number is sympy.E:
        return +ctx.e
    raise Undefined(f"unsupported number {number}")


_FUNCTION_NAMES = {
    sympy.sin: "sin",
    sympy.cos: "cos",
    sympy.tan: "tan",
    sympy.exp: "exp",
    sympy.log: "log",
    sympy.Abs: "abs",
}


def evaluate(expr: sympy.Basic, point: Mapping[sympy.Symbol, Any], dps: int = 60) -> Any:
    """The real value of ``expr`` with variables set from ``point``, at ``dps`` digits.

    ``point`` values may be mpmath numbers or Python ints/floats. Raises :class:`Undefined`.
    """
    ctx = context(dps)
    values = {symbol: ctx.mpf(value) for symbol, value in point.items()}
    return _walk(ctx, expr, values)


def _walk(ctx: Any, expr: sympy.Basic, point: Mapping[sympy.Symbol, Any]) -> Any:
    try:
        if expr.is_Symbol:
            if expr not in point:
                raise Undefined(f"no value for {expr}")
            return point[expr]
        if expr.is_Number or expr.is_NumberSymbol:
            return to_mpf(ctx, expr)
        if expr.is_Add:
            return check_magnitude(ctx, ctx.fsum(_walk(ctx, arg, point) for arg in expr.args))
        if expr.is_Mul:  # magnitudes only add up, so one check at the end is enough
            return check_magnitude(ctx, ctx.fprod(_walk(ctx, arg, point) for arg in expr.args))
        if expr.is_Pow:
            return power(ctx, _walk(ctx, expr.base, point), _walk(ctx, expr.exp, point))
        name = _FUNCTION_NAMES.get(expr.func)
        if name is not None:
            return apply_function(ctx, name, _walk(ctx, expr.args[0], point))
    except Undefined as undefined:
        if undefined.piece is None:
            undefined.piece = expr
        raise
    except (ZeroDivisionError, ValueError, OverflowError) as error:
        raise Undefined(f"cannot be computed ({error})", expr) from error
    raise Undefined(f"unsupported expression {type(expr).__name__}", expr)
