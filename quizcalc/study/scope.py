"""What a review session covers: every deck, one deck, or one section (with its subsections).

A :class:`StudyScope` is plain data; :data:`IN_SCOPE` is the one SQL condition (on ``cards AS
c``) every queue statement adds, with the parameters :meth:`StudyScope.params` gives. It is
static SQL with bound parameters, so the stdlib ``sqlite3`` fast path runs it too: this module
must stay free of SQLAlchemy.

Sections are heading paths (``2.8 The learning rate::Practice``); a section's scope includes
its subsections, as a deck in Anki's deck list includes its subdecks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "EVERYTHING",
    "IN_SCOPE",
    "SECTION_SEPARATOR",
    "StudyScope",
    "match_scope",
    "scope_label",
]

SECTION_SEPARATOR = "::"
"""Between the headings of a section path (``2.8 The learning rate::Practice``)."""

IN_SCOPE = """(
  (CAST(:scope_deck AS TEXT) IS NULL
   OR c.deck_id IN (SELECT sd.id FROM decks AS sd WHERE sd.name = :scope_deck))
  AND (CAST(:scope_section AS TEXT) IS NULL OR c.section = :scope_section
       OR substr(c.section, 1, length(:scope_section) + 2) = :scope_section || '::'))"""
"""SQL condition on ``cards AS c``: the card is in the scope bound as ``:scope_deck`` and
``:scope_section`` (``NULL`` for "any"). The ``CAST`` types a parameter PostgreSQL could not
infer from ``IS NULL`` alone (SQLite: a no-op)."""


def scope_label(deck: str | None, section: str | None) -> str:
    """``Calculus › 2.8 The learning rate › Practice``; ``all decks`` for everything."""
    parts = [deck] if deck is not None else []
    if section is not None:
        parts += [part.strip() for part in section.split(SECTION_SEPARATOR)] or ["(no section)"]
        if section == "":
            parts[-1] = "(no section)"
    return " › ".join(parts) if parts else "all decks"


@dataclass(frozen=True)
class StudyScope:
    """A deck, a section of a deck (or of every deck), or everything (both ``None``)."""

    deck: str | None = None
    """The deck's exact name; ``None``: every deck."""
    section: str | None = None
    """A section path, its subsections included; ``""``: the deck's cards outside any
    section; ``None``: every section."""

    @property
    def everything(self) -> bool:
        """Whether this is the plain review of every deck."""
        return self.deck is None and self.section is None

    @property
    def label(self) -> str:
        """How the scope is named on screen (``Calculus › Derivatives``, ``all decks``)."""
        return scope_label(self.deck, self.section)

    def params(self) -> dict[str, Any]:
        """The bound parameters of :data:`IN_SCOPE`."""
        return {"scope_deck": self.deck, "scope_section": self.section}

    def contains(self, deck: str, section: str) -> bool:
        """Whether a card of ``deck`` filed under ``section`` is in this scope (as the SQL)."""
        if self.deck is not None and deck != self.deck:
            return False
        if self.section is None:
            return True
        return section == self.section or section.startswith(self.section + SECTION_SEPARATOR)


EVERYTHING = StudyScope()
"""Every deck: the plain review."""


def _parts(section: str) -> list[str]:
    return [part.strip().casefold() for part in section.split(SECTION_SEPARATOR)]


def _section_matches(wanted: str, stored: str) -> bool:
    """``wanted`` names ``stored`` exactly (case aside), or by its leading number (``2.8``)."""
    want = _parts(wanted)
    have = _parts(stored)
    if want == have:
        return True
    # "2.8" names "2.8 The learning rate"; "2.8::practice" names "2.8 The …::Practice".
    if len(want) != len(have):
        return False
    pairs = enumerate(zip(want, have, strict=True))
    return all(w == h or (i == 0 and h.startswith(w + " ")) for i, (w, h) in pairs)


def matching_decks(wanted: str, decks: Iterable[str]) -> list[str]:
    """The decks ``wanted`` names: the one whose name it is, without regard to case and
    spacing, else every deck whose name starts with it (``linear`` → "Linear algebra for ML").

    One name: found; none or several: the caller says so, listing the choices.
    """
    key = " ".join(wanted.split()).casefold()
    names = list(decks)
    exact = [name for name in names if " ".join(name.split()).casefold() == key]
    if exact or not key:
        return exact[:1]
    return [name for name in names if name.casefold().startswith(key)]


def match_scope(
    deck: str | None, section: str | None, existing: Iterable[tuple[str, str]]
) -> StudyScope | str:
    """Resolve the learner's ``deck`` and ``section`` against the ``(deck, section)`` pairs of
    the collection's cards; the scope, or one line saying what exists when nothing matches.

    Names match without regard to case; a section also matches by its path of headings
    (``2.8 The learning rate::Practice``), a leading number (``2.8``) or a parent of sections.
    """
    pairs = sorted(set(existing))
    decks = list(dict.fromkeys(name for name, _ in pairs))
    chosen_deck: str | None = None
    if deck is not None:
        found = matching_decks(deck, decks)
        if not found:
            return f"no deck named {deck!r}; decks: {', '.join(decks) or 'none (sync cards first)'}"
        if len(found) > 1:
            return f"deck {deck!r} could be any of: {', '.join(found)}; give more of its name"
        chosen_deck = found[0]
    if section is None:
        return StudyScope(chosen_deck)
    candidates = [s for name, s in pairs if chosen_deck is None or name == chosen_deck]
    paths: dict[str, None] = {}
    for stored in candidates:
        heads = stored.split(SECTION_SEPARATOR)
        for depth in range(1, len(heads) + 1):
            paths[SECTION_SEPARATOR.join(heads[:depth])] = None
    matches = [path for path in paths if path and _section_matches(section, path)]
    if len(matches) == 1:
        return StudyScope(chosen_deck, matches[0])
    where = f"deck {chosen_deck!r}" if chosen_deck is not None else "any deck"
    tops = [path for path in paths if path and SECTION_SEPARATOR not in path]
    listed = "; ".join(tops) or "none"
    if len(matches) > 1:
        return f"section {section!r} is ambiguous in {where}: {'; '.join(matches)}"
    return f"no section {section!r} in {where}; sections: {listed}"
