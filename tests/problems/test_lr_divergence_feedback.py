"""``lr_divergence`` feedback before give-up names the slip, never the right answer.

A learner who picks a wrong fate sees the misconception's message and may try again, so the
message must not name the correct class ("oscillates forever"…), and the verdict panel built
from it must not either. Threshold questions must not state the 2/λ rule they ask for.
"""

from __future__ import annotations

import pytest

from quizcalc.grading import ChoiceAnswer, NumberAnswer, grade
from quizcalc.problems import DIFFICULTIES, generate
from quizcalc.problems.families.lr_divergence import OPTIONS
from quizcalc.study.problem_review import ProblemAttempt
from quizcalc.tui.problem_text import verdict_body

SEEDS = range(150)


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_no_misconception_names_the_correct_class_before_give_up(difficulty: int) -> None:
    seen: set[tuple[str, str]] = set()
    for seed in SEEDS:
        problem = generate("lr_divergence", seed, difficulty)
        answer = problem.answer
        if not isinstance(answer, ChoiceAnswer):
            continue
        correct = answer.correct.casefold()
        assert len(problem.misconceptions) == len(OPTIONS) - 1, f"seed {seed}"
        for misconception in problem.misconceptions:
            where = f"d{difficulty} seed {seed} ({misconception.tag}, {misconception.answer})"
            verdict = grade(misconception.answer, answer)
            assert not verdict.correct and verdict.feedback == misconception.message, where
            assert correct not in verdict.feedback.casefold(), where
            attempt = ProblemAttempt(problem).submit(misconception.answer, verdict, 1.0)
            assert not attempt.finished
            shown = verdict_body(verdict, attempt).plain.casefold()
            assert correct not in shown, f"{where}: {shown}"
            seen.add((answer.correct, misconception.answer))
    # every wrong option against every right one was checked at least once
    assert len(seen) == len(OPTIONS) * (len(OPTIONS) - 1), sorted(seen)


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_threshold_misconceptions_do_not_state_the_rule_asked_for(difficulty: int) -> None:
    checked = 0
    for seed in SEEDS:
        problem = generate("lr_divergence", seed, difficulty)
        if not isinstance(problem.answer, NumberAnswer):
            continue
        for misconception in problem.misconceptions:
            verdict = grade(misconception.answer, problem.answer)
            assert not verdict.correct
            assert "2/λ" not in verdict.feedback, f"d{difficulty} seed {seed}: {verdict}"
            checked += 1
    assert checked
