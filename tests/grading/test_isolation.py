"""grade_isolated: the same verdicts from a worker process that is killed when it overruns."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizcalc.grading import (
    ExpressionAnswer,
    IsolatedGrader,
    Misconception,
    NumberAnswer,
    VectorAnswer,
    grade_isolated,
    start_isolated_grader,
)

FAKE_WORKER = Path(__file__).with_name("fake_worker.py")


def fake(mode: str, startup_timeout: float = 30.0) -> IsolatedGrader:
    return IsolatedGrader([sys.executable, str(FAKE_WORKER), mode], startup_timeout)


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def worker() -> Iterator[IsolatedGrader]:
    grader = IsolatedGrader()
    yield grader
    grader.close()


def test_the_worker_grades_like_the_in_process_grader(worker: IsolatedGrader) -> None:
    expected = ExpressionAnswer(
        "2*x*cos(x^2)", misconceptions=(Misconception("cos(x^2)", "Inner derivative?", "inner"),)
    )
    right = worker.grade("cos(x²)·2x", expected)
    assert right.correct and right.interpreted == "cos(x²)·2·x"
    wrong = worker.grade("cos(x^2)", expected)
    assert wrong.misconception == "inner" and wrong.feedback == "Inner derivative?"
    unreadable = worker.grade("os.system('x')", expected)
    assert unreadable.error == "unknown name ‘os’ at position 1; allowed variables: x"
    vector = worker.grade("[1, -3]", VectorAnswer((1, 3)))
    assert vector.details == ("component 2: expected 3, got −3 (check the sign)",)


def test_the_worker_settles_what_numbers_cannot_with_simplify(worker: IsolatedGrader) -> None:
    never_real = ExpressionAnswer("log(-x^2 - 1)")
    assert worker.grade("log(2x - (x+1)^2)", never_real).correct


def test_grade_isolated_works_off_the_main_thread() -> None:
    start_isolated_grader()  # as the app does at start-up; returns at once
    verdicts = []
    thread = threading.Thread(
        target=lambda: verdicts.append(grade_isolated("3/4", NumberAnswer(0.75)))
    )
    thread.start()
    thread.join(timeout=60)
    assert verdicts and verdicts[0].correct


def test_a_slow_answer_is_killed_and_reported() -> None:
    grader = fake("slow")
    try:
        verdict = grader.grade("x^2", ExpressionAnswer("x^2"), timeout=0.3)
        assert verdict.error == "took too long to check"
        assert not verdict.correct
        assert "took too long to check" in verdict.feedback
        assert verdict.interpreted == "x²"  # read in-process, so the learner still sees it
        first_pid = grader.pid  # a replacement was started at once
        assert first_pid is not None
        again = grader.grade("x^2", ExpressionAnswer("x^2"), timeout=0.2)
        assert again.error == "took too long to check"
        assert not is_alive(first_pid)
    finally:
        grader.close()


def test_a_worker_that_never_starts_falls_back_to_in_process_grading() -> None:
    grader = fake("silent", startup_timeout=0.5)
    try:
        verdict = grader.grade("2x", ExpressionAnswer("x+x"))
        assert verdict.correct
        assert grader.pid is None
    finally:
        grader.close()


def test_a_crashing_worker_is_reported_not_raised() -> None:
    grader = fake("crash")
    try:
        verdict = grader.grade("1", NumberAnswer(1))
        assert verdict.error == "the checker stopped unexpectedly"
    finally:
        grader.close()


def test_an_answer_past_the_box_cap_is_refused_by_the_grader_whatever_the_path(
    worker: IsolatedGrader,
) -> None:
    from quizcalc.study.problem_review import MAX_ANSWER_CHARS

    expected = NumberAnswer(7)
    longest = worker.grade(" " * (MAX_ANSWER_CHARS - 1) + "7", expected)
    assert longest.correct  # the longest answer the box holds is read
    pasted = worker.grade("7" * (MAX_ANSWER_CHARS + 1), expected)
    assert pasted.error == "the answer is too long (1001 characters; the limit is 1000)"
