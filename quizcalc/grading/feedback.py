"""What a tutor would say: STACK-style potential responses, checked in a fixed order.

For a wrong answer the first of these that fits decides the message:

1. a misconception the problem lists (its own message and tag);
2. a sign error: the answer is the negative of the right one ("check the sign");
3. a factor of the learning rate η, when the answer type carries one ("off by a factor of η");
4. close: within ten times the tolerance ("close: check your rounding", ``close=True``);
5. undefined where the expected answer is defined, or simply different (with where it differs).

Vectors and matrices also get one :class:`PartResult` per component and partial credit; a
wrong expression gets one for the sample point where it differs. The expected values live only
in ``PartResult.expected``, never in a part's ``note``, so a front end can leave them out.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizcalc.grading.answers import Misconception, PartResult, Verdict
from quizcalc.grading.equivalence import Comparison, Match

__all__ = [
    "LEARNING_RATE_TAG",
    "SIGN_TAG",
    "ComponentNote",
    "Diagnosis",
    "error_verdict",
    "misconception_verdict",
    "scalar_verdict",
    "uncertain_verdict",
    "vector_verdict",
]

SIGN_TAG = "sign-error"
"""Misconception tag of a generic sign error."""
LEARNING_RATE_TAG = "learning-rate-factor"
"""Misconception tag of an answer off by a factor of η."""

CORRECT = "Correct."
_RATE_MESSAGES = {
    "η": "your answer has an extra factor of η",
    "1/η": "the answer should include the factor η",
    "−η": "your answer has an extra factor of η, and the sign is flipped",
    "−1/η": "the answer should include the factor η, and the sign is flipped",
}


@dataclass(frozen=True)
class Diagnosis:
    """What the grader found about one answer (or one component)."""

    comparison: Comparison
    misconception: Misconception | None = None
    sign_error: bool = False
    rate_factor: str | None = None
    """``η``, ``1/η``, ``−η`` or ``−1/η``: given = factor · expected."""


@dataclass(frozen=True)
class ComponentNote:
    """One component of a vector or matrix, for the per-component details."""

    label: str
    """``component 2`` or ``entry (1, 2)``."""
    expected: str
    given: str
    diagnosis: Diagnosis


def error_verdict(message: str, interpreted: str = "") -> Verdict:
    """The input could not be read (or checked): nothing is counted against the learner."""
    return Verdict(False, 0.0, message[:1].upper() + message[1:] + ".", interpreted, error=message)


def misconception_verdict(misconception: Misconception, interpreted: str) -> Verdict:
    """A wrong answer that is a listed misconception as a whole, with no parts to compare
    (a non-square matrix's transpose: no entry sits where the expected one does)."""
    return Verdict(
        False, 0.0, misconception.message, interpreted, misconception=misconception.tag or None
    )


def uncertain_verdict(interpreted: str) -> Verdict:
    """Neither the numbers nor SymPy's cheap checks could decide."""
    message = "could not be checked automatically"
    return Verdict(
        False,
        0.0,
        "This answer could not be checked automatically; compare it with the worked solution.",
        interpreted,
        error=message,
    )


def scalar_verdict(
    diagnosis: Diagnosis,
    interpreted: str,
    learning_rate: float | None = None,
    exact_expected: str | None = None,
) -> Verdict:
    """The verdict on a single number or expression.

    ``exact_expected`` is shown after "Correct" when a decimal matched an exact value.
    """
    comparison = diagnosis.comparison
    if comparison.match is Match.EQUAL:
        feedback = f"Correct (exactly {exact_expected})." if exact_expected else CORRECT
        return Verdict(True, 1.0, feedback, interpreted)
    if diagnosis.misconception is not None:
        tag = diagnosis.misconception.tag or None
        return Verdict(False, 0.0, diagnosis.misconception.message, interpreted, misconception=tag)
    if diagnosis.sign_error:
        message = "Check the sign: your answer is the negative of the right one."
        return Verdict(False, 0.0, message, interpreted, misconception=SIGN_TAG)
    if diagnosis.rate_factor is not None:
        return Verdict(
            False,
            0.0,
            _rate_message(diagnosis.rate_factor, learning_rate),
            interpreted,
            misconception=LEARNING_RATE_TAG,
        )
    if comparison.match is Match.CLOSE:
        return Verdict(False, 0.0, "Close: check your rounding.", interpreted, close=True)
    if comparison.match is Match.UNDEFINED:
        where = comparison.detail or "somewhere"
        message = f"Your answer is {where}, where the expected answer is defined."
        return Verdict(False, 0.0, message, interpreted)
    parts: tuple[PartResult, ...] = ()
    if comparison.where:  # an expression: the first sample point where the two differ
        at = f"at {comparison.where}"
        parts = (PartResult(at, comparison.given, comparison.expected, correct=False),)
    return Verdict(False, 0.0, "Not equal to the expected answer.", interpreted, parts=parts)


def vector_verdict(
    whole: Diagnosis,
    notes: list[ComponentNote],
    interpreted: str,
    learning_rate: float | None = None,
) -> Verdict:
    """The verdict on a vector or matrix: per-component notes and partial credit."""
    right = sum(note.diagnosis.comparison.match is Match.EQUAL for note in notes)
    score = right / len(notes) if notes else 0.0
    if right == len(notes):
        return Verdict(True, 1.0, CORRECT, interpreted)
    parts = tuple(_part(note) for note in notes)
    wrong = [note for note in notes if note.diagnosis.comparison.match is not Match.EQUAL]
    counted = f"{right} of {len(notes)} components right"
    tag = None
    close = False
    if whole.misconception is not None:
        feedback, tag = whole.misconception.message, whole.misconception.tag or None
    elif whole.sign_error:
        feedback, tag = "Check the sign: every component has the opposite sign.", SIGN_TAG
    elif whole.rate_factor is not None:
        feedback, tag = _rate_message(whole.rate_factor, learning_rate), LEARNING_RATE_TAG
    elif all(note.diagnosis.comparison.match is Match.CLOSE for note in wrong):
        feedback, close = f"Close: check your rounding ({counted}).", True
    else:
        feedback = counted[:1].upper() + counted[1:] + "."
    return Verdict(False, score, feedback, interpreted, misconception=tag, close=close, parts=parts)


def _rate_message(factor: str, learning_rate: float | None) -> str:
    rate = f" (η = {learning_rate:g})" if learning_rate is not None else ""
    return f"Off by a factor of η{rate}: {_RATE_MESSAGES[factor]}."


def _part(note: ComponentNote) -> PartResult:
    diagnosis = note.diagnosis
    match = diagnosis.comparison.match
    hint = ""
    if match is not Match.EQUAL and diagnosis.sign_error:
        hint = "check the sign"
    elif match is Match.CLOSE:
        hint = "close: check your rounding"
    return PartResult(note.label, note.given, note.expected, match is Match.EQUAL, hint)
