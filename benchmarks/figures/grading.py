"""``grade()`` per call, p99: the realistic mix and the hostile set of ``benchmarks/grading.py``.

In one process, after one warm-up round of every case (SymPy's import and the answer keys
are paid there, as in a review session after the first problem); each run is one round of
the realistic mix (31 cases) or of the hostile set (19 inputs × 2 expected answers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarks.figures.base import Context, Figure
from benchmarks.report import Measured, Target

if TYPE_CHECKING:
    from quizcalc.grading import Answer

ROUNDS_PER_RUN = 4


def _cases(hostile: bool) -> list[tuple[str, Answer]]:
    from benchmarks.grading import HOSTILE, HOSTILE_TARGETS, REALISTIC

    if not hostile:
        return list(REALISTIC)
    return [(text, target) for text in HOSTILE for target in HOSTILE_TARGETS]


def _measure(ctx: Context, hostile: bool) -> Measured:
    from benchmarks.grading import timings
    from quizcalc.grading import grade

    cases = _cases(hostile)
    timings(cases, 1, grade)
    rounds = ctx.runs * (1 if hostile else ROUNDS_PER_RUN)
    samples = timings(cases, rounds, grade)
    return Measured(samples, note=f"{len(samples)} calls")


def realistic(ctx: Context) -> Measured:
    """What learners type, right and wrong."""
    return _measure(ctx, hostile=False)


def hostile(ctx: Context) -> Measured:
    """Input built to hang or crash a naive grader."""
    return _measure(ctx, hostile=True)


FIGURES = [
    Figure(
        "grade-realistic", "grade() per call, realistic mix", (Target("p99", 0.050),), realistic
    ),
    Figure("grade-hostile", "grade() per call, hostile set", (Target("p99", 0.250),), hostile),
]
