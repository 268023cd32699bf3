"""Read an answer in the shape its expected answer needs: one value, a vector or a matrix.

Vectors may be typed ``[1, 2]``, ``(1, 2)``, ``1, 2`` or ``<1, 2>`` (also as a row ``[1 2]`` or a
column ``[1; 2]``); matrices ``[[1, 2], [3, 4]]``, ``[1 2; 3 4]`` or rows on separate lines.
Entries may be expressions (``[1/2, sqrt(2)]``). A wrong shape is an error naming both shapes
("expected 2 components, got 3"), so the learner can fix it before it counts, unless a listed
misconception has that shape (the transpose of a non-square matrix): then it is read, and the
grader compares it with that misconception.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sympy

from quizcalc.grading.answers import (
    Answer,
    ExpressionAnswer,
    MatrixAnswer,
    NumberAnswer,
    VectorAnswer,
)
from quizcalc.grading.errors import UnreadableAnswer
from quizcalc.grading.parser import ParsedList, parse
from quizcalc.grading.printer import show
from quizcalc.grading.vocabulary import Vocabulary

__all__ = ["Reading", "expected_reading", "read", "read_value"]


@dataclass(frozen=True)
class Reading:
    """An answer read in its expected shape."""

    value: Any
    """A SymPy expression, a tuple of them (vector) or a tuple of tuples (matrix)."""
    interpreted: str
    """How it was read, in plain math."""


def read(text: str, expected: Answer) -> Reading:
    """Read a learner's ``text`` as the kind of answer ``expected`` is (not a choice)."""
    if isinstance(expected, ExpressionAnswer):
        return _read_scalar(parse(text, Vocabulary.of(expected.variables)), "expression")
    if isinstance(expected, NumberAnswer):
        return _read_scalar(parse(text, Vocabulary()), "number")
    if isinstance(expected, VectorAnswer):
        return _read_vector(parse(text, Vocabulary()), len(expected.values))
    if isinstance(expected, MatrixAnswer):
        shape = _matrix_shape(expected)
        also = _listed_shapes(tuple(m.answer for m in expected.misconceptions), shape)
        return _read_matrix(parse(text, Vocabulary()), shape, also)
    raise TypeError(f"not an answer type the grader reads as math: {type(expected).__name__}")


def _matrix_shape(expected: MatrixAnswer) -> tuple[int, int]:
    return len(expected.rows), len(expected.rows[0]) if expected.rows else 0


@lru_cache(maxsize=512)
def _listed_shapes(answers: tuple[str, ...], shape: tuple[int, int]) -> frozenset[tuple[int, int]]:
    """The shapes other than ``shape`` of the misconceptions written as rows of a matrix."""
    shapes = set()
    for answer in answers:
        try:
            parsed = _unwrap(parse(answer, Vocabulary()))
        except UnreadableAnswer:
            continue  # reported by check_answer_key
        if isinstance(parsed, ParsedList) and all(
            isinstance(row, ParsedList) for row in parsed.items
        ):
            widths = {len(_row_items(row)) for row in parsed.items}
            if len(widths) == 1:
                shapes.add((len(parsed.items), widths.pop()))
    return frozenset(shapes - {shape})


def read_value(value: float | int | str, variables: tuple[str, ...] = ()) -> Any:
    """A problem's expected value (a number or a string in the grader's syntax) as SymPy."""
    return _expected_value(value, tuple(variables))


def expected_reading(expected: Answer) -> Reading:
    """The expected answer itself, read like a learner's (raises if a problem wrote it badly)."""
    if isinstance(expected, ExpressionAnswer):
        return Reading(
            read_value(expected.expr, tuple(expected.variables)),
            show(read_value(expected.expr, tuple(expected.variables))),
        )
    if isinstance(expected, NumberAnswer):
        value = read_value(expected.value)
        return Reading(value, show(value))
    if isinstance(expected, VectorAnswer):
        values = tuple(read_value(v) for v in expected.values)
        return Reading(values, show(values))
    if isinstance(expected, MatrixAnswer):
        rows = tuple(tuple(read_value(v) for v in row) for row in expected.rows)
        if len({len(row) for row in rows}) > 1:
            raise UnreadableAnswer("the expected matrix has rows of different lengths")
        return Reading(rows, show(rows))
    raise TypeError(f"not an answer type the grader reads as math: {type(expected).__name__}")


