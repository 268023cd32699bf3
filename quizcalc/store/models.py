"""SQLAlchemy 2.0 typed models: how decks, cards, schedules and the review log are stored.

These are persistence records, kept apart from the core dataclasses (``quizcalc.cards.Card``,
``quizcalc.scheduling.SM2State``); the study layer converts between the two.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import PurePath

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    event,
    text,
)
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from quizcalc.scheduling.answer import NEW_CARD_STATE, CardState

__all__ = [
    "AnkiRevlogExtraRecord",
    "Base",
    "CardRecord",
    "CardRenderingRecord",
    "CollectionSettingRecord",
    "DeckOptionsRecord",
    "DeckRecord",
    "NoteTypeRecord",
    "ReviewLogRecord",
    "ScheduleRecord",
    "SourceFileRecord",
    "SourceRecord",
    "UTCDateTime",
    "derived_source_key",
]


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as naive UTC (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to naive UTC on the way in; naive input is rejected (ambiguous)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("quizcalc stores timezone-aware datetimes only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Attach UTC on the way out."""
        return None if value is None else value.replace(tzinfo=UTC)


BIG_INTEGER = Integer().with_variant(BigInteger(), "postgresql")
"""A 64-bit integer everywhere: SQLite's INTEGER already is; PostgreSQL's is 32-bit, too small
for a time in nanoseconds or Anki's ids (times in milliseconds). The migrations that made
these columns use the same type: no PostgreSQL collection predates them."""


class Base(DeclarativeBase):
    """Declarative base of every quizcalc table."""


class CollectionMetaRecord(Base):
    """Named integers about the collection itself (not its content): never backed up.

    ``generation`` starts at 0 and goes up by one each time the whole collection is replaced
    (a restore), so a session opened before can tell its view is stale.
    """

    __tablename__ = "collection_meta"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class DeckRecord(Base):
    """A deck (from front matter, or the file name)."""

    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class CollectionSettingRecord(Base):
    """One of the collection's own settings (schema 0009): daily limits, scheduler options.

    The value is JSON. These travel with the collection (backups, other devices); the
    device's own preferences (theme, editor, paths) stay in ``config.toml``.
    """

    __tablename__ = "collection_settings"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DeckOptionsRecord(Base):
    """A deck's own daily limits and today's extension of them (schema 0009).

    A NULL limit means "the collection's". ``extra_new``/``extra_reviews`` raise the limits
    on ``extended_day`` only (custom study's "increase today's limit"); another day they are
    ignored.
    """

    __tablename__ = "deck_options"

    deck_id: Mapped[int] = mapped_column(
        ForeignKey("decks.id", ondelete="CASCADE"), primary_key=True
    )
    new_per_day: Mapped[int | None] = mapped_column(Integer)
    reviews_per_day: Mapped[int | None] = mapped_column(Integer)
    extended_day: Mapped[date | None] = mapped_column(Date)
    extra_new: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    extra_reviews: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


def derived_source_key(role: str, path: str) -> str:
    """The key of a source row written before keys existed (schema 0005 and older).

    ``content:<path>`` for a content folder and ``import:<path>`` for an import (their paths
    were stored resolved), ``bundled:<file name>`` for a bundled deck.
    """
    if role == "bundled":
        return f"bundled:{PurePath(path).name}"
    return f"{role}:{path}"


def _key_default(context: DefaultExecutionContext) -> str:
    row = context.get_current_parameters()
    return derived_source_key(str(row["role"]), str(row["path"]))


class SourceRecord(Base):
    """A file or folder cards are synced from: the content folder, a bundled deck or an import.

    A card belongs to exactly one source; ``key`` names the source (a content folder by its
    path, a bundled deck whatever the install's path), and there is one row per key.
    """

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    """``"content"`` (a learner's content folder: each device may have its own), ``"bundled"``
    (a deck shipped with quizcalc) or ``"import"``."""
    path: Mapped[str] = mapped_column(Text)
    """Where the files sit on this device (last synced)."""
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    """Hash of the files' names, sizes and mtimes at the last sync: unchanged means skip."""
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    key: Mapped[str] = mapped_column(Text, default=_key_default, server_default="")
    """``content:<resolved path>`` (schema 0013; ``content`` alone before), ``bundled:<deck
    file>`` or ``import:<resolved path>`` (unique; schema 0006). Derived from ``role`` and
    ``path`` when not given (a backup written before 0006)."""

    __table_args__ = (Index("ix_sources_key", "key", unique=True),)


