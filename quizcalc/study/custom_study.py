"""Custom study, as Anki has it: review ahead N days, review today's forgotten cards.

Like Anki's custom-study filtered decks, each is a session over a chosen set of cards in a
scope (a deck, a section, everything), built from the database each time a card is asked for:

- **Review ahead** takes the cards due within the next ``days`` days (and any still due today),
  soonest first. Answers move the schedule, but an early one gently (see
  :func:`quizcalc.scheduling.early.apply_early_answer`): a pass never shortens the interval and
  lengthens it only by the days that really passed since the last review; a fail is a lapse.
- **Forgotten today** takes the cards given a failing grade (0–2) today, in the order they were
  failed. Their schedule was already set by today's first answer, so these answers are extra
  practice: they are logged (as step-7 re-asks) and never move the schedule (Anki's
  "reschedule cards based on my answers" off).

In both, a card graded below 4 comes back later in the same session (SM-2 step 7), after
:attr:`~quizcalc.config.Config.relearn_gap` other answers, as in the daily review. This module
is plain SQL through a ``RunSQL`` (no SQLAlchemy).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from quizcalc.config import Config
from quizcalc.scheduling.sm2 import PASSING_QUALITY, RELEARN_UNTIL_QUALITY
from quizcalc.study.log_kinds import DAILY_ANSWERS_SQL
from quizcalc.study.queue import (
    _ACTIVE,
    _SIBLING_NOT_SEEN_TODAY,
    _TODAY,
    FAILING_TODAY,
    SERVABLE,
    TODAY_LOG_IDS,
    RunSQL,
    TodayQueue,
    after_reset_today,
)
from quizcalc.study.scope import IN_SCOPE, StudyScope

__all__ = [
    "MAX_DAYS_AHEAD",
    "CustomStudy",
    "CustomStudyKind",
    "custom_queue",
    "read_days_ahead",
]

CustomStudyKind = Literal["ahead", "forgotten"]
"""The custom-study sessions quizcalc runs itself (raising today's new-card limit is a setting
followed by a plain review of the deck)."""

MAX_DAYS_AHEAD = 3650
"""The furthest review ahead: ten years."""


@dataclass(frozen=True)
class CustomStudy:
    """A custom-study session's choice of cards (within the session's scope)."""

    kind: CustomStudyKind
    """``"ahead"`` or ``"forgotten"``."""
    days: int = 1
    """For ``"ahead"``: how many days after today to take due cards from."""

    @property
    def label(self) -> str:
        """``review ahead 3 days`` or ``today's forgotten cards``."""
        if self.kind == "ahead":
            return f"review ahead {self.days} day{'' if self.days == 1 else 's'}"
        return "today's forgotten cards"


def read_days_ahead(text: str) -> int | str:
    """The learner's "review ahead" days as a number, or one line saying what is wrong."""
    value = text.strip()
    if not value.isdecimal() or not 1 <= int(value) <= MAX_DAYS_AHEAD:
        shown = repr(value) if value else "nothing"
        return f"days ahead must be a whole number from 1 to {MAX_DAYS_AHEAD}; got {shown}"
    return int(value)


AHEAD_CARDS = f"""
SELECT c.id {_ACTIVE}
  AND s.due IS NOT NULL AND s.due <= :until
  AND c.id NOT IN (SELECT card_key FROM review_log WHERE {_TODAY}){_SIBLING_NOT_SEEN_TODAY}
ORDER BY s.due, c.source_id, c.position, c.id
"""
"""Cards due by ``:until`` not yet answered today, soonest first (overdue ones first of all)."""

FORGOTTEN_TODAY = f"""
SELECT l.card_key FROM review_log AS l JOIN cards AS c ON c.id = l.card_key
WHERE l.study_day = :today AND l.kind IN {DAILY_ANSWERS_SQL} AND l.quality < {PASSING_QUALITY}
  AND {after_reset_today("l")} AND c.status = 'active' AND {SERVABLE} AND {IN_SCOPE}
GROUP BY l.card_key
ORDER BY MIN(l.id)
"""
"""Cards given a failing grade today (reviews and re-asks, not drills), first failed first;
not one reset to new since (a new card has nothing to practise again)."""

SESSION_LATEST = f"""
SELECT l.card_key, l.id, l.quality FROM review_log AS l
JOIN (SELECT card_key, MAX(id) AS last_id FROM review_log
      WHERE session_id = :session AND {_TODAY} GROUP BY card_key) AS latest
  ON latest.last_id = l.id
"""
"""Each card answered in this session today: its latest answer's id and grade."""


def custom_queue(
    run: RunSQL,
    today: date,
    config: Config,
    scope: StudyScope,
    custom: CustomStudy,
    session_id: str,
) -> TodayQueue:
    """What is left of a custom-study session (``session_id`` names its answers in the log).

    ``due`` holds the chosen cards not yet answered in it; the relearn lists, those answered
    in it below 4 (ready after ``relearn_gap`` other answers, else waiting). ``new`` is empty.
    """
    params = {"today": today.isoformat(), "session": session_id, **scope.params()}
    today_ids = [row[0] for row in run(TODAY_LOG_IDS, params)]
    latest = {key: (log_id, quality) for key, log_id, quality in run(SESSION_LATEST, params)}
    if custom.kind == "ahead":
        until = (today + timedelta(days=custom.days)).isoformat()
        chosen = [row[0] for row in run(AHEAD_CARDS, {**params, "until": until})]
        # An early card failed here is relearned here (the daily queue would too).
        failing = [key for key, _ in run(FAILING_TODAY, params) if key in latest]
    else:
        forgotten = [row[0] for row in run(FORGOTTEN_TODAY, params)]
        chosen = [key for key in forgotten if key not in latest]
        failing = [
            key for key in forgotten if key in latest and latest[key][1] < RELEARN_UNTIL_QUALITY
        ]
    ready: list[int] = []
    waiting: list[tuple[int, int]] = []
    for key in failing:
        answers_since = len(today_ids) - bisect_right(today_ids, latest[key][0])
        if answers_since >= config.relearn_gap:
            ready.append(key)
        else:
            waiting.append((answers_since, key))
    waiting.sort(key=lambda item: -item[0])
    return TodayQueue(
        relearn_ready=ready, due=chosen, new=[], relearn_waiting=[key for _, key in waiting]
    )
