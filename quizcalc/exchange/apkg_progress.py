"""Schedules and review logs written into the collection genanki built (``--with-progress``).

genanki writes every card as new, so after it has filled the package's ``collection.anki2``
this module rewrites the ``cards`` rows it must and inserts ``revlog`` rows, the way Anki
itself stores them:

- **Day numbers.** Anki keeps a review card's ``due`` as days since the collection's creation
  day. The package's ``col.crt`` is set to local noon of :data:`DAY_ZERO` (noon, so the date
  is the same whatever the DST offset) and ``due`` is ``(study day - DAY_ZERO)``. Anki's
  importer shifts these numbers by the difference between the two collections' "today", so
  a card due in three days is due in three days in the learner's collection. Both programs
  roll the day over at 04:00 by default; a learner who moved quizcalc's rollover sees due
  dates relative to Anki's own.
- **Cards.** A card quizcalc has scheduled (it has a due day) becomes a review card
  (``type`` 2, ``queue`` 2): ``ivl`` the SM-2 interval in days (at least 1), ``factor`` the
  easiness x 1000 (SM-2's floor 1.3 is Anki's 1300), ``reps`` the reviews, ``lapses``. SM-2
  has no learning steps, so no card is written as learning. A card never scheduled stays
  new, in reading order. Suspended cards get ``queue`` -1 (keeping their ``type``). The card
  data carries ``lrt`` (the last review's time), which Anki's Check Database adds otherwise.
  A flagged card's flag goes into ``flags`` (progress or not, as suspension).
- **Review log.** One ``revlog`` row per answer: ``id`` the answer's time in ms (made unique),
  ``ease`` the SM-2 quality as Anki's button (0-2 Again, 3 Hard, 4 Good, 5 Easy), ``ivl`` and
  ``lastIvl`` the interval after and before (an Anki learning step's negative seconds, kept
  by the import, go back as they came), ``factor`` the easiness after x 1000 (0 for a
  learning step, as Anki logs it), ``time`` the answer time in ms (capped at Anki's 60 s).
  ``type``, the card's state when answered: a card's first schedule-moving answer is 0
  (learn), later ones 1 (review); an answer while the interval before is an Anki learning
  step is 0 (learn) on a card never recalled, else 2 (relearn); a same-day re-ask after a
  failure (``relearn``) is 2 (relearn); a drill answer that did not move the schedule is 3
  (filtered) with ``factor`` 0, as Anki logs a filtered-deck review that does not
  reschedule, so it shows in the history without counting as a scheduling review.
  A reset to new is logged as Anki logs a Forget: ``type`` 4 (manual), ``ease`` 0, ``ivl``
  0, ``lastIvl`` the interval it had, ``factor`` 0 (a new card's) and ``time`` 0 (or the
  time an imported Forget carried); it is not the card's last review (``lrt``). A Forget
  imported from Anki is such a reset row, so it goes back with its own id and fields. An
  implicit credit (a review of an encompassing skill counted for this one) was no answer to
  this card and Anki has no such row: it is not written.
  An Anki package imported and exported so writes every answer row back as Anki wrote it,
  and its other rows without an answer button (set due date, reschedule; kept apart from
  quizcalc's review log) go back with their own id, type and fields.

The package's scheduler version is set to 2 so Anki does not run its v1 upgrade on import
(which renumbers learning answers' buttons).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from quizcalc.exchange.model import (
    AnkiManualRow,
    ExchangeCard,
    ExchangeReview,
    ExchangeSchedule,
)

__all__ = [
    "DAY_ZERO",
    "IMPLICIT_KIND",
    "MAX_ANSWER_MS",
    "RESET_KIND",
    "CardState",
    "anki_ease",
    "prepare_collection",
    "revlog_type",
    "write_card_states",
]

DAY_ZERO = date(2020, 1, 1)
"""The package collection's creation day (earlier if a due day precedes it)."""

