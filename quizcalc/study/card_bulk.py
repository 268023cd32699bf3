"""Changes to several cards at once (Browse's selection): suspend, reset, add or remove a tag.

Each function runs inside the caller's one write transaction, so a selection changes whole or
not at all. Each returns what an undo needs: the keys it changed (a suspend is undone by the
opposite call on them, a tag by removing it from them) or, for a reset, the schedules it
replaced (:func:`restore_schedules` writes them back).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizcalc.store.models import CardRecord
from quizcalc.study.browse import reset_card, restore_schedule
from quizcalc.study.errors import CardNotFound
from quizcalc.study.learner_tags import (
    effective_tags,
    load_tag_edits,
    save_tag_edits,
    with_tag,
    without_tag,
)
from quizcalc.study.views import BulkChange, ScheduleSnapshot

__all__ = ["change_tag", "reset_cards", "restore_schedules", "suspend_cards"]


def _cards(session: Session, keys: Iterable[int]) -> list[CardRecord]:
    wanted = list(dict.fromkeys(keys))
    found = {c.id: c for c in session.scalars(select(CardRecord).where(CardRecord.id.in_(wanted)))}
    missing = [k for k in wanted if k not in found]
    if missing:
        raise CardNotFound(
            f"no card with key {missing[0]}"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
            + ": the list is out of date; search again"
        )
    return [found[k] for k in wanted]


def suspend_cards(session: Session, keys: Sequence[int], suspended: bool) -> BulkChange:
    """Suspend (or unsuspend) every card of ``keys`` not already so; retired ones are refused."""
    changed: list[int] = []
    unchanged = retired = 0
    target = "suspended" if suspended else "active"
    for card in _cards(session, keys):
        if card.status == "retired":
            retired += 1
        elif card.status == target:
            unchanged += 1
        else:
            card.status = target
            changed.append(card.id)
    refused = (
        (f"{retired} retired card{'s' if retired != 1 else ''} (removed from the file) left as is",)
        if retired
        else ()
    )
    return BulkChange(tuple(changed), unchanged, refused)


def reset_cards(session: Session, keys: Sequence[int]) -> dict[int, ScheduleSnapshot]:
    """Reset every card of ``keys`` to new (history kept); the schedules it replaced, by key."""
    return {card.id: reset_card(session, card.id) for card in _cards(session, keys)}


def restore_schedules(session: Session, snapshots: Mapping[int, ScheduleSnapshot]) -> None:
    """Undo :func:`reset_cards`: write each snapshot back."""
    for key, snapshot in snapshots.items():
        restore_schedule(session, key, snapshot)


def change_tag(session: Session, keys: Sequence[int], tag: str, add: bool) -> BulkChange:
    """Add ``tag`` to (or remove it from) every card of ``keys``; the cards whose tags changed.

    The change goes into the learner's tag overlay (:mod:`~quizcalc.study.learner_tags`),
    never into ``cards.tags``, so the next sync keeps it.
    """
    edits = load_tag_edits(session)
    changed: list[int] = []
    cards = _cards(session, keys)
    for card in cards:
        before = edits.get(card.card_id)
        had = tag in effective_tags(card.tags, before)
        if had == add:
            continue
        source = card.tags.split()
        edits[card.card_id] = (with_tag if add else without_tag)(source, before, tag)
        changed.append(card.id)
    if changed:
        save_tag_edits(session, edits)
    return BulkChange(tuple(changed), len(cards) - len(changed))
