"""Reviewing a problem card: draw a fresh instance, grade typed attempts, map to SM-2 quality.

A problem card is a *skill* (a family at a difficulty): each review draws a new seed, and the
seed is logged with the typed answer so any past instance can be shown again exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from quizcalc.scheduling.ratings import ProblemEvidence
from quizcalc.scheduling.sm2 import Quality

if TYPE_CHECKING:
    from quizcalc.grading.answers import Answer, Verdict
    from quizcalc.problems.model import Problem

__all__ = [
    "COUNTER_FROM",
    "MAX_ANSWER_CHARS",
    "GradedTry",
    "ProblemAttempt",
    "ProblemSkill",
    "answer_counter",
    "auto_quality",
    "draw_attempt",
    "draw_seed",
    "family_title",
    "grade_try",
    "instance_for",
    "read_try",
    "warm_up_problems",
]

MAX_ANSWER_CHARS = 1000
"""Longest answer a problem takes, in characters: the grader reads no more (its tokenizer's
``MAX_ANSWER_LENGTH``, checked by a test), so the answer box holds no more either."""

COUNTER_FROM = 0.9
"""The answer box shows ``used/limit`` once this share of :data:`MAX_ANSWER_CHARS` is typed."""


def answer_counter(length: int) -> str:
    """What the answer box shows of its length: ``"950/1,000"`` near the cap, else nothing."""
    if length < COUNTER_FROM * MAX_ANSWER_CHARS:
        return ""
    return f"{length:,}/{MAX_ANSWER_CHARS:,}"


SEED_BITS = 31
"""Seeds fit a signed 32-bit column in any database."""


def draw_seed(rng: random.Random) -> int:
    """A fresh instance seed from ``rng`` (pass ``random.SystemRandom()`` in production)."""
    return rng.getrandbits(SEED_BITS)


def instance_for(family: str, difficulty: int, seed: int) -> Problem:
    """The problem instance of a skill for ``seed`` (pure: the same seed gives the same one).

    Some families import SymPy: its first import goes through :func:`load_sympy`'s lock, so
    a draw in one worker never meets the 2-D layout's import in another half-way.
    """
    from quizcalc.problems import generate
    from quizcalc.sympy_import import load_sympy

    load_sympy()

    return generate(family, seed, difficulty)


class ProblemSkill(Protocol):
    """What names a problem skill: family and difficulty (``None`` on a flashcard).

    A review's :class:`~quizcalc.study.QueuedCard` and a drill's
    :class:`~quizcalc.study.drill_plan.DrillItem` both fit.
    """

    @property
    def family(self) -> str | None:
        """The problem family, or ``None`` for a flashcard."""
        ...

    @property
    def difficulty(self) -> int | None:
        """The difficulty, 1–3, or ``None`` for a flashcard."""
        ...


def draw_attempt(
    skill: ProblemSkill, rng: random.Random, seed: int | None = None
) -> ProblemAttempt:
    """A fresh attempt at an instance of ``skill`` (a new seed from ``rng`` unless given).

    Imports the generators (SymPy for some): call it from a worker thread in the UI. A
    flashcard raises :class:`~quizcalc.study.errors.InvalidRequest`; a generator's own failure
    (a bug) passes through, for the caller to report and skip.
    """
    if skill.family is None or skill.difficulty is None:
        from quizcalc.study.errors import InvalidRequest

        raise InvalidRequest("this card is not a problem card: it has no family and difficulty")
    chosen = draw_seed(rng) if seed is None else seed
    return ProblemAttempt(instance_for(skill.family, skill.difficulty, chosen))


@dataclass(frozen=True)
class ProblemAttempt:
    """What the learner has done on one problem instance so far."""

    problem: Problem
    tries: tuple[str, ...] = ()
    """Every answer submitted, in order."""
    verdicts: tuple[Verdict, ...] = ()
    """The grader's verdict for each try."""
    hints_shown: int = 0
    """How many hints were revealed."""
    gave_up: bool = False
    """True when the learner asked for the solution without a correct answer."""
    elapsed_seconds: float = 0.0
    """Time from the prompt appearing to the last submission."""

    @property
    def solved(self) -> bool:
        """Some try was graded correct."""
        return any(v.correct for v in self.verdicts)

    @property
    def finished(self) -> bool:
        """Solved, or given up: the worked solution may be shown and the card graded."""
        return self.solved or self.gave_up

    def submit(self, text: str, verdict: Verdict, elapsed_seconds: float) -> ProblemAttempt:
        """A new attempt with one more try recorded (an unreadable input is not a try)."""
        if verdict.error is not None:
            return self
        return replace(
            self,
            tries=(*self.tries, text),
            verdicts=(*self.verdicts, verdict),
            elapsed_seconds=elapsed_seconds,
        )

    def with_hint(self) -> ProblemAttempt:
        """One more hint revealed (capped at the number of hints)."""
        return replace(self, hints_shown=min(self.hints_shown + 1, len(self.problem.hints)))

    def give_up(self, elapsed_seconds: float) -> ProblemAttempt:
        """The learner stops and looks at the solution."""
        return replace(self, gave_up=True, elapsed_seconds=elapsed_seconds)

    @property
    def quality(self) -> Quality:
        """The SM-2 grade this attempt earns (see :func:`auto_quality`)."""
        return auto_quality(self)

    @property
    def misconception(self) -> str | None:
        """Tag of the last known wrong answer matched, for the review log and statistics."""
        tags = [v.misconception for v in self.verdicts if v.misconception]
        return tags[-1] if tags else None

    @property
    def by_elimination(self) -> bool:
        """Solved a multiple choice only after trying every other option (the flip of a
        two-option question): the answer was left over, not recalled."""
        from quizcalc.grading.answers import ChoiceAnswer

        expected = self.problem.answer
        if not isinstance(expected, ChoiceAnswer) or not self.solved:
            return False
        first_correct = next(i for i, v in enumerate(self.verdicts) if v.correct)
        wrong_options = {v.interpreted for v in self.verdicts[:first_correct]}
        return len(wrong_options) >= len(expected.options) - 1

    @property
    def logged_answer(self) -> str:
        """What goes into the review log: every try, separated by `` ⏎ ``."""
        return " ⏎ ".join(self.tries)

    @property
    def evidence(self) -> ProblemEvidence:
        """What the attempt showed, from which FSRS's rating follows
        (:func:`quizcalc.scheduling.ratings.problem_rating`)."""
        return ProblemEvidence(
            solved=self.solved,
            tries=len(self.tries),
            hints=self.hints_shown,
            seconds=self.elapsed_seconds,
            by_elimination=self.by_elimination,
        )

    def log_fields(self) -> dict[str, str | int | ProblemEvidence | None]:
        """What the review log keeps of this attempt, in a review as in a drill: the typed
        tries, the time to the last one (what the auto-grade judged), the instance's seed,
        the misconception the grader recognised (the statistics count those) and the
        evidence FSRS rates it by."""
        return {
            "answer_text": self.logged_answer or None,
            "duration_ms": int(self.elapsed_seconds * 1000),
            "seed": self.problem.seed,
            "misconception": self.misconception,
            "evidence": self.evidence,
        }


