"""The answer box's cap is the grader's: one number, and a counter only near it."""

from __future__ import annotations

from quizcalc.grading.tokenizer import MAX_ANSWER_LENGTH
from quizcalc.study.problem_review import MAX_ANSWER_CHARS, answer_counter


def test_the_box_holds_what_the_grader_reads() -> None:
    assert MAX_ANSWER_CHARS == MAX_ANSWER_LENGTH == 1000


def test_the_counter_shows_past_ninety_percent() -> None:
    assert answer_counter(0) == answer_counter(899) == ""
    assert answer_counter(900) == "900/1,000"
    assert answer_counter(1000) == "1,000/1,000"
