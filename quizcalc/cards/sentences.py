"""Split an interview-notes paragraph ``Q: question? answer…`` into its question and answer.

Such notes have no ``A:``: the question is the leading run of sentences ending in ``?``
(``Why the limit? Why not a fixed h? A fixed h gives…`` asks two), the answer is the rest.
A ``?`` only ends a sentence outside math, code spans, quotations and parentheses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizcalc.cards.spans import protected_mask

__all__ = ["split_question"]

_TERMINATOR = re.compile(r"[.!?]+[\"”’)\]*_]*(?=\s|\Z)")
_NEXT_CHARACTER = re.compile(r"\s*(\S)")
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)\.*$")
_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "etc", "vs", "cf", "approx", "al", "fig", "figs", "eq", "eqs", "no", "nos"}
    | {"dr", "mr", "mrs", "ms", "st", "resp", "ca", "viz", "w.r.t"}
)
_DOTTED_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]$")
_QUESTION_WITHIN_SENTENCES = 2
"""The first ``?`` must end one of the first two sentences (a one-sentence preamble is fine)."""


@dataclass(frozen=True)
class _SentenceEnd:
    end: int
    """Index just past the terminator (and any closing quote or bracket)."""
    is_question: bool


def _is_abbreviation(text: str, period: int) -> bool:
    """True when the ``.`` at ``period`` closes an abbreviation (``e.g.``) or an initial."""
    match = _WORD_BEFORE.search(text, max(0, period - 40), period + 1)
    if match is None:
        return False
    word = match.group(1).rstrip(".")
    if word.lower() in _ABBREVIATIONS or _DOTTED_INITIALS.fullmatch(word):
        return True
    # A capital initial (``J. Smith``); a lone lower-case letter (``at x.``) ends a sentence.
    return len(word) == 1 and word.isupper() and text[period - 2 : period - 1] in ("", " ")


def _sentence_ends(text: str) -> list[_SentenceEnd]:
    mask = protected_mask(text, quotes=True, parens=True)
    ends: list[_SentenceEnd] = []
    for match in _TERMINATOR.finditer(text):
        if mask[match.start()]:
            continue
        marks = text[match.start() : match.end()]
        if "?" in marks:
            ends.append(_SentenceEnd(match.end(), is_question=True))
            continue
        if "!" not in marks:
            last_period = match.start() + marks.rfind(".")
            following = _NEXT_CHARACTER.match(text, match.end())
            starts_lower = following is not None and following.group(1).islower()
            if _is_abbreviation(text, last_period) or starts_lower:
                continue
        ends.append(_SentenceEnd(match.end(), is_question=False))
    return ends


def split_question(text: str) -> tuple[str, str]:
    """Split ``question? answer`` text; returns ``(question, answer)``, answer maybe empty.

    The question runs through the first sentence ending in ``?`` (which must be the first or
    second sentence) and every directly following ``?`` sentence; with no such ``?`` it is the
    first sentence. An ``A:`` starting the answer is dropped.
    """
    ends = _sentence_ends(text)
    if not ends:
        return text.strip(), ""
    first_question = next(
        (i for i, end in enumerate(ends[:_QUESTION_WITHIN_SENTENCES]) if end.is_question), None
    )
    if first_question is None:
        cut = ends[0].end
    else:
        last = first_question
        while last + 1 < len(ends) and ends[last + 1].is_question:
            last += 1
        cut = ends[last].end
    question = text[:cut].strip()
    answer = text[cut:].strip()
    if answer.startswith("A:"):
        answer = answer[2:].strip()
    return question, answer
