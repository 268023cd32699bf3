"""Home-screen use cases: today's counts per deck and section, the streak.

Part of :class:`~quizcalc.study.service.StudyService`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import aliased

from quizcalc.store.models import CardRecord, DeckRecord, ReviewLogRecord, ScheduleRecord
from quizcalc.study.card_counts import COUNTED_STATUSES
from quizcalc.study.collection_base import CollectionAccess, sql_runner
from quizcalc.study.errors import use_case
from quizcalc.study.log_kinds import ANSWER_KINDS, ANSWERS_SQL, DAILY_ANSWER_KINDS
from quizcalc.study.queue import SERVABLE, build_queue
from quizcalc.study.views import DeckCounts, HomeSummary

__all__ = ["HomeUseCases"]

STREAK_LOOKBACK_DAYS = 3660
"""The longest streak counted (ten years of daily study)."""

STREAK = f"""
WITH RECURSIVE streak(day) AS (
  SELECT :first WHERE EXISTS (
    SELECT 1 FROM review_log WHERE study_day = :first AND kind IN {ANSWERS_SQL})
  UNION ALL
  SELECT date(day, '-1 day') FROM streak
  WHERE EXISTS (
    SELECT 1 FROM review_log WHERE study_day = date(day, '-1 day') AND kind IN {ANSWERS_SQL})
  LIMIT {STREAK_LOOKBACK_DAYS}
)
SELECT COUNT(*) FROM streak
"""
"""Consecutive study days with an answer, ending ``:first``: one index seek a day, however
long the log (reading the distinct days of a million answers took most of a second). A day
with only implicit credits or resets is not a study day."""

STREAK_POSTGRESQL = f"""
WITH RECURSIVE streak(day, depth) AS (
  SELECT CAST(:first AS DATE), 1 WHERE EXISTS (
    SELECT 1 FROM review_log WHERE study_day = CAST(:first AS DATE) AND kind IN {ANSWERS_SQL})
  UNION ALL
  SELECT day - 1, depth + 1 FROM streak
  WHERE depth < {STREAK_LOOKBACK_DAYS} AND EXISTS (
    SELECT 1 FROM review_log WHERE study_day = day - 1 AND kind IN {ANSWERS_SQL})
)
SELECT COUNT(*) FROM streak
"""
""":data:`STREAK` on PostgreSQL, which has date arithmetic but no ``LIMIT`` in a recursive
query (the depth column bounds it instead)."""


_COUNTED_FROM_AN_INDEX = text(
    "+cards.status IN (" + ", ".join(f"'{status}'" for status in COUNTED_STATUSES) + ")"
)
""":func:`~quizcalc.study.card_counts.is_counted`, written so SQLite counts the cards per deck
and section from ``ix_cards_deck_reading_order`` alone (the status index would fetch every
card's row)."""


class HomeUseCases(CollectionAccess):
    """What the home screen shows."""

    @use_case("count your study days")
    def streak(self, now: datetime) -> int:
        """Consecutive study days with at least one answer, ending today (or yesterday)."""
        today = self.today(now)
        with self.transaction() as session:
            studied_today = session.scalar(
                select(ReviewLogRecord.id)
                .where(ReviewLogRecord.study_day == today, ReviewLogRecord.kind.in_(ANSWER_KINDS))
                .limit(1)
            )
            first = today if studied_today is not None else today - timedelta(days=1)
            sqlite = session.get_bind().dialect.name == "sqlite"
            streak = text(STREAK if sqlite else STREAK_POSTGRESQL)
            return int(session.execute(streak, {"first": first.isoformat()}).scalar_one())

    @use_case("read today's summary")
    def home(self, now: datetime) -> HomeSummary:
        """Today's counts per deck/section, the streak and totals.

        Totals count the cards the learner has (active and suspended: see
        :mod:`quizcalc.study.card_counts`), as Browse, ``cards list`` and the statistics do.
        """
        with self.transaction() as session:
            run = sql_runner(session)
            config = self._fresh_settings(run)  # another window may have changed them
            today = self.today(now)
            queue = build_queue(run, today, config)
            due_keys = {*queue.due, *queue.relearn_ready, *queue.relearn_waiting}
            new_keys = set(queue.new)
            rows = session.execute(
                select(CardRecord.deck_id, CardRecord.section, func.count())
                .where(_COUNTED_FROM_AN_INDEX)
                .group_by(CardRecord.deck_id, CardRecord.section)
            ).all()
            queued = session.execute(
                select(CardRecord.id, CardRecord.deck_id, CardRecord.section).where(
                    CardRecord.id.in_(due_keys | new_keys)
                )
            ).all()
            decks = {
                key: name for key, name in session.execute(select(DeckRecord.id, DeckRecord.name))
            }
            reviews_today = (
                session.scalar(
                    select(func.count()).where(
                        ReviewLogRecord.study_day == today,
                        ReviewLogRecord.kind.in_(DAILY_ANSWER_KINDS),
                    )
                )
                or 0
            )
            # +c.status: the schedule's due index finds the cards, not the status index.
            scheduled = text(f"+c.status = 'active' AND {SERVABLE}")
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
        for deck_id, section, cards_in_section in rows:
            total += cards_in_section
            counts[decks[deck_id], section] = [0, 0, cards_in_section]
        for key, deck_id, section in queued:  # the queue's cards, all active: counted above
            bucket = counts[decks[deck_id], section]
            bucket[0] += key in due_keys
            bucket[1] += key in new_keys
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
