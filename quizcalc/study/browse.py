"""Browse use cases: list cards through filters, a card's history, suspend and reset.

The queries run inside a session the caller opens (``StudyService`` wraps them in its
transactions). Problem instances are *not* regenerated here: a :class:`HistoryRow` carries the
seed, and the UI calls ``instance_for`` lazily in a worker when one is selected.

Reset (Anki's "Forget"): the schedule goes back to new (repetitions, interval and lapses 0,
easiness 2.5, no due day, no FSRS memory) and the reset is written to the review log as a row
of kind ``reset`` (not an answer: no statistic counts it; see
:mod:`~quizcalc.study.card_reset`), so a replay of the log keeps the card new. Earlier rows
are kept. :func:`reset_card` returns the schedule it replaced, and :func:`restore_schedule`
puts it back and removes the reset's row, so the UI can offer an undo.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizcalc.store.models import CardRecord, DeckRecord, ReviewLogRecord, ScheduleRecord
from quizcalc.study.browse_search import (
    SearchItem,
    SearchSyntaxError,
    asks_for_retired,
    parse_search,
    search_matches,
)
from quizcalc.study.card_counts import is_counted
from quizcalc.study.card_reset import remove_reset_rows, reset_state, write_reset_rows
from quizcalc.study.errors import CardNotFound, InvalidRequest
from quizcalc.study.learner_tags import effective_tags, load_tag_edits
from quizcalc.study.views import (
    BROWSE_SORTS,
    BrowseFilter,
    BrowseRow,
    CardDetail,
    HistoryRow,
    ScheduleSnapshot,
)

__all__ = [
    "browse_cards",
    "browse_sections",
    "card_history",
    "reset_card",
    "restore_schedule",
    "set_suspended",
    "snapshot_of",
]


def _sort_key(name: str) -> Callable[[BrowseRow], Any]:
    """The key sorting rows by column ``name`` (new cards' due day sorts after every date)."""
    keys: dict[str, Callable[[BrowseRow], Any]] = {
        "due": lambda r: (r.due is None, r.due or date.min),
        "interval": lambda r: r.interval,
        "ease": lambda r: r.easiness,
        "lapses": lambda r: r.lapses,
        "reviews": lambda r: r.reviews,
        "deck": lambda r: r.deck.casefold(),
        "section": lambda r: r.section.casefold(),
        "card": lambda r: r.question.casefold(),
        "tags": lambda r: " ".join(r.tags),
    }
    if name not in keys:
        raise InvalidRequest(f"cannot sort by {name!r}: sort by {', '.join(BROWSE_SORTS)}")
    return keys[name]


def browse_cards(
    session: Session, query: BrowseFilter, today: date, leech_threshold: int
) -> list[BrowseRow]:
    """Cards matching ``query`` (its text in the search syntax of
    :mod:`~quizcalc.study.browse_search`), in deck/reading order or sorted as asked; retired
    cards only when asked for. A search term not understood raises InvalidRequest."""
    try:
        terms = parse_search(query.text)
    except SearchSyntaxError as exc:
        raise InvalidRequest(str(exc)) from None
    sort_key = _sort_key(query.sort) if query.sort is not None else None
    stmt = (
        select(
            CardRecord.id,
            CardRecord.card_id,
            DeckRecord.name,
            CardRecord.section,
            CardRecord.kind,
            CardRecord.question,
            CardRecord.answer,
            CardRecord.status,
            CardRecord.tags,
            CardRecord.family,
            CardRecord.difficulty,
            CardRecord.flag,
            ScheduleRecord.due,
            ScheduleRecord.interval,
            ScheduleRecord.easiness,
            ScheduleRecord.lapses,
            ScheduleRecord.reviews,
        )
        .join(ScheduleRecord, ScheduleRecord.card_key == CardRecord.id)
        .join(DeckRecord, DeckRecord.id == CardRecord.deck_id)
        # nulls_first: drill-only skill cards (no source) first on every database, as SQLite
        # has always listed them (PostgreSQL sorts a NULL last unless told)
        .order_by(CardRecord.source_id.nulls_first(), CardRecord.position, CardRecord.id)
    )
    if query.section is not None:
        stmt = stmt.where(CardRecord.section == query.section)
    if query.kind is not None:
        stmt = stmt.where(CardRecord.kind == query.kind)
    if query.due:
        stmt = stmt.where(ScheduleRecord.due.is_not(None), ScheduleRecord.due <= today)
    if query.leech:
        stmt = stmt.where(ScheduleRecord.lapses >= leech_threshold)
    if query.suspended:
        stmt = stmt.where(CardRecord.status == "suspended")
    elif not (query.include_retired or asks_for_retired(terms)):
        stmt = stmt.where(is_counted())
    edits = load_tag_edits(session)
    rows = []
    # Plain columns, not ORM objects: building 20,000 mapped cards took seconds.
    for c in session.execute(stmt):
        row = BrowseRow(
            key=c.id,
            card_id=c.card_id,
            deck=c.name,
            section=c.section,
            kind=c.kind,
            question=c.question,
            status=c.status,
            due=c.due,
            interval=c.interval,
            easiness=c.easiness,
            lapses=c.lapses,
            reviews=c.reviews,
            leech=c.lapses >= leech_threshold,
            tags=effective_tags(c.tags, edits.get(c.card_id)),
            family=c.family,
            difficulty=c.difficulty,
            flag=c.flag,
        )
        if terms and not search_matches(terms, _item(row, c.answer), today):
            continue
        rows.append(row)
    if sort_key is not None:
        rows.sort(key=sort_key, reverse=query.descending)
    return rows


def _item(row: BrowseRow, answer: str) -> SearchItem:
    return SearchItem(
        question=row.question,
        answer=answer,
        card_id=row.card_id,
        deck=row.deck,
        section=row.section,
        tags=row.tags,
        kind=row.kind,
        family=row.family,
        status=row.status,
        due=row.due,
        reviews=row.reviews,
        leech=row.leech,
        flag=row.flag,
    )


def browse_sections(session: Session) -> list[str]:
    """The distinct non-blank sections of cards that are not retired, sorted."""
    return list(
        session.scalars(
            select(CardRecord.section)
            .where(is_counted(), CardRecord.section != "")
            .distinct()
            .order_by(CardRecord.section)
        )
    )


def _card(session: Session, card_key: int) -> CardRecord:
    card = session.get(CardRecord, card_key)
    if card is None:
        raise CardNotFound(f"no card with key {card_key}")
    return card


def snapshot_of(schedule: ScheduleRecord) -> ScheduleSnapshot:
    """A schedule row as plain data (what an undo writes back)."""
    return ScheduleSnapshot(
        repetitions=schedule.repetitions,
        easiness=schedule.easiness,
        interval=schedule.interval,
        due=schedule.due,
        lapses=schedule.lapses,
        reviews=schedule.reviews,
        last_reviewed_at=schedule.last_reviewed_at,
        stability=schedule.stability,
        difficulty=schedule.difficulty,
    )


def _cause_cards(session: Session, cause_ids: set[int]) -> dict[int, str]:
    """The card id of each review that gave an implicit credit, by its review-log id."""
    if not cause_ids:
        return {}
    rows = session.execute(
        select(ReviewLogRecord.id, CardRecord.card_id)
        .join(CardRecord, CardRecord.id == ReviewLogRecord.card_key)
        .where(ReviewLogRecord.id.in_(sorted(cause_ids)))
    )
    return {int(log_id): card_id for log_id, card_id in rows}


def card_history(session: Session, card_key: int) -> CardDetail:
    """A card's text, schedule and every review-log row, newest first: its answers, and the
    implicit credits (with the card that gave each) and resets between them."""
    card = _card(session, card_key)
    logs = list(
        session.scalars(
            select(ReviewLogRecord)
            .where(ReviewLogRecord.card_key == card_key)
            .order_by(ReviewLogRecord.reviewed_at.desc(), ReviewLogRecord.id.desc())
        )
    )
    causes = _cause_cards(session, {log.cause_id for log in logs if log.cause_id is not None})
    history = tuple(
        HistoryRow(
            log_id=log.id,
            reviewed_at=log.reviewed_at,
            study_day=log.study_day,
            kind=log.kind,
            quality=log.quality,
            answer_text=log.answer_text,
            duration_ms=log.duration_ms,
            seed=log.seed,
            misconception=log.misconception,
            after_interval=log.after_interval,
            after_due=log.after_due,
            weight=log.weight,
            cause_card_id=None if log.cause_id is None else causes.get(log.cause_id),
        )
        for log in logs
    )
    return CardDetail(
        key=card.id,
        card_id=card.card_id,
        deck=card.deck.name,
        section=card.section,
        kind=card.kind,
        question=card.question,
        answer=card.answer,
        status=card.status,
        tags=" ".join(effective_tags(card.tags, load_tag_edits(session).get(card.card_id))),
        source=card.source,
        line=card.line,
        family=card.family,
        difficulty=card.difficulty,
        schedule=snapshot_of(card.schedule),
        history=history,
    )


def set_suspended(session: Session, card_key: int, suspended: bool) -> str:
    """Suspend or unsuspend a card; returns its new status. A retired card cannot change."""
    card = _card(session, card_key)
    if card.status == "retired":
        raise InvalidRequest(
            f"card {card.card_id} is retired (removed from its file): it cannot be suspended"
        )
    card.status = "suspended" if suspended else "active"
    return card.status


def reset_card(session: Session, card_key: int, now: datetime, today: date) -> ScheduleSnapshot:
    """Put a card's schedule back to new and log the reset (a ``reset`` row at ``now``, on
    study day ``today``; earlier rows kept); returns the old schedule, with that row's id."""
    schedule = _card(session, card_key).schedule
    before = snapshot_of(schedule)
    schedule.state = reset_state(before)
    schedule.stability = None
    schedule.difficulty = None
    session.flush()
    return write_reset_rows(session, {card_key: before}, now, today)[card_key]


def restore_schedule(session: Session, card_key: int, snapshot: ScheduleSnapshot) -> None:
    """Undo a reset: write ``snapshot`` back as the card's schedule and remove the reset's
    log row (refused once the card was studied after the reset)."""
    schedule = _card(session, card_key).schedule
    remove_reset_rows(session, {card_key: snapshot})
    schedule.repetitions = snapshot.repetitions
    schedule.easiness = snapshot.easiness
    schedule.interval = snapshot.interval
    schedule.due = snapshot.due
    schedule.lapses = snapshot.lapses
    schedule.reviews = snapshot.reviews
    schedule.last_reviewed_at = snapshot.last_reviewed_at
    schedule.stability = snapshot.stability
    schedule.difficulty = snapshot.difficulty
