"""Home-screen use cases: today's counts per deck and section, the streak.

Part of :class:`~quizcalc.study.service.StudyService`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import aliased

from quizcalc.store.models import CardRecord, DeckRecord, ReviewLogRecord, ScheduleRecord
from quizcalc.study.card_counts import is_counted
from quizcalc.study.collection_base import CollectionAccess, sql_runner
from quizcalc.study.errors import use_case
from quizcalc.study.queue import SERVABLE, build_queue
from quizcalc.study.views import DeckCounts, HomeSummary

__all__ = ["HomeUseCases"]

STREAK_LOOKBACK_DAYS = 3660
"""The longest streak counted (ten years of daily study)."""


class HomeUseCases(CollectionAccess):
    """What the home screen shows."""

    @use_case("count your study days")
    def streak(self, now: datetime) -> int:
        """Consecutive study days with at least one answer, ending today (or yesterday)."""
        today = self.today(now)
        with self.transaction() as session:
            days = session.scalars(
                select(ReviewLogRecord.study_day)
                .where(ReviewLogRecord.study_day <= today)
                .distinct()
                .order_by(ReviewLogRecord.study_day.desc())
                .limit(STREAK_LOOKBACK_DAYS)
            ).all()
        expected = today if days and days[0] == today else today - timedelta(days=1)
        streak = 0
        for day in days:
            if day != expected:
                break
            streak += 1
            expected -= timedelta(days=1)
        return streak

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
                select(CardRecord.id, CardRecord.section, CardRecord.deck_id).where(is_counted())
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
        for key, section, deck_id in rows:
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
