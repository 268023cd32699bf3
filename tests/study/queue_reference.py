"""The reference for today's queue: ``quizcalc.study.queue`` as it was before Step 9, frozen.

It ranks every deck's candidates with window functions over all cards, in statements SQLite
plans from the cards' status index: slow at 50,000 cards, but plainly right. The fast queue
must give exactly its answer (``test_queue_equivalence.py``). Not product code: nothing in
``quizcalc`` imports it.

Original docstring follows.

Today's queue: relearn cards (SM-2 step 7), then due reviews, then new cards.

Everything is derived from the database (schedule + today's review log), so quitting and
restarting the same day resumes exactly where the learner was.

The queue is written once, as plain SQL plus one pure function, and run through a ``RunSQL``
callable. The study service runs it through SQLAlchemy; the start-up fast path
(:mod:`quizcalc.study.first_card`) runs the very same statements through the stdlib ``sqlite3``
driver, so the first card can be on screen before SQLAlchemy has finished importing. This
module must therefore stay free of SQLAlchemy imports.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import zip_longest
from typing import Any

from quizcalc.cards.model import CardKind
from quizcalc.config import Config
from quizcalc.problems.catalog import FAMILY_NAMES
from quizcalc.scheduling.sm2 import RELEARN_UNTIL_QUALITY
from quizcalc.study.daily_limits import DeckAllowance, deck_allowances
from quizcalc.study.queue import TodayQueue
from quizcalc.study.scope import EVERYTHING, IN_SCOPE, StudyScope

__all__ = ["COUNTS_BY_SECTION", "build_queue"]

RunSQL = Callable[[str, Mapping[str, Any]], Sequence[Sequence[Any]]]
"""Runs one SQL statement with named (``:name``) parameters and returns its rows."""

FLASHCARD_KINDS = (CardKind.BASIC.value, CardKind.CLOZE.value)
"""Card kinds the daily queue serves as they are."""


def _sql_list(names: tuple[str, ...]) -> str:
    return "(" + ", ".join("'" + name.replace("'", "''") + "'" for name in names) + ")"


SERVABLE = (
    f"(c.kind IN {_sql_list(FLASHCARD_KINDS)} OR "
    f"(c.kind = '{CardKind.PROBLEM.value}' AND c.family IN {_sql_list(FAMILY_NAMES)}))"
)
"""SQL condition on ``cards AS c``: flashcards, and problem skills whose family exists
(a problem block naming an unknown family is stored, reported by lint, but never served)."""

_TODAY = "study_day = :today AND kind != 'drill'"

UNBURIED = "\n  AND (s.buried_until IS NULL OR s.buried_until <= :today)"
"""SQL condition on ``schedule AS s``: not buried by hand (the reviewer's bury), or buried
until a day that has come: a buried card comes back by date, with nothing to run."""

TODAY_LOG_IDS = f"SELECT id FROM review_log WHERE {_TODAY} ORDER BY id"

FAILING_TODAY = f"""
SELECT l.card_key, l.id FROM review_log AS l
JOIN (SELECT card_key, MAX(id) AS last_id FROM review_log WHERE {_TODAY} GROUP BY card_key)
     AS latest ON latest.last_id = l.id
JOIN cards AS c ON c.id = l.card_key
JOIN schedule AS s ON s.card_key = c.id
WHERE l.quality < {RELEARN_UNTIL_QUALITY} AND c.status = 'active' AND {IN_SCOPE}{UNBURIED}
ORDER BY l.id
"""

DONE_TODAY = """
SELECT
  COALESCE(SUM(CASE WHEN before_due IS NOT NULL THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN before_due IS NULL THEN 1 ELSE 0 END), 0)
FROM review_log WHERE study_day = :today AND kind = 'review'
"""

_ACTIVE = f"""
FROM cards AS c JOIN schedule AS s ON s.card_key = c.id
WHERE c.status = 'active' AND {SERVABLE} AND {IN_SCOPE}{UNBURIED}
"""

_SIBLING_NOT_SEEN_TODAY = """
  AND NOT (c.kind = 'cloze' AND EXISTS (
    SELECT 1 FROM review_log AS r JOIN cards AS sibling ON sibling.id = r.card_key
    WHERE r.study_day = :today AND r.kind != 'drill'
      AND sibling.kind = 'cloze' AND sibling.id != c.id
      AND sibling.source = c.source AND sibling.line = c.line))
"""
"""Anki's burying: once one cloze of a note (same file and line) was answered today, its
siblings wait for another day, so one deletion does not give the other away."""

_DUE = f"""
    AND s.due IS NOT NULL AND s.due <= :today
    AND c.id NOT IN (SELECT card_key FROM review_log WHERE {_TODAY}){_SIBLING_NOT_SEEN_TODAY}"""
_DUE_ORDER = "s.due, c.source_id, c.position, c.id"
_NEW = f"""
    AND s.due IS NULL{_SIBLING_NOT_SEEN_TODAY}"""
_NEW_ORDER = "c.source_id, c.position, c.id"

DUE_CARDS = f"""
SELECT id, deck_id FROM (
  SELECT c.id, c.deck_id, s.due, c.source_id, c.position, ROW_NUMBER() OVER (
    PARTITION BY c.deck_id ORDER BY {_DUE_ORDER}) AS deck_rank
  {_ACTIVE}{_DUE}
) WHERE deck_rank <= :limit
ORDER BY due, source_id, position, id
"""
"""Each deck's most overdue reviews (at most ``:limit`` a deck), most overdue first."""

DUE_CARDS_OF_DECK = f"""
SELECT c.id, c.deck_id {_ACTIVE} AND c.deck_id = :deck{_DUE}
ORDER BY {_DUE_ORDER}
LIMIT :limit
"""
"""One deck's most overdue reviews: when only that deck may show any more today (a single
top-N, cheaper than ranking every deck's)."""

NEW_CARDS = f"""
SELECT id, deck_id FROM (
  SELECT c.id, c.deck_id, c.source_id, c.position, ROW_NUMBER() OVER (
    PARTITION BY c.deck_id ORDER BY {_NEW_ORDER}) AS deck_rank
  {_ACTIVE}{_NEW}
) WHERE deck_rank <= :limit
ORDER BY deck_id, deck_rank
"""
"""Each deck's first new cards in reading order (at most ``:limit`` a deck)."""

NEW_CARDS_OF_DECK = f"""
SELECT c.id, c.deck_id {_ACTIVE} AND c.deck_id = :deck{_NEW}
ORDER BY {_NEW_ORDER}
LIMIT :limit
"""
"""One deck's first new cards in reading order (when only that deck may show any today)."""

DONE_TODAY_BY_DECK = """
SELECT c.deck_id,
  COALESCE(SUM(CASE WHEN l.before_due IS NOT NULL THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN l.before_due IS NULL THEN 1 ELSE 0 END), 0)
FROM review_log AS l JOIN cards AS c ON c.id = l.card_key
WHERE l.study_day = :today AND l.kind = 'review'
GROUP BY c.deck_id
"""

DECK_LIMITS = """
SELECT d.id, d.name, o.new_per_day, o.reviews_per_day,
  CASE WHEN o.extended_day = :today THEN o.extra_new ELSE 0 END,
  CASE WHEN o.extended_day = :today THEN o.extra_reviews ELSE 0 END
FROM decks AS d LEFT JOIN deck_options AS o ON o.deck_id = d.id
ORDER BY d.name, d.id
"""
"""Every deck's own limits (NULL: the collection's) and today's extensions, in deck order."""


def build_queue(
    run: RunSQL, today: date, config: Config, scope: StudyScope = EVERYTHING
) -> TodayQueue:
    """Compute what is left to study on ``today`` in ``scope`` (the daily limits are the
    collection's: a deck's session gets at most what is left of them)."""
    day = {"today": today.isoformat(), **scope.params()}
    today_ids = [row[0] for row in run(TODAY_LOG_IDS, day)]
    ready: list[int] = []
    waiting: list[tuple[int, int]] = []
    for card_key, log_id in run(FAILING_TODAY, day):
        answers_since = len(today_ids) - bisect_right(today_ids, log_id)
        if answers_since >= config.relearn_gap:
            ready.append(card_key)
        else:
            waiting.append((answers_since, card_key))
    # Longest-waiting first, so the card just answered is not asked twice in a row.
    waiting.sort(key=lambda item: -item[0])
    reviews_done, new_done = run(DONE_TODAY, day)[0]
    decks = _deck_limits(run, day, config)
    due = _within_limits(
        run, (DUE_CARDS, DUE_CARDS_OF_DECK), day, decks, "review", config.max_reviews_per_day,
        int(reviews_done),
    )  # fmt: skip
    new = _within_limits(
        run, (NEW_CARDS, NEW_CARDS_OF_DECK), day, decks, "new", config.new_per_day, int(new_done)
    )
    return TodayQueue(
        relearn_ready=ready, due=due, new=new, relearn_waiting=[key for _, key in waiting]
    )


@dataclass(frozen=True)
class _DeckLimits:
    """One deck's limits and what it did today, as :func:`build_queue` reads them."""

    new: int
    reviews: int
    extra_new: int
    extra_reviews: int
    new_done: int = 0
    reviews_done: int = 0


def _deck_limits(run: RunSQL, day: Mapping[str, Any], config: Config) -> dict[int, _DeckLimits]:
    """Every deck's limits for ``day``, by deck key, in deck order (by name)."""
    done = {deck: (int(r), int(n)) for deck, r, n in run(DONE_TODAY_BY_DECK, day)}
    limits: dict[int, _DeckLimits] = {}
    for deck, _name, new, reviews, extra_new, extra_reviews in run(DECK_LIMITS, day):
        reviews_done, new_done = done.get(deck, (0, 0))
        limits[deck] = _DeckLimits(
            new=config.new_per_day if new is None else int(new),
            reviews=config.max_reviews_per_day if reviews is None else int(reviews),
            extra_new=int(extra_new or 0),
            extra_reviews=int(extra_reviews or 0),
            new_done=new_done,
            reviews_done=reviews_done,
        )
    return limits


def _within_limits(
    run: RunSQL,
    sql: tuple[str, str],
    day: Mapping[str, Any],
    decks: Mapping[int, _DeckLimits],
    kind: str,
    collection_limit: int,
    collection_done: int,
) -> list[int]:
    """The cards ``sql`` picks (every deck's, one deck's), within each deck's limit and the
    collection's.

    Reviews keep the statement's order (most overdue first); new cards are dealt from the
    decks in turn, one each, in deck order, so every deck with new cards is studied today.
    """

    def allowance(limits: _DeckLimits) -> DeckAllowance:
        if kind == "new":
            return DeckAllowance(limits.new, limits.extra_new, limits.new_done)
        return DeckAllowance(limits.reviews, limits.extra_reviews, limits.reviews_done)

    own = {deck: allowance(limits) for deck, limits in decks.items()}
    total = collection_limit + sum(a.extra for a in own.values()) - collection_done
    room = {deck: a.limit + a.extra - a.done for deck, a in own.items()}
    open_decks = [deck for deck, left in room.items() if left > 0]
    if total <= 0 or not open_decks:
        return []
    every_deck, one_deck = sql
    if len(open_decks) == 1:  # the usual single deck, or one left: a plain top-N
        deck = open_decks[0]
        rows = run(one_deck, {**day, "deck": deck, "limit": min(room[deck], total)})
    else:
        rows = run(every_deck, {**day, "limit": min(max(room.values()), total)})
    by_deck: dict[int, list[int]] = {deck: [] for deck in own}
    for key, deck in rows:
        by_deck.setdefault(deck, []).append(key)
    order = list(by_deck)
    counts = [
        replace(own.get(deck, DeckAllowance(0)), available=len(by_deck[deck])) for deck in order
    ]
    shares = dict(
        zip(order, deck_allowances(counts, collection_limit, collection_done), strict=True)
    )
    if kind == "new":
        dealt = [by_deck[deck][: shares[deck]] for deck in order]
        return [key for round_ in zip_longest(*dealt) for key in round_ if key is not None]
    taken = dict.fromkeys(order, 0)
    picked = []
    for key, deck in rows:
        if taken[deck] < shares[deck]:
            taken[deck] += 1
            picked.append(key)
    return picked


# The deck list's counts as they were before Step 9 (quizcalc/study/deck_list.py): one pass
# over every active card testing each condition.

_NOT_BURIED_CONDITION = _SIBLING_NOT_SEEN_TODAY.strip().removeprefix("AND").strip()

COUNTS_BY_SECTION = f"""
SELECT d.name, c.section,
  SUM(CASE WHEN {SERVABLE} AND s.due IS NOT NULL AND s.due <= :today
           AND c.id NOT IN (SELECT card_key FROM review_log WHERE {_TODAY})
           AND {_NOT_BURIED_CONDITION} THEN 1 ELSE 0 END),
  SUM(CASE WHEN {SERVABLE} AND s.due IS NULL AND {_NOT_BURIED_CONDITION} THEN 1 ELSE 0 END),
  SUM(CASE WHEN {SERVABLE} AND c.id IN (
        SELECT l.card_key FROM review_log AS l
        JOIN (SELECT card_key, MAX(id) AS last_id FROM review_log WHERE {_TODAY}
              GROUP BY card_key) AS latest ON latest.last_id = l.id
        WHERE l.quality < {RELEARN_UNTIL_QUALITY}) THEN 1 ELSE 0 END),
  COUNT(*),
  MIN(COALESCE(c.source_id, 0)), MIN(c.position)
FROM cards AS c JOIN schedule AS s ON s.card_key = c.id JOIN decks AS d ON d.id = c.deck_id
WHERE c.status = 'active'
GROUP BY d.name, c.section
"""
"""Per deck and section: due reviews, new cards, cards in relearning, active cards, and where
the section starts (so sections are listed in reading order)."""
