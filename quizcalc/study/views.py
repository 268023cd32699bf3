"""Plain data the study layer hands to the UI and the CLI (no ORM objects cross this line)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from quizcalc.cards.model import CardKind
from quizcalc.scheduling.sm2 import SM2State

__all__ = [
    "AnswerOutcome",
    "CardRow",
    "DeckCounts",
    "HomeSummary",
    "QueuedCard",
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


@dataclass(frozen=True)
class HomeSummary:
    """Everything the home screen shows."""

    today: date
    due: int
    """Reviews due today (including relearn cards still pending)."""
    new: int
    """New cards that today's limit still allows."""
    total_cards: int
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

    def summary(self) -> str:
        """One line: ``added 3 · updated 1 · retired 0 · unchanged 41``."""
        text = (
            f"added {self.added} · updated {self.updated} · retired {self.retired}"
            f" · unchanged {self.unchanged}"
        )
        if self.restored:
            text += f" · restored {self.restored}"
        if self.problems:
            text += f" · {len(self.problems)} problem(s)"
        return text
