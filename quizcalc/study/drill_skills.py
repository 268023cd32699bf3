"""Which skills to drill, and where drill answers are logged.

Recent accuracy per family, the weakest families, the sections that hold problem cards, and
the card a skill's drill answers hang on (the review log needs a card key).

"Weakest" has one meaning, :func:`rank_weak_families`: the home screen names those families
and the drill set-up's Weakest selects exactly them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from quizcalc.cards.model import CardKind, ProblemSpec, derive_card_id
from quizcalc.problems.catalog import FAMILY_NAMES
from quizcalc.scheduling.sm2 import PASSING_QUALITY
from quizcalc.store.models import CardRecord, DeckRecord, ReviewLogRecord, ScheduleRecord
from quizcalc.study.errors import InvalidRequest, doing
from quizcalc.study.scope import matching_decks

if TYPE_CHECKING:
    from quizcalc.study.service import StudyService

__all__ = [
    "MIN_ANSWERS",
    "RECENT_DAYS",
    "WEAKEST_LIMIT",
    "DrillPreset",
    "DrillSection",
    "FamilyAccuracy",
    "deck_families",
    "drill_presets",
    "problem_sections",
    "rank_weak_families",
    "reading",
    "recent_accuracy",
    "section_families",
    "skill_card_key",
    "weakest_families",
    "writing",
]

RECENT_DAYS = 30
"""The window of "recent" accuracy, for weakest skills and the summary's slipped skills."""
MIN_ANSWERS = 3
"""Answers a family needs in the window before its accuracy is trusted."""
WEAKEST_LIMIT = 5
"""How many weakest families the home screen names ("the weakest five") and the drill
set-up's Weakest (and ``quizcalc drill --weakest``) selects."""
_DRILL_DECK = "Drills"
"""Deck of a drill-only skill card whose family has no card anywhere."""


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class FamilyAccuracy:
    """How one family went over a window of days."""

    family: str
    answers: int
    correct: int
    """Answers graded 3 or more."""

    @property
    def accuracy(self) -> float:
        """Share correct, 0.0 with no answers."""
        return self.correct / self.answers if self.answers else 0.0


def recent_accuracy(
    service: StudyService,
    now: datetime,
    *,
    days: int = RECENT_DAYS,
    exclude_session: str | None = None,
) -> dict[str, FamilyAccuracy]:
    """Per family, review and drill answers of the last ``days`` days (families answered only)."""
    correct = func.sum(case((ReviewLogRecord.quality >= PASSING_QUALITY, 1), else_=0))
    query = (
        select(CardRecord.family, func.count(), correct)
        .join(CardRecord, CardRecord.id == ReviewLogRecord.card_key)
        .where(
            CardRecord.kind == CardKind.PROBLEM.value,
            CardRecord.family.in_(FAMILY_NAMES),
            ReviewLogRecord.kind.in_(("review", "drill")),
            ReviewLogRecord.reviewed_at >= now - timedelta(days=days),
            ReviewLogRecord.reviewed_at <= now,
        )
        .group_by(CardRecord.family)
    )
    if exclude_session is not None:
        query = query.where(
            func.coalesce(ReviewLogRecord.session_id, "") != exclude_session,
        )
    with reading(service) as session:
        rows = session.execute(query).all()
    return {family: FamilyAccuracy(family, int(n), int(ok or 0)) for family, n, ok in rows}


_ORDER = {name: i for i, name in enumerate(FAMILY_NAMES)}


def _weakest_first(a: FamilyAccuracy) -> tuple[Fraction, int, int]:
    # Fractions: 2/6 and 1/3 tie exactly, whatever floating point makes of them.
    return (Fraction(a.correct, a.answers), -a.answers, _ORDER[a.family])


def _check_limit(limit: int | None) -> None:
    if limit is not None and (not _whole(limit) or limit < 1):
        raise InvalidRequest(f"limit must be 1 or more (got {limit!r})")


def rank_weak_families(
    service: StudyService, now: datetime, limit: int | None = WEAKEST_LIMIT
) -> tuple[FamilyAccuracy, ...]:
    """The weakest families: what the home screen names and the drill set-up's Weakest picks.

    Families with at least :data:`MIN_ANSWERS` review/drill answers over the last
    :data:`RECENT_DAYS` days (see :func:`recent_accuracy`) and at least one miss there (a
    perfect family is not weak), lowest accuracy first; ties: more answers first (more
    evidence), then teaching order. At most ``limit`` (``None``: all of them); empty when
    nothing qualifies.
    """
    _check_limit(limit)
    recent = recent_accuracy(service, now)
    weak = sorted(
        (a for a in recent.values() if a.answers >= MIN_ANSWERS and a.correct < a.answers),
        key=_weakest_first,
    )
    return tuple(weak if limit is None else weak[:limit])


