"""The words of every generated problem read like a textbook once the terminal renders them.

Every family × difficulty × :data:`TEXT_SEEDS` seeds: the prompt, each worked-solution step and
each hint is Markdown whose maths sits inside ``\\( … \\)`` / ``\\[ … \\]`` (balanced), and what
:func:`~quizcalc.cards.display.latex_to_unicode` makes of it keeps no LaTeX behind. Grader
feedback (misconception messages) is shown as written, so it is checked as rendered text.

The rules, precisely (``SCRIPTS`` are the Unicode sub- and superscript characters the renderer
uses; a *marker* is an ASCII ``_`` or ``^``):

1. The raw text's math delimiters are balanced and never nested.
2. The rendered text, outside code spans, holds no LaTeX command (``\\`` followed by a letter)
   and no brace ``{`` / ``}``.
3. One notation per math span, and per problem: if a rendered math span holds a SCRIPTS
   character it holds no marker (``fₓ = …, f_y`` fails; ``f_x, f_y`` passes, and so does
   ``x², eˣ``), and no two spans of one problem (prompt, steps, hints, plot title) use the
   two notations (``e²ˣ`` in one step, ``e^(3x³)`` in the next fails).
4. No maths outside the delimiters: the prose (outside math spans and code spans) holds no
   SCRIPTS character and none of ``PROSE_MATH`` (backslash, markers, relations, operators
   such as ``∇ ∂ − ·``, Greek letters): ``x₀ − f'/f''`` or ``det H = 68`` in a sentence fails.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from quizcalc.cards.display import latex_to_unicode
from quizcalc.cards.math_text import SUBSCRIPTS, SUPERSCRIPTS
from quizcalc.cards.spans import code_spans, math_spans
from quizcalc.grading.answers import NumberAnswer
from quizcalc.problems import FAMILIES, Problem, generate
from tests.problems.support import CELLS
from tests.problems.test_instances import balanced_math

TEXT_SEEDS = 20
"""Seeds per (family, difficulty): enough to meet every branch of every generator."""

SCRIPTS = frozenset(SUBSCRIPTS.values()) | frozenset(SUPERSCRIPTS.values()) - {"*"}
"""Characters the renderer writes for a Unicode sub- or superscript."""
PROSE_MATH = frozenset("\\_^=<>∇∂−·×≤≥≠≈→√∑∏∫∞") | frozenset(map(chr, range(0x3B1, 0x3CA)))
"""Characters that only maths uses: in prose they mean maths escaped its delimiters."""
_COMMAND = re.compile(r"\\[A-Za-z]+")


def _outside(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the ``spans`` cut out (each replaced by a space)."""
    pieces, position = [], 0
    for start, end in spans:
        pieces.append(text[position:start] + " ")
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def mixed_scripts(rendered: str) -> bool:
    """Rule 3: Unicode scripts and ``_``/``^`` markers in one rendered math span."""
    return any(c in SCRIPTS for c in rendered) and any(c in "_^" for c in rendered)


def text_problems(text: str) -> list[str]:
    """What is wrong with one prompt, step or hint (rules 1–4); empty when nothing is."""
    found: list[str] = []
    if not balanced_math(text):
        found.append("unbalanced math delimiters")
    codes = code_spans(text)
    maths = math_spans(text, codes)
    prose = _outside(text, sorted(codes + maths))
    if any(c in PROSE_MATH or c in SCRIPTS for c in prose):
        found.append(f"maths outside \\( \\): {prose!r}")
    rendered = [_render(text[start:end]) for start, end in maths]
    shown = " ".join([prose, *rendered])  # what the terminal shows, but for code spans
    if _COMMAND.search(shown):
        found.append(f"LaTeX command in {latex_to_unicode(text)!r}")
    if "{" in shown or "}" in shown:
        found.append(f"LaTeX brace in {latex_to_unicode(text)!r}")
    for (start, end), span in zip(maths, rendered, strict=True):
        if mixed_scripts(span):
            found.append(f"mixed scripts in {text[start:end]!r} → {span!r}")
    return found


@cache
def _render(math: str) -> str:
    """One math span (with its delimiters) as the terminal shows it; spans repeat a lot."""
    return latex_to_unicode(math)


def feedback_problems(message: str) -> list[str]:
    """A misconception message is shown as written: plain Unicode maths, one notation."""
    found = []
    if _COMMAND.search(message) or "{" in message or "}" in message or "\\(" in message:
        found.append(f"LaTeX in feedback {message!r}")
    if mixed_scripts(message):
        found.append(f"mixed scripts in feedback {message!r}")
    return found


