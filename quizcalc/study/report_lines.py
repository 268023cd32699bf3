"""An import report's problem lines, each under a heading that says what happened to it.

A sync reports its problems as single lines naming the file (and line), each saying itself
what became of the row, note or card. ``quizcalc import`` prints them under headings, and a
heading lists only lines that are what it says:

* ``N skipped (not imported):`` a row, note, card, copy or file that made no card;
* ``N kept as they were:`` the collection's own text or history was kept, not the file's;
* ``N warning(s):`` anything else: the card was imported, the line says what to look at (an
  empty cloze deletion, an image kept as a reference, a template filter not applied).

A line is sorted by what it says happened (its own words, written by the readers and the
sync), with the note that a file's cards are kept until it is fixed
(:data:`~quizcalc.study.source_reading.NOT_FULLY_READ`) left out of the decision: it is a
consequence, added to the file's first line whatever that line is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from quizcalc.study.source_reading import NOT_FULLY_READ

__all__ = ["ReportSection", "outcome", "report_sections"]

SKIPPED = "skipped"
KEPT = "kept"
WARNING = "warning"

_KEPT = (
    "kept this database's history",
    "kept the collection's text",
    "; kept once",
    ") kept for anki;",
)
"""Words of a line whose card was imported before and whose stored copy won, or of Anki rows
kept apart for Anki."""
_WARNING = ("(text kept)", "is not applied", "; not used", "as a reference", "as references")
"""Words of a line about something imported but not in full (media, a template filter)."""
_SKIPPED = ("skipped", "not imported")
"""Words of a line about something that made no card."""


@dataclass(frozen=True)
class ReportSection:
    """One heading of the report (with its count) and the lines under it."""

    heading: str
    lines: tuple[str, ...]


def outcome(line: str) -> str:
    """What a problem line says happened: :data:`SKIPPED`, :data:`KEPT` or :data:`WARNING`."""
    said = line.removesuffix(NOT_FULLY_READ).casefold()
    if any(words in said for words in _KEPT):
        return KEPT
    if any(words in said for words in _WARNING):
        return WARNING
    if any(words in said for words in _SKIPPED):
        return SKIPPED
    return WARNING


def _heading(kind: str, count: int) -> str:
    if kind == SKIPPED:
        return f"{count} skipped (not imported):"
    if kind == KEPT:
        return f"{count} kept as they were:"
    return f"{count} warning(s):"


def report_sections(problems: Sequence[str]) -> list[ReportSection]:
    """``problems`` under their headings: skipped first, then kept, then warnings; each
    section keeps the lines' order, and a heading with no line is left out."""
    sections: list[ReportSection] = []
    for kind in (SKIPPED, KEPT, WARNING):
        lines = tuple(line for line in problems if outcome(line) == kind)
        if lines:
            sections.append(ReportSection(_heading(kind, len(lines)), lines))
    return sections