MAX_ANSWER_MS = 60_000
"""Anki caps an answer's recorded time at 60 seconds."""

_NEW, _REVIEW = 0, 2
_SUSPENDED = -1
_LEARN, _REVIEW_LOG, _RELEARN, _FILTERED, _MANUAL = 0, 1, 2, 3, 4

RESET_KIND = "reset"
"""The review-log kind of a reset to new: written as Anki's Forget (manual, ease 0)."""

IMPLICIT_KIND = "implicit"
"""The review-log kind of an implicit credit: no answer, so no Anki row."""


@dataclass(frozen=True)
class CardState:
    """What to write onto one Anki card: which note and template, and from which card."""

    guid: str
    """The Anki note's GUID."""
    ord: int
    """The card's template (or cloze deletion ``N - 1``) ordinal."""
    card: ExchangeCard
    """The quizcalc card this Anki card stands for."""
    with_progress: bool
    """Carry the card's schedule and review log (one instance of a problem card does)."""


def anki_ease(quality: int) -> int:
    """Anki's answer button for an SM-2 quality: 0-2 Again (1), 3 Hard, 4 Good, 5 Easy (4)."""
    return 1 if quality <= 2 else min(quality - 1, 4)


def _moved(review: ExchangeReview) -> bool:
    before, after = review.before, review.after
    return (before.repetitions, before.easiness, before.interval, before.due) != (
        after.repetitions,
        after.easiness,
        after.interval,
        after.due,
    )


def revlog_type(review: ExchangeReview) -> int:
    """Anki's revlog ``type`` for one answer, or for a reset (see the module notes)."""
    if review.kind == RESET_KIND:
        return _MANUAL
    if review.kind == "relearn":
        return _RELEARN
    if review.kind == "drill" and not _moved(review):
        return _FILTERED
    before = review.before
    if before.interval < 0:  # an Anki learning step (seconds): learning or relearning
        recalled = before.repetitions > 0 or before.lapses > 0
        return _RELEARN if recalled else _LEARN
    first = before.due is None and before.repetitions == 0
    return _LEARN if first else _REVIEW_LOG


def _day_zero(cards: Iterable[ExchangeCard]) -> date:
    days = [c.schedule.due for c in cards if c.schedule is not None and c.schedule.due]
    return min([DAY_ZERO, *days])


def _crt(day_zero: date) -> int:
    """Local noon of ``day_zero`` as a Unix time: its local date is ``day_zero`` in any DST."""
    return int(datetime.combine(day_zero, time(12)).astimezone().timestamp())


def prepare_collection(cursor: sqlite3.Cursor, cards: Iterable[ExchangeCard]) -> date:
    """Set the scheduler version and creation time; return the creation day used for dues."""
    day_zero = _day_zero(cards)
    (conf_text,) = cursor.execute("SELECT conf FROM col").fetchone()
    conf = json.loads(conf_text)
    conf["schedVer"] = 2
    cursor.execute("UPDATE col SET crt = ?, conf = ?", (_crt(day_zero), json.dumps(conf)))
    return day_zero


