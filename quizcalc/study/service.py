"""The study use cases behind every screen and command: sync, queue, answer, undo, lists.

A :class:`StudyService` wraps an open store and the settings. Time is always passed in
(``now``, timezone-aware) so that tests are exact.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, aliased

from quizcalc.config import Config
from quizcalc.exchange.model import ExportOptions, ExportReport, Progress
from quizcalc.store.engine import Store, StoreError, describe_db_error, open_store
from quizcalc.store.models import (
    CardRecord,
    DeckRecord,
    ReviewLogRecord,
    ScheduleRecord,
    SourceRecord,
)
from quizcalc.study.browse import (
    browse_cards,
    browse_sections,
    card_history,
    reset_card,
    restore_schedule,
    set_suspended,
)
from quizcalc.study.clock import study_day
from quizcalc.study.problem_review import ProblemAttempt, draw_seed, instance_for
from quizcalc.study.queue import (
    SERVABLE,
    RunSQL,
    TodayQueue,
    build_queue,
    load_card,
    next_in_queue,
)
from quizcalc.study.review import record_answer, undo_answer
from quizcalc.study.sync import SourceUnavailable, SyncProgress, sync_source
from quizcalc.study.views import (
    AnswerOutcome,
    BrowseFilter,
    BrowseRow,
    CardDetail,
    CardRow,
    DeckCounts,
    HomeSummary,
    QueuedCard,
    ScheduleSnapshot,
    SessionSummary,
    SyncReport,
)

__all__ = ["ReviewSession", "StudyService", "merge_reports"]


def _runner(session: Session) -> RunSQL:
    """Run the queue's plain SQL inside ``session``."""

    def run(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        return session.execute(text(sql), dict(params)).all()

    return run


def merge_reports(reports: Iterable[SyncReport]) -> SyncReport:
    """Add several sync reports into one."""
    total = SyncReport()
    for r in reports:
        total = replace(
            total,
            added=total.added + r.added,
            updated=total.updated + r.updated,
            retired=total.retired + r.retired,
            unchanged=total.unchanged + r.unchanged,
            restored=total.restored + r.restored,
            problems=[*total.problems, *r.problems],
            skipped_sources=[*total.skipped_sources, *r.skipped_sources],
            histories=total.histories + r.histories,
        )
    return total


class StudyService:
    """Use cases over one database with one set of settings."""

    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        """The open database."""
        self.config = config
        """Scheduling settings in force."""

    @classmethod
    def open(cls, url: str, config: Config) -> StudyService:
        """Open (and migrate) the database at ``url``; raises ``StoreError`` with a clear line."""
        return cls(open_store(url), config)

    def close(self) -> None:
        """Release the database."""
        self.store.close()

    def today(self, now: datetime) -> date:
        """The study day of ``now`` under the configured rollover hour."""
        return study_day(now, self.config.rollover_hour)

    # --- content -------------------------------------------------------------------------

    def sync(
        self, content: Path | None, now: datetime, progress: SyncProgress | None = None
    ) -> SyncReport:
        """Sync the content folder (if given) and every remembered imported source.

        ``progress`` hears (files read, files in all) per source while files are parsed.
        """
        reports = []
        if content is not None:
            reports.append(self._sync_one("content", content, now, progress))
        with self.store.transaction() as session:
            imports = [
                Path(p)
                for p in session.scalars(
                    select(SourceRecord.path).where(SourceRecord.role == "import")
                )
            ]
        reports.extend(self._sync_one("import", path, now, progress) for path in imports)
        return merge_reports(reports)

    def import_path(
        self,
        path: Path,
        now: datetime,
        *,
        with_progress: bool = False,
        progress: Progress | None = None,
    ) -> SyncReport:
        """Sync ``path`` now and remember it, so later starts re-sync it.

        All or nothing: a file that cannot be read leaves the store as it was and is named in
        ``skipped_sources``. ``with_progress`` also takes an Anki package's schedules and
        review log, for cards with no history here yet. ``progress`` hears (cards stored,
        cards in all).
        """
        if not path.exists():
            raise SourceUnavailable(f"{path}: no such file or folder; check the path.")
        return self._sync_one(
            "import", path, now, with_progress=with_progress, card_progress=progress
        )

    def export(
        self, path: Path, options: ExportOptions, progress: Progress | None = None
    ) -> ExportReport:
        """Write the cards ``options`` selects to ``path``, in the format of its suffix.

        Raises :class:`~quizcalc.exchange.ExchangeError` for an unknown format, an empty
        selection or a path that cannot be written.
        """
        from quizcalc.exchange.collection import read_exchange_cards
        from quizcalc.exchange.export import export_cards

        try:
            with self.store.transaction() as session:
                cards = read_exchange_cards(session, options)
        except SQLAlchemyError as exc:
            raise StoreError(describe_db_error(self.store.url, exc)) from exc
        return export_cards(cards, path, options, progress)

    def _sync_one(
        self,
        role: str,
        path: Path,
        now: datetime,
        progress: SyncProgress | None = None,
        *,
        with_progress: bool = False,
        card_progress: Progress | None = None,
    ) -> SyncReport:
        try:
            with self.store.transaction() as session:
                return sync_source(
                    session,
                    role,
                    path,
                    now,
                    progress,
                    with_progress=with_progress,
                    card_progress=card_progress,
                )
        except SourceUnavailable as exc:
            return SyncReport(skipped_sources=[str(exc)])
        except SQLAlchemyError as exc:
            raise StoreError(describe_db_error(self.store.url, exc)) from exc

    # --- queue and answers ---------------------------------------------------------------

    def queue(self, now: datetime) -> TodayQueue:
        """What is left to study today."""
        with self.store.transaction() as session:
            return build_queue(_runner(session), self.today(now), self.config)

    def next_card(self, now: datetime) -> QueuedCard | None:
        """The next card to show, or ``None`` when today's work is done."""
        with self.store.transaction() as session:
            run = _runner(session)
            chosen = next_in_queue(build_queue(run, self.today(now), self.config))
            return None if chosen is None else load_card(run, *chosen)

    def card(self, key: int, reason: str = "review") -> QueuedCard:
        """One card by key, as shown on screen."""
        with self.store.transaction() as session:
            return load_card(_runner(session), key, reason)

    def answer(
        self,
        card_key: int,
        quality: int,
        now: datetime,
        *,
        answer_text: str | None = None,
        duration_ms: int | None = None,
        session_id: str | None = None,
        seed: int | None = None,
        misconception: str | None = None,
    ) -> AnswerOutcome:
        """Grade a card and commit schedule + log before returning.

        For a problem card, ``seed`` is the instance shown, ``answer_text`` what was typed and
        ``misconception`` the tag of a known wrong answer it matched.
        """
        try:
            with self.store.transaction() as session:
                return record_answer(
                    session,
                    card_key,
                    quality,
                    now=now,
                    today=self.today(now),
                    answer_text=answer_text,
                    duration_ms=duration_ms,
                    session_id=session_id,
                    seed=seed,
                    misconception=misconception,
                    leech_threshold=self.config.leech_threshold,
                )
        except SQLAlchemyError as exc:
            raise StoreError(describe_db_error(self.store.url, exc)) from exc

    def undo(self, log_id: int) -> int:
        """Undo one answer (schedule restored, log row removed); returns the card key."""
        try:
            with self.store.transaction() as session:
                return undo_answer(session, log_id, self.config.leech_threshold)
        except SQLAlchemyError as exc:
            raise StoreError(describe_db_error(self.store.url, exc)) from exc

    # --- summaries -----------------------------------------------------------------------

    def streak(self, now: datetime) -> int:
        """Consecutive study days with at least one answer, ending today (or yesterday)."""
        today = self.today(now)
        with self.store.transaction() as session:
            days = session.scalars(
                select(ReviewLogRecord.study_day)
                .where(ReviewLogRecord.study_day <= today)
                .distinct()
                .order_by(ReviewLogRecord.study_day.desc())
                .limit(3660)
            ).all()
        expected = today if days and days[0] == today else today - timedelta(days=1)
        streak = 0
        for day in days:
            if day != expected:
                break
            streak += 1
            expected -= timedelta(days=1)
        return streak

    def home(self, now: datetime) -> HomeSummary:
        """Today's counts per deck/section, the streak and totals."""
        today = self.today(now)
        with self.store.transaction() as session:
            queue = build_queue(_runner(session), today, self.config)
            due_keys = {*queue.due, *queue.relearn_ready, *queue.relearn_waiting}
            new_keys = set(queue.new)
            rows = session.execute(
                select(CardRecord.id, CardRecord.section, CardRecord.deck_id, CardRecord.status)
            ).all()
            decks = {
                key: name for key, name in session.execute(select(DeckRecord.id, DeckRecord.name))
            }
            reviews_today = (
                session.scalar(
                    select(func.count()).where(
                        ReviewLogRecord.study_day == today, ReviewLogRecord.kind != "drill"
                    )
                )
                or 0
            )
            scheduled = text(f"c.status = 'active' AND {SERVABLE}")
            cards = aliased(CardRecord, name="c")
            upcoming = session.execute(
                select(ScheduleRecord.due, func.count())
                .join(cards, cards.id == ScheduleRecord.card_key)
                .where(scheduled, ScheduleRecord.due > today)
                .group_by(ScheduleRecord.due)
                .order_by(ScheduleRecord.due)
                .limit(1)
            ).first()
            unseen = session.scalar(
                select(func.count())
                .select_from(ScheduleRecord)
                .join(cards, cards.id == ScheduleRecord.card_key)
                .where(scheduled, ScheduleRecord.due.is_(None))
            )
        counts: dict[tuple[str, str], list[int]] = {}
        total = 0
        for key, section, deck_id, status in rows:
            if status != "active":
                continue
            total += 1
            bucket = counts.setdefault((decks[deck_id], section), [0, 0, 0])
            bucket[0] += key in due_keys
            bucket[1] += key in new_keys
            bucket[2] += 1
        per_section = [
            DeckCounts(deck=deck, section=section, due=d, new=n, total=t)
            for (deck, section), (d, n, t) in sorted(counts.items())
        ]
        next_due, next_due_count = (upcoming[0], upcoming[1]) if upcoming else (None, 0)
        return HomeSummary(
            today=today,
            due=queue.due_count,
            new=len(queue.new),
            total_cards=total,
            reviews_today=reviews_today,
            streak_days=self.streak(now),
            per_section=per_section,
            next_due=next_due,
            next_due_count=next_due_count,
            unseen=unseen or 0,
        )

    def list_cards(self, include_retired: bool = True) -> list[CardRow]:
        """Every card with its schedule, in deck/reading order."""
        with self.store.transaction() as session:
            query = (
                select(CardRecord)
                .join(ScheduleRecord)
                .order_by(CardRecord.source_id, CardRecord.position, CardRecord.id)
            )
            if not include_retired:
                query = query.where(CardRecord.status != "retired")
            records = session.scalars(query).unique().all()
            return [
                CardRow(
                    id=r.card_id,
                    question=r.question,
                    kind=r.kind,
                    deck=r.deck.name,
                    section=r.section,
                    status=r.status,
                    due=r.schedule.due,
                    interval=r.schedule.interval,
                    easiness=r.schedule.easiness,
                    reviews=r.schedule.reviews,
                    source=r.source,
                    line=r.line,
                )
                for r in records
            ]

    # --- browse -------------------------------------------------------------------------

    def browse(self, query: BrowseFilter, now: datetime) -> list[BrowseRow]:
        """Cards matching ``query`` (see :func:`quizcalc.study.browse.browse_cards`)."""
        try:
            with self.store.transaction() as session:
                return browse_cards(session, query, self.today(now), self.config.leech_threshold)
        except SQLAlchemyError as exc:
            raise StoreError(describe_db_error(self.store.url, exc)) from exc

    def sections(self) -> list[str]:
        """The sections the browse filter offers."""
        try:
            with self.store.transaction() as session:
                return browse_sections(session)
        except SQLAlchemyError as exc:
            raise StoreError(describe_db_error(self.store.url, exc)) from exc

    def card_detail(self, card_key: int) -> CardDetail:
        """A card's text, schedule and review history (newest first)."""
        try:
            with self.store.transaction() as session:
                return card_history(session, card_key)
        except SQLAlchemyError as exc:
            raise StoreError(describe_db_error(self.store.url, exc)) from exc

    def set_suspended(self, card_key: int, suspended: bool) -> str:
        """Suspend or unsuspend a card (committed); returns its new status."""
        try:
            with self.store.transaction() as session:
                return set_suspended(session, card_key, suspended)
        except SQLAlchemyError as exc:
            raise StoreError(describe_db_error(self.store.url, exc)) from exc

    def reset_card(self, card_key: int) -> ScheduleSnapshot:
        """Schedule back to new, history kept (committed); returns the old schedule for undo."""
        try:
            with self.store.transaction() as session:
                return reset_card(session, card_key)
        except SQLAlchemyError as exc:
            raise StoreError(describe_db_error(self.store.url, exc)) from exc

    def restore_schedule(self, card_key: int, snapshot: ScheduleSnapshot) -> None:
        """Undo :meth:`reset_card` with the snapshot it returned (committed)."""
        try:
            with self.store.transaction() as session:
                restore_schedule(session, card_key, snapshot)
        except SQLAlchemyError as exc:
            raise StoreError(describe_db_error(self.store.url, exc)) from exc

    def begin_session(self, now: datetime, rng: random.Random | None = None) -> ReviewSession:
        """Start a review session (its answers can be undone and are summarised at the end).

        ``rng`` draws the seeds of problem instances (tests pass a seeded one).
        """
        return ReviewSession(service=self, started_at=now, rng=rng or random.SystemRandom())


@dataclass
class ReviewSession:
    """One sitting: serves cards, records answers, undoes them in order, summarises."""

    service: StudyService
    started_at: datetime
    rng: random.Random = field(default_factory=random.SystemRandom)
    """Where problem-instance seeds come from."""
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    answers: list[AnswerOutcome] = field(default_factory=list)

    def draw_problem(self, card: QueuedCard, seed: int | None = None) -> ProblemAttempt:
        """A fresh instance of a problem card's skill (a new seed unless one is given).

        Imports the problem generators (and through them SymPy, for some families): call it
        from a worker thread in the UI.
        """
        if card.family is None or card.difficulty is None:
            raise ValueError(f"card {card.card_id} is not a problem card")
        chosen = draw_seed(self.rng) if seed is None else seed
        return ProblemAttempt(instance_for(card.family, card.difficulty, chosen))

    def next_card(self, now: datetime) -> QueuedCard | None:
        """The next card to show, or ``None`` when the day is done."""
        return self.service.next_card(now)

    def answer(
        self,
        card: QueuedCard,
        quality: int,
        now: datetime,
        *,
        answer_text: str | None = None,
        duration_ms: int | None = None,
        seed: int | None = None,
        misconception: str | None = None,
    ) -> AnswerOutcome:
        """Record an answer (committed before this returns)."""
        outcome = self.service.answer(
            card.key,
            quality,
            now,
            answer_text=answer_text,
            duration_ms=duration_ms,
            session_id=self.session_id,
            seed=seed,
            misconception=misconception,
        )
        self.answers.append(outcome)
        return outcome

    def undo(self) -> QueuedCard | None:
        """Undo this session's last answer and return that card, to be shown again."""
        if not self.answers:
            return None
        outcome = self.answers.pop()
        key = self.service.undo(outcome.log_id)
        reason = "relearn" if outcome.kind == "relearn" else "review"
        if (
            outcome.kind == "review"
            and outcome.before.repetitions == 0
            and outcome.before.interval == 0
        ):
            reason = "new"
        return self.service.card(key, reason)

    def summary(self, now: datetime) -> SessionSummary:
        """Cards, accuracy and time of this session so far."""
        return SessionSummary(
            answers=len(self.answers),
            distinct_cards=len({a.card_key for a in self.answers}),
            correct=sum(a.quality >= 3 for a in self.answers),
            seconds=max(0.0, (now - self.started_at).total_seconds()),
            relearned=sum(a.kind == "relearn" for a in self.answers),
        )
