"""Drills: a set of generated problems on chosen skills, with a count and/or a time limit.

A drill is custom study for problem skills (as in Anki's custom study): it runs the same
answer → verdict → solution flow as a review, but its answers are logged with kind ``drill``
and leave SM-2 schedules alone unless the ``drill_moves_schedule`` setting asks otherwise.

    spec = DrillSpec(("chain_rule", "lr_divergence"), difficulty=2, count=10, seed=7)
    drill = begin_drill(service, spec, now)
    while not drill.finished(now):
        attempt = drill.draw()           # a ProblemAttempt: grade tries into it as in a review
        ...
        drill.record(attempt, now)       # committed at once
    summary = drill.summary(now)

This module is the one to import: it re-exports the spec and plan
(:mod:`quizcalc.study.drill_plan`) and the choice of skills (:mod:`quizcalc.study.drill_skills`:
:func:`rank_weak_families`, :func:`weakest_families`, :func:`problem_sections`,
:func:`section_families`, :func:`deck_families`, :func:`drill_presets`).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from quizcalc.study.drill_plan import (
    MAX_COUNT,
    MAX_MINUTES,
    DrillItem,
    DrillPlan,
    DrillSpec,
    InstanceDrawer,
    draw_instances,
    plan_drill,
)
from quizcalc.study.drill_results import (
    SLIP_ACCURACY,
    DrillAnswer,
    DrillProgress,
    DrillSkip,
    DrillSummary,
    FamilyResult,
    MisconceptionCount,
    count_misconceptions,
)
from quizcalc.study.drill_skills import (
    MIN_ANSWERS,
    RECENT_DAYS,
    WEAKEST_LIMIT,
    DrillPreset,
    DrillSection,
    FamilyAccuracy,
    deck_families,
    drill_presets,
    problem_sections,
    rank_weak_families,
    recent_accuracy,
    section_families,
    skill_card_key,
    weakest_families,
    writing,
)
from quizcalc.study.errors import InvalidRequest
from quizcalc.study.problem_review import ProblemAttempt
from quizcalc.study.review import moved_schedule, record_drill_answer

if TYPE_CHECKING:
    from quizcalc.problems.model import Problem
    from quizcalc.study.service import StudyService

__all__ = [
    "MAX_COUNT",
    "MAX_MINUTES",
    "MIN_ANSWERS",
    "RECENT_DAYS",
    "SLIP_ACCURACY",
    "WEAKEST_LIMIT",
    "DrillAnswer",
    "DrillItem",
    "DrillPlan",
    "DrillPreset",
    "DrillProgress",
    "DrillSection",
    "DrillSession",
    "DrillSkip",
    "DrillSpec",
    "DrillSummary",
    "FamilyAccuracy",
    "FamilyResult",
    "MisconceptionCount",
    "begin_drill",
    "deck_families",
    "draw_instances",
    "drill_presets",
    "plan_drill",
    "problem_sections",
    "rank_weak_families",
    "recent_accuracy",
    "section_families",
    "skill_card_key",
    "weakest_families",
]


@dataclass(eq=False)
class DrillSession:
    """One drill being run: serves its problems, records answers, reports progress and a summary.

    Use it like a :class:`~quizcalc.study.service.ReviewSession`: :meth:`draw` the
    :attr:`current` problem (in a worker thread: it may import SymPy), grade tries into the
    :class:`ProblemAttempt`, then :meth:`record` it; stop when :meth:`finished`. A problem
    whose generator fails (:meth:`draw` raises) can be passed over with :meth:`skip`: nothing
    is logged for it and the summary lists it apart from the score.
    """

    service: StudyService
    plan: DrillPlan
    started_at: datetime
    moves_schedule: bool = False
    """Whether answers also move SM-2 schedules (the ``drill_moves_schedule`` setting)."""
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    """Tags this drill's review-log rows."""
    answers: list[DrillAnswer] = field(default_factory=list)
    """Recorded answers, in order."""
    skipped: list[DrillSkip] = field(default_factory=list)
    """Problems skipped without an answer, in order."""
    _position: int = field(default=0, init=False, repr=False)
    _draw_errors: dict[int, str] = field(default_factory=dict, init=False, repr=False)
    _items: list[DrillItem] = field(init=False, repr=False)
    _problems: dict[int, Problem] = field(default_factory=dict, init=False, repr=False)
    _instances: InstanceDrawer = field(default_factory=InstanceDrawer, init=False, repr=False)
    _card_keys: dict[tuple[str, int], int] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._items = list(self.plan.items)

    @property
    def spec(self) -> DrillSpec:
        """What this drill practises."""
        return self.plan.spec

    @property
    def items(self) -> tuple[DrillItem, ...]:
        """The planned problems (a seed re-rolled to avoid a repeated prompt shows here)."""
        return tuple(self._items)

    @property
    def done(self) -> int:
        """Problems recorded so far."""
        return len(self.answers)

    @property
    def position(self) -> int:
        """Index of the current problem: problems answered or skipped so far."""
        return self._position

    @property
    def current(self) -> DrillItem | None:
        """The problem to answer now, or ``None`` once every planned problem is behind."""
        return self._items[self._position] if self._position < len(self._items) else None

    @property
    def on_last(self) -> bool:
        """The current problem is the last one planned."""
        return self._position == len(self._items) - 1

    def draw(self) -> ProblemAttempt:
        """A fresh attempt at the current problem (the same instance every time it is asked).

        Raises LookupError when the drill has no problem left; whatever the generator raises
        passes through (a bug: :meth:`skip` then passes the problem over).
        """
        item = self.current
        if item is None:
            raise InvalidRequest("the drill is over: no problem left")
        index = self._position
        problem = self._problems.get(index)
        if problem is None:
            try:
                problem = self._instances.draw(item)
            except Exception as exc:
                self._draw_errors[index] = f"{type(exc).__name__}: {exc}"
                raise
            self._problems[index] = problem
            self._items[index] = DrillItem(item.family, item.difficulty, problem.seed)
        return ProblemAttempt(problem)

    def record(
        self, attempt: ProblemAttempt, now: datetime, *, seconds: float | None = None
    ) -> DrillAnswer:
        """Log the current problem's attempt (committed before this returns) and move on.

        Quality is :attr:`ProblemAttempt.quality`; an unfinished attempt counts as unsolved
        (when time runs out mid-problem, simply do not record it). ``seconds`` defaults to the
        attempt's ``elapsed_seconds``. ValueError if ``attempt`` is not the current problem.
        """
        item = self.current
        if item is None:
            raise InvalidRequest("the drill is over: no problem left")
        problem = attempt.problem
        if (problem.family, problem.difficulty, problem.seed) != (
            item.family,
            item.difficulty,
            item.seed,
        ):
            raise InvalidRequest(
                f"attempt at {problem.family} seed {problem.seed} is not the drill's current "
                f"problem ({item.family} seed {item.seed})"
            )
        spent = attempt.elapsed_seconds if seconds is None else seconds
        quality = int(attempt.quality)
        skill = (item.family, item.difficulty)
        with writing(self.service, "save your answer") as session:
            card_key = self._card_keys.get(skill) or skill_card_key(session, *skill, now)
            log = record_drill_answer(
                session,
                card_key,
                quality,
                now=now,
                settings=self.service.locked_scheduler_settings(session),
                moves_schedule=self.moves_schedule,
                answer_text=attempt.logged_answer or None,
                duration_ms=round(max(0.0, spent) * 1000),
                session_id=self.session_id,
                seed=problem.seed,
                misconception=attempt.misconception,
                evidence=attempt.evidence,
            )
            log_id, moved = log.id, moved_schedule(log)
        self._card_keys[skill] = card_key
        answer = DrillAnswer(
            index=self._position,
            family=item.family,
            difficulty=item.difficulty,
            seed=problem.seed,
            quality=quality,
            seconds=max(0.0, spent),
            answer_text=attempt.logged_answer,
            misconception=attempt.misconception,
            misconception_message=_misconception_message(attempt),
            log_id=log_id,
            card_key=card_key,
            moved_schedule=moved,
        )
        self.answers.append(answer)
        self._position += 1
        return answer

    def skip(self, reason: str = "generator error") -> DrillSkip:
        """Pass over the current problem without an answer: nothing is logged, it is not
        counted as wrong, and the summary lists it under ``reason``."""
        item = self.current
        if item is None:
            raise InvalidRequest("the drill is over: no problem left")
        skip = DrillSkip(
            index=self._position,
            family=item.family,
            difficulty=item.difficulty,
            reason=reason,
            detail=self._draw_errors.get(self._position, ""),
        )
        self.skipped.append(skip)
        self._position += 1
        return skip

    def undo(self) -> DrillItem | None:
        """Take back the last recorded answer (its log row, and any schedule move); that
        problem becomes current again, the same instance, and problems skipped after it come
        back too. ``None`` when nothing is recorded."""
        if not self.answers:
            return None
        answer = self.answers.pop()
        self.service.undo(answer.log_id)
        self.skipped = [s for s in self.skipped if s.index < answer.index]
        self._position = answer.index
        return self.current

    # --- time and progress -------------------------------------------------------------

    @property
    def limit_seconds(self) -> float | None:
        """The time limit in seconds, or ``None``."""
        minutes = self.plan.spec.minutes
        return None if minutes is None else 60.0 * minutes

    def elapsed_seconds(self, now: datetime) -> float:
        """Seconds since the drill started."""
        return max(0.0, (now - self.started_at).total_seconds())

    def remaining_seconds(self, now: datetime) -> float | None:
        """Seconds left under the time limit (0 when up), or ``None`` without a limit."""
        limit = self.limit_seconds
        return None if limit is None else max(0.0, limit - self.elapsed_seconds(now))

    def time_up(self, now: datetime) -> bool:
        """The time limit has passed."""
        return self.remaining_seconds(now) == 0.0

    def finished(self, now: datetime) -> bool:
        """Every problem recorded, or the time is up."""
        return self.current is None or self.time_up(now)

    def progress(self, now: datetime) -> DrillProgress:
        """Done/total, correct so far, elapsed and remaining time."""
        return DrillProgress(
            done=self._position,
            total=self.plan.total,
            correct=sum(a.correct for a in self.answers),
            elapsed_seconds=self.elapsed_seconds(now),
            limit_seconds=self.limit_seconds,
            remaining_seconds=self.remaining_seconds(now),
            skipped=len(self.skipped),
        )

    def summary(self, now: datetime) -> DrillSummary:
        """Score, time per problem, slipped families and misconceptions (reads the database
        for each family's 30-day accuracy before this drill)."""
        from quizcalc.problems import FAMILIES

        recent = recent_accuracy(self.service, now, exclude_session=self.session_id)
        results = []
        for family in self.plan.spec.families:
            mine = [a for a in self.answers if a.family == family]
            before = recent.get(family)
            results.append(
                FamilyResult(
                    family=family,
                    title=FAMILIES[family].title,
                    answered=len(mine),
                    correct=sum(a.correct for a in mine),
                    recent_accuracy=(
                        before.accuracy if before and before.answers >= MIN_ANSWERS else None
                    ),
                )
            )
        return DrillSummary(
            spec=self.plan.spec,
            seed=self.plan.seed,
            answers=tuple(self.answers),
            planned=self.plan.total,
            seconds=self.elapsed_seconds(now),
            time_up=self.time_up(now),
            families=tuple(results),
            misconceptions=count_misconceptions(self.answers),
            skipped=tuple(self.skipped),
        )


def _misconception_message(attempt: ProblemAttempt) -> str | None:
    for verdict in reversed(attempt.verdicts):
        if verdict.misconception:
            return verdict.feedback
    return None


def begin_drill(
    service: StudyService,
    spec: DrillSpec,
    now: datetime,
    *,
    rng: random.Random | None = None,
    moves_schedule: bool | None = None,
) -> DrillSession:
    """Plan ``spec`` and start running it.

    ``rng`` draws the set's seed when the spec has none (tests pass a seeded one);
    ``moves_schedule`` defaults to the ``drill_moves_schedule`` setting.
    """
    moves = service.config.drill_moves_schedule if moves_schedule is None else moves_schedule
    return DrillSession(
        service=service, plan=plan_drill(spec, rng), started_at=now, moves_schedule=moves
    )
