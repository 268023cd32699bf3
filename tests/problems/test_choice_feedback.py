"""Choice feedback before give-up names the slip, never the right option.

A learner who picks a wrong option sees that misconception's message and may try again, so the
message must not name the correct option ("so f is convex", "a saddle point"…), and the
verdict panel built from it must not either. This holds for every family whose answer is a
choice among options (found from the families' source, so a new one is checked too), at every
difficulty; ``lr_divergence`` threshold questions must also not state the 2/λ rule they ask for.
"""

from __future__ import annotations

import inspect
import re
import sys

import pytest

from quizcalc.grading import ChoiceAnswer, NumberAnswer, grade
from quizcalc.problems import DIFFICULTIES, FAMILIES, generate
from quizcalc.study.problem_review import ProblemAttempt
from quizcalc.tui.widgets.problem_text import verdict_body

MAX_SEEDS = 400
"""Seeds tried per (family, difficulty) at most, to meet every (right, wrong) option pair."""
MIN_SEEDS = 60
"""Seeds checked per (family, difficulty) at least, even once every pair has been met."""

DRAWN_OPTIONS = {"matrix_shapes"}
"""Families whose options are drawn per instance (shapes such as ``(3, 5)``): there is no fixed
set of (right, wrong) pairs to meet, so MIN_SEEDS instances are checked, each with every one of
its own wrong options."""

ALIASES = {"saddle point": ("saddle",)}
"""Shorter words that name an option as well (the grader accepts "saddle" for it)."""


def _choice_families() -> list[str]:
    """Families whose builder's module makes choice answers (at some difficulty)."""
    found = []
    for name, family in FAMILIES.items():
        source = inspect.getsource(sys.modules[family.build.__module__])
        if "choice_answer(" in source or "ChoiceAnswer(" in source:
            found.append(name)
    return found


CHOICE_FAMILIES = _choice_families()


def names_option(text: str, option: str, options: tuple[str, ...]) -> bool:
    """Does ``text`` name ``option`` as a word, apart from inside another option's label?

    "convex" inside "not convex" (the learner's own choice, echoed) does not count;
    "convexity" does not either, but "f is convex" does.
    """
    text = text.casefold()
    for other in options:
        if other != option and option.casefold() in other.casefold():
            text = text.replace(other.casefold(), " ")
    words = (option, *ALIASES.get(option, ()))
    return any(re.search(rf"(?<!\w){re.escape(w.casefold())}(?!\w)", text) for w in words)


def test_the_choice_families_are_found() -> None:
    assert {"hessian_classify", "convexity", "lr_divergence"} <= set(CHOICE_FAMILIES)
    assert set(CHOICE_FAMILIES) >= DRAWN_OPTIONS


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
@pytest.mark.parametrize("family", CHOICE_FAMILIES)
def test_no_misconception_names_the_correct_option_before_give_up(
    family: str, difficulty: int
) -> None:
    seen: set[tuple[str, str]] = set()
    pairs: set[tuple[str, str]] = set()
    for seed in range(MAX_SEEDS):
        if seed >= MIN_SEEDS and pairs and (seen == pairs or family in DRAWN_OPTIONS):
            break
        problem = generate(family, seed, difficulty)
        answer = problem.answer
        if not isinstance(answer, ChoiceAnswer):
            continue
        options = tuple(answer.options)
        pairs |= {(right, wrong) for right in options for wrong in options if right != wrong}
        # every wrong option has a targeted message
        wrong = sorted(m.answer for m in problem.misconceptions)
        assert wrong == sorted(o for o in options if o != answer.correct), f"seed {seed}"
        for misconception in problem.misconceptions:
            where = f"d{difficulty} seed {seed} ({misconception.tag}, {misconception.answer})"
            verdict = grade(misconception.answer, answer)
            assert not verdict.correct and verdict.feedback == misconception.message, where
            assert not names_option(verdict.feedback, answer.correct, options), where
            attempt = ProblemAttempt(problem).submit(misconception.answer, verdict, 1.0)
            assert not attempt.finished
            shown = verdict_body(verdict, attempt).plain
            assert not names_option(shown, answer.correct, options), f"{where}: {shown}"
            seen.add((answer.correct, misconception.answer))
    assert pairs, f"{family} d{difficulty}: no choice question in {MAX_SEEDS} seeds"
    # every wrong option against every right one was checked at least once
    if family not in DRAWN_OPTIONS:
        assert seen == pairs, sorted(pairs - seen)


def test_names_option_ignores_other_labels_and_longer_words() -> None:
    options = ("convex", "not convex")
    assert names_option("So f is convex.", "convex", options)
    assert not names_option("read as: 2. not convex", "convex", options)
    assert not names_option("Convexity is about curvature.", "convex", options)
    assert names_option("det H < 0: a saddle.", "saddle point", ("minimum", "saddle point"))


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_threshold_misconceptions_do_not_state_the_rule_asked_for(difficulty: int) -> None:
    checked = 0
    for seed in range(150):
        problem = generate("lr_divergence", seed, difficulty)
        if not isinstance(problem.answer, NumberAnswer):
            continue
        for misconception in problem.misconceptions:
            verdict = grade(misconception.answer, problem.answer)
            assert not verdict.correct
            assert "2/λ" not in verdict.feedback, f"d{difficulty} seed {seed}: {verdict}"
            checked += 1
    assert checked