class SourceFileRecord(Base):
    """One file of a source as it was at the last sync (schema 0010): a cache, never backed up.

    A sync parses only the files whose size, mtime or content hash no longer match their row;
    an unchanged file is not read again.
    """

    __tablename__ = "source_files"

    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
    )
    path: Mapped[str] = mapped_column(Text, primary_key=True)
    """The file's path relative to its source (POSIX separators)."""
    size: Mapped[int] = mapped_column(BIG_INTEGER)
    mtime_ns: Mapped[int] = mapped_column(BIG_INTEGER)
    content_hash: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the file's bytes, hex."""


class NoteTypeRecord(Base):
    """An Anki note type an imported card came from, kept whole so an export writes it back.

    Anki matches an imported note type by its id, so writing the same id, fields, templates
    and CSS puts the notes back under the note type they left (schema 0007).
    """

    __tablename__ = "note_types"

    id: Mapped[int] = mapped_column(BIG_INTEGER, primary_key=True, autoincrement=False)
    """Anki's note type id."""
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[int] = mapped_column(Integer, default=0)
    """0 standard, 1 cloze (Anki's ``type``)."""
    fields: Mapped[str] = mapped_column(Text)
    """JSON list of the field names, in order."""
    templates: Mapped[str] = mapped_column(Text)
    """JSON list of ``{"name", "qfmt", "afmt"}``, by ordinal."""
    css: Mapped[str] = mapped_column(Text, default="")


