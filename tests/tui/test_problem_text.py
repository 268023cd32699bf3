"""The words of a problem review (:mod:`quizcalc.tui.widgets.problem_text`), without a terminal.

The verdict panel is built from the grader's structured :class:`PartResult` parts: before the
learner gives up it names the wrong part and what was given, never the expected value; once the
attempt is finished the expected values may be shown.
"""

from __future__ import annotations

from quizcalc.grading import (
    Answer,
    ChoiceAnswer,
    ExpressionAnswer,
    MatrixAnswer,
    PartResult,
    VectorAnswer,
    Verdict,
    grade,
    read_answer,
)
from quizcalc.problems import Problem, generate
from quizcalc.study.problem_review import ProblemAttempt
from quizcalc.tui.widgets.problem_text import (
    explain_quality,
    prompt_markdown,
    read_as,
    verdict_body,
)


def _attempt(answer: Answer, *tries: str, gave_up: bool = False) -> ProblemAttempt:
    attempt = _attempt_on(Problem("test", 0, 1, "Find it.", answer, ("It is.",)), *tries)
    return attempt.give_up(2.0) if gave_up else attempt


def _body(attempt: ProblemAttempt) -> str:
    return verdict_body(attempt.verdicts[-1], attempt).plain


def test_a_wrong_component_is_named_with_what_was_given_but_not_the_expected_value() -> None:
    attempt = _attempt(VectorAnswer((7, 11, 13)), "[7, 5, -13]")
    body = _body(attempt)
    assert "• component 2: 5 is not right" in body
    assert "• component 3: −13 is not right (check the sign)" in body
    assert "11" not in body and "expected" not in body
    assert "component 1" not in body  # right parts are not listed


def test_a_matrix_entry_is_named_without_its_expected_value() -> None:
    attempt = _attempt(MatrixAnswer(((1, 2), (3, 47))), "[1 2; 3 5]")
    body = _body(attempt)
    assert "• entry (2, 2): 5 is not right" in body
    assert "47" not in body


def test_a_wrong_expression_names_the_point_and_its_value_there_only() -> None:
    attempt = _attempt(ExpressionAnswer("x^3"), "x^2")
    verdict = attempt.verdicts[-1]
    (part,) = verdict.wrong_parts
    body = _body(attempt)
    assert f"• {part.label}: {part.given} is not right" in body
    assert part.expected not in body


def test_the_expected_values_are_shown_once_the_attempt_is_finished() -> None:
    attempt = _attempt(VectorAnswer((7, 11)), "[7, 5]", gave_up=True)
    last = attempt.verdicts[-1]
    assert "component 2: expected 11, got 5" in verdict_body(last, attempt).plain


def test_a_front_end_verdict_with_parts_renders_without_parsing_prose() -> None:
    """Any label and note render as given: nothing depends on the grader's sentence shape."""
    answer = VectorAnswer((1, 2))
    verdict = Verdict(
        False,
        0.5,
        "1 of 2 components right.",
        "[1, 3]",
        parts=(
            PartResult("first: odd, label", "1", "1", correct=True),
            PartResult("second (y)", "3", "2", correct=False, note="look at y again"),
        ),
    )
    problem = Problem("test", 0, 1, "?", answer, ("2",))
    attempt = ProblemAttempt(problem).submit("[1, 3]", verdict, 1)
    body = verdict_body(verdict, attempt).plain
    assert "• second (y): 3 is not right (look at y again)" in body
    assert "first" not in body


def test_part_text_with_and_without_the_expected_value() -> None:
    part = PartResult("component 2", "−3", "3", correct=False, note="check the sign")
    assert part.text() == "component 2: expected 3, got −3 (check the sign)"
    assert part.text(reveal=False) == "component 2: −3 is not right (check the sign)"
    assert PartResult("component 1", "1", "1", correct=True).text() == "component 1: 1 is right"


def test_a_choice_is_echoed_as_the_prompt_numbers_it_whether_typed_as_letter_or_number() -> None:
    problem = next(
        p
        for seed in range(50)
        if isinstance((p := generate("lr_divergence", seed, 1)).answer, ChoiceAnswer)
    )
    answer = problem.answer
    assert isinstance(answer, ChoiceAnswer)
    for typed in ("b", "2"):
        echo = read_as(*read_answer(typed, answer), answer).plain
        assert echo == f"read as: 2. {answer.options[1]}"
        assert f"2. {answer.options[1]}" in prompt_markdown(problem)
        attempt = _attempt_on(problem, typed)
        assert f"read as: 2. {answer.options[1]}" in _body(attempt)


def _attempt_on(problem: Problem, *tries: str) -> ProblemAttempt:
    attempt = ProblemAttempt(problem)
    for typed in tries:
        attempt = attempt.submit(typed, grade(typed, problem.answer), 1.0)
    return attempt


def test_a_flipped_two_option_answer_is_explained_as_elimination() -> None:
    problem = generate("convexity", 1, 1)  # convex or not convex
    attempt = ProblemAttempt(problem)
    for text in ("1", "2"):  # both options, one after the other
        attempt = attempt.submit(text, grade(text, problem.answer), 5.0)
    assert attempt.solved
    explained = explain_quality(attempt)
    assert explained == "right only by elimination (every other option tried first, after 2 tries)"
