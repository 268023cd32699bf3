"""Plain data the study layer hands to the UI and the CLI (no ORM objects cross this line)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from quizcalc.cards.model import CardKind
from quizcalc.scheduling.sm2 import SM2State
from quizcalc.study.log_kinds import ANSWER_KINDS, BLAME, IMPLICIT, RESET

__all__ = [
    "BROWSE_SORTS",
    "AnswerOutcome",
    "BrowseFilter",
    "BrowseRow",
    "BulkChange",
    "CardDetail",
    "CardRow",
    "DeckCounts",
    "HistoryRow",
    "HomeSummary",
    "QueuedCard",
    "ScheduleSnapshot",
    "SessionSummary",
    "SyncReport",
]


@dataclass(frozen=True)
class QueuedCard:
    """A card ready to be shown: its text, where it came from and why it is in the queue."""

    key: int
    """Database primary key; what :meth:`answer` takes back."""
    card_id: str
    """The content id shown to people (explicit or derived)."""
    kind: CardKind
    question: str
    answer: str
    deck: str
    section: str
    source: str
    line: int
    state: SM2State
    """The SM-2 state before this review."""
    reason: str
    """Why it is due now: ``"new"``, ``"review"`` or ``"relearn"`` (SM-2 step 7)."""
    family: str | None = None
    """For a problem card, its generator family."""
    difficulty: int | None = None
    """For a problem card, its difficulty."""
    flag: int = 0
    """Anki's coloured flag: 0 none, 1–7 red, orange, green, blue, pink, turquoise, purple."""


@dataclass(frozen=True)
class AnswerOutcome:
    """What one answer did: the schedule change (if any) and whether the card comes back today."""

    card_key: int
    quality: int
    kind: str
    """Review-log kind: ``"review"`` (the day's first answer) or ``"relearn"``."""
    before: SM2State
    after: SM2State
    due: date
    """Next due day after this answer."""
    again_today: bool
    """True when SM-2 step 7 re-queues the card later in this session."""
    log_id: int
    leech: bool = False
    """True when this lapse made the card a leech: it is now suspended (Anki's rule)."""


@dataclass(frozen=True)
class DeckCounts:
    """Due and new counts for one deck or section on the home screen."""

    deck: str
    section: str
    due: int
    new: int
    total: int
    """Its cards, active and suspended (see :mod:`quizcalc.study.card_counts`)."""


@dataclass(frozen=True)
class HomeSummary:
    """Everything the home screen shows."""

    today: date
    due: int
    """Reviews due today (including relearn cards still pending)."""
    new: int
    """New cards that today's limit still allows."""
    total_cards: int
    """Cards the learner has, active and suspended (:mod:`quizcalc.study.card_counts`)."""
    reviews_today: int
    streak_days: int
    per_section: list[DeckCounts] = field(default_factory=list)
    next_due: date | None = None
    """The first study day after today with reviews due (``None`` if none is scheduled)."""
    next_due_count: int = 0
    """How many reviews fall due on :attr:`next_due`."""
    unseen: int = 0
    """Active cards never reviewed (new cards still to come, beyond today's limit too)."""


@dataclass(frozen=True)
class SessionSummary:
    """The end-of-session report: cards, accuracy, time."""

    answers: int
    distinct_cards: int
    correct: int
    """Answers graded 3 or more."""
    seconds: float
    relearned: int

    @property
    def accuracy(self) -> float:
        """Share of answers graded 3 or more, 0.0 when nothing was answered."""
        return self.correct / self.answers if self.answers else 0.0


@dataclass(frozen=True)
class CardRow:
    """One line of ``quizcalc cards list``."""

    id: str
    question: str
    kind: str
    deck: str
    section: str
    status: str
    """``"active"``, ``"suspended"`` or ``"retired"``."""
    due: date | None
    interval: int
    easiness: float
    reviews: int
    source: str
    line: int


@dataclass(frozen=True)
class SyncReport:
    """What a content sync did, printed as one line."""

    added: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0
    restored: int = 0
    """Retired cards that came back (same id) with their history."""
    problems: list[str] = field(default_factory=list)
    """``file:line: message`` for every card that could not be read."""
    skipped_sources: list[str] = field(default_factory=list)
    """Sources that were missing or unreadable (kept, not retired)."""
    histories: int = 0
    """Cards whose schedule and review log came with an imported Anki package."""

    @property
    def changed(self) -> bool:
        """True when the sync added, updated, retired or restored a card (what is worth telling)."""
        return bool(self.added or self.updated or self.retired or self.restored)

    def summary(self) -> str:
        """One line: ``added 3 · updated 1 · retired 0 · unchanged 41``."""
        text = (
            f"added {self.added} · updated {self.updated} · retired {self.retired}"
            f" · unchanged {self.unchanged}"
        )
        if self.restored:
            text += f" · restored {self.restored}"
        if self.histories:
            text += f" · progress for {self.histories}"
        if self.problems:
            text += f" · {len(self.problems)} problem(s)"
        return text


