"""Plain-math text for a parsed answer, so a learner sees how the input was read.

``2*x*cos(x^2)`` prints as ``2·x·cos(x²)``: ``·`` for products, superscript digits for integer
powers, ``√`` for square roots, ``π`` and ``e`` for the constants, Greek letters for Greek
names, ``ln`` for the natural log (whether typed ``log`` or ``ln``), ``|x|`` for abs and ``−``
for minus. It prints the unevaluated tree the parser built, so ``2(x+1)`` reads back as
``2·(x + 1)`` rather than an expanded form.
"""

from __future__ import annotations

import re
from typing import Any

import sympy

from quizcalc.grading.vocabulary import display_name

__all__ = ["format_number", "show", "show_list"]

MINUS = "−"
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_FUNCTION_TEXT = {
    sympy.sin: "sin",
    sympy.cos: "cos",
    sympy.tan: "tan",
    sympy.exp: "exp",
    sympy.log: "ln",
}
# Binding strength, loosest first: a child looser than its slot gets parentheses.
_SUM, _PRODUCT, _UNARY, _POWER, _ATOM = range(5)


def show(expr: Any) -> str:
    """``expr`` (a SymPy expression, or nested lists of them) in plain math.

    One notation per expression: integer powers are superscripts (``x² + 1``) unless some
    power needs ``^`` (``x^(1/3)``), and then every power does (``x^2 + x^(1/3)``), never a mix.
    """
    if isinstance(expr, list | tuple):
        return show_list(expr)
    return _one_notation(_show(expr)[0])


_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+")
_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789" + MINUS)


def _one_notation(text: str) -> str:
    """``x² + x^(1/3)`` → ``x^2 + x^(1/3)``: superscripts go when a ``^`` stays."""
    if "^" not in text:
        return text
    return _SUPERSCRIPT_RUN.sub(lambda m: "^" + _exponent(m.group()), text)


def _exponent(run: str) -> str:
    text = run.translate(_FROM_SUPERSCRIPT)
    return f"({text})" if text.startswith(MINUS) else text


def show_list(items: Any) -> str:
    """A vector ``[1, 2]`` or a matrix ``[[1, 2], [3, 4]]`` of expressions (one notation for
    the whole: ``[x^2, x^(1/3)]``)."""
    return _one_notation("[" + ", ".join(show(item) for item in items) + "]")


def format_number(value: Any) -> str:
    """A numeric value (mpmath, int or float) to 10 significant figures, ``−`` for minus."""
    import mpmath

    try:
        text = mpmath.nstr(mpmath.mpf(value), 10, min_fixed=-6, max_fixed=10)
    except (TypeError, ValueError):
        text = str(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        mantissa = mantissa.removesuffix(".0")
        text = f"{mantissa}·10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    return text.removesuffix(".0").replace("-", MINUS)


def _show(expr: sympy.Basic) -> tuple[str, int]:
    """The text of ``expr`` and how tightly it binds."""
    if expr.is_Symbol:
        return display_name(expr.name), _ATOM
    if expr is sympy.pi:
        return "π", _ATOM
    if expr is sympy.E:
        return "e", _ATOM
    if expr.is_Integer:
        return (f"{MINUS}{-int(expr)}", _UNARY) if expr < 0 else (str(int(expr)), _ATOM)
    if expr.is_Rational:
        sign = MINUS if expr < 0 else ""
        return f"{sign}{abs(int(expr.p))}/{int(expr.q)}", _PRODUCT
    if expr.is_Float:
        text = _float_text(expr)
        return text, _UNARY if text.startswith(MINUS) else _ATOM
    if expr.is_Add:
        return _show_sum(expr), _SUM
    if expr.is_Mul:
        return _show_product(expr)
    if expr.is_Pow:
        return _show_power(expr)
    if expr.func is sympy.Abs:
        return f"|{_show(expr.args[0])[0]}|", _ATOM
    name = _FUNCTION_TEXT.get(expr.func)
    if name is not None:
        return f"{name}({_show(expr.args[0])[0]})", _ATOM
    return str(expr), _ATOM


def _float_text(number: sympy.Float) -> str:
    value = float(number)
    if value in (float("inf"), float("-inf")) or (value == 0 and number != 0):
        return sympy.sstr(number).replace("-", MINUS)
    text = repr(value)
    if text.endswith(".0"):
        text = text[:-2]
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}·10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    return text.replace("-", MINUS)


