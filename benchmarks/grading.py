"""How long grading takes: median and p99 of ``grade`` over a realistic mix and a hostile set.

    .venv/bin/python benchmarks/grading.py [--rounds 30] [--isolated]

The realistic mix is what learners type for this deck's problems (numbers, expressions,
vectors, matrices, choices; right and wrong, tidy and sloppy). The hostile set is input built
to hang or crash a naive grader. Figures are per call, after one warm-up round (the first call
also imports SymPy, reported separately). ``--isolated`` adds the round trip of
``grade_isolated`` through the worker process.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizcalc.grading import (
    Answer,
    ChoiceAnswer,
    ExpressionAnswer,
    MatrixAnswer,
    Misconception,
    NumberAnswer,
    VectorAnswer,
    grade,
)

CHAIN = ExpressionAnswer(
    "2*x*cos(x^2)",
    misconceptions=(Misconception("cos(x^2)", "Inner derivative?", "inner"),),
)
SIGMOID = ExpressionAnswer("exp(-x)/(1+exp(-x))^2")
STEP = NumberAnswer(-0.4, learning_rate=0.1)
GRADIENT = VectorAnswer((2, -4, "1/2"), learning_rate=0.1)
HESSIAN = MatrixAnswer(((2, 0), (0, -6)))
CRITICAL = ChoiceAnswer(("local minimum", "local maximum", "saddle point"), "saddle point")

REALISTIC: list[tuple[str, Answer]] = [
    ("2x cos(x^2)", CHAIN),
    ("cos(x²)·2x", CHAIN),
    ("cos(x^2)", CHAIN),
    ("-2x cos(x^2)", CHAIN),
    ("2x cos x", CHAIN),
    ("e^-x/(1+e^-x)^2", SIGMOID),
    ("1/(1+exp(-x)) * (1 - 1/(1+exp(-x)))", SIGMOID),
    ("exp(x)/(1+exp(x))", SIGMOID),
    ("(x-1)^2 + 2(x-1)", ExpressionAnswer("x^2 - 1")),
    ("3 w^2 - 2 η", ExpressionAnswer("3*w^2 - 2*eta", variables=("w", "eta"))),
    ("-0.4", STEP),
    ("-.4", STEP),
    ("-4", STEP),
    ("0.4", STEP),
    ("-0.401", STEP),
    ("3/4", NumberAnswer(0.75)),
    ("0.7500", NumberAnswer("3/4")),
    ("sqrt(2)/2", NumberAnswer("1/sqrt(2)")),
    ("1e-3", NumberAnswer(0.001)),
    ("[2, -4, 0.5]", GRADIENT),
    ("(2, -4, 1/2)", GRADIENT),
    ("[20, -40, 5]", GRADIENT),
    ("[2, 4, 0.5]", GRADIENT),
    ("[2 0; 0 -6]", HESSIAN),
    ("[[2, 0], [0, 6]]", HESSIAN),
    ("[2 0 0; 0 -6 0]", HESSIAN),
    ("saddle", CRITICAL),
    ("c", CRITICAL),
    ("local min", CRITICAL),
    ("x +", CHAIN),
    ("y", CHAIN),
]

HOSTILE: list[str] = [
    "9**9**9**9",
    "((9^99)^99)^99",
    "1e999999999",
    "exp(exp(exp(exp(9))))",
    "x^(10^9)",
    "(x-1)^6000",
    "(" * 5000 + "x" + ")" * 5000,
    "(" * 50 + "x" + ")" * 50,
    "-" * 900 + "x",
    "x" * 100_000,
    "x" * 999,
    "+".join(["x"] * 450),
    "sin " * 200 + "x",
    "100000000!",
    "__import__('os').system('true')",
    "().__class__.__bases__[0].__subclasses__()",
    "sin(10^999)",
    "1/0",
    "nan",
]
HOSTILE_TARGETS: list[Answer] = [ExpressionAnswer("x"), NumberAnswer(1)]


def timings(
    cases: Sequence[tuple[str, Answer]], rounds: int, call: Callable[..., object]
) -> list[float]:
    """Seconds per call of ``call(text, expected)``, every case ``rounds`` times."""
    samples = []
    for _ in range(rounds):
        for text, expected in cases:
            started = time.perf_counter()
            call(text, expected)
            samples.append(time.perf_counter() - started)
    return samples


def cold(text: str, expected: Answer) -> object:
    """``grade`` on a problem instance seen for the first time (answer-key caches emptied)."""
    from quizcalc.grading import math_answers, reading

    math_answers._keys.clear()
    reading._expected_value.cache_clear()
    return grade(text, expected)


def summary(label: str, samples: list[float]) -> str:
    """``label: median … p99 … max …`` in milliseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return (
        f"{label:<28} median {statistics.median(ordered) * 1000:7.2f} ms   "
        f"p99 {p99 * 1000:7.2f} ms   max {ordered[-1] * 1000:7.2f} ms   (n={len(ordered)})"
    )


# -- Problem families --------------------------------------------------------------------------
# Instances per second per problem family belong here (the problems engineer extends this):
# return (family name, instances generated and graded per second) pairs and main() prints them.


def main(argv: Sequence[str] | None = None) -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--isolated", action="store_true", help="also time grade_isolated")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    grade("2x", ExpressionAnswer("x+x"))
    print(f"first call (imports SymPy)    {(time.perf_counter() - started) * 1000:7.1f} ms")

    hostile = [(text, target) for text in HOSTILE for target in HOSTILE_TARGETS]
    timings(REALISTIC + hostile, 1, grade)  # warm-up: answer keys built once
    print(summary("grade, realistic mix", timings(REALISTIC, args.rounds, grade)))
    print(summary("grade, hostile set", timings(hostile, max(1, args.rounds // 3), grade)))
    print(summary("grade, fresh answer key", timings(REALISTIC, max(1, args.rounds // 3), cold)))
    if args.isolated:
        from quizcalc.grading import grade_isolated

        grade_isolated("1", NumberAnswer(1))  # start the worker
        rounds = max(1, args.rounds // 3)
        print(summary("grade_isolated, realistic", timings(REALISTIC, rounds, grade_isolated)))
    print("instances per second per problem family: benchmarks/problems.py")


if __name__ == "__main__":
    main()
