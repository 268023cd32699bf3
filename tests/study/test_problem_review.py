"""Problem cards as skills: a fresh seed each review, auto-grade → SM-2 quality, seeds logged.

The tests on a collection (the answer and its log row) run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import random

import pytest

from quizcalc.config import Config
from quizcalc.grading import grade
from quizcalc.grading.answers import ChoiceAnswer
from quizcalc.problems import expected_text, generate
from quizcalc.problems.model import Problem
from quizcalc.scheduling.sm2 import Quality
from quizcalc.study import StudyService
from quizcalc.study.problem_review import ProblemAttempt, auto_quality
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # the tests taking db_url run on both backends

PROBLEM = generate("chain_rule", seed=7, difficulty=1)
RIGHT = expected_text(PROBLEM.answer)


def _attempt(*answers: str, seconds: float = 5.0, hints: int = 0) -> ProblemAttempt:
    attempt = ProblemAttempt(PROBLEM)
    for _ in range(hints):
        attempt = attempt.with_hint()
    for text in answers:
        attempt = attempt.submit(text, grade(text, PROBLEM.answer), seconds)
    return attempt


def test_correct_and_quick_is_five_slow_is_four() -> None:
    assert auto_quality(_attempt(RIGHT)) == Quality.PERFECT
    slow = _attempt(RIGHT, seconds=PROBLEM.target_seconds + 1)
    assert auto_quality(slow) == Quality.CORRECT_HESITANT


def test_correct_after_a_hint_or_a_second_try_is_three() -> None:
    assert auto_quality(_attempt(RIGHT, hints=1)) == Quality.CORRECT_HARD
    assert auto_quality(_attempt("123456789", RIGHT)) == Quality.CORRECT_HARD


def test_misconception_is_two_wrong_is_one_nothing_is_zero() -> None:
    misconception = PROBLEM.misconceptions[0].answer
    assert auto_quality(_attempt(misconception)) == Quality.WRONG_EASY_RECALL
    assert auto_quality(_attempt("123456789")) == Quality.WRONG_FAMILIAR
    gave_up = ProblemAttempt(PROBLEM).give_up(30.0)
    assert gave_up.finished and auto_quality(gave_up) == Quality.BLACKOUT


TWO_OPTIONS = generate("convexity", seed=1, difficulty=1)
"""A two-option question: ``convex`` or ``not convex``."""
THREE_OPTIONS = generate("convexity", seed=1, difficulty=2)


def _choice_attempt(problem: Problem, *answers: str) -> ProblemAttempt:
    attempt = ProblemAttempt(problem)
    for text in answers:
        attempt = attempt.submit(text, grade(text, problem.answer), 5.0)
    return attempt


def _options(problem: Problem) -> tuple[str, list[str]]:
    answer = problem.answer
    assert isinstance(answer, ChoiceAnswer)
    return answer.correct, [o for o in answer.options if o != answer.correct]


def test_a_two_option_question_flipped_after_a_wrong_answer_is_not_a_pass() -> None:
    right, wrong = _options(TWO_OPTIONS)
    assert len(wrong) == 1
    flipped = _choice_attempt(TWO_OPTIONS, wrong[0], right)
    assert flipped.solved and flipped.by_elimination
    assert auto_quality(flipped) <= Quality.WRONG_EASY_RECALL
    # The same option typed twice is one wrong option, then the other by its number: the same.
    number = "2" if wrong[0] == "convex" else "1"
    assert auto_quality(_choice_attempt(TWO_OPTIONS, wrong[0], wrong[0], number)) == 2
    assert auto_quality(_choice_attempt(TWO_OPTIONS, right)) == Quality.PERFECT


def test_a_choice_is_by_elimination_only_once_every_other_option_was_tried() -> None:
    right, wrong = _options(THREE_OPTIONS)
    assert len(wrong) == 2
    second = _choice_attempt(THREE_OPTIONS, wrong[0], right)
    assert not second.by_elimination and auto_quality(second) == Quality.CORRECT_HARD
    last = _choice_attempt(THREE_OPTIONS, wrong[0], wrong[1], right)
    assert last.by_elimination and auto_quality(last) == Quality.WRONG_EASY_RECALL


def test_unreadable_input_is_not_counted_as_a_try() -> None:
    attempt = _attempt("__import__('os')")
    assert attempt.tries == () and not attempt.finished


@pytest.fixture
def problem_service(db_url: str, write_deck) -> StudyService:
    folder = write_deck("# Drill\n\n```problem\nfamily: chain_rule\ndifficulty: 1\n```\n")
    service = StudyService.open(db_url, Config())
    service.sync(folder, FIXED_NOW)
    return service


def test_each_review_draws_a_new_instance_and_logs_its_seed(
    problem_service: StudyService,
) -> None:
    session = problem_service.begin_session(FIXED_NOW, rng=random.Random(1))
    card = session.next_card(FIXED_NOW)
    assert card is not None and card.family == "chain_rule" and card.difficulty == 1
    first = session.draw_problem(card)
    second = session.draw_problem(card)
    assert first.problem.seed != second.problem.seed
    assert first.problem.params != second.problem.params
    again = session.draw_problem(card, seed=first.problem.seed)
    assert again.problem == first.problem  # any past instance can be shown again exactly
    answer = expected_text(first.problem.answer)
    attempt = first.submit(answer, grade(answer, first.problem.answer), 4.0)
    outcome = session.answer(
        card, attempt.quality, FIXED_NOW, answer_text=attempt.logged_answer,
        seed=first.problem.seed,
    )  # fmt: skip
    assert outcome.quality == Quality.PERFECT and outcome.after.interval == 1


def test_the_family_catalog_matches_the_registry() -> None:
    from quizcalc.problems import FAMILIES
    from quizcalc.problems.catalog import FAMILY_NAMES

    assert tuple(FAMILIES) == FAMILY_NAMES


def test_a_problem_card_of_an_unknown_family_is_kept_but_never_served(
    db_url: str, write_deck
) -> None:
    folder = write_deck("```problem\nfamily: integrals\n```\n")
    service = StudyService.open(db_url, Config())
    report = service.sync(folder, FIXED_NOW)
    assert report.added == 1
    assert any("unknown problem family 'integrals'" in p for p in report.problems)
    assert [row.kind for row in service.list_cards()] == ["problem"]
    assert service.next_card(FIXED_NOW) is None
