"""Card-management use cases: list and browse cards, a card's history, suspend, reset.

Part of :class:`~quizcalc.study.service.StudyService`; the browse screen and
``quizcalc cards list`` come through here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from sqlalchemy import select

from quizcalc.store.models import CardRecord, ScheduleRecord
from quizcalc.study.browse import (
    browse_cards,
    browse_sections,
    card_history,
    reset_card,
    restore_schedule,
    set_suspended,
)
from quizcalc.study.card_bulk import change_tag, reset_cards, restore_schedules, suspend_cards
from quizcalc.study.card_counts import CardCount, count_cards, is_counted
from quizcalc.study.collection_base import CollectionAccess
from quizcalc.study.errors import CardNotFound, use_case
from quizcalc.study.learner_tags import checked_tags
from quizcalc.study.views import (
    BrowseFilter,
    BrowseRow,
    BulkChange,
    CardDetail,
    CardRow,
    ScheduleSnapshot,
)

__all__ = ["CardUseCases"]


class CardUseCases(CollectionAccess):
    """Look at cards and change their status or schedule by hand."""

    @use_case("count the cards")
    def card_count(self) -> CardCount:
        """The cards the learner has, and the retired rows kept beside them."""
        with self.transaction() as session:
            return count_cards(session)

    @use_case("list the cards")
    def list_cards(self, include_retired: bool = True) -> list[CardRow]:
        """Every card row with its schedule, in deck/reading order, drill-only skill cards
        (tied to no file) last; without ``include_retired``, only the cards the learner has
        (active and suspended: :mod:`quizcalc.study.card_counts`), as ``cards list`` shows."""
        with self.transaction() as session:
            query = (
                select(CardRecord)
                .join(ScheduleRecord)
                .order_by(
                    CardRecord.source_id.is_(None),
                    CardRecord.source_id,
                    CardRecord.position,
                    CardRecord.id,
                )
            )
            if not include_retired:
                query = query.where(is_counted())
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

    @use_case("search the cards")
    def browse(self, query: BrowseFilter, now: datetime) -> list[BrowseRow]:
        """Cards matching ``query`` (see :func:`quizcalc.study.browse.browse_cards`)."""
        with self.transaction() as session:
            return browse_cards(session, query, self.today(now), self.config.leech_threshold)

    @use_case("read the sections")
    def sections(self) -> list[str]:
        """The sections the browse filter offers."""
        with self.transaction() as session:
            return browse_sections(session)

    @use_case("read the card's history")
    def card_detail(self, card_key: int) -> CardDetail:
        """A card's text, schedule and review history (newest first)."""
        with self.transaction() as session:
            return card_history(session, card_key)

    @use_case("read the card")
    def card_by_id(self, card_id: str) -> CardDetail:
        """The card whose id (as ``quizcalc cards list`` prints it) is ``card_id``."""
        with self.transaction() as session:
            key = session.scalar(select(CardRecord.id).where(CardRecord.card_id == card_id))
            if key is None:
                raise CardNotFound(
                    f"{card_id}: no card has this id; `quizcalc cards list` shows the ids"
                )
            return card_history(session, key)

    @use_case("change the card's status")
    def set_suspended(self, card_key: int, suspended: bool) -> str:
        """Suspend or unsuspend a card (committed); returns its new status."""
        with self.transaction(write=True) as session:
            return set_suspended(session, card_key, suspended)

    @use_case("reset the card")
    def reset_card(self, card_key: int, now: datetime | None = None) -> ScheduleSnapshot:
        """Schedule back to new, the reset logged at ``now`` (default: the current time),
        history kept (committed); returns the old schedule for undo."""
        moment = now or datetime.now(UTC)
        with self.transaction(write=True) as session:
            return reset_card(session, card_key, moment, self.today(moment))

    @use_case("restore the card's schedule")
    def restore_schedule(self, card_key: int, snapshot: ScheduleSnapshot) -> None:
        """Undo :meth:`reset_card` with the snapshot it returned (committed): the schedule
        back, the reset's log row gone; refused once the card was studied after the reset."""
        with self.transaction(write=True) as session:
            restore_schedule(session, card_key, snapshot)

    @use_case("change the cards' status")
    def suspend_cards(self, card_keys: Sequence[int], suspended: bool) -> BulkChange:
        """Suspend (or unsuspend) several cards in one transaction; what changed."""
        with self.transaction(write=True) as session:
            return suspend_cards(session, card_keys, suspended)

    @use_case("reset the cards")
    def reset_cards(
        self, card_keys: Sequence[int], now: datetime | None = None
    ) -> dict[int, ScheduleSnapshot]:
        """Reset several cards to new in one transaction, each reset logged at ``now``
        (default: the current time); their old schedules, for undo."""
        moment = now or datetime.now(UTC)
        with self.transaction(write=True) as session:
            return reset_cards(session, card_keys, moment, self.today(moment))

    @use_case("restore the cards' schedules")
    def restore_schedules(self, snapshots: Mapping[int, ScheduleSnapshot]) -> None:
        """Undo :meth:`reset_cards` with what it returned (one transaction): the schedules
        back, the resets' log rows gone; refused once a card was studied after its reset."""
        with self.transaction(write=True) as session:
            restore_schedules(session, snapshots)

    @use_case("change the cards' tags")
    def change_tags(
        self, card_keys: Sequence[int], tags: str, add: bool
    ) -> list[tuple[str, BulkChange]]:
        """Add (or remove) the tags typed in ``tags`` on several cards, in one transaction.

        Each tag comes back with the cards it changed (an undo removes or adds it on those).
        The edits are the learner's own, kept apart from the tags a card's file gives it so no
        sync loses them (:mod:`quizcalc.study.learner_tags`). A blank or unusable tag is an
        InvalidRequest naming it.
        """
        wanted = checked_tags(tags)
        with self.transaction(write=True) as session:
            return [(tag, change_tag(session, card_keys, tag, add)) for tag in wanted]
