"""Review use cases: today's queue, the next card, answers and undo, and one sitting's session.

Part of :class:`~quizcalc.study.service.StudyService`; a :class:`ReviewSession` is what the
review screen drives.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from quizcalc.study.collection_base import CollectionAccess, sql_runner
from quizcalc.study.errors import CollectionRestored, use_case
from quizcalc.study.problem_review import ProblemAttempt, draw_attempt
from quizcalc.study.queue import TodayQueue, build_queue, load_card, next_in_queue
from quizcalc.study.review import record_answer, undo_answer
from quizcalc.study.views import AnswerOutcome, QueuedCard, SessionSummary

__all__ = ["ReviewSession", "ReviewUseCases"]


class ReviewUseCases(CollectionAccess):
    """Today's queue, answering a card and taking an answer back."""

    @use_case("read today's queue")
    def queue(self, now: datetime) -> TodayQueue:
        """What is left to study today."""
        with self.transaction() as session:
            return build_queue(sql_runner(session), self.today(now), self.config)

    @use_case("read the next card")
    def next_card(self, now: datetime) -> QueuedCard | None:
        """The next card to show, or ``None`` when today's work is done."""
        with self.transaction() as session:
            run = sql_runner(session)
            chosen = next_in_queue(build_queue(run, self.today(now), self.config))
            return None if chosen is None else load_card(run, *chosen)

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
                settings=self.scheduler_settings,
                answer_text=answer_text,
                duration_ms=duration_ms,
                session_id=session_id,
                seed=seed,
                misconception=misconception,
            )

    @use_case("undo the answer")
    def undo(self, log_id: int) -> int:
        """Undo one answer (schedule restored, log row removed); returns the card key."""
        with self.transaction(write=True) as session:
            return undo_answer(session, log_id, self.config.leech_threshold)

    def begin_session(self, now: datetime, rng: random.Random | None = None) -> ReviewSession:
        """Start a review session (its answers can be undone and are summarised at the end).

        ``rng`` draws the seeds of problem instances (tests pass a seeded one).
        """
        return ReviewSession(
            service=self,
            started_at=now,
            rng=rng or random.SystemRandom(),
            generation=self.generation,
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
