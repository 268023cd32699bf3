"""Grading numbers, expressions, vectors and matrices against a problem's answer key.

The answer key (the expected value read once, its sample points, its misconceptions read and
sampled) is cached per expected answer, so grading the hundredth attempt at a problem only
reads and evaluates the learner's text.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sympy

from quizcalc.grading.answers import (
    Answer,
    ExpressionAnswer,
    MatrixAnswer,
    Misconception,
    VectorAnswer,
    Verdict,
)
from quizcalc.grading.equivalence import (
    Comparison,
    Match,
    Sample,
    Sampler,
    Tolerance,
    match,
    symbolically_equal,
)
from quizcalc.grading.errors import UnreadableAnswer
from quizcalc.grading.feedback import (
    ComponentNote,
    Diagnosis,
    error_verdict,
    misconception_verdict,
    scalar_verdict,
    uncertain_verdict,
    vector_verdict,
)
from quizcalc.grading.printer import show
from quizcalc.grading.reading import Reading, expected_reading, read
from quizcalc.grading.vocabulary import canonical_name

__all__ = ["AnswerKey", "answer_key", "grade_math", "problems_with"]


_KEYS_KEPT = 512
_keys: OrderedDict[str, AnswerKey] = OrderedDict()
_keys_lock = threading.Lock()


@dataclass(frozen=True)
class _Entry:
    """One expected value (a whole scalar answer, or one component) ready to compare with."""

    expr: Any
    sampler: Sampler
    tolerance: Tolerance


@dataclass(frozen=True)
class AnswerKey:
    """An expected answer read, sampled and with its misconceptions prepared."""

    entries: tuple[_Entry, ...]
    """One entry for a number or expression; one per component for vectors and matrices."""
    shape: tuple[int, ...]
    """() for a single value, (n,) for a vector, (rows, columns) for a matrix."""
    misconceptions: tuple[tuple[Misconception, tuple[Sample, ...]], ...]
    """Each misconception with its samples, component by component."""
    reshaped: tuple[tuple[Misconception, tuple[int, ...], tuple[_Entry, ...]], ...]
    """Misconceptions of another shape than the answer (the transpose of a non-square matrix),
    each with its shape and entries: an answer of that shape is compared with these only."""
    learning_rate: float | None
    problems: tuple[str, ...]
    """Misconceptions that could not be read (reported by :func:`problems_with`)."""


def answer_key(expected: Answer) -> AnswerKey:
    """The answer key for ``expected``, cached by its ``repr``.

    Not by equality: ``NumberAnswer(100) == NumberAnswer(100.0)``, but the first is exact and
    the second approximate, and the repr tells them apart.
    """
    fingerprint = repr(expected)
    with _keys_lock:
        key = _keys.get(fingerprint)
        if key is not None:
            _keys.move_to_end(fingerprint)
            return key
    key = _build_key(expected)
    with _keys_lock:
        _keys[fingerprint] = key
        while len(_keys) > _KEYS_KEPT:
            _keys.popitem(last=False)
    return key


def problems_with(expected: Answer) -> list[str]:
    """What is wrong with an answer key, for problem authors' tests; [] when all is well."""
    try:
        key = answer_key(expected)
    except UnreadableAnswer as error:
        return [f"expected answer unreadable: {error.message}"]
    problems = list(key.problems)
    if not all(entry.sampler.decidable for entry in key.entries):
        problems.append("expected answer is defined at too few sample points to check numerically")
    return problems


def grade_math(text: str, expected: Answer, symbolic_fallback: bool = False) -> Verdict:
    """Grade ``text`` against a number, expression, vector or matrix answer."""
    try:
        key = answer_key(expected)
    except UnreadableAnswer as error:
        return error_verdict(f"this problem's expected answer could not be read ({error.message})")
    try:
        given = read(text, expected)
    except UnreadableAnswer as error:
        return error_verdict(error.message)
    if not key.shape:
        return _grade_scalar(given, key, expected, symbolic_fallback)
    return _grade_components(given, key, expected)


def _build_key(expected: Answer) -> AnswerKey:
    reading = expected_reading(expected)
    tolerance = Tolerance(expected.rel_tol, expected.abs_tol)  # type: ignore[union-attr]
    symbols: tuple[sympy.Symbol, ...] = ()
    if isinstance(expected, ExpressionAnswer):
        symbols = tuple(sympy.Symbol(canonical_name(v)) for v in expected.variables)
    values, shape = _flatten(reading.value, expected)
    entries = tuple(_Entry(value, Sampler(value, symbols), tolerance) for value in values)
    misconceptions = []
    reshaped = []
    problems = []
    for misconception in expected.misconceptions:
        try:
            wrong = read(misconception.answer, expected).value
        except UnreadableAnswer as error:
            problems.append(f"misconception {misconception.answer!r} unreadable: {error.message}")
            continue
        wrong_values, wrong_shape = _flatten(wrong, expected)
        if wrong_shape != shape:
            own = tuple(_Entry(value, Sampler(value, symbols), tolerance) for value in wrong_values)
            reshaped.append((misconception, wrong_shape, own))
            continue
        samples = tuple(
            entry.sampler.remembered(value)
            for entry, value in zip(entries, wrong_values, strict=True)
        )
        misconceptions.append((misconception, samples))
    learning_rate = getattr(expected, "learning_rate", None)
    if learning_rate is not None and (
        not math.isfinite(learning_rate) or learning_rate in (0.0, 1.0, -1.0)
    ):
        learning_rate = None
    return AnswerKey(
        entries, shape, tuple(misconceptions), tuple(reshaped), learning_rate, tuple(problems)
    )