def weakest_families(
    service: StudyService, now: datetime, limit: int = WEAKEST_LIMIT
) -> tuple[str, ...]:
    """The ``limit`` families to drill, never fewer while families are left to fill in.

    First :func:`rank_weak_families` (so the head of this list is what the home screen
    names); then families answered perfectly (more answers first); then families not
    practised in the window (those of the learner's problem cards first, in teaching order);
    then families with only one or two answers, weakest first.
    """
    _check_limit(limit)
    recent = recent_accuracy(service, now)
    weak = [a.family for a in rank_weak_families(service, now, limit=None)]
    perfect = sorted(
        (a for a in recent.values() if a.answers >= MIN_ANSWERS and a.correct == a.answers),
        key=_weakest_first,
    )
    thin = sorted((a for a in recent.values() if a.answers < MIN_ANSWERS), key=_weakest_first)
    studied = {f for section in problem_sections(service) for f in section.families}
    unpractised = sorted(
        (f for f in FAMILY_NAMES if f not in recent), key=lambda f: (f not in studied, _ORDER[f])
    )
    ranked = weak + [a.family for a in perfect] + unpractised + [a.family for a in thin]
    return tuple(ranked[:limit])


@dataclass(frozen=True)
class DrillSection:
    """A top-level section with problem cards, for a "drill this section" choice."""

    deck: str
    name: str
    """The heading, e.g. ``2.8 The learning rate``."""
    families: tuple[str, ...]
    """Families of its active problem cards, in reading order."""


def _section_rows(service: StudyService) -> list[tuple[str, str, str]]:
    query = (
        select(DeckRecord.name, CardRecord.section, CardRecord.family)
        .join(DeckRecord, DeckRecord.id == CardRecord.deck_id)
        .where(
            CardRecord.status == "active",
            CardRecord.kind == CardKind.PROBLEM.value,
            CardRecord.family.in_(FAMILY_NAMES),
        )
        .order_by(CardRecord.source_id, CardRecord.position, CardRecord.id)
    )
    with reading(service) as session:
        rows = session.execute(query).all()
    return [(deck, section or "", family or "") for deck, section, family in rows]


def problem_sections(service: StudyService) -> tuple[DrillSection, ...]:
    """Every top-level section holding active problem cards, in reading order."""
    grouped: dict[tuple[str, str], dict[str, None]] = {}
    for deck, section, family in _section_rows(service):
        grouped.setdefault((deck, _parts(section)[0]), {})[family] = None
    return tuple(DrillSection(deck, name, tuple(fams)) for (deck, name), fams in grouped.items())


@dataclass(frozen=True)
class DrillPreset:
    """A one-choice selection of skills: a whole deck's, or one of its sections'."""

    deck: str
    section: str | None
    """The top-level heading; ``None`` for the whole deck."""
    families: tuple[str, ...]
    """Families of the active problem cards it covers, in reading order."""

    @property
    def label(self) -> str:
        """``Linear algebra for ML · all skills`` for a deck, the heading for a section."""
        return f"{self.deck} · all skills" if self.section is None else self.section


def drill_presets(service: StudyService) -> tuple[DrillPreset, ...]:
    """Per deck, in reading order: the deck's skills, then each of its sections' skills.

    The drill set-up offers these as "drill the linear algebra skills" or "drill section
    1.3" in one choice.
    """
    sections = problem_sections(service)
    presets: list[DrillPreset] = []
    for deck in dict.fromkeys(section.deck for section in sections):
        own = [section for section in sections if section.deck == deck]
        families = tuple(dict.fromkeys(f for section in own for f in section.families))
        presets.append(DrillPreset(deck, None, families))
        presets += [DrillPreset(deck, section.name, section.families) for section in own]
    return tuple(presets)


def deck_families(service: StudyService, deck: str) -> tuple[str, ...]:
    """Families of the active problem cards in ``deck`` (InvalidRequest naming the choices).

    ``deck`` is matched as ``quizcalc review --deck`` matches it
    (:func:`~quizcalc.study.scope.matching_decks`: the name, or the start of one).
    """
    decks: dict[str, dict[str, None]] = {}
    for name, _section, family in _section_rows(service):
        decks.setdefault(name, {})[family] = None
    matches = matching_decks(deck, decks)
    if not matches:
        choices = "; ".join(decks) or "none (sync a deck with problem cards first)"
        raise InvalidRequest(f"no problem cards in deck {deck!r}; decks with problems: {choices}")
    if len(matches) > 1:
        raise InvalidRequest(
            f"deck {deck!r} could be any of: {'; '.join(matches)}; give more of its name"
        )
    return tuple(decks[matches[0]])