def problem_report(problem: Problem) -> list[str]:
    """Every rule broken anywhere in one problem's text, labelled by where."""
    report = []
    texts = [("prompt", problem.prompt)]
    texts += [(f"step {i}", s) for i, s in enumerate(problem.solution, 1)]
    texts += [(f"hint {i}", h) for i, h in enumerate(problem.hints, 1)]
    if problem.trajectory is not None:
        texts.append(("plot title", problem.trajectory.label))
    for where, text in texts:
        report += [f"{where}: {p}" for p in text_problems(text)]
    spans = [_render(t[a:b]) for _, t in texts for a, b in math_spans(t, code_spans(t))]
    unicode = next((span for span in spans if any(c in SCRIPTS for c in span)), None)
    marked = next((span for span in spans if any(c in "_^" for c in span)), None)
    if unicode is not None and marked is not None:
        report.append(f"two notations in one problem: {unicode!r} and {marked!r}")
    for m in problem.misconceptions:
        report += [f"feedback [{m.tag}]: {p}" for p in feedback_problems(m.message)]
    return report


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: f"{c[0]}-d{c[1]}")
def test_problem_text_renders_as_maths(cell: tuple[str, int]) -> None:
    family, difficulty = cell
    failures = []
    for seed in range(TEXT_SEEDS):
        report = problem_report(generate(family, seed, difficulty))
        failures += [f"seed {seed} {line}" for line in report]
    assert not failures, "\n".join(failures[:12])


def test_the_rules_catch_what_the_issue_reported() -> None:
    """Each quoted symptom of the issue breaks a rule (so a pass means something)."""
    assert text_problems("Solve: s = (\\frac{24}{17}, 1).")  # a \frac outside the delimiters
    assert mixed_scripts("fₓ = 2x, f_y = 3") and mixed_scripts("J_ij = ∂fᵢ/∂x_j")
    assert text_problems("So \\(-8e^{2x}\\), then -8e^(2x).")
    assert text_problems("Newton: x₀ − f'/f''.")  # maths written as prose
    assert text_problems("\\(x^2")  # an unclosed delimiter
    assert not text_problems("Step: \\(x_1 = 2 - \\frac{3}{4} = \\frac{5}{4}\\). Answer: `5/4`")
    assert feedback_problems("det H = f_xx f_yy − f_xy²")
    two = Problem("f", 0, 1, "\\(-8e^{2x}\\)", NumberAnswer(1), ("\\(e^{x/2}\\)", "Answer: `1`"))
    assert any("two notations" in line for line in problem_report(two))
    assert not feedback_problems("x₁ = x₀ − f′(x₀)/f″(x₀)")


BMATRIX = re.compile(r"\\begin\{bmatrix\}.*?\\end\{bmatrix\}")


@pytest.mark.parametrize("family", ["hessian_classify", "jacobian", "newton_step"])
def test_matrices_are_typeset_as_bmatrix(family: str) -> None:
    """A Hessian or Jacobian in a worked solution is a ``bmatrix`` in display math, never a
    flattened ``[ 4 1; 1 6 ]`` inside a sentence."""
    difficulties = [3] if family == "newton_step" else [1, 2, 3]
    for difficulty in difficulties:
        for seed in range(5):
            problem = generate(family, seed, difficulty)
            steps = [s for s in problem.solution if BMATRIX.search(s)]
            assert steps, f"{family} d{difficulty} seed {seed}: no bmatrix in the solution"
            for step in steps:
                for span in math_spans(step, code_spans(step)):
                    if BMATRIX.search(step[span[0] : span[1]]):
                        assert step.startswith("\\[", span[0]), f"inline matrix in {step!r}"


@pytest.mark.parametrize("family", ["gd_steps", "momentum", "lr_divergence"])
def test_plot_titles_are_maths(family: str) -> None:
    """The trajectory plot's title is the loss (or η, λ) as maths, never code like
    ``0.25*w^4``."""
    for difficulty in (1, 2, 3):
        trajectory = generate(family, 0, difficulty).trajectory
        assert trajectory is not None
        shown = latex_to_unicode(trajectory.label)
        assert "η = " in shown and not any(c in shown for c in "*^_\\{}"), shown
    title = latex_to_unicode(generate("gd_steps", 0, 3).trajectory.label)  # type: ignore[union-attr]
    assert title == "η = 0.05, L(w) = w⁴/4 - w²/2 - 2w"


def test_family_listings_read_as_plain_maths() -> None:
    """Titles, descriptions and levels (``quizcalc problems list``, the drill set-up) are shown
    as written: Unicode maths, no LaTeX (``e^{axy}``) and no ``w_k`` beside ``x²``."""
    for family in FAMILIES.values():
        for text in (family.title, family.description, *family.levels):
            assert "\\" not in text and "^" not in text, text
            assert "_" not in text.replace("drop_last", ""), text


def test_every_family_is_covered() -> None:
    assert {family for family, _ in CELLS} == set(FAMILIES)