def _card_row(
    schedule: ExchangeSchedule | None, suspended: bool, last_review_ms: int | None, day0: date
) -> tuple[int, int, int | None, int, int, int, int, str]:
    """(type, queue, due or None to keep, ivl, factor, reps, lapses, data)."""
    data = json.dumps({"lrt": last_review_ms // 1000}) if last_review_ms else "{}"
    if schedule is None or schedule.due is None:
        queue = _SUSPENDED if suspended else _NEW
        reps = schedule.reviews if schedule else 0
        lapses = schedule.lapses if schedule else 0
        return _NEW, queue, None, 0, 0, reps, lapses, "{}"
    return (
        _REVIEW,
        _SUSPENDED if suspended else _REVIEW,
        (schedule.due - day0).days,
        max(schedule.interval, 1),
        round(schedule.easiness * 1000),
        schedule.reviews,
        schedule.lapses,
        data,
    )


def _revlog_rows(
    cid: int, reviews: Sequence[ExchangeReview], used: set[int]
) -> tuple[list[tuple[int, ...]], int | None]:
    rows: list[tuple[int, ...]] = []
    last: int | None = None
    for review in reviews:
        if review.kind == IMPLICIT_KIND:
            continue
        stamp = int(review.reviewed_at.timestamp() * 1000)
        while stamp in used:
            stamp += 1
        used.add(stamp)
        kind = revlog_type(review)
        if kind == _MANUAL:
            taken = max(review.duration_ms or 0, 0)
            rows.append((stamp, cid, -1, 0, 0, review.before.interval, 0, taken, _MANUAL))
            continue
        step = kind == _LEARN and review.after.interval < 0  # Anki logs no ease for a step
        factor = 0 if kind == _FILTERED or step else round(review.after.easiness * 1000)
        answer_ms = min(max(review.duration_ms or 0, 0), MAX_ANSWER_MS)
        rows.append(
            (
                stamp,
                cid,
                -1,
                anki_ease(review.quality),
                review.after.interval,
                review.before.interval,
                factor,
                answer_ms,
                kind,
            )
        )
        if kind != _FILTERED:
            last = stamp if last is None else max(last, stamp)
    return rows, last


def _manual_revlog_rows(
    cid: int, manual: Sequence[AnkiManualRow], used: set[int]
) -> list[tuple[int, ...]]:
    """Anki's rows without an answer button, back with their own id, type and fields."""
    rows: list[tuple[int, ...]] = []
    for row in manual:
        stamp = row.anki_id
        while stamp in used:
            stamp += 1
        used.add(stamp)
        rows.append(
            (stamp, cid, -1, row.ease, row.ivl, row.last_ivl, row.factor, row.time_ms, row.type)
        )
    return rows


def write_card_states(
    cursor: sqlite3.Cursor, states: Sequence[CardState], day0: date, with_progress: bool
) -> int:
    """Rewrite the cards genanki wrote as ``states`` say; return the revlog rows inserted.

    Without progress only suspension (``queue`` -1) and flags are written.
    """
    ids = {
        (guid, ord_): cid
        for cid, guid, ord_ in cursor.execute(
            "SELECT cards.id, notes.guid, cards.ord FROM cards JOIN notes ON notes.id = cards.nid"
        )
    }
    used: set[int] = set()
    updates: list[tuple[object, ...]] = []
    dueless: list[tuple[object, ...]] = []
    revlog: list[tuple[int, ...]] = []
    flags: list[tuple[int, int]] = []
    for state in states:
        cid = ids.get((state.guid, state.ord))
        if cid is None:
            continue
        card = state.card
        if card.flag:
            flags.append((card.flag & 0b111, cid))
        if not (with_progress and state.with_progress):
            if card.suspended:
                dueless.append((_NEW, _SUSPENDED, 0, 0, 0, 0, "{}", cid))
            continue
        revlog.extend(_manual_revlog_rows(cid, card.manual, used))
        rows, last = _revlog_rows(cid, card.reviews, used)
        revlog.extend(rows)
        ctype, queue, due, ivl, factor, reps, lapses, data = _card_row(
            card.schedule, card.suspended, last, day0
        )
        if due is None:
            dueless.append((ctype, queue, ivl, factor, reps, lapses, data, cid))
        else:
            updates.append((ctype, queue, due, ivl, factor, reps, lapses, data, cid))
    cursor.executemany(
        "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?,"
        " lapses = ?, data = ? WHERE id = ?",
        updates,
    )
    cursor.executemany(
        "UPDATE cards SET type = ?, queue = ?, ivl = ?, factor = ?, reps = ?, lapses = ?,"
        " data = ? WHERE id = ?",
        dueless,
    )
    cursor.executemany("INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", revlog)
    cursor.executemany("UPDATE cards SET flags = ? WHERE id = ?", flags)
    return len(revlog)
