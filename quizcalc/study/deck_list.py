"""The home screen's deck list: every deck and section with what a session over it would serve.

Like Anki's deck list, each row counts what studying *that* deck or section would give today:
its due reviews and new cards within what is left of the daily limits, and its cards being
relearned (failed today, not yet passed again). The counts come from one grouped query over
the collection, however many decks and sections there are; the tree (deck → section →
subsection) is folded up from it in Python, and what a session over each deck would serve is
worked out from the same counts and the limits (:func:`~quizcalc.study.queue.deck_sessions`),
not by building each deck's queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from quizcalc.study.collection_base import CollectionAccess, sql_runner
from quizcalc.study.custom_study import AHEAD_CARDS, FORGOTTEN_TODAY
from quizcalc.study.deck_counts import counts_by_section
from quizcalc.study.errors import UnknownScope, use_case
from quizcalc.study.queue import _ACTIVE, _NEW, deck_sessions
from quizcalc.study.scope import SECTION_SEPARATOR, StudyScope, match_scope

__all__ = ["DeckListRow", "DeckListUseCases", "ScopeChoices"]


@dataclass(frozen=True)
class DeckListRow:
    """One row of the deck list: a deck, or a section (its subsections counted in)."""

    deck: str
    section: str | None
    """The section path; ``None`` on a deck's own row."""
    depth: int
    """0 for a deck, 1 for its sections, 2 for their subsections…"""
    due: int
    """Reviews a session over this row would serve today (within the daily review cap)."""
    new: int
    """New cards it would introduce today (within what is left of the new-card limit)."""
    learning: int
    """Cards failed today and not yet passed again (SM-2 step 7)."""
    total: int
    """Active cards."""
    has_children: bool
    """Whether sections (or subsections) are listed under it."""

    @property
    def name(self) -> str:
        """The deck's name, or the section's own heading."""
        if self.section is None:
            return self.deck
        return self.section.split(SECTION_SEPARATOR)[-1].strip() or "(no section)"

    @property
    def scope(self) -> StudyScope:
        """The session this row starts."""
        return StudyScope(self.deck, self.section)

    @property
    def todo(self) -> int:
        """Cards a session over this row would serve now."""
        return self.due + self.new + self.learning


@dataclass(frozen=True)
class ScopeChoices:
    """How many cards each custom study would take in a scope."""

    ahead: int
    """Cards due within the days asked (today's included)."""
    forgotten: int
    """Cards given a failing grade today."""
    new: int = 0
    """New cards in the scope, whatever today's limits (what an extended limit could show)."""


@dataclass
class _Node:
    due: int = 0
    new: int = 0
    learning: int = 0
    total: int = 0
    start: tuple[int, int] | None = None
    children: dict[str, _Node] | None = None

    def add(self, due: int, new: int, learning: int, total: int, start: tuple[int, int]) -> None:
        self.due += due
        self.new += new
        self.learning += learning
        self.total += total
        self.start = start if self.start is None else min(self.start, start)


class DeckListUseCases(CollectionAccess):
    """The deck list's counts, finding a deck or section by name, and custom-study sizes."""

    @use_case("read the deck list")
    def deck_list(self, now: datetime) -> list[DeckListRow]:
        """Every deck (alphabetical) and, under it, its sections in reading order."""
        with self.transaction() as session:
            run = sql_runner(session)
            config = self._fresh_settings(run)  # first: it may move the study day's rollover
            today = self.today(now)
            rows = counts_by_section(run, today)
            candidates: dict[str, tuple[int, int]] = {}
            for row in rows:
                due, new = candidates.get(row.deck, (0, 0))
                candidates[row.deck] = (due + row.queue_due, new + row.queue_new)
            # What a session over each deck would serve: its own limits under the collection's.
            served = deck_sessions(run, today, config, candidates)
        decks: dict[str, _Node] = {}
        for row in rows:
            counts = (row.due, row.new, row.learning, row.total, row.start)
            node = decks.setdefault(row.deck, _Node())
            node.add(*counts)
            section = row.section
            for head in section.split(SECTION_SEPARATOR) if section else []:
                node.children = node.children if node.children is not None else {}
                node = node.children.setdefault(head, _Node())
                node.add(*counts)
        listed: list[DeckListRow] = []

        def walk(deck: str, path: list[str], node: _Node) -> None:
            children = node.children or {}
            served_due, served_new = served[deck]
            listed.append(
                DeckListRow(
                    deck=deck,
                    section=SECTION_SEPARATOR.join(path) if path else None,
                    depth=len(path),
                    due=min(node.due, served_due),
                    new=min(node.new, served_new),
                    learning=node.learning,
                    total=node.total,
                    has_children=bool(children),
                )
            )
            for head, child in sorted(children.items(), key=lambda item: item[1].start or (0, 0)):
                walk(deck, [*path, head], child)

        for deck, node in sorted(decks.items(), key=lambda item: item[0].casefold()):
            walk(deck, [], node)
        return listed

    @use_case("find the deck or section")
    def find_scope(self, deck: str | None, section: str | None) -> StudyScope:
        """The scope the learner named (see :func:`~quizcalc.study.scope.match_scope`);
        :class:`UnknownScope`, listing what exists, when nothing matches."""
        with self.transaction() as session:
            pairs = sql_runner(session)(
                "SELECT DISTINCT d.name, c.section FROM cards AS c "
                "JOIN decks AS d ON d.id = c.deck_id WHERE c.status = 'active'",
                {},
            )
        found = match_scope(deck, section, [(str(d), str(s)) for d, s in pairs])
        if isinstance(found, str):
            raise UnknownScope(found)
        return found

    @use_case("count the cards for custom study")
    def custom_study_choices(self, scope: StudyScope, now: datetime, days: int) -> ScopeChoices:
        """How many cards review ahead ``days`` days and today's forgotten cards would take."""
        today = self.today(now)
        params = {
            "today": today.isoformat(),
            "until": (today + timedelta(days=days)).isoformat(),
            **scope.params(),
        }
        with self.transaction() as session:
            run = sql_runner(session)
            ahead = len(run(AHEAD_CARDS, params))
            forgotten = len(run(FORGOTTEN_TODAY, params))
            new = len(run(f"SELECT c.id {_ACTIVE}{_NEW}", params))
        return ScopeChoices(ahead=ahead, forgotten=forgotten, new=new)
