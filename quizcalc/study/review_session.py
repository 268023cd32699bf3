"""Review use cases: today's queue, the next card, answers and undo, and one sitting's session.

Part of :class:`~quizcalc.study.service.StudyService`; a :class:`ReviewSession` is what the
review screen drives.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from quizcalc.scheduling.ratings import ProblemEvidence
from quizcalc.study.collection_base import CollectionAccess, sql_runner
from quizcalc.study.custom_study import CustomStudy, custom_queue
from quizcalc.study.errors import CollectionRestored, use_case
from quizcalc.study.problem_review import ProblemAttempt, draw_attempt
from quizcalc.study.queue import RunSQL, TodayQueue, build_queue, load_card, next_in_queue
from quizcalc.study.review import record_answer, undo_answer
from quizcalc.study.scope import EVERYTHING, StudyScope
from quizcalc.study.views import AnswerOutcome, QueuedCard, SessionSummary

__all__ = ["ReviewSession", "ReviewUseCases"]


class ReviewUseCases(CollectionAccess):
    """Today's queue, answering a card and taking an answer back."""

    @use_case("read today's queue")
    def queue(
        self,
        now: datetime,
        scope: StudyScope = EVERYTHING,
        custom: CustomStudy | None = None,
        session_id: str = "",
    ) -> TodayQueue:
        """What is left to study today in ``scope``; with ``custom``, what is left of that
        custom-study session (``session_id`` names its answers)."""
        with self.transaction() as session:
            return self._queue(sql_runner(session), now, scope, custom, session_id)

    @use_case("read the next card")
    def next_card(
        self,
        now: datetime,
        scope: StudyScope = EVERYTHING,
        custom: CustomStudy | None = None,
        session_id: str = "",
    ) -> QueuedCard | None:
        """The next card to show, or ``None`` when the work in ``scope`` (or in the custom
        study ``custom``) is done."""
        with self.transaction() as session:
            run = sql_runner(session)
            chosen = next_in_queue(self._queue(run, now, scope, custom, session_id))
            return None if chosen is None else load_card(run, *chosen)

    def _queue(
        self,
        run: RunSQL,
        now: datetime,
        scope: StudyScope,
        custom: CustomStudy | None,
        session_id: str,
    ) -> TodayQueue:
        config = self._fresh_settings(run)  # first: it may move the study day's rollover
        if custom is None:
            return build_queue(run, self.today(now), config, scope)
        return custom_queue(run, self.today(now), config, scope, custom, session_id)

    @use_case("read the card")
    def card(self, key: int, reason: str = "review") -> QueuedCard:
        """One card by key, as shown on screen (:class:`CardNotFound` if there is none)."""
        with self.transaction() as session:
            return load_card(sql_runner(session), key, reason)

    @use_case("save your answer")
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
        evidence: ProblemEvidence | None = None,
    ) -> AnswerOutcome:
        """Grade a card and commit schedule + log before returning.

        For a problem card, ``seed`` is the instance shown, ``answer_text`` what was typed and
        ``misconception`` the tag of a known wrong answer it matched.
        """
        with self.transaction(write=True) as session:
            return record_answer(
                session,
                card_key,
                quality,
                now=now,
                settings=self.locked_scheduler_settings(session),
                answer_text=answer_text,
                duration_ms=duration_ms,
                session_id=session_id,
                seed=seed,
                misconception=misconception,
                evidence=evidence,
            )

    @use_case("undo the answer")
    def undo(self, log_id: int) -> int:
        """Undo one answer (schedule restored, log row removed); returns the card key."""
        with self.transaction(write=True) as session:
            settings = self.locked_scheduler_settings(session)
            return undo_answer(session, log_id, settings.leech_threshold, settings)

    def begin_session(
        self,
        now: datetime,
        rng: random.Random | None = None,
        *,
        scope: StudyScope = EVERYTHING,
        custom: CustomStudy | None = None,
    ) -> ReviewSession:
        """Start a review session (its answers can be undone and are summarised at the end).

        ``rng`` draws the seeds of problem instances (tests pass a seeded one). ``scope``
        limits it to a deck or section; ``custom`` makes it a custom-study session.
        """
        return ReviewSession(
            service=self,
            started_at=now,
            rng=rng or random.SystemRandom(),
            generation=self.generation,
            scope=scope,
            custom=custom,
        )


@dataclass
class ReviewSession:
    """One sitting: serves cards, records answers, undoes them in order, summarises."""

    service: ReviewUseCases
    started_at: datetime
    rng: random.Random = field(default_factory=random.SystemRandom)
    """Where problem-instance seeds come from."""
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    answers: list[AnswerOutcome] = field(default_factory=list)
    generation: int | None = None
    """The collection's generation when the session began: once a restore (here or in another
    window) has moved it on, the session's answers name rows that are gone, so it writes
    nothing more (``None``: not checked)."""
    scope: StudyScope = EVERYTHING
    """The deck or section studied (every deck by default)."""
    custom: CustomStudy | None = None
    """A custom-study session's choice of cards; ``None``: today's queue."""

    @property
    def label(self) -> str:
        """What the session studies: ``all decks``, ``Calculus › Derivatives``, or with a
        custom study ``Calculus: review ahead 3 days``."""
        if self.custom is None:
            return self.scope.label
        return f"{self.scope.label}: {self.custom.label}"

    def queue(self, now: datetime) -> TodayQueue:
        """What is left of this session (today's queue in its scope, or its custom study)."""
        return self.service.queue(now, self.scope, self.custom, self.session_id)

    def _check_current(self, what: str) -> None:
        if self.generation is not None and self.service.generation != self.generation:
            raise CollectionRestored(
                f"could not {what}: the collection was restored after this review session "
                "began; nothing was written: restart quizcalc to study the restored collection."
            )

    def draw_problem(self, card: QueuedCard, seed: int | None = None) -> ProblemAttempt:
        """A fresh instance of a problem card's skill (a new seed unless one is given).

        Imports the problem generators (and through them SymPy, for some families): call it
        from a worker thread in the UI. A generator's own failure (a bug) passes through.
        """
        return draw_attempt(card, self.rng, seed)

    def next_card(self, now: datetime) -> QueuedCard | None:
        """The next card to show, or ``None`` when the session's work is done."""
        return self.service.next_card(now, self.scope, self.custom, self.session_id)

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
        evidence: ProblemEvidence | None = None,
    ) -> AnswerOutcome:
        """Record an answer (committed before this returns).

        Raises :class:`~quizcalc.study.errors.CollectionRestored` once the collection was
        restored since the session began (in another window too: the service checks that).
        """
        self._check_current("save your answer")
        outcome = self.service.answer(
            card.key,
            quality,
            now,
            answer_text=answer_text,
            duration_ms=duration_ms,
            session_id=self.session_id,
            seed=seed,
            misconception=misconception,
            evidence=evidence,
        )
        self.answers.append(outcome)
        return outcome

    def undo(self) -> QueuedCard | None:
        """Undo this session's last answer and return that card, to be shown again.

        If the undo fails (a :class:`~quizcalc.study.errors.StudyError`), the answer stays
        on the session's list, so it can be tried again.
        """
        if not self.answers:
            return None
        self._check_current("undo the answer")
        outcome = self.answers[-1]
        key = self.service.undo(outcome.log_id)
        self.answers.pop()
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