def _parts(section: str) -> list[str]:
    return [" ".join(part.split()) for part in section.split("::")] or [""]


def section_families(service: StudyService, section: str) -> tuple[str, ...]:
    """Families of the active problem cards under ``section`` (ValueError naming the choices).

    ``section`` is a heading path (``2.8 The learning rate``, ``2.8 The learning rate::Practice``)
    or its leading number (``2.8``), matched without regard to case.
    """
    wanted = [part.casefold() for part in _parts(section)]
    families: dict[str, None] = {}
    for _deck, stored, family in _section_rows(service):
        parts = [part.casefold() for part in _parts(stored)]
        exact = parts[: len(wanted)] == wanted
        numbered = len(wanted) == 1 and parts[0].startswith(wanted[0] + " ")
        if wanted != [""] and (exact or numbered):
            families[family] = None
    if not families:
        names = [s.name for s in problem_sections(service)]
        choices = "; ".join(dict.fromkeys(names)) or "none (sync a deck with problem cards first)"
        raise InvalidRequest(
            f"no problem cards in section {section!r}; sections with problems: {choices}"
        )
    return tuple(families)


def skill_card_key(session: Session, family: str, difficulty: int, now: datetime) -> int:
    """The card a drill answer on ``(family, difficulty)`` is logged against.

    The skill's problem card where one exists (active first, then suspended, then retired).
    Otherwise a card is made for the skill, *retired* and tied to no file, so it is never
    queued; it borrows the deck and section of another card of the family (statistics by
    section stay right) and takes the id a ```problem block for the skill would derive, so if
    the learner later adds that card to a deck, sync restores it with this drill history.
    Among cards of one status that skill card (tied to no file: no source) comes first, on
    every database (SQLite puts a ``NULL`` first, PostgreSQL last, unless told).
    """
    rank = case((CardRecord.status == "active", 0), (CardRecord.status == "suspended", 1), else_=2)
    in_order = (rank, CardRecord.source_id.nulls_first(), CardRecord.position, CardRecord.id)
    problem = CardRecord.kind == CardKind.PROBLEM.value
    key = session.scalar(
        select(CardRecord.id)
        .where(problem, CardRecord.family == family, CardRecord.difficulty == difficulty)
        .order_by(*in_order)
        .limit(1)
    )
    if key is not None:
        return key
    home = session.execute(
        select(CardRecord.deck_id, CardRecord.section)
        .where(problem, CardRecord.family == family)
        .order_by(*in_order)
        .limit(1)
    ).first()
    if home is not None:
        deck_id, section = home
    else:
        deck = session.scalar(select(DeckRecord).where(DeckRecord.name == _DRILL_DECK))
        if deck is None:
            deck = DeckRecord(name=_DRILL_DECK)
            session.add(deck)
            session.flush()
        deck_id, section = deck.id, ""
    card_id = derive_card_id(CardKind.PROBLEM, f"{family}:{difficulty}")
    if session.scalar(select(CardRecord.id).where(CardRecord.card_id == card_id)) is not None:
        card_id = f"drill {family} {difficulty}"  # taken by an explicit id; ids have no spaces
    record = CardRecord(
        card_id=card_id,
        deck_id=deck_id,
        source_id=None,
        kind=CardKind.PROBLEM.value,
        question=ProblemSpec(family, difficulty).question,
        answer="",
        section=section,
        tags="drill",
        source="(drills)",
        line=0,
        position=0,
        status="retired",
        family=family,
        difficulty=difficulty,
        created_at=now,
        updated_at=now,
        retired_at=now,
    )
    record.schedule = ScheduleRecord.new()
    session.add(record)
    session.flush()
    return record.id


@contextmanager
def reading(service: StudyService, what: str = "read your drill history") -> Iterator[Session]:
    """A transaction of ``service`` whose errors leave as :class:`StudyError` (see ``what``)."""
    with doing(what), service.transaction() as session:
        yield session


@contextmanager
def writing(service: StudyService, what: str) -> Iterator[Session]:
    """A write transaction of ``service`` (its write lock is taken before the first read);
    errors leave as :class:`StudyError` (see ``what``)."""
    with doing(what), service.transaction(write=True) as session:
        yield session
