"""The card model: plain, immutable data shared by every layer."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "Card",
    "CardKind",
    "LintMessage",
    "ParseResult",
    "ProblemSpec",
    "derive_card_id",
    "derive_cloze_id",
]


class CardKind(StrEnum):
    """What a card asks of the learner."""

    BASIC = "basic"
    """A question and its answer, self-graded."""
    CLOZE = "cloze"
    """A text with one deletion hidden; one card per cloze number."""
    PROBLEM = "problem"
    """A generated-problem skill: a family at a difficulty, fresh numbers every review."""


@dataclass(frozen=True)
class ProblemSpec:
    """The body of a ```problem block: which generator family, at which difficulty."""

    family: str
    """Registry name of the problem family, e.g. ``chain_rule``."""
    difficulty: int = 1
    """1 (small, by hand) to 3 (bigger numbers and structure)."""

    @property
    def question(self) -> str:
        """What a problem card's question reads (the real prompt is drawn at review time)."""
        return f"Generated problem: {self.family} (difficulty {self.difficulty})"


@dataclass(frozen=True)
class Card:
    """One reviewable card parsed from Markdown.

    Text fields keep Markdown and LaTeX exactly as written; rendering to Unicode is the
    display layer's job.
    """

    id: str
    """Stable id: the explicit ``<!-- id: ... -->`` or one derived from the card's text."""
    kind: CardKind
    """basic, cloze or problem."""
    question: str
    """The prompt (for a cloze: the text with the active deletion hidden as ``[...]``)."""
    answer: str
    """The answer (for a cloze: the full text with the active deletion marked)."""
    section: str = ""
    """Heading path joined by ``::`` (Anki's sub-deck separator); empty at top level."""
    tags: tuple[str, ...] = ()
    """Front-matter tags plus a tag per section path."""
    source: str = "<string>"
    """The file (or label) the card was parsed from."""
    line: int = 1
    """1-based line of the card's first line in ``source``."""
    deck: str = ""
    """Deck name from front matter, else derived from the file name."""
    explicit_id: bool = False
    """True when the id came from an ``<!-- id: -->`` comment."""
    cloze_number: int | None = None
    """For a cloze card, the N of ``{{cN::...}}``."""
    problem: ProblemSpec | None = None
    """For a problem card, the family and difficulty."""
    note: str = ""
    """For a cloze card, its note's full source text with every ``{{cN::…}}`` (what an export
    writes back, so a cloze note round-trips exactly); empty for other kinds."""


@dataclass(frozen=True)
class LintMessage:
    """One problem found while parsing, reported as ``source:line: message``."""

    source: str
    line: int
    """1-based line; 0 for a problem with the whole file or path (printed ``source: message``)."""
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.source}: {self.message}"
        return f"{self.source}:{self.line}: {self.message}"


@dataclass(frozen=True)
class ParseResult:
    """Everything parsing one document yields: its cards and the problems found."""

    cards: list[Card] = field(default_factory=list)
    problems: list[LintMessage] = field(default_factory=list)
    deck: str = ""


_SPACE = re.compile(r"\s+")


def _normalise(text: str) -> str:
    """Whitespace-, case- and Unicode-form-insensitive key for hashing card text."""
    text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub(" ", text).strip().casefold()


def derive_card_id(kind: CardKind | str, text: str, number: int | None = None) -> str:
    """A stable id from a card's identifying text (genanki-style content hash).

    Basic cards hash their question, so rewriting the answer keeps the id; problem cards hash
    ``family:difficulty`` (a skill). Clozes use :func:`derive_cloze_id`; ``number`` gives the
    id cloze cards had before it (the full text plus the number), which sync still recognises.
    """
    key = f"{CardKind(kind).value}\x1f{_normalise(text)}"
    if number is not None:
        key += f"\x1f{number}"
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=6).hexdigest()
    return f"{CardKind(kind).value[0]}-{digest}"


def derive_cloze_id(text: str, number: int) -> str:
    """A cloze card's id: its note's id (the hash of the note's full text) plus ``::cN``.

    Siblings thus share one note id (one Anki note, one GUID). Cards stored before had
    ``derive_card_id(CLOZE, text, number)``; sync re-keys those rows, history kept.
    """
    return f"{derive_card_id(CardKind.CLOZE, text)}::c{number}"