def auto_quality(attempt: ProblemAttempt) -> Quality:
    """Auto-grade → SM-2 quality.

    Correct and quick (within the family's target time) 5; correct but slow 4; correct
    after a hint or a second try 3; a recognised misconception or "close" 2; wrong 1;
    gave up with nothing typed 0. (Trying and then asking for the solution is "wrong".)
    A choice found only by elimination (every other option tried first: a two-option
    question answered wrongly, then flipped) is 2: a pass there would reward guessing.
    """
    if attempt.solved:
        if attempt.by_elimination:
            return Quality.WRONG_EASY_RECALL
        first_correct = next(i for i, v in enumerate(attempt.verdicts) if v.correct)
        if first_correct > 0 or attempt.hints_shown > 0:
            return Quality.CORRECT_HARD
        if attempt.elapsed_seconds <= attempt.problem.target_seconds:
            return Quality.PERFECT
        return Quality.CORRECT_HESITANT
    if not attempt.verdicts:  # gave up without typing anything gradable
        return Quality.BLACKOUT
    last = attempt.verdicts[-1]
    if last.misconception or last.close:
        return Quality.WRONG_EASY_RECALL
    return Quality.WRONG_FAMILIAR


@dataclass(frozen=True)
class GradedTry:
    """One submitted answer and what it did to the attempt."""

    attempt: ProblemAttempt
    """The attempt with the try recorded (unchanged when the text could not be read)."""
    verdict: Verdict
    """The grader's verdict on the text."""


def grade_try(attempt: ProblemAttempt, text: str, elapsed_seconds: float) -> GradedTry:
    """Grade ``text`` against the attempt's instance and record it as a try.

    The one path for every typed answer (review, drill, and the CLI): the grader runs in its
    isolated worker process, killed past its time cap, and never evaluates ``text``. An
    unreadable answer is not a try: its verdict explains it and the attempt stays as it was.
    Blocks: call it from a worker thread in the UI.
    """
    from quizcalc.grading import grade_isolated

    verdict = grade_isolated(text, attempt.problem.answer)
    return GradedTry(attempt.submit(text, verdict, elapsed_seconds), verdict)


def read_try(text: str, expected: Answer) -> tuple[str | None, str | None]:
    """``(how the text was read, why it cannot be)`` for the live echo under the answer box.

    Reads only (no comparison with the expected answer); cheap and never raises.
    """
    from quizcalc.grading import read_answer
    from quizcalc.sympy_import import load_sympy

    load_sympy()  # the parser imports SymPy: its first import goes through the lock
    return read_answer(text, expected)


def family_title(family: str) -> str:
    """A problem family's human title (``"Chain rule"``)."""
    from quizcalc.problems import get_family

    return get_family(family).title


_warmed = False


def warm_up_problems() -> None:
    """Import the generators and SymPy, build the answer parser and start the grading
    process, so the first real problem answers at once (idempotent; blocks: call it from a
    worker thread)."""
    global _warmed
    if _warmed:
        return
    _warmed = True
    from quizcalc.grading import grade_isolated, read_answer
    from quizcalc.problems import generate
    from quizcalc.sympy_import import load_sympy

    load_sympy()  # under the one lock, never alongside the 2-D layout's import

    throwaway = generate("derivative", 0, 1)  # a SymPy family
    read_answer("x", throwaway.answer)  # the echo's parser
    grade_isolated("x", throwaway.answer)  # waits for the grading process to be ready
