"""A realistic year of study, written into a throwaway database so a newcomer sees statistics.

:func:`build_demo` syncs the bundled deck into the given store, then simulates a learner over
``days`` study days ending today and writes the outcome in bulk, as the real answer path
would have: one ``review`` row per card and day that moves the SM-2 state, ``relearn`` re-asks
(SM-2 step 7) that do not, ``drill`` sessions on problem skills that leave schedules alone
(the default setting), and final schedules equal to what replaying the log gives.

The learner, drawn from a seeded RNG (same seed and ``now``, same history):

- studies on most days, in streaks broken by skipped days and two short breaks, always on
  the last ten days; evening sessions, some running past midnight (still the same study day);
- introduces a few new cards a study day, answers everything due (within the daily cap);
- recalls with a forgetting curve: ``p = 0.9 ** (elapsed / (interval × memory))``, with a
  per-card memory factor (problem cards are harder), so true retention lands near 85–90 %
  and overdue cards, after a break, are forgotten more;
- answers faster as the year goes on; a missed problem often matches one of the misconceptions
  its very instance (family, seed, difficulty) lists, and the typed answer is that wrong
  answer (those instances come from a few seeds per skill, to keep generation cheap);
- drills a problem family on about a third of study days, the weaker families more often;
- has one card it never manages to keep: at ``config.leech_threshold`` lapses it is tagged
  ``leech`` and suspended, as the setting describes (a weak card may get there too).

Rows are written in bulk, not through :meth:`StudyService.answer`: a year takes about a second.
"""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from quizcalc.config import Config
from quizcalc.scheduling.sm2 import PASSING_QUALITY, RELEARN_UNTIL_QUALITY, SM2State, review
from quizcalc.scheduling.study_day import study_day
from quizcalc.store.engine import Store
from quizcalc.store.models import Base, CardRecord, ScheduleRecord
from quizcalc.study.errors import InvalidRequest
from quizcalc.study.queue import SERVABLE
from quizcalc.study.source_ownership import content_sources
from quizcalc.study.source_reading import find_source_files, parse_source
from quizcalc.study.sync import sync_source

__all__ = ["DEMO_SEED", "DemoSummary", "build_demo"]

DEMO_SEED = 20261126
"""The default seed: every newcomer sees the same learner."""

