"""Answers and verdicts as JSON, for the isolated worker. Only the known dataclasses are built."""

from __future__ import annotations

import dataclasses
from typing import Any

from quizcalc.grading.answers import (
    Answer,
    ChoiceAnswer,
    ExpressionAnswer,
    MatrixAnswer,
    Misconception,
    NumberAnswer,
    PartResult,
    VectorAnswer,
    Verdict,
)

__all__ = ["answer_from_json", "answer_to_json", "verdict_from_json", "verdict_to_json"]

_ANSWER_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (NumberAnswer, ExpressionAnswer, VectorAnswer, MatrixAnswer, ChoiceAnswer)
}


def answer_to_json(expected: Answer) -> dict[str, Any]:
    """``{"type": "NumberAnswer", "fields": {...}}`` with tuples as lists."""
    fields = {field.name: getattr(expected, field.name) for field in dataclasses.fields(expected)}
    fields["misconceptions"] = [dataclasses.asdict(m) for m in expected.misconceptions]
    if isinstance(expected, MatrixAnswer):
        fields["rows"] = [list(row) for row in expected.rows]
    for name in ("values", "options", "variables"):
        if name in fields:
            fields[name] = list(fields[name])
    return {"type": type(expected).__name__, "fields": fields}


def answer_from_json(data: dict[str, Any]) -> Answer:
    """The answer :func:`answer_to_json` encoded; raises ``ValueError`` on anything else."""
    cls = _ANSWER_TYPES.get(data.get("type", ""))
    if cls is None:
        raise ValueError(f"unknown answer type {data.get('type')!r}")
    known = {field.name for field in dataclasses.fields(cls)}
    fields = {name: value for name, value in data["fields"].items() if name in known}
    fields["misconceptions"] = tuple(Misconception(**m) for m in fields.get("misconceptions", ()))
    if cls is MatrixAnswer:
        fields["rows"] = tuple(tuple(row) for row in fields["rows"])
    for name in ("values", "options", "variables"):
        if name in fields:
            fields[name] = tuple(fields[name])
    answer: Answer = cls(**fields)
    return answer


def verdict_to_json(verdict: Verdict) -> dict[str, Any]:
    """A verdict as a JSON-ready dict."""
    data = dataclasses.asdict(verdict)
    data["parts"] = [dataclasses.asdict(part) for part in verdict.parts]
    return data


def verdict_from_json(data: dict[str, Any]) -> Verdict:
    """The verdict :func:`verdict_to_json` encoded."""
    known = {field.name for field in dataclasses.fields(Verdict)}
    fields = {name: value for name, value in data.items() if name in known}
    fields["parts"] = tuple(PartResult(**part) for part in fields.get("parts", ()))
    return Verdict(**fields)