@dataclass(frozen=True)
class BrowseFilter:
    """What the browse screen asks for; every field narrows the list (defaults: all but retired)."""

    text: str = ""
    """Case-insensitive substring of the question, answer or card id (blank: no filter)."""
    section: str | None = None
    """Only this section (``None``: any)."""
    kind: str | None = None
    """Only this card kind (``"basic"``, ``"cloze"`` or ``"problem"``; ``None``: any)."""
    due: bool = False
    """Only cards due today or overdue (never-reviewed new cards are not "due")."""
    leech: bool = False
    """Only leeches: lapses at or above the configured threshold."""
    suspended: bool = False
    """Only suspended cards."""
    include_retired: bool = False
    """Also list retired cards (removed from their files; history kept)."""
    sort: str | None = None
    """The column to sort by (one of :data:`BROWSE_SORTS`); ``None``: deck/reading order."""
    descending: bool = False
    """Sort the other way (largest, latest, Z first)."""


BROWSE_SORTS = ("due", "interval", "ease", "lapses", "reviews", "deck", "section", "card", "tags")
"""The columns the browse list sorts by."""


@dataclass(frozen=True)
class BrowseRow:
    """One card in the browse table."""

    key: int
    """The card's integer key (what the service's card methods take)."""
    card_id: str
    deck: str
    section: str
    kind: str
    question: str
    status: str
    """``"active"``, ``"suspended"`` or ``"retired"``."""
    due: date | None
    """Next due study day; ``None`` for a new card."""
    interval: int
    easiness: float
    lapses: int
    reviews: int
    leech: bool
    """Lapses at or above the leech threshold."""
    flag: int = 0
    """Anki's coloured flag: 0 none, 1–7 red, orange, green, blue, pink, turquoise, purple."""
    tags: tuple[str, ...] = ()
    """Its tags: the file's, with the learner's own edits (see ``study.learner_tags``)."""
    family: str | None = None
    """For a problem card, its generator family."""
    difficulty: int | None = None
    """For a problem card, its difficulty (1–3)."""


@dataclass(frozen=True)
class BulkChange:
    """What a change to several cards did: the keys it changed and what it left alone."""

    changed: tuple[int, ...]
    """The cards it changed (an undo acts on these)."""
    unchanged: int = 0
    """Cards it left as they were (already so)."""
    refused: tuple[str, ...] = ()
    """One line per kind of card it could not change, saying why."""


@dataclass(frozen=True)
class HistoryRow:
    """One review-log row of a card, as the detail view shows it."""

    log_id: int
    reviewed_at: datetime
    study_day: date
    kind: str
    """``"review"``, ``"relearn"`` or ``"drill"`` (answers); ``"implicit"`` (a credit from a
    review of an encompassing skill) or ``"reset"`` (put back to new): not answers."""
    quality: int
    answer_text: str | None
    duration_ms: int | None
    seed: int | None
    """For a problem card, the seed of the instance shown (regenerate it with ``instance_for``)."""
    misconception: str | None
    after_interval: int
    after_due: date | None
    weight: float | None = None
    """For an implicit credit, the share of a real review it counted as."""
    cause_card_id: str | None = None
    """For an implicit credit, the id of the card whose review gave it (``None``: that review
    is gone)."""

    @property
    def is_answer(self) -> bool:
        """An answer the learner gave (not an implicit credit, not a reset)."""
        return self.kind in ANSWER_KINDS

    @property
    def label(self) -> str:
        """What the row was, as the history shows it: ``Review``, ``Reset``,
        ``Credit ×0.5 from <card>``…"""
        if self.kind == RESET:
            return "Reset"
        if self.kind == IMPLICIT:
            weight = "" if self.weight is None else f" ×{self.weight:g}"
            return f"Credit{weight} from {self.cause_card_id or 'a removed review'}"
        if self.kind == BLAME:
            return f"Due again: a slip of it in {self.cause_card_id or 'a removed review'}"
        return self.kind.capitalize()


@dataclass(frozen=True)
class ScheduleSnapshot:
    """A card's schedule fields, kept so that a reset can be taken back."""

    repetitions: int
    easiness: float
    interval: int
    due: date | None
    lapses: int
    reviews: int
    last_reviewed_at: datetime | None
    stability: float | None = None
    """FSRS stability (``None`` under SM-2 and for a new card)."""
    difficulty: float | None = None
    """FSRS difficulty (``None`` when ``stability`` is)."""
    reset_log_id: int | None = None
    """When a reset returned it: the review-log row the reset wrote (its undo removes it)."""


@dataclass(frozen=True)
class CardDetail:
    """A card's text, schedule and history (newest first), for the detail view."""

    key: int
    card_id: str
    deck: str
    section: str
    kind: str
    question: str
    answer: str
    status: str
    tags: str
    source: str
    line: int
    family: str | None
    """For a problem card, its generator family."""
    difficulty: int | None
    schedule: ScheduleSnapshot
    history: tuple[HistoryRow, ...] = ()
    """Every answer, newest first."""

    @property
    def is_problem(self) -> bool:
        """True for a problem card whose past instances can be regenerated from their seeds."""
        return self.family is not None and self.difficulty is not None
