"""A small exact polynomial in named variables, for generators that need no SymPy.

Polynomial families (gradients, Jacobians, Hessians, quadratics for gradient descent) build
their functions here: exact :class:`~fractions.Fraction` coefficients, differentiation,
evaluation, and printing both as LaTeX and in the grader's syntax (``3*x^2*y - 2*y``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from quizcalc.problems.numbers import latex_number, plain_number

__all__ = ["Polynomial"]

Exponents = tuple[int, ...]


@dataclass(frozen=True)
class Polynomial:
    """A sum of monomials ``c · x^i · y^j …`` with exact coefficients, zero terms dropped."""

    variables: tuple[str, ...]
    """Variable names in order, e.g. ``("x", "y")``."""
    terms: tuple[tuple[Exponents, Fraction], ...]
    """``(exponents, coefficient)`` pairs, highest total degree first."""

    @classmethod
    def build(
        cls, variables: Iterable[str], terms: Mapping[Exponents, Fraction | int]
    ) -> Polynomial:
        """A polynomial from ``{exponents: coefficient}``; like terms are already merged."""
        names = tuple(variables)
        kept = [(exps, Fraction(coef)) for exps, coef in terms.items() if coef != 0]
        for exps, _ in kept:
            if len(exps) != len(names) or min(exps, default=0) < 0:
                raise ValueError(f"bad exponents {exps} for variables {names}")
        kept.sort(key=lambda item: (-sum(item[0]), tuple(-e for e in item[0])))
        return cls(names, tuple(kept))

    def coefficients(self) -> dict[Exponents, Fraction]:
        """The terms as a dict ``{exponents: coefficient}``."""
        return dict(self.terms)

    def __add__(self, other: Polynomial) -> Polynomial:
        """The sum of two polynomials in the same variables."""
        if other.variables != self.variables:
            raise ValueError("cannot add polynomials in different variables")
        merged = self.coefficients()
        for exps, coef in other.terms:
            merged[exps] = merged.get(exps, Fraction(0)) + coef
        return Polynomial.build(self.variables, merged)

    def scaled(self, factor: Fraction | int) -> Polynomial:
        """``factor`` times this polynomial."""
        return Polynomial.build(self.variables, {e: c * factor for e, c in self.terms})

    def diff(self, variable: str) -> Polynomial:
        """The partial derivative with respect to ``variable``."""
        index = self.variables.index(variable)
        out: dict[Exponents, Fraction] = {}
        for exps, coef in self.terms:
            power = exps[index]
            if power:
                lowered = (*exps[:index], power - 1, *exps[index + 1 :])
                out[lowered] = out.get(lowered, Fraction(0)) + coef * power
        return Polynomial.build(self.variables, out)

    def gradient(self) -> tuple[Polynomial, ...]:
        """All first partial derivatives, in variable order."""
        return tuple(self.diff(v) for v in self.variables)

    def hessian(self) -> tuple[tuple[Polynomial, ...], ...]:
        """All second partial derivatives, row i = ∂/∂v_i of the gradient."""
        return tuple(tuple(g.diff(v) for v in self.variables) for g in self.gradient())

    def __call__(self, *values: Fraction | int) -> Fraction:
        """The value at ``values`` (one per variable), exactly."""
        if len(values) != len(self.variables):
            raise ValueError(f"expected {len(self.variables)} values, got {len(values)}")
        total = Fraction(0)
        for exps, coef in self.terms:
            term = coef
            for value, power in zip(values, exps, strict=True):
                term *= Fraction(value) ** power
            total += term
        return total

    def without_mixed_terms(self) -> Polynomial:
        """Only the terms that involve at most one variable (a classic partial-derivative slip)."""
        return Polynomial.build(
            self.variables, {e: c for e, c in self.terms if sum(1 for p in e if p) <= 1}
        )

    def has_mixed_terms(self) -> bool:
        """Whether some term involves two or more variables."""
        return any(sum(1 for p in e if p) >= 2 for e, _ in self.terms)

    def is_zero(self) -> bool:
        """Whether every coefficient is zero."""
        return not self.terms

    def latex(self) -> str:
        """LaTeX, e.g. ``3x^{2}y - \\frac{1}{2}y + 4``."""
        return self._join(plain=False)

    def plain(self) -> str:
        """The grader's syntax, e.g. ``3*x^2*y - 1/2*y + 4``."""
        return self._join(plain=True)

    def _join(self, *, plain: bool) -> str:
        if not self.terms:
            return "0"
        number = plain_number if plain else latex_number
        parts: list[str] = []
        for i, (exps, coef) in enumerate(self.terms):
            body = self._monomial(exps, plain=plain)
            magnitude = abs(coef)
            if body and magnitude == 1:
                text = body
            elif body:
                text = f"{number(magnitude)}{'*' if plain else ''}{body}"
            else:
                text = number(magnitude)
            if i == 0:
                parts.append(f"-{text}" if coef < 0 else text)
            else:
                parts.append(f"{'-' if coef < 0 else '+'} {text}")
        return " ".join(parts)

    def _monomial(self, exps: Exponents, *, plain: bool) -> str:
        pieces = []
        for name, power in zip(self.variables, exps, strict=True):
            if power == 1:
                pieces.append(name)
            elif power > 1:
                pieces.append(f"{name}^{power}" if plain else f"{name}^{{{power}}}")
        if plain:
            return "*".join(pieces)
        return " ".join(pieces) if any(len(v) > 1 for v in self.variables) else "".join(pieces)