_TARGET = 0.9
"""Recall probability when a card is reviewed exactly on time with memory factor 1."""
_LAST_DAYS_STUDIED = 10
_MAX_REASKS = 3
_POOL = 3
"""Instances generated per skill for the misconceptions of missed problems."""


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`build_demo` wrote."""

    cards: int
    answers: int
    study_days: int
    first_day: date
    last_day: date


@dataclass
class _Card:
    key: int
    family: str | None
    difficulty: int | None
    memory: float
    """How much longer than its interval this card is remembered (1: as SM-2 assumes)."""
    state: SM2State = field(default_factory=SM2State)
    due: date | None = None
    lapses: int = 0
    reviews: int = 0
    last_day: date | None = None
    last_at: datetime | None = None
    leech: bool = False


@dataclass
class _Learner:
    rng: random.Random
    config: Config
    tz: Any
    days: int
    first_day: date
    family_weakness: dict[str, float]
    slips: random.Random
    """Picks the listed mistake a missed problem matched: a stream of its own, so a family
    listing one more misconception does not reshuffle the rest of the simulated year."""
    problems: dict[tuple[str, int], list[tuple[int, str, str]]] = field(default_factory=dict)
    """Per skill, a pool of (seed, wrong answer, tag) its instances list."""
    rows: list[dict[str, Any]] = field(default_factory=list)

    def progress(self, day: date) -> float:
        """0 on the first day, 1 on the last: the learner gets faster and better."""
        return (day - self.first_day).days / max(1, self.days - 1)

    def seconds(self, card: _Card, passed: bool, day: date) -> int:
        """A plausible answering time in milliseconds."""
        if card.family is None:
            median = 7.0
        else:
            median = 28.0 * (1 + self.family_weakness.get(card.family, 0.0))
        median *= (1.0 if passed else 1.5) * (1 - 0.3 * self.progress(day))
        return int(min(600_000, max(1_500, self.rng.lognormvariate(math.log(median), 0.45) * 1000)))

    def quality(self, recalled: bool, card: _Card) -> int:
        """An SM-2 grade for a recall (or a miss)."""
        if not recalled:
            return self.rng.choices((0, 1, 2), (1, 2, 3))[0]
        easy = min(0.7, 0.25 + 0.25 * card.memory)
        return self.rng.choices((3, 4, 5), (1 - easy, 0.5, easy))[0]

    def misconception(self, card: _Card) -> tuple[int, str, str] | None:
        """For a missed problem, often: (seed, typed wrong answer, tag) of a listed mistake.

        Instances come from a small pool per skill (generating one per miss would cost
        seconds): the seed, the typed answer and the tag always belong together.
        """
        if card.family is None or self.rng.random() > 0.65:
            return None
        from quizcalc.problems import generate

        skill = (card.family, card.difficulty or 1)
        pool = self.problems.get(skill)
        if pool is None:
            pool = []
            for _ in range(_POOL):
                seed = self.rng.getrandbits(31)
                for listed in generate(skill[0], seed, skill[1]).misconceptions:
                    pool.append((seed, listed.answer, listed.tag))
            self.problems[skill] = pool
        return self.slips.choice(pool) if pool else None

    def log(
        self,
        card: _Card,
        kind: str,
        quality: int,
        at: datetime,
        day: date,
        session_id: str,
        before: tuple[SM2State, date | None, int],
        after: tuple[SM2State, date | None],
    ) -> datetime:
        """Append one review-log row; returns when the next answer can start."""
        passed = quality >= PASSING_QUALITY
        duration = self.seconds(card, passed, day)
        seed: int | None = None
        answer_text = tag = None
        if card.family is not None:
            seed = self.rng.getrandbits(31)
            matched = None if passed else self.misconception(card)
            if matched is not None:
                seed, answer_text, tag = matched
        (b_state, b_due, b_lapses), (a_state, a_due) = before, after
        self.rows.append(
            {
                "card_key": card.key,
                "reviewed_at": at,
                "study_day": day,
                "quality": quality,
                "answer_text": answer_text,
                "duration_ms": duration,
                "kind": kind,
                "session_id": session_id,
                "seed": seed,
                "misconception": tag,
                "before_repetitions": b_state.repetitions,
                "before_easiness": b_state.easiness,
                "before_interval": b_state.interval,
                "before_due": b_due,
                "before_lapses": b_lapses,
                "after_repetitions": a_state.repetitions,
                "after_easiness": a_state.easiness,
                "after_interval": a_state.interval,
                "after_due": a_due,
            }
        )
        return at + timedelta(milliseconds=duration + self.rng.randint(2_000, 9_000))

    def recall_probability(self, card: _Card, day: date) -> float:
        """The forgetting curve (a new card's first answer: how well it was read)."""
        if card.last_day is None or card.state.interval < 1:
            return min(0.95, 0.55 + 0.25 * card.memory)
        elapsed = max(1, (day - card.last_day).days)
        return float(_TARGET ** (elapsed / (card.state.interval * card.memory)))

    def answer_review(
        self, card: _Card, day: date, at: datetime, session_id: str
    ) -> tuple[datetime, int]:
        """The day's first answer to ``card``: moves its schedule. Returns (next start, q)."""
        quality = self.quality(self.rng.random() < self.recall_probability(card, day), card)
        before = (card.state, card.due, card.lapses)
        after = review(card.state, quality)
        due = day + timedelta(days=after.interval)
        if quality < PASSING_QUALITY and card.state.repetitions > 0:
            card.lapses += 1
        card.state, card.due = after, due
        card.reviews += 1
        card.last_day, card.last_at = day, at
        nxt = self.log(card, "review", quality, at, day, session_id, before, (after, due))
        return nxt, quality

    def answer_again(
        self, card: _Card, day: date, at: datetime, session_id: str
    ) -> tuple[datetime, int]:
        """A step-7 re-ask: logged, schedule unchanged. Returns (next start, q)."""
        quality = self.rng.choices((2, 3, 4, 5), (1, 2, 5, 3))[0]
        now = (card.state, card.due)
        nxt = self.log(card, "relearn", quality, at, day, session_id, (*now, card.lapses), now)
        return nxt, quality

    def drill(self, cards: list[_Card], day: date, at: datetime, session_id: str) -> datetime:
        """A drill of ``config.drill_count`` problems on one family (weak ones more often)."""
        families = sorted({c.family for c in cards if c.family is not None})
        weights = [0.5 + 3 * self.family_weakness[f] for f in families]
        family = self.rng.choices(families, weights)[0]
        skill = [c for c in cards if c.family == family]
        level = 0.62 + 0.25 * self.progress(day) - self.family_weakness[family]
        for _ in range(self.config.drill_count):
            card = self.rng.choice(skill)
            quality = self.quality(self.rng.random() < level, card)
            now = (card.state, card.due)
            at = self.log(card, "drill", quality, at, day, session_id, (*now, card.lapses), now)
        return at


def _study_days(rng: random.Random, days: int) -> list[bool]:
    studied = []
    yesterday = True
    for _ in range(days):
        today = rng.random() < (0.9 if yesterday else 0.5)
        studied.append(today)
        yesterday = today
    for _ in range(2):  # two short breaks (a trip, an exam week)
        start = rng.randint(days // 8, max(days // 8, days - 4 * _LAST_DAYS_STUDIED))
        for i in range(start, min(days, start + rng.randint(4, 8))):
            studied[i] = False
    studied[0] = True
    for i in range(max(0, days - _LAST_DAYS_STUDIED), days):
        studied[i] = True
    return studied


def _load_cards(session: Session, rng: random.Random) -> list[_Card]:
    """The active cards the queue can serve, in reading order, each with a memory factor."""
    rows = session.execute(
        text(
            "SELECT c.id, c.family, c.difficulty FROM cards AS c "
            f"WHERE c.status = 'active' AND {SERVABLE} ORDER BY c.source_id, c.position, c.id"
        )
    ).all()
    cards = []
    for key, family, difficulty in rows:
        memory = rng.lognormvariate(0.0 if family is None else -0.25, 0.35)
        cards.append(_Card(key, family, difficulty, memory))
    flashcards = [c for c in cards if c.family is None]
    if flashcards:  # the one card this learner never keeps: a leech by the end of the year
        rng.choice(flashcards).memory = 0.12
    return cards


def _day_start(day: date, config: Config, tz: Any) -> datetime:
    """When study day ``day`` begins: its date at the rollover hour."""
    return datetime.combine(day, time(0), tzinfo=tz) + timedelta(hours=config.rollover_hour)


def _simulate_day(
    learner: _Learner, cards: list[_Card], unseen: deque[_Card], day: date, end: datetime
) -> None:
    rng, config = learner.rng, learner.config
    # An evening session, sometimes running past midnight (still the same study day).
    at = _day_start(day, config, learner.tz) + timedelta(hours=rng.uniform(12.0, 19.5))
    today = study_day(end, config.rollover_hour)
    if day == today:  # today: a session that has just ended
        at = min(at, end - timedelta(minutes=25))
    if study_day(at, config.rollover_hour) != day:
        return  # too early in today's study day for a session
    stop = min(end, _day_start(day + timedelta(days=1), config, learner.tz) - timedelta(minutes=1))
    session_id = f"demo-{day.isoformat()}"
    due = sorted(
        (c for c in cards if c.due is not None and c.due <= day and not c.leech),
        key=lambda c: c.due or day,
    )[: config.max_reviews_per_day]
    fresh = [unseen.popleft() for _ in range(min(len(unseen), rng.choice((0, 1, 1, 2, 3))))]
    queue: deque[tuple[_Card, int]] = deque((card, 0) for card in [*due, *fresh])
    while queue and at < stop:
        card, asked = queue.popleft()
        answer = learner.answer_review if asked == 0 else learner.answer_again
        at, quality = answer(card, day, at, session_id)
        if card.lapses >= config.leech_threshold and not card.leech:
            card.leech = True  # tagged and suspended, as the leech setting describes
            continue
        if quality < RELEARN_UNTIL_QUALITY and asked < _MAX_REASKS:
            queue.append((card, asked + 1))
    problems = [c for c in cards if c.family is not None]
    drills = rng.choices((0, 1, 2), (0.4, 0.45, 0.15))[0]
    if (today - day).days < _LAST_DAYS_STUDIED:  # the current streak: never an empty day
        drills = max(1, drills)
    for number in range(drills):
        if not problems or at + timedelta(minutes=15) >= stop:
            break
        session = f"demo-drill-{day.isoformat()}-{number}"
        at = learner.drill(problems, day, at + timedelta(minutes=3), session)


def build_demo(
    store: Store,
    now: datetime,
    config: Config | None = None,
    *,
    content: Path | None = None,
    days: int = 365,
    seed: int = DEMO_SEED,
) -> DemoSummary:
    """Sync ``content`` (the bundled deck by default) into ``store`` and write a simulated
    history of ``days`` study days ending with ``now``'s.

    Meant for a fresh, throwaway database: it adds to whatever is there. Raises
    ``ValueError`` when the content has no card to study.
    """
    from quizcalc.locations import bundled_content_dir

    config = config or Config()
    rng = random.Random(seed)
    today = study_day(now, config.rollover_hour)
    first_day = today - timedelta(days=days - 1)
    parsed = [
        parse_source(find_source_files(role, path))
        for role, path in content_sources(content or bundled_content_dir())
    ]
    with store.transaction(write=True) as session:
        for one in parsed:
            sync_source(session, one, now)
        cards = _load_cards(session, rng)
    if not cards:
        raise InvalidRequest("the demo needs a deck with cards; none found in the content folder")
    families = sorted({c.family for c in cards if c.family is not None})
    learner = _Learner(
        rng=rng,
        config=config,
        tz=now.tzinfo,
        days=days,
        first_day=first_day,
        family_weakness={f: rng.uniform(0.0, 0.25) for f in families},
        slips=random.Random(f"{seed}:misconceptions"),
    )
    unseen = deque(cards)
    studied = _study_days(rng, days)
    for offset in range(days):
        if studied[offset]:
            _simulate_day(learner, cards, unseen, first_day + timedelta(days=offset), now)
    _write(store, learner, cards, first_day, now)
    return DemoSummary(
        cards=len(cards),
        answers=len(learner.rows),
        study_days=len({row["study_day"] for row in learner.rows}),
        first_day=first_day,
        last_day=today,
    )


def _write(
    store: Store, learner: _Learner, cards: list[_Card], first_day: date, now: datetime
) -> None:
    """Bulk-write the log, the final schedules and the leeches in one transaction."""
    start = datetime.combine(first_day, time(0), tzinfo=now.tzinfo)
    review_log = Base.metadata.tables["review_log"]
    with store.transaction(write=True) as session:
        if learner.rows:
            session.execute(review_log.insert(), learner.rows)
        seen = [c for c in cards if c.reviews]
        if seen:
            session.execute(
                update(ScheduleRecord),
                [
                    {
                        "card_key": c.key,
                        "repetitions": c.state.repetitions,
                        "easiness": c.state.easiness,
                        "interval": c.state.interval,
                        "due": c.due,
                        "lapses": c.lapses,
                        "reviews": c.reviews,
                        "last_reviewed_at": c.last_at,
                    }
                    for c in seen
                ],
            )
        session.execute(update(CardRecord).values(created_at=start, updated_at=start))
        for card in cards:
            if card.leech:
                tags = session.scalar(select(CardRecord.tags).where(CardRecord.id == card.key))
                session.execute(
                    update(CardRecord)
                    .where(CardRecord.id == card.key)
                    .values(status="suspended", tags=" ".join([*(tags or "").split(), "leech"]))
                )
