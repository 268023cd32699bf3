"""The words of a problem review: prompt with its options, verdicts, the proposed grade.

Pure functions over the study and grading layers' plain data (no widgets), so the wording is
tested without a terminal and the problem panel stays about layout and flow.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from quizcalc.cards.display import latex_to_unicode
from quizcalc.scheduling.sm2 import Quality
from quizcalc.tui.modals.summary import format_duration

if TYPE_CHECKING:
    from quizcalc.grading import Answer, Verdict
    from quizcalc.problems import Problem
    from quizcalc.study.problem_review import ProblemAttempt

__all__ = [
    "answer_placeholder",
    "explain_quality",
    "prompt_markdown",
    "read_as",
    "solution_markdown",
    "verdict_body",
    "verdict_title",
]


def _options(expected: Answer) -> Sequence[str] | None:
    return getattr(expected, "options", None)


def prompt_markdown(problem: Problem) -> str:
    """The prompt's Markdown (LaTeX kept, for ``MathMarkdown`` to render); a choice's options
    are listed if the prompt does not."""
    text = problem.prompt
    options = _options(problem.answer)
    if options and not all(option in problem.prompt for option in options):
        listing = "\n".join(f"{i}. {option}" for i, option in enumerate(options, start=1))
        text += f"\n\n{listing}\n\nAnswer with the option's text or its number."
    return text


def read_as(interpretation: str | None, error: str | None, expected: Answer) -> Text:
    """The live echo under the answer box: ``read as: 2·x·cos(x²)`` or why it can't be read.

    A choice is echoed as the prompt numbers it (``read as: 2. local maximum``): the grader
    labels options the same way.
    """
    if error is not None:
        return Text.assemble(("can't read this: ", "bold"), error)
    return Text.assemble(("read as: ", "dim"), (interpretation or "", ""))


def verdict_title(verdict: Verdict | None, attempt: ProblemAttempt) -> str:
    """The verdict panel's title: ``✓ Right``, ``✗ Not right (try 2)``, ``Gave up``..."""
    if verdict is None:
        return "Gave up: the worked solution is below"
    if verdict.error is not None:
        return "? Not read: this did not count as a try"
    if verdict.correct:
        return "✓ Right"
    tries = len(attempt.tries)
    return "✗ Not right" + (f" (try {tries})" if tries > 1 else "")


def verdict_body(verdict: Verdict | None, attempt: ProblemAttempt) -> Text:
    """Feedback, per-component notes and how the answer was read.

    While the learner may still try again, each wrong part is named with what was given but
    not its expected value (``component 1: 1 is not right``); once the attempt is finished
    the expected values are shown too (``component 1: expected −8, got 1``).
    """
    expected = attempt.problem.answer
    if verdict is None:
        from quizcalc.problems import expected_text

        answer = expected_text(expected)
        lines = [Text.assemble("The answer is ", (answer, "bold"), ".")]
        if attempt.verdicts:
            last = attempt.verdicts[-1]
            tried = ", ".join(attempt.tries)
            lines.append(Text.assemble(("You tried: ", "dim"), tried))
            lines.append(Text.assemble(("Last try: ", "dim"), latex_to_unicode(last.feedback)))
        return Text("\n").join(lines)
    lines = [Text(latex_to_unicode(verdict.feedback))]
    if verdict.close and "rounding" not in verdict.feedback:
        lines.append(Text("close: check your rounding"))
    for part in verdict.wrong_parts:
        lines.append(Text(f"• {part.text(reveal=attempt.finished)}"))
    if verdict.interpreted:
        lines.append(Text.assemble(("read as: ", "dim"), verdict.interpreted))
    if not attempt.finished and verdict.error is None:
        lines.append(Text("Edit your answer and press ⏎ to try again.", style="dim"))
    return Text("\n").join(lines)


def solution_markdown(problem: Problem) -> str:
    """The worked solution as a numbered Markdown list (the last step states the answer), LaTeX
    kept for ``MathMarkdown`` to render (a display formula is drawn inside its step)."""
    return "\n".join(f"{i}. {step}" for i, step in enumerate(problem.solution, start=1))


def _took(attempt: ProblemAttempt) -> str:
    target = format_duration(attempt.problem.target_seconds)
    return f"took {format_duration(attempt.elapsed_seconds)}, target {target}"


def _help(attempt: ProblemAttempt) -> str:
    parts = []
    tries = len(attempt.tries)
    if tries > 1:
        parts.append(f"on try {tries}")
    if attempt.hints_shown:
        parts.append(f"after {attempt.hints_shown} hint{'s' if attempt.hints_shown > 1 else ''}")
    return ", ".join(parts)


def explain_quality(attempt: ProblemAttempt) -> str:
    """Why the auto-grade is what it is, e.g. ``right, hesitant (took 48 s, target 30 s)``."""
    quality = attempt.quality
    if quality is Quality.PERFECT:
        return f"right, quick ({_took(attempt)})"
    if quality is Quality.CORRECT_HESITANT:
        return f"right, hesitant ({_took(attempt)})"
    if quality is Quality.CORRECT_HARD:
        return f"right {_help(attempt)}".rstrip()  # "right on try 2, after 1 hint"
    tries = len(attempt.tries)
    tried = f"after {tries} tr{'ies' if tries > 1 else 'y'}"
    if quality is Quality.WRONG_EASY_RECALL and attempt.solved:
        return f"right only by elimination (every other option tried first, {tried})"
    if quality is Quality.WRONG_EASY_RECALL:
        last = attempt.verdicts[-1]
        slip = "close: check your rounding" if last.close else "a known slip"
        return f"wrong, {slip} ({tried})"
    if quality is Quality.WRONG_FAMILIAR:
        return f"wrong ({tried})" if not attempt.gave_up else f"gave up {tried}"
    return "gave up without an answer"


def answer_placeholder(expected: Answer) -> str:
    """What the empty answer box suggests typing, for the kind of answer expected."""
    kind = type(expected).__name__
    return {
        "ExpressionAnswer": "an expression, e.g. 2x cos(x^2), sqrt(x), e^x (x², π work too)",
        "NumberAnswer": "a number, e.g. -3, 3/4, 0.25 or sqrt(2)",
        "VectorAnswer": "a vector, e.g. [1, -2] or (3/4, 0)",
        "MatrixAnswer": "a matrix, row by row, e.g. [[1, 2], [3, 4]] or [1 2; 3 4]",
        "ChoiceAnswer": "the option's number, letter or text",
    }.get(kind, "your answer")
