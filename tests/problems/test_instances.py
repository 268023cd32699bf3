"""Every family × difficulty × 60 seeds: deterministic, well-formed, self-consistent.

Cheap structural checks only (no grader): the grading round trip lives in
``test_grading.py`` and the family-specific maths in ``test_family_maths.py``. The number of
seeds per cell is ``QUIZCALC_PROBLEM_SEEDS`` (default 60; `make test-thorough` runs 400).
"""

from __future__ import annotations

import json
import math
import re

import pytest

from quizcalc.grading.answers import (
    ChoiceAnswer,
    ExpressionAnswer,
    MatrixAnswer,
    NumberAnswer,
    VectorAnswer,
)
from quizcalc.problems import Problem, expected_text, generate
from tests.problems.support import CELLS, CHUNK, SEEDS, chunk_id, chunks, instances

CHUNKS = chunks()
TAG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
OPTIMISERS = {"gd_steps", "momentum", "lr_divergence"}


def balanced_math(text: str) -> bool:
    """``\\( … \\)`` and ``\\[ … \\]`` open and close in order, never nested."""
    depth = None
    for token in re.findall(r"\\[\(\)\[\]]", text):
        if token in ("\\(", "\\["):
            if depth is not None:
                return False
            depth = token
        else:
            if depth is None or {"\\(": "\\)", "\\[": "\\]"}[depth] != token:
                return False
            depth = None
    return depth is None and text.count("{") == text.count("}")


def check_answer_shape(problem: Problem) -> None:
    answer = problem.answer
    if isinstance(answer, NumberAnswer):
        assert isinstance(answer.value, str)
    elif isinstance(answer, VectorAnswer):
        assert len(answer.values) >= 2
    elif isinstance(answer, MatrixAnswer):
        assert len({len(row) for row in answer.rows}) == 1
    elif isinstance(answer, ExpressionAnswer):
        assert answer.expr and "**" not in answer.expr
        assert set(answer.variables) <= {"x", "y", "z"}
    else:
        assert isinstance(answer, ChoiceAnswer)
        assert answer.correct in answer.options
        assert len(set(answer.options)) == len(answer.options) >= 2
        for m in answer.misconceptions:
            assert m.answer in answer.options and m.answer != answer.correct


@pytest.mark.parametrize("item", CHUNKS, ids=chunk_id)
def test_deterministic_and_well_formed(item: tuple[str, int, int]) -> None:
    family, difficulty, start = item
    problems = instances(family, difficulty, start)
    for seed in range(start, start + CHUNK, 10):  # a fresh build of every tenth seed
        assert generate(family, seed, difficulty) == problems[seed - start]
    for problem in problems:
        check_well_formed(problem)
        if family in OPTIMISERS:
            check_trajectory(problem)


def check_well_formed(problem: Problem) -> None:
    where = f"{problem.family} d{problem.difficulty} seed {problem.seed}"
    assert problem.prompt.strip(), where
    assert balanced_math(problem.prompt), f"{where}: {problem.prompt}"
    assert len(problem.solution) >= 2, where
    for line in problem.solution:
        assert line.strip() and "\n" not in line, f"{where}: {line!r}"
        assert balanced_math(line), f"{where}: {line}"
    assert expected_text(problem.answer) in problem.solution[-1], where
    assert len(problem.hints) >= 2 and all(h.strip() for h in problem.hints), where
    assert all(balanced_math(h) for h in problem.hints), where
    assert json.loads(json.dumps(problem.params)) == problem.params, where
    check_answer_shape(problem)
    texts = [m.answer for m in problem.misconceptions]
    assert len(texts) == len(set(texts)), f"{where}: repeated misconception {texts}"
    assert expected_text(problem.answer) not in texts, where
    for m in problem.misconceptions:
        assert TAG.match(m.tag), f"{where}: tag {m.tag!r}"
        assert m.message.strip() and "\n" not in m.message, where


def check_trajectory(problem: Problem) -> None:
    """The plotted iterates are finite, start at w_0 and (for gd_steps) end at the answer."""
    trajectory = problem.trajectory
    assert trajectory is not None
    assert len(trajectory.w) == len(trajectory.loss) >= 2
    assert trajectory.label
    assert all(math.isfinite(v) for v in (*trajectory.w, *trajectory.loss))
    if problem.family in ("gd_steps", "momentum"):
        assert trajectory.w[0] == pytest.approx(fraction(problem.params["w0"]))
    if problem.family == "gd_steps":
        assert trajectory.w[-1] == pytest.approx(fraction(expected_text(problem.answer)), 1e-5)


def fraction(text: str) -> float:
    """``"3/2"`` → 1.5, ``"-0.25"`` → -0.25."""
    top, _, bottom = text.partition("/")
    return float(top) / float(bottom or 1)


@pytest.mark.parametrize("item", [c for c in CHUNKS if c[2] == 0], ids=chunk_id)
def test_prompts_render_for_the_terminal(item: tuple[str, int, int]) -> None:
    """Every math span of the prompt and the solution converts to Unicode (what the TUI shows)."""
    from quizcalc.cards.math_text import math_to_unicode

    family, difficulty, start = item
    for problem in instances(family, difficulty, start)[:20]:
        for text in (problem.prompt, *problem.solution):
            for span in re.findall(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", text, flags=re.S):
                latex = span[0] or span[1]
                rendered = math_to_unicode(latex)
                assert rendered.strip(), f"{family} d{difficulty}: {latex!r} rendered empty"
                assert "\\" not in rendered, f"{family}: {latex!r} → {rendered!r}"


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: f"{c[0]}-d{c[1]}")
def test_instances_vary(cell: tuple[str, int]) -> None:
    """Fresh numbers every review: 50 seeds give mostly different prompts."""
    prompts = {p.prompt for p in instances(*cell, 0)}
    assert len(prompts) >= 25, f"only {len(prompts)} distinct prompts in 50 seeds"


@pytest.mark.parametrize(
    "cell",
    [c for c in CELLS if c[0] in ("hessian_classify", "convexity", "lr_divergence", "eigen_2x2")],
    ids=lambda c: f"{c[0]}-d{c[1]}",
)
def test_every_option_is_sometimes_right(cell: tuple[str, int]) -> None:
    """A learner cannot win by always giving the same verdict."""
    seen: dict[str, int] = {}
    options: set[str] = set()
    for start in range(0, SEEDS, CHUNK):
        for problem in instances(*cell, start):
            if isinstance(problem.answer, ChoiceAnswer):
                options |= set(problem.answer.options)
                seen[problem.answer.correct] = seen.get(problem.answer.correct, 0) + 1
    assert set(seen) == options, f"never right: {options - set(seen)}"
    assert max(seen.values()) <= 0.6 * sum(seen.values()), seen