class CardRecord(Base):
    """A card's content and where it came from; history hangs off its integer key."""

    __tablename__ = "cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[str] = mapped_column(String(200), unique=True)
    """The content id (explicit or derived); it may change when a card is edited."""
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    kind: Mapped[str] = mapped_column(String(16))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    section: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(Text, default="")
    """Space-separated tags (as Anki stores them)."""
    source: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    """Order within its source, so new cards are introduced in reading order."""
    status: Mapped[str] = mapped_column(String(16), default="active")
    """``"active"``, ``"suspended"`` or ``"retired"`` (removed from its file; history kept)."""
    family: Mapped[str | None] = mapped_column(String(64))
    difficulty: Mapped[int | None] = mapped_column(Integer)
    cloze_number: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    """For a cloze card, the note's full source text (every ``{{cN::…}}``), for exports."""
    anki_guid: Mapped[str | None] = mapped_column(Text)
    """For a card imported from Anki: its note's GUID (schema 0007); exports reuse it."""
    anki_ord: Mapped[int | None] = mapped_column(Integer)
    """For a card imported from Anki: its template ordinal (cloze number - 1)."""
    note_type_id: Mapped[int | None] = mapped_column(BIG_INTEGER)
    """For a card imported from Anki: its note type (``note_types.id``)."""
    anki_fields: Mapped[str | None] = mapped_column(Text)
    """For a card imported from Anki: its note's fields as Anki had them (JSON list of HTML)."""
    flag: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Anki's coloured flag (schema 0009): 0 none, 1 red, 2 orange, 3 green, 4 blue, 5 pink,
    6 turquoise, 7 purple."""

    deck: Mapped[DeckRecord] = relationship(lazy="joined")
    schedule: Mapped[ScheduleRecord] = relationship(
        back_populates="card", uselist=False, lazy="joined", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_cards_status_source", "status", "source_id"),
        # One deck's cards in reading order: its first new cards; the deck list's totals
        # (schema 0011).
        Index(
            "ix_cards_deck_reading_order",
            "deck_id",
            "status",
            "source_id",
            "position",
            "id",
            "section",
        ),
    )


class CardRenderingRecord(Base):
    """A card's text rendered once at sync (schema 0010): a cache, never backed up.

    ``form`` names the rendering (e.g. the one-line Unicode question shown on the first
    frame, or the HTML an ``.apkg`` export writes); ``renderer`` is the version of the code
    that made it, so a newer renderer redoes the row instead of trusting it.
    """

    __tablename__ = "card_renderings"

    card_key: Mapped[int] = mapped_column(
        ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True
    )
    form: Mapped[str] = mapped_column(String(32), primary_key=True)
    renderer: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class ScheduleRecord(Base):
    """A card's SM-2 state and next due study day (a stored :class:`CardState`)."""

    __tablename__ = "schedule"

    card_key: Mapped[int] = mapped_column(ForeignKey("cards.id"), primary_key=True)
    repetitions: Mapped[int] = mapped_column(Integer, default=NEW_CARD_STATE.repetitions)
    easiness: Mapped[float] = mapped_column(Float, default=NEW_CARD_STATE.easiness)
    interval: Mapped[int] = mapped_column(Integer, default=NEW_CARD_STATE.interval)
    due: Mapped[date | None] = mapped_column(Date)
    """Next study day it is due; NULL for a card never reviewed (new)."""
    lapses: Mapped[int] = mapped_column(Integer, default=NEW_CARD_STATE.lapses)
    reviews: Mapped[int] = mapped_column(Integer, default=NEW_CARD_STATE.reviews)
    last_reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    buried_until: Mapped[date | None] = mapped_column(Date)
    """A buried card is left out of every queue before this study day (schema 0009); NULL:
    not buried. Burying never changes the SM-2 state above."""
    stability: Mapped[float | None] = mapped_column(Float)
    """FSRS stability in days (schema 0012); NULL under SM-2 and for a card never reviewed."""
    difficulty: Mapped[float | None] = mapped_column(Float)
    """FSRS difficulty, 1–10 (schema 0012); NULL when ``stability`` is."""

    card: Mapped[CardRecord] = relationship(back_populates="schedule")

    # The queue walks it in due order, reading burying from it too (schema 0011).
    __table_args__ = (Index("ix_schedule_due", "due", "buried_until"),)

    @classmethod
    def new(cls) -> ScheduleRecord:
        """The schedule of a card never reviewed (:data:`NEW_CARD_STATE`)."""
        record = cls()
        record.state = NEW_CARD_STATE
        return record

    @property
    def state(self) -> CardState:
        """The stored state as the scheduler's frozen dataclass."""
        return CardState(
            repetitions=self.repetitions,
            easiness=self.easiness,
            interval=self.interval,
            due=self.due,
            lapses=self.lapses,
            reviews=self.reviews,
            last_reviewed_at=self.last_reviewed_at,
            stability=self.stability,
            difficulty=self.difficulty,
        )

    @state.setter
    def state(self, state: CardState) -> None:
        self.repetitions = state.repetitions
        self.easiness = state.easiness
        self.interval = state.interval
        self.due = state.due
        self.lapses = state.lapses
        self.reviews = state.reviews
        self.last_reviewed_at = state.last_reviewed_at
        self.stability = state.stability
        self.difficulty = state.difficulty


_MISCONCEPTION_ROWS = "misconception IS NOT NULL"
_CAUSED_ROWS = "cause_id IS NOT NULL"
"""The rows ``ix_review_log_misconception`` holds (a partial index)."""


