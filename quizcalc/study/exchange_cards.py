"""Read the store's cards as :class:`ExchangeCard` records for an export.

Retired cards (removed from their files) are not exported; suspended ones are, marked so.
Schedules and review logs (and the Anki rows without an answer button kept apart, schema
0008) are read only when progress travels with the export.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizcalc.exchange.model import (
    AnkiManualRow,
    ExchangeCard,
    ExchangeReview,
    ExchangeSchedule,
    ExportOptions,
)
from quizcalc.store.models import (
    AnkiRevlogExtraRecord,
    CardRecord,
    DeckRecord,
    ReviewLogRecord,
    ScheduleRecord,
)
from quizcalc.study.anki_identity import identities
from quizcalc.study.anki_renderings import StoredHtml, render, stored_html
from quizcalc.study.export_selection import exchange_card, section_matches, selected
from quizcalc.study.learner_tags import load_tag_edits
from quizcalc.study.problem_instances import stored_instances

__all__ = ["read_exchange_cards", "read_export_cards", "section_matches"]


_KEYS_PER_QUERY = 500
"""Card keys per ``IN (…)`` query (SQLite's bound-parameter limit is far above)."""

_COLUMNS = (
    CardRecord.id,
    CardRecord.card_id,
    CardRecord.kind,
    CardRecord.question,
    CardRecord.answer,
    CardRecord.section,
    CardRecord.tags,
    CardRecord.note,
    CardRecord.cloze_number,
    CardRecord.family,
    CardRecord.difficulty,
    CardRecord.status,
    CardRecord.flag,
    CardRecord.anki_guid,
    CardRecord.anki_ord,
    CardRecord.note_type_id,
    CardRecord.anki_fields,
)
"""What an export reads of a card (with its deck's name), as columns, not ORM objects."""


def _schedule(record: ScheduleRecord | None) -> ExchangeSchedule:
    if record is None:
        return ExchangeSchedule()
    return ExchangeSchedule(
        repetitions=record.repetitions,
        easiness=record.easiness,
        interval=record.interval,
        due=record.due,
        lapses=record.lapses,
        reviews=record.reviews,
        last_reviewed_at=record.last_reviewed_at,
    )


_REVIEW_COLUMNS = tuple(
    getattr(ReviewLogRecord, name)
    for name in (
        "card_key",
        "reviewed_at",
        "study_day",
        "quality",
        "kind",
        "before_repetitions",
        "before_easiness",
        "before_interval",
        "before_due",
        "before_lapses",
        "after_repetitions",
        "after_easiness",
        "after_interval",
        "after_due",
        "answer_text",
        "duration_ms",
        "seed",
        "misconception",
    )
)
"""What an export reads of a review-log row, as columns."""


def _review(row: Any) -> ExchangeReview:
    """A review-log row (its :data:`_REVIEW_COLUMNS`) as the export's record."""
    return ExchangeReview(
        reviewed_at=row.reviewed_at,
        study_day=row.study_day,
        quality=row.quality,
        kind=row.kind,
        before=ExchangeSchedule(
            repetitions=row.before_repetitions,
            easiness=row.before_easiness,
            interval=row.before_interval,
            due=row.before_due,
            lapses=row.before_lapses,
        ),
        after=ExchangeSchedule(
            repetitions=row.after_repetitions,
            easiness=row.after_easiness,
            interval=row.after_interval,
            due=row.after_due,
        ),
        answer_text=row.answer_text,
        duration_ms=row.duration_ms,
        seed=row.seed,
        misconception=row.misconception,
    )


def _reviews_by_card(session: Session, keys: Sequence[int]) -> dict[int, list[ExchangeReview]]:
    """The review log of the selected cards only, oldest first (read in chunks of keys)."""
    found: dict[int, list[ExchangeReview]] = defaultdict(list)
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        chunk = keys[start : start + _KEYS_PER_QUERY]
        query = (
            select(*_REVIEW_COLUMNS)
            .where(ReviewLogRecord.card_key.in_(chunk))
            .order_by(ReviewLogRecord.reviewed_at, ReviewLogRecord.id)
        )
        for row in session.execute(query):  # rows, not ORM objects: a million of them
            found[row.card_key].append(_review(row))
    return found


def _schedules_by_card(session: Session, keys: Sequence[int]) -> dict[int, ScheduleRecord]:
    """The schedules of the selected cards (read in chunks of keys)."""
    found: dict[int, ScheduleRecord] = {}
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        chunk = keys[start : start + _KEYS_PER_QUERY]
        query = select(ScheduleRecord).where(ScheduleRecord.card_key.in_(chunk))
        found.update((row.card_key, row) for row in session.scalars(query))
    return found


def _manual_by_card(session: Session, keys: Sequence[int]) -> dict[int, list[AnkiManualRow]]:
    """The Anki rows without an answer button kept for the selected cards, oldest first."""
    found: dict[int, list[AnkiManualRow]] = defaultdict(list)
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        chunk = keys[start : start + _KEYS_PER_QUERY]
        query = (
            select(AnkiRevlogExtraRecord)
            .where(AnkiRevlogExtraRecord.card_key.in_(chunk))
            .order_by(AnkiRevlogExtraRecord.anki_id, AnkiRevlogExtraRecord.id)
        )
        for row in session.scalars(query):
            found[row.card_key].append(
                AnkiManualRow(
                    anki_id=row.anki_id,
                    ease=row.ease,
                    ivl=row.ivl,
                    last_ivl=row.last_ivl,
                    factor=row.factor,
                    time_ms=row.time_ms,
                    type=row.type,
                )
            )
    return found


def read_exchange_cards(session: Session, options: ExportOptions) -> list[ExchangeCard]:
    """The cards ``options`` selects, in deck, file and reading order.

    Raises :class:`ExchangeError` when a deck or section filter matches nothing, naming what
    exists instead.
    """
    return _read(session, options, with_html=False)[0]


def read_export_cards(
    session: Session, options: ExportOptions, *, with_instances: bool = True
) -> tuple[list[ExchangeCard], list[dict[str, Any]]]:
    """:func:`read_exchange_cards`, each card with its Anki HTML (``ExchangeCard.html``) and,
    ``with_instances``, a problem card with its static instances (``ExchangeCard.instances``).

    What was stored is used where it is current; the rest is made now and returned as
    ``card_renderings`` rows, for the caller to store in a write transaction.
    """
    return _read(session, options, with_html=True, with_instances=with_instances)


def _read(
    session: Session,
    options: ExportOptions,
    *,
    with_html: bool,
    with_instances: bool = False,
) -> tuple[list[ExchangeCard], list[dict[str, Any]]]:
    query = (
        select(*_COLUMNS, DeckRecord.name.label("deck_name"))
        .join(DeckRecord, CardRecord.deck_id == DeckRecord.id)
        .where(CardRecord.status != "retired")
        .order_by(DeckRecord.name, CardRecord.source, CardRecord.position, CardRecord.id)
    )
    # plain rows: ORM objects cost a third of an export
    records = selected(list(session.execute(query)), options)
    keys = [r.id for r in records]
    reviews = _reviews_by_card(session, keys) if options.with_progress else {}
    schedules = _schedules_by_card(session, keys) if options.with_progress else {}
    manual = _manual_by_card(session, keys) if options.with_progress else {}
    anki = identities(session, records)
    tag_edits = load_tag_edits(session)  # the learner's own tags go with the file's
    stored, fresh = StoredHtml(), list[dict[str, Any]]()
    if with_html:
        stored = stored_html(session, records)
        fresh = render(stored.missing)
        stored.add(fresh)
    cards = [
        exchange_card(
            r,
            tag_edits,
            stored.html.get(r.id, {}),
            schedule=_schedule(schedules.get(r.id)) if options.with_progress else None,
            reviews=tuple(reviews.get(r.id, ())),
            manual=tuple(manual.get(r.id, ())),
            anki=anki.get(r.id),
        )
        for r in records
    ]
    if with_instances:
        problems = [(r.id, card) for r, card in zip(records, cards, strict=True)]
        problems = [(key, card) for key, card in problems if card.kind == "problem"]
        made = stored_instances(session, problems, options.instances, options.seed)
        cards = [
            replace(card, instances=made.fields[r.id]) if r.id in made.fields else card
            for r, card in zip(records, cards, strict=True)
        ]
        fresh.extend(made.fresh)
    return cards, fresh
