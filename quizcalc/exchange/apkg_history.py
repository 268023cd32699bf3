"""Anki's review history and schedules, as exchange records (read from an ``.apkg``).

History (:attr:`~quizcalc.exchange.ForeignDeck.progress`, applied only with
``--with-progress``): each revlog row becomes a review with quality from Anki's button (Again
1, Hard 3, Good 4, Easy 5).

Rows without a button are not answers. A Forget (Anki's "Reset"/"Forget": ``type`` 4 manual,
``ease`` 0, ``ivl`` 0 and ``factor`` 0, the row Anki's own FSRS treats as a reset) of a card
answered since its start or its last reset put the card back to new: it becomes a ``reset``
row of the review log, as a reset made in quizcalc is, so a replay of the log starts the card
over there; an export writes it back as Anki logged it (same id, ``lastIvl`` the interval it
had, ``time`` as logged). The others are kept apart (:attr:`ExchangeCard.manual`), as Anki
wrote them, for an export to give back, because none of them is a step a replay could take:

- a "set due date" (``type`` 4 with the card's ease in ``factor``) moved the due day by hand
  and left what the learner knows alone: no recall to learn from, and SM-2 and FSRS have no
  step for it (the imported schedule is Anki's card itself, due day included; a later switch
  of scheduler rebuilds the due day from the answers);
- a ``type`` 5 row is Anki rescheduling due days by itself after FSRS's parameters or desired
  retention changed: derived from the answers, which quizcalc's schedulers read directly;
- a Forget of a card that was new already changed nothing (quizcalc logs no reset for one).

The schedule before and after each row is rebuilt from the row: the interval before is its
``lastIvl``, the interval after its ``ivl`` — both as Anki wrote them, a learning step's
negative number of seconds included, so an export writes the row back unchanged — and the
ease as Anki set it (repetitions count successful day-level recalls, a lapse is a failed
answer on a card with repetitions; a learning step is due the same day; after a Forget, a new
card's), and the final schedule is the card's own (interval, ease, lapses, due day). Times
become study days in this computer's time zone with the default 04:00 rollover; Anki's due
days (counted from the collection's creation day) become dates the same way. A suspended card
is marked so its status follows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from quizcalc.cards.model import Card
from quizcalc.config import Config
from quizcalc.exchange.apkg_progress import RESET_KIND
from quizcalc.exchange.apkg_reader import AnkiCard, AnkiCollection, AnkiReview
from quizcalc.exchange.model import (
    AnkiManualRow,
    ExchangeCard,
    ExchangeReview,
    ExchangeSchedule,
)

__all__ = [
    "ANKI_QUALITY",
    "card_history",
    "is_forget",
    "manual_rows",
    "resets",
    "reviews_from_revlog",
]

ANKI_QUALITY = {1: 1, 2: 3, 3: 4, 4: 5}
"""Anki's answer buttons (Again, Hard, Good, Easy) as SM-2 qualities (below 3 fails)."""

ROLLOVER_HOUR = Config().rollover_hour
"""Study days of imported reviews start at the default rollover hour."""

_EPOCH_SECONDS = 1_000_000_000
"""A learning card's ``due`` above this is a time in seconds, below it a day number."""


def _local_day(moment: datetime) -> date:
    # As quizcalc.scheduling.study_day.study_day, in this computer's time zone (exchange sits below
    # the study layer, so it does not import it).
    return (moment.astimezone() - timedelta(hours=ROLLOVER_HOUR)).date()


def _collection_day(created: int, day_number: int) -> date:
    start = datetime.fromtimestamp(created, UTC).astimezone().date() if created else date.today()
    return start + timedelta(days=day_number)


def _due(card: AnkiCard, created: int) -> date | None:
    due = card.original_due if card.original_deck_id and card.original_due else card.due
    if card.type == 0:
        return None
    if card.type in (1, 3) and due > _EPOCH_SECONDS:
        return _local_day(datetime.fromtimestamp(due, UTC))
    return _collection_day(created, due)


_MANUAL = 4
"""Anki's revlog ``type`` of a row the learner wrote by hand (set due date, Forget)."""


def is_forget(row: AnkiReview) -> bool:
    """Whether ``row`` is Anki's Forget: the card went back to new (``type`` 4, no button, no
    interval and no ease: Anki's ``RevlogEntry::is_reset``; a "set due date" keeps an ease)."""
    return (row.type, row.ease, row.interval, row.factor) == (_MANUAL, 0, 0, 0)


def _is_answer(row: AnkiReview) -> bool:
    return row.ease in ANKI_QUALITY and row.type < _MANUAL


def resets(rows: list[AnkiReview]) -> set[int]:
    """The ids of the Forgets among one card's rows (oldest first) that returned it to new:
    those with an answer since the first row or the last such Forget. A Forget of a card that
    was new already changed nothing (quizcalc logs no reset then), so it stays a manual row."""
    found: set[int] = set()
    answered = False
    for row in rows:
        if _is_answer(row):
            answered = True
        elif is_forget(row) and answered:
            found.add(row.id)
            answered = False
    return found