class ReviewLogRecord(Base):
    """One answer: when, how well, what was typed, and the schedule before and after."""

    __tablename__ = "review_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_key: Mapped[int] = mapped_column(ForeignKey("cards.id"), index=True)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    study_day: Mapped[date] = mapped_column(Date, index=True)
    quality: Mapped[int] = mapped_column(Integer)
    answer_text: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    """``"review"`` (moves the schedule), ``"relearn"`` (step-7 re-ask), ``"drill"``,
    ``"implicit"`` (credit from an encompassing skill's review: no answer was given) or
    ``"reset"`` (the learner reset the card to new: no answer was given)."""
    session_id: Mapped[str | None] = mapped_column(String(64))
    seed: Mapped[int | None] = mapped_column(Integer)
    """For a problem card, the seed of the instance shown."""
    before_repetitions: Mapped[int] = mapped_column(Integer)
    before_easiness: Mapped[float] = mapped_column(Float)
    before_interval: Mapped[int] = mapped_column(Integer)
    before_due: Mapped[date | None] = mapped_column(Date)
    after_repetitions: Mapped[int] = mapped_column(Integer)
    after_easiness: Mapped[float] = mapped_column(Float)
    after_interval: Mapped[int] = mapped_column(Integer)
    after_due: Mapped[date | None] = mapped_column(Date)
    before_lapses: Mapped[int] = mapped_column(Integer, default=0)
    misconception: Mapped[str | None] = mapped_column(String(64))
    """For a problem card, the tag of the known wrong answer the attempt matched."""
    rating: Mapped[int | None] = mapped_column(Integer)
    """The FSRS rating the answer earned, 1 Again … 4 Easy (schema 0012); NULL on rows written
    before, whose rating follows from ``quality``."""
    weight: Mapped[float | None] = mapped_column(Float)
    """For an ``implicit`` row, the share of a real review it credited (schema 0012)."""
    cause_id: Mapped[int | None] = mapped_column(Integer)
    """For an ``implicit`` row, the ``review_log.id`` of the review that caused it."""

    __table_args__ = (
        Index("ix_review_log_day_card", "study_day", "card_key"),
        # Covering indexes for the statistics (migration 0003): they read these, not the table.
        Index(
            "ix_review_log_card_answers", "card_key", "kind", "study_day", "quality", "duration_ms"
        ),
        Index(
            "ix_review_log_day_answers",
            "study_day",
            "kind",
            "before_interval",
            "quality",
            "card_key",
            "duration_ms",
        ),
        Index(
            "ix_review_log_misconception",
            "misconception",
            "card_key",
            "kind",
            sqlite_where=text(_MISCONCEPTION_ROWS),
        ),
        # Undoing an answer finds the credits it caused through this (migration 0014).
        Index("ix_review_log_cause", "cause_id", sqlite_where=text(_CAUSED_ROWS)),
    )


@event.listens_for(ReviewLogRecord.__table__, "before_create")
def _partial_on_postgresql(table: Table, connection: Connection, **_: object) -> None:
    """Make ``ix_review_log_misconception`` and ``ix_review_log_cause`` partial on PostgreSQL
    too, when they are created there.

    Given in the model as ``postgresql_where=``, the option would make SQLAlchemy import its
    whole PostgreSQL dialect (about 40 ms) to check the name, in every process that loads
    the models, SQLite ones included.
    """
    if connection.dialect.name != "postgresql":
        return
    for index in table.indexes:
        if index.name == "ix_review_log_misconception":
            index.dialect_kwargs["postgresql_where"] = text(_MISCONCEPTION_ROWS)
        elif index.name == "ix_review_log_cause":
            index.dialect_kwargs["postgresql_where"] = text(_CAUSED_ROWS)


class AnkiRevlogExtraRecord(Base):
    """An Anki review-log row with no answer button (set due date, forget, reschedule).

    Kept apart from ``review_log`` (schema 0008) so no statistic, queue or "done today" count
    sees it, and written back by an ``.apkg`` export with progress exactly as Anki logged it.
    """

    __tablename__ = "anki_revlog_extra"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_key: Mapped[int] = mapped_column(ForeignKey("cards.id"), index=True)
    anki_id: Mapped[int] = mapped_column(BIG_INTEGER)
    """Anki's revlog id: the row's time in ms since the epoch."""
    ease: Mapped[int] = mapped_column(Integer)
    ivl: Mapped[int] = mapped_column(Integer)
    last_ivl: Mapped[int] = mapped_column(Integer)
    factor: Mapped[int] = mapped_column(Integer)
    time_ms: Mapped[int] = mapped_column(Integer)
    type: Mapped[int] = mapped_column(Integer)
    """Anki's revlog ``type``: 4 manual, 5 rescheduled."""
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
