"""Changes to several cards at once (Browse's selection): suspend, reset, add or remove a tag.

Each function runs inside the caller's one write transaction, so a selection changes whole or
not at all. Each returns what an undo needs: the keys it changed (a suspend is undone by the
opposite call on them, a tag by removing it from them) or, for a reset, the schedules it
replaced (:func:`restore_schedules` writes them back).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from quizcalc.scheduling.answer import CARD_STATE_FIELDS, CardState
from quizcalc.store.models import CardRecord, ScheduleRecord
from quizcalc.study.batches import batches
from quizcalc.study.card_reset import remove_reset_rows, reset_state, write_reset_rows
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


CHUNK = 500
"""Card keys per ``IN (…)`` query (SQLite caps the number of bound parameters)."""


@dataclass(frozen=True)
class _Card:
    key: int
    card_id: str
    status: str
    tags: str


def _cards(session: Session, keys: Iterable[int]) -> list[_Card]:
    """The cards of ``keys`` (each once, in that order); CardNotFound if one has gone.

    Plain columns, a chunk of keys per query: loading 20,000 mapped cards one by one held
    the write lock for seconds.
    """
    wanted = list(dict.fromkeys(keys))
    columns = (CardRecord.id, CardRecord.card_id, CardRecord.status, CardRecord.tags)
    found: dict[int, _Card] = {}
    for chunk in batches(wanted, CHUNK):
        for row in session.execute(select(*columns).where(CardRecord.id.in_(chunk))):
            found[row.id] = _Card(row.id, row.card_id, row.status, row.tags)
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
    target = "suspended" if suspended else "active"
    cards = _cards(session, keys)
    changed = [c.key for c in cards if c.status not in ("retired", target)]
    retired = sum(1 for c in cards if c.status == "retired")
    for chunk in batches(changed, CHUNK):
        session.execute(update(CardRecord).where(CardRecord.id.in_(chunk)).values(status=target))
    refused = (
        (f"{retired} retired card{'s' if retired != 1 else ''} (removed from the file) left as is",)
        if retired
        else ()
    )
    return BulkChange(tuple(changed), len(cards) - len(changed) - retired, refused)


def reset_cards(
    session: Session, keys: Sequence[int], now: datetime, today: date
) -> dict[int, ScheduleSnapshot]:
    """Reset every card of ``keys`` to new and log each reset (a ``reset`` row at ``now``, on
    study day ``today``; earlier rows kept); the schedules it replaced, by key, each with the
    id of its reset row."""
    before = _snapshots(session, [c.key for c in _cards(session, keys)])
    new = [{"card_key": key} | _values(reset_state(old)) for key, old in before.items()]
    _write_schedules(session, new)
    return write_reset_rows(session, before, now, today)


def restore_schedules(session: Session, snapshots: Mapping[int, ScheduleSnapshot]) -> None:
    """Undo :func:`reset_cards`: write each snapshot back and remove the resets' log rows
    (refused, nothing changed, once a card was studied after its reset)."""
    _cards(session, snapshots)  # every card is still there
    remove_reset_rows(session, snapshots)
    _write_schedules(session, [{"card_key": k} | _values(s) for k, s in snapshots.items()])


def _values(state: CardState | ScheduleSnapshot) -> dict[str, object]:
    """The schedule columns of ``state`` (a snapshot holds them all, and its reset row's id)."""
    return {name: getattr(state, name) for name in CARD_STATE_FIELDS}


def _snapshots(session: Session, keys: Sequence[int]) -> dict[int, ScheduleSnapshot]:
    columns = [getattr(ScheduleRecord, name) for name in CARD_STATE_FIELDS]
    found: dict[int, ScheduleSnapshot] = {}
    for chunk in batches(keys, CHUNK):
        query = select(ScheduleRecord.card_key, *columns).where(ScheduleRecord.card_key.in_(chunk))
        for row in session.execute(query):
            state = {name: getattr(row, name) for name in CARD_STATE_FIELDS}
            found[row.card_key] = ScheduleSnapshot(**state)
    return {key: found[key] for key in keys if key in found}


def _write_schedules(session: Session, rows: list[dict[str, object]]) -> None:
    """UPDATE by primary key in bulk (one statement per chunk, no objects loaded)."""
    for start in range(0, len(rows), CHUNK):
        session.execute(update(ScheduleRecord), rows[start : start + CHUNK])


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
        changed.append(card.key)
    if changed:
        save_tag_edits(session, edits)
    return BulkChange(tuple(changed), len(cards) - len(changed))
