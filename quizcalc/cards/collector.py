"""Collects the cards of one document: ids, sections, tags, deck and the problems found."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from quizcalc.cards.cloze import ClozeNote
from quizcalc.cards.duplicates import DuplicateFilter
from quizcalc.cards.labels import deck_name_from_source, slugify
from quizcalc.cards.model import (
    Card,
    CardKind,
    LintMessage,
    ParseResult,
    ProblemSpec,
    derive_card_id,
    derive_cloze_id,
)

__all__ = ["CLOZE_SKIPPED", "NO_ANSWER", "CardCollector"]

NO_ANSWER = "Q without an answer (add an 'A:' line, or answer text after the question)"
"""The message for a question nobody answered."""
CLOZE_SKIPPED = "note skipped (no card is stored from it)"
"""Ends the message about a cloze note whose markup is broken."""


@dataclass
class _Note:
    """The cards one piece of source makes (a cloze note or ``:::`` makes several)."""

    cards: list[Card]
    suffixes: list[str]
    """Per card, what follows ``<explicit id>::`` (empty: the explicit id itself)."""


@dataclass
class CardCollector:
    """Turns recognised card text into ``Card``s labelled with the current section."""

    source: str
    deck: str = ""
    base_tags: tuple[str, ...] = ()
    """Tags from the front matter, given to every card."""
    headings: list[tuple[int, str]] = field(default_factory=list)
    """The open sections as (level, title), outermost first."""
    notes: list[_Note] = field(default_factory=list)
    problems: list[LintMessage] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.deck:
            self.deck = deck_name_from_source(self.source)

    @property
    def note_count(self) -> int:
        """How many notes so far (to tell whether a block made any)."""
        return len(self.notes)

    def report(self, line: int, message: str) -> None:
        """Record a problem at ``line`` (1-based)."""
        self.problems.append(LintMessage(self.source, line, message))

    def enter_section(self, level: int, text: str) -> None:
        """A heading of ``level``: it closes sections at that level or deeper."""
        title = " ".join(text.split()).replace("::", ":")
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        self.headings.append((level, title))

    def _card(
        self,
        kind: CardKind,
        question: str,
        answer: str,
        line: int,
        card_id: str,
        *,
        cloze_number: int | None = None,
        problem: ProblemSpec | None = None,
        note: str = "",
    ) -> Card:
        titles = [title for _, title in self.headings if title]
        section_tags = (slug for slug in map(slugify, titles) if slug)
        return Card(
            id=card_id,
            kind=kind,
            question=question,
            answer=answer,
            section="::".join(titles),
            tags=tuple(dict.fromkeys([*self.base_tags, *section_tags])),
            source=self.source,
            line=line,
            deck=self.deck,
            cloze_number=cloze_number,
            problem=problem,
            note=note,
        )

    def add_basic(self, question: str, answer: str, line: int, *, reversible: bool = False) -> None:
        """A question/answer card (and its reverse for ``:::`` / ``??``)."""
        if not question:
            self.report(line, "card has an empty question")
            return
        if not answer:
            self.report(line, NO_ANSWER)
            return
        basic = CardKind.BASIC
        cards = [self._card(basic, question, answer, line, derive_card_id(basic, question))]
        suffixes = [""]
        if reversible:
            cards.append(self._card(basic, answer, question, line, derive_card_id(basic, answer)))
            suffixes.append("reverse")
        self.notes.append(_Note(cards, suffixes))

    def add_cloze(self, note: ClozeNote, raw: str, line: int) -> None:
        """One card per cloze number of ``note``; ids are ``raw``'s hash + ``::cN``.

        A note whose markup is broken makes no card at all (a card from it would show raw
        braces); the message says the note was skipped.
        """
        if note.broken:
            self.report(line, f"{'; '.join(note.problems)}; {CLOZE_SKIPPED}")
            return
        for message in note.problems:
            self.report(line, message)
        numbers = note.numbers()
        cards = [
            self._card(
                CardKind.CLOZE,
                note.question(n),
                note.answer(n),
                line,
                derive_cloze_id(raw, n),
                cloze_number=n,
                note=raw,
            )
            for n in numbers
        ]
        if cards:
            self.notes.append(_Note(cards, [f"c{n}" for n in numbers]))

    def add_problem(self, spec: ProblemSpec, line: int) -> None:
        """A generated-problem card: the skill ``family`` at ``difficulty``."""
        card_id = derive_card_id(CardKind.PROBLEM, f"{spec.family}:{spec.difficulty}")
        card = self._card(CardKind.PROBLEM, spec.question, "", line, card_id, problem=spec)
        self.notes.append(_Note([card], [""]))

    def set_explicit_id(self, note_index: int, explicit_id: str) -> None:
        """Give note ``note_index`` the id ``explicit_id`` (``explicit_id::c1`` for clozes)."""
        note = self.notes[note_index]
        note.cards = [
            replace(
                card, id=f"{explicit_id}::{suffix}" if suffix else explicit_id, explicit_id=True
            )
            for card, suffix in zip(note.cards, note.suffixes, strict=True)
        ]

    def result(self) -> ParseResult:
        """The cards (later duplicates dropped) and every problem, in line order."""
        problems = list(self.problems)
        cards = DuplicateFilter().keep((c for n in self.notes for c in n.cards), problems)
        problems.sort(key=lambda p: p.line)
        return ParseResult(cards, problems, self.deck)