def _forget(row: AnkiReview, state: ExchangeSchedule) -> ExchangeReview:
    """A Forget as a ``reset`` row: from the state it met to a new card's (count of reviews and
    time of the last one kept, as a reset in quizcalc keeps them)."""
    reviewed_at = datetime.fromtimestamp(row.id / 1000, UTC)
    return ExchangeReview(
        reviewed_at=reviewed_at,
        study_day=_local_day(reviewed_at),
        quality=0,
        kind=RESET_KIND,
        before=replace(state, interval=row.last_interval),
        after=ExchangeSchedule(reviews=state.reviews, last_reviewed_at=state.last_reviewed_at),
        duration_ms=row.time_ms if row.time_ms > 0 else None,
    )


def reviews_from_revlog(rows: list[AnkiReview]) -> tuple[list[ExchangeReview], ExchangeSchedule]:
    """Anki's revlog rows for one card as reviews, oldest first, and the state they end in.

    A Forget that returned the card to new is a ``reset`` row (:func:`resets`); the other rows
    without an answer button (set due date, rescheduled, a Forget of a card new already) are
    left out (see :func:`manual_rows`). A learning step's
    interval (negative: seconds) is kept as Anki wrote it.
    """
    state = ExchangeSchedule()
    reviews: list[ExchangeReview] = []
    forgets = resets(rows)
    for row in rows:
        if row.id in forgets:
            reviews.append(_forget(row, state))
            state = reviews[-1].after
            continue
        quality = ANKI_QUALITY.get(row.ease)
        if quality is None or row.type >= 4:
            continue
        reviewed_at = datetime.fromtimestamp(row.id / 1000, UTC)
        day = _local_day(reviewed_at)
        interval = row.interval
        before = replace(state, interval=row.last_interval)
        if quality < 3:
            repetitions = 0
        elif row.interval > 0:
            repetitions = state.repetitions + 1
        else:
            repetitions = state.repetitions  # a learning step: still on the same day
        lapses = state.lapses + (1 if quality < 3 and state.repetitions > 0 else 0)
        easiness = max(row.factor / 1000, 1.3) if row.factor > 0 else state.easiness
        after = ExchangeSchedule(
            repetitions=repetitions,
            easiness=easiness,
            interval=interval,
            due=day + timedelta(days=max(interval, 0)),
            lapses=lapses,
            reviews=state.reviews + 1,
            last_reviewed_at=reviewed_at,
        )
        reviews.append(
            ExchangeReview(
                reviewed_at=reviewed_at,
                study_day=day,
                quality=quality,
                kind="review",
                before=before,
                after=after,
                duration_ms=row.time_ms if row.time_ms > 0 else None,
            )
        )
        state = after
    return reviews, state


def manual_rows(rows: list[AnkiReview]) -> tuple[AnkiManualRow, ...]:
    """One card's revlog rows without an answer button, except the Forgets that are ``reset``
    rows of :func:`reviews_from_revlog` (set due date, rescheduled, …), as written."""
    forgets = resets(rows)
    return tuple(
        AnkiManualRow(
            anki_id=row.id,
            ease=row.ease,
            ivl=row.interval,
            last_ivl=row.last_interval,
            factor=row.factor,
            time_ms=row.time_ms,
            type=row.type,
        )
        for row in rows
        if not _is_answer(row) and row.id not in forgets
    )


def card_history(card: Card, anki: AnkiCard, collection: AnkiCollection) -> ExchangeCard | None:
    """``card``'s history from Anki's ``anki`` card and its revlog rows, or None if it has none.

    None for a new card with no answers, no manual rows, not suspended and not flagged; a new
    card's schedule is empty (only its review count).
    """
    rows = collection.reviews.get(anki.id, [])
    reviews, state = reviews_from_revlog(rows)
    answers = [review for review in reviews if review.kind != RESET_KIND]
    manual = manual_rows(rows)
    suspended = anki.queue == -1
    flag = anki.flags & 0b111
    if anki.type == 0 and not reviews and not manual and not suspended and not flag:
        return None
    schedule = ExchangeSchedule(
        repetitions=state.repetitions,
        easiness=max(anki.factor / 1000, 1.3) if anki.factor > 0 else state.easiness,
        interval=max(anki.interval, 0),
        due=_due(anki, collection.created),
        lapses=anki.lapses,
        reviews=len(answers),
        last_reviewed_at=answers[-1].reviewed_at if answers else None,
    )
    if anki.type == 0:
        schedule = ExchangeSchedule(reviews=len(answers))
    return ExchangeCard(
        card_id=card.id,
        kind=card.kind.value,
        deck=card.deck,
        question=card.question,
        answer=card.answer,
        section=card.section,
        tags=card.tags,
        note=card.note,
        cloze_number=card.cloze_number,
        suspended=suspended,
        flag=flag,
        schedule=schedule,
        reviews=tuple(reviews),
        manual=manual,
    )
