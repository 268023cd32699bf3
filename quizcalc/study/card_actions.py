"""What the reviewer does to the card on screen, as Anki does: suspend, bury, flag, and undo.

Each change is one write transaction and returns a :class:`CardChange` holding the card's
marks (status, buried day, flag) before and after, so the reviewer can take it back in order
with its answers (:meth:`CardActionUseCases.undo_card_change`). Burying leaves the SM-2 state
alone: the card is simply left out of every queue until the next study day
(``schedule.buried_until``), and comes back by date, with nothing to run.

Part of :class:`~quizcalc.study.service.StudyService`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from quizcalc.scheduling.ratings import quality_rating
from quizcalc.scheduling.sm2 import Quality, needs_relearning
from quizcalc.store.models import CardRecord
from quizcalc.study.card_marks import FLAG_NAMES, CardChange, CardMarks, GradePreview
from quizcalc.study.collection_base import CollectionAccess
from quizcalc.study.errors import CardNotFound, InvalidRequest, use_case
from quizcalc.study.review import answer_step, moved_today

__all__ = ["CardActionUseCases"]


def _card(session: Session, card_key: int) -> CardRecord:
    card = session.get(CardRecord, card_key)
    if card is None:
        raise CardNotFound(
            f"no card with key {card_key}; it may have been removed in another window"
        )
    return card


def _marks(card: CardRecord) -> CardMarks:
    return CardMarks(card.status, card.schedule.buried_until, card.flag)


def _not_retired(card: CardRecord, what: str) -> None:
    if card.status == "retired":
        raise InvalidRequest(
            f"card {card.card_id} was removed from its file (retired): it cannot be {what}"
        )


class CardActionUseCases(CollectionAccess):
    """Suspend, bury and flag one card from the reviewer; take such a change back."""

    def _change(self, card_key: int, action: str, **after: object) -> CardChange:
        with self.transaction(write=True) as session:
            card = _card(session, card_key)
            _not_retired(card, {"suspend": "suspended", "bury": "buried"}.get(action, "flagged"))
            before = _marks(card)
            if "status" in after:
                card.status = str(after["status"])
            if "buried_until" in after:
                card.schedule.buried_until = after["buried_until"]  # type: ignore[assignment]
            if "flag" in after:
                card.flag = int(after["flag"])  # type: ignore[call-overload]
            return CardChange(card_key, action, before, _marks(card))

    @use_case("suspend the card")
    def suspend_card(self, card_key: int) -> CardChange:
        """Suspend a card (it leaves every queue until unsuspended in Browse; committed)."""
        return self._change(card_key, "suspend", status="suspended")

    @use_case("bury the card")
    def bury_card(self, card_key: int, now: datetime) -> CardChange:
        """Leave a card out of every queue until the next study day (its schedule unchanged)."""
        return self._change(card_key, "bury", buried_until=self.today(now) + timedelta(days=1))

    @use_case("flag the card")
    def flag_card(self, card_key: int, flag: int) -> CardChange:
        """Set a card's flag: 0 removes it, 1–7 are Anki's colours (:data:`FLAG_NAMES`)."""
        if not 0 <= int(flag) < len(FLAG_NAMES):
            raise InvalidRequest(f"a flag is 0 (none) to 7, got {flag!r}")
        return self._change(card_key, "flag", flag=int(flag))

    @use_case("undo the change to the card")
    def undo_card_change(self, change: CardChange) -> None:
        """Write back the marks ``change`` replaced (committed).

        A mark changed since by something else (a sync retired the card, another window
        flagged it) is left as it is now.
        """
        with self.transaction(write=True) as session:
            card = _card(session, change.card_key)
            before, after = change.before, change.after
            if card.status == after.status:
                card.status = before.status
            if card.schedule.buried_until == after.buried_until:
                card.schedule.buried_until = before.buried_until
            if card.flag == after.flag:
                card.flag = before.flag

    @use_case("work out the grades' intervals")
    def grade_previews(self, card_key: int, now: datetime) -> tuple[GradePreview, ...]:
        """What each grade 0–5 would give the card now, computed by the answer step itself.

        The day's first answer moves the schedule (:func:`~quizcalc.study.review.answer_step`:
        SM-2's, or FSRS's from the grade's rating); a re-ask later that day does not, so a
        passing grade there keeps the interval the card already has, and a grade below 4 asks
        it again.
        """
        today = self.today(now)
        with self.transaction() as session:
            state = _card(session, card_key).schedule.state
            moved = moved_today(session, card_key, today)
        previews = []
        for quality in Quality:
            if moved:
                left = 0 if state.due is None else max(0, (state.due - today).days)
                again = needs_relearning(quality)
                previews.append(GradePreview(int(quality), 0 if again else left, again))
                continue
            step = answer_step(
                state, quality, quality_rating(quality), now, self.scheduler_settings
            )
            days = (step.state.due - step.study_day).days if step.state.due else 0
            previews.append(GradePreview(int(quality), days, step.again_today))
        return tuple(previews)