@lru_cache(maxsize=2048, typed=True)  # 100 (exact) and 100.0 (approximate) differ
def _expected_value(value: float | int | str, variables: tuple[str, ...]) -> Any:
    if isinstance(value, bool):
        raise UnreadableAnswer(f"the expected value {value!r} is not a number")
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise UnreadableAnswer(f"the expected value {value!r} is not a finite number")
        return sympy.Float(value)
    parsed = parse(str(value), Vocabulary.of(variables))
    return _read_scalar(parsed, "expression" if variables else "number").value


def _unwrap(parsed: Any) -> Any:
    while isinstance(parsed, ParsedList) and len(parsed.items) == 1:
        parsed = parsed.items[0]
    return parsed


def _describe(parsed: ParsedList) -> str:
    rows = [item for item in parsed.items if isinstance(item, ParsedList)]
    if rows and len(rows) == len(parsed.items):
        widths = {len(row.items) for row in rows}
        if len(widths) == 1:
            return f"a {len(rows)}×{widths.pop()} matrix"
        return f"a matrix with {len(rows)} rows"
    return f"a list of {len(parsed.items)}"


def _read_scalar(parsed: Any, what: str) -> Reading:
    parsed = _unwrap(parsed)
    if isinstance(parsed, ParsedList):
        hint = (
            " (no commas inside numbers: 1000, not 1,000; 0.5, not 0,5)" if what == "number" else ""
        )
        raise UnreadableAnswer(
            f"expected a single {what}, got {_describe(parsed)}{hint}", parsed.position
        )
    return Reading(parsed, show(parsed))


def _entries(items: tuple[Any, ...], what: str) -> tuple[Any, ...]:
    for item in items:
        if isinstance(item, ParsedList):
            raise UnreadableAnswer(
                f"{what} entries must be single values, got {_describe(item)}", item.position
            )
    return items


def _read_vector(parsed: Any, length: int) -> Reading:
    if not isinstance(parsed, ParsedList):
        components: tuple[Any, ...] = (parsed,)
    elif parsed.items and all(isinstance(item, ParsedList) for item in parsed.items):
        rows = parsed.items
        if all(len(row.items) == 1 for row in rows):
            components = tuple(_unwrap(row) for row in rows)  # a column [1; 2]
        elif len(rows) == 1:
            components = rows[0].items
        else:
            raise UnreadableAnswer(
                f"expected a vector of {length} components, got {_describe(parsed)}",
                parsed.position,
            )
    else:
        components = parsed.items
    components = _entries(tuple(components), "vector")
    if len(components) != length:
        raise UnreadableAnswer(f"expected {length} components, got {len(components)}")
    return Reading(components, show(components))


def _read_matrix(
    parsed: Any, shape: tuple[int, int], also: frozenset[tuple[int, int]] = frozenset()
) -> Reading:
    rows_wanted, columns_wanted = shape
    wanted = f"a {rows_wanted}×{columns_wanted} matrix"
    if not isinstance(parsed, ParsedList):
        rows: tuple[tuple[Any, ...], ...] = ((parsed,),)
    elif parsed.items and all(isinstance(item, ParsedList) for item in parsed.items):
        rows = tuple(_row_items(row) for row in parsed.items)
    elif not any(isinstance(item, ParsedList) for item in parsed.items):
        if rows_wanted == 1:
            rows = (parsed.items,)
        elif columns_wanted == 1:
            rows = tuple((item,) for item in parsed.items)
        else:
            raise UnreadableAnswer(
                f"expected {wanted}, got a list of {len(parsed.items)}: "
                "write rows as [[1, 2], [3, 4]] or [1 2; 3 4]",
                parsed.position,
            )
    else:
        raise UnreadableAnswer(f"expected {wanted}; mix of rows and single values", parsed.position)
    for number, row in enumerate(rows, start=1):
        _entries(row, "matrix")
        if len(row) != len(rows[0]):
            raise UnreadableAnswer(
                f"row {number} has {len(row)} entries but row 1 has {len(rows[0])}"
            )
    got = (len(rows), len(rows[0]))
    if got != shape and got not in also:
        raise UnreadableAnswer(f"expected {wanted}, got {got[0]}×{got[1]}")
    return Reading(rows, "[" + ", ".join(show(row) for row in rows) + "]")


def _row_items(row: ParsedList) -> tuple[Any, ...]:
    if len(row.items) == 1 and isinstance(row.items[0], ParsedList):
        return tuple(row.items[0].items)  # [[1, 2]; [3, 4]]
    return tuple(row.items)