def _wrap(text: str, strength: int, slot: int) -> str:
    return f"({text})" if strength < slot else text


def _is_negative_term(expr: sympy.Basic) -> bool:
    if expr.is_Number:
        return bool(expr < 0)
    if expr.is_Mul and expr.args:
        return _is_negative_term(_flatten_product(expr)[0])
    return False


def _negated(expr: sympy.Basic) -> sympy.Basic:
    if expr.is_Number:
        return -expr
    factors = _flatten_product(expr)
    first = -factors[0]
    rest = factors[1:] if first == 1 else [first, *factors[1:]]
    if not rest:
        return sympy.Integer(1)
    return rest[0] if len(rest) == 1 else sympy.Mul(*rest, evaluate=False)


def _show_sum(expr: sympy.Basic) -> str:
    parts: list[str] = []
    for index, term in enumerate(expr.args):
        negative = _is_negative_term(term)
        shown, strength = _show(_negated(term) if negative else term)
        shown = _wrap(shown, strength, _PRODUCT if negative else _SUM + 1)
        if index == 0:
            parts.append(f"{MINUS}{shown}" if negative else shown)
        else:
            parts.append(f" {MINUS} {shown}" if negative else f" + {shown}")
    return "".join(parts)


def _flatten_product(expr: sympy.Basic) -> list[sympy.Basic]:
    # A negated factor after the first stays whole, so 2x·-x² shows as 2·x·(−x²).
    factors: list[sympy.Basic] = []
    for index, arg in enumerate(expr.args):
        negation = arg.is_Mul and arg.args[0] == -1
        factors.extend(_flatten_product(arg) if arg.is_Mul and not (index and negation) else [arg])
    return factors


def _show_product(expr: sympy.Basic) -> tuple[str, int]:
    numerator: list[sympy.Basic] = []
    denominator: list[sympy.Basic] = []
    sign = ""
    for factor in _flatten_product(expr):
        if factor == -1 and not numerator and not sign:
            sign = MINUS
        elif factor.is_Rational and not factor.is_Integer:
            if abs(factor.p) != 1:
                numerator.append(sympy.Integer(abs(factor.p)))
            if factor.p < 0:
                sign = "" if sign else MINUS
            denominator.append(sympy.Integer(factor.q))
        elif factor.is_Pow and factor.exp.is_Integer and factor.exp < 0:
            exponent = -factor.exp
            denominator.append(
                factor.base if exponent == 1 else sympy.Pow(factor.base, exponent, evaluate=False)
            )
        else:
            numerator.append(factor)
    top = _join_factors(numerator) if numerator else ("1", _ATOM)
    if not denominator:
        text, strength = top
        return (f"{sign}{_wrap(text, strength, _PRODUCT)}", _UNARY) if sign else top
    bottom_text, bottom_strength = _join_factors(denominator)
    top_text = _wrap(top[0], top[1], _PRODUCT)
    text = f"{top_text}/{_wrap(bottom_text, bottom_strength, _POWER)}"
    return (f"{sign}{text}", _UNARY) if sign else (text, _PRODUCT)


def _join_factors(factors: list[sympy.Basic]) -> tuple[str, int]:
    if len(factors) == 1:
        return _show(factors[0])
    shown = []
    for index, factor in enumerate(factors):
        text, strength = _show(factor)
        shown.append(_wrap(text, strength, _POWER if index else _UNARY))
    return "·".join(shown), _PRODUCT


def _show_power(expr: sympy.Basic) -> tuple[str, int]:
    base, exponent = expr.base, expr.exp
    base_text, base_strength = _show(base)
    if exponent == sympy.Rational(1, 2):
        return f"√{_wrap(base_text, base_strength, _ATOM)}", _POWER
    if exponent.is_Integer and exponent < 0:
        return _show_product(sympy.Mul(sympy.Integer(1), expr, evaluate=False))
    wrapped = _wrap(base_text, base_strength, _ATOM)
    if base.is_Float and "·" in base_text:
        wrapped = f"({base_text})"
    if exponent.is_Integer:
        return f"{wrapped}{str(int(exponent)).translate(_SUPERSCRIPT)}", _POWER
    exponent_text, exponent_strength = _show(exponent)
    return f"{wrapped}^{_wrap(exponent_text, exponent_strength, _ATOM)}", _POWER