def _flatten(value: Any, expected: Answer) -> tuple[list[Any], tuple[int, ...]]:
    if isinstance(expected, VectorAnswer):
        return list(value), (len(value),)
    if isinstance(expected, MatrixAnswer):
        return [entry for row in value for entry in row], (len(value), len(value[0]))
    return [value], ()


def _grade_scalar(given: Reading, key: AnswerKey, expected: Answer, fallback: bool) -> Verdict:
    entry = key.entries[0]
    if not entry.sampler.decidable:
        decided = symbolically_equal(entry.expr, given.value, simplify=fallback)
        if decided is None:
            return uncertain_verdict(given.interpreted)
        outcome = Match.EQUAL if decided else Match.DIFFERENT
        return scalar_verdict(Diagnosis(Comparison(outcome)), given.interpreted)
    sample = entry.sampler.sample(given.value)
    diagnosis = _diagnose([entry], [sample], key, 0)
    exact_note = None
    if (
        diagnosis.comparison.match is Match.EQUAL
        and entry.sampler.expected.exact
        and not sample.exact
    ):
        exact_note = show(entry.expr)
    return scalar_verdict(diagnosis, given.interpreted, key.learning_rate, exact_note)


def _grade_components(given: Reading, key: AnswerKey, expected: Answer) -> Verdict:
    values, shape = _flatten(given.value, expected)
    if shape != key.shape:
        return _grade_reshaped(given, values, shape, key)
    samples = [
        entry.sampler.sample(value) for entry, value in zip(key.entries, values, strict=True)
    ]
    whole = _diagnose(list(key.entries), samples, key, None)
    notes = []
    for index, (entry, sample, value) in enumerate(zip(key.entries, samples, values, strict=True)):
        comparison = match(entry.sampler.expected, sample, entry.tolerance)
        sign_flip = comparison.match is not Match.EQUAL and _is_negated(entry, sample)
        notes.append(
            ComponentNote(
                _label(index, shape),
                show(entry.expr),
                show(value),
                Diagnosis(comparison, sign_error=sign_flip),
            )
        )
    return vector_verdict(whole, notes, given.interpreted, key.learning_rate)


def _grade_reshaped(
    given: Reading, values: list[Any], shape: tuple[int, ...], key: AnswerKey
) -> Verdict:
    """An answer of a misconception's shape: that misconception, or a shape error as before."""
    for misconception, wrong_shape, own in key.reshaped:
        if wrong_shape == shape and all(
            match(entry.sampler.expected, entry.sampler.sample(value), entry.tolerance).match
            is Match.EQUAL
            for entry, value in zip(own, values, strict=True)
        ):
            return misconception_verdict(misconception, given.interpreted)
    wanted = "×".join(str(n) for n in key.shape)
    got = "×".join(str(n) for n in shape)
    return error_verdict(f"expected a {wanted} matrix, got {got}", given.interpreted)


def _diagnose(
    entries: list[_Entry], samples: list[Sample], key: AnswerKey, only: int | None
) -> Diagnosis:
    """Compare every component; when wrong, look for a misconception, sign or η factor."""
    comparisons = [
        match(entry.sampler.expected, sample, entry.tolerance, sampler=entry.sampler)
        for entry, sample in zip(entries, samples, strict=True)
    ]
    overall = _combine(comparisons)
    if overall.match is Match.EQUAL:
        return Diagnosis(overall)
    for misconception, wrong_samples in key.misconceptions:
        if all(
            match(wrong, sample, entry.tolerance).match is Match.EQUAL
            for entry, wrong, sample in zip(entries, wrong_samples, samples, strict=True)
        ):
            return Diagnosis(overall, misconception=misconception)
    if _scaled_equal(entries, samples, -1) and any(_nonzero(entry) for entry in entries):
        return Diagnosis(overall, sign_error=True)
    rate = key.learning_rate
    if rate is not None:
        for label, factor in (("η", rate), ("1/η", 1 / rate), ("−η", -rate), ("−1/η", -1 / rate)):
            if _scaled_equal(entries, samples, 1 / factor):
                return Diagnosis(overall, rate_factor=label)
    return Diagnosis(overall)


def _combine(comparisons: list[Comparison]) -> Comparison:
    for outcome in (Match.UNDEFINED, Match.DIFFERENT, Match.CLOSE):
        for comparison in comparisons:
            if comparison.match is outcome:
                return comparison
    return Comparison(Match.EQUAL)


def _scaled_equal(entries: list[_Entry], samples: list[Sample], factor: Any) -> bool:
    return all(
        match(entry.sampler.expected, sample, entry.tolerance, factor=factor).match is Match.EQUAL
        for entry, sample in zip(entries, samples, strict=True)
    )


def _is_negated(entry: _Entry, sample: Sample) -> bool:
    return _nonzero(entry) and _scaled_equal([entry], [sample], -1)


def _nonzero(entry: _Entry) -> bool:
    return any(value for value in entry.sampler.expected.values if value is not None)


def _label(index: int, shape: tuple[int, ...]) -> str:
    if len(shape) == 2:
        row, column = divmod(index, shape[1])
        return f"entry ({row + 1}, {column + 1})"
    return f"component {index + 1}"
