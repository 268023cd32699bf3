"""Today's queue: relearn cards (SM-2 step 7), then due reviews, then new cards.

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
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from quizcalc.cards.model import CardKind
from quizcalc.config import Config
from quizcalc.problems.catalog import FAMILY_NAMES
from quizcalc.scheduling.sm2 import RELEARN_UNTIL_QUALITY, SM2State
from quizcalc.study.daily_limits import DeckAllowance
from quizcalc.study.errors import CardNotFound
from quizcalc.study.log_kinds import DAILY_ANSWERS_SQL, RESET
from quizcalc.study.queue_limits import DeckLimit, RunSQL, pick_within_limits, served_alone
from quizcalc.study.scope import EVERYTHING, IN_SCOPE, StudyScope
from quizcalc.study.views import QueuedCard

__all__ = [
    "SERVABLE",
    "RunSQL",
    "TodayQueue",
    "after_reset_today",
    "build_queue",
    "deck_sessions",
    "load_card",
    "next_in_queue",
]

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

_TODAY = f"study_day = :today AND kind IN {DAILY_ANSWERS_SQL}"
"""SQL condition on ``review_log``: today's answers in the queue (drills, implicit credits and
resets are not: a card credited or reset today is still to be studied)."""

UNBURIED = "\n  AND (s.buried_until IS NULL OR s.buried_until <= :today)"
"""SQL condition on ``schedule AS s``: not buried by hand (the reviewer's bury), or buried
until a day that has come: a buried card comes back by date, with nothing to run."""

TODAY_LOG_IDS = f"SELECT id FROM review_log WHERE {_TODAY} ORDER BY id"


def after_reset_today(log: str) -> str:
    """SQL condition on review-log row ``log`` (an alias): no reset of its card came after it
    today. A card reset to new is new again: its answers before the reset ask nothing more."""
    return (
        f"{log}.id > COALESCE((SELECT MAX(x.id) FROM review_log AS x WHERE x.study_day = :today"
        f" AND x.card_key = {log}.card_key AND x.kind = '{RESET}'), 0)"
    )


FAILING_TODAY = f"""
SELECT l.card_key, l.id FROM review_log AS l
JOIN (SELECT card_key, MAX(id) AS last_id FROM review_log WHERE {_TODAY} GROUP BY card_key)
     AS latest ON latest.last_id = l.id
JOIN cards AS c ON c.id = l.card_key
JOIN schedule AS s ON s.card_key = c.id
WHERE l.quality < {RELEARN_UNTIL_QUALITY} AND {after_reset_today("l")}
  AND c.status = 'active' AND {IN_SCOPE}{UNBURIED}
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

_CLOZE_ANSWERED_TODAY = (
    """
    SELECT {columns} FROM review_log AS r JOIN cards AS sibling ON sibling.id = r.card_key
    WHERE r.study_day = :today AND r.kind IN """
    + DAILY_ANSWERS_SQL
    + " AND sibling.kind = 'cloze'"
)

_SIBLING_NOT_SEEN_TODAY = f"""
  AND NOT (c.kind = 'cloze' AND (c.source, c.line) IN ({
    _CLOZE_ANSWERED_TODAY.format(columns="sibling.source, sibling.line")
})
    AND (c.source, c.line, c.id) NOT IN ({
    _CLOZE_ANSWERED_TODAY.format(columns="sibling.source, sibling.line, MIN(sibling.id)")
}
    GROUP BY sibling.source, sibling.line HAVING MIN(sibling.id) = MAX(sibling.id)))
"""
"""Anki's burying: once one cloze of a note (same file and line) was answered today, its
siblings wait for another day, so one deletion does not give the other away.

Written as two uncorrelated ``IN`` lists (the notes with a cloze answered today; those where
only one card was, and which), so SQLite builds each once per statement instead of searching
today's log again for every cloze it considers: "answered today by a card other than this
one" is "its note is in the first list, and it is not that note's only answered card"."""

_DUE = f"""
    AND s.due IS NOT NULL AND s.due <= :today
    AND c.id NOT IN (SELECT card_key FROM review_log WHERE {_TODAY}){_SIBLING_NOT_SEEN_TODAY}"""
_DUE_ORDER = "s.due, c.source_id, c.position, c.id"
_NEW = f"""
    AND s.due IS NULL{_SIBLING_NOT_SEEN_TODAY}"""
_NEW_ORDER = "c.source_id, c.position, c.id"

_ONE_DECK = "\n    AND (CAST(:deck AS INTEGER) IS NULL OR c.deck_id = :deck)"
"""The deck ``:deck``, or every deck for ``NULL`` (``CAST``: a type PostgreSQL can infer)."""

DUE_CARDS = f"""
SELECT c.id, c.deck_id FROM schedule AS s CROSS JOIN cards AS c ON c.id = s.card_key
WHERE c.status = 'active' AND {SERVABLE} AND {IN_SCOPE}{UNBURIED}{_ONE_DECK}{_DUE}
ORDER BY {_DUE_ORDER}
LIMIT :limit
"""
"""The first ``:limit`` due reviews (of deck ``:deck``, or of every deck when ``NULL``), most
overdue first. ``schedule`` drives the join (``CROSS JOIN``), so SQLite walks the
``schedule.due`` index in order and stops at the limit instead of sorting every card."""

DUE_COUNT_OF_DECK = f"""
SELECT COUNT(*) FROM (
  SELECT 1 FROM cards AS c CROSS JOIN schedule AS s ON s.card_key = c.id
  WHERE c.deck_id = :deck AND c.status = 'active' AND {SERVABLE} AND {IN_SCOPE}{UNBURIED}{_DUE}
  LIMIT :limit) AS limited
"""
"""How many due reviews deck ``:deck`` has (up to ``:limit``), reading that deck's cards
(``ix_cards_deck_reading_order``): for a deck that shows few in the reviews' prefix, say a
deck of new cards, instead of reading every due card of every deck to be sure."""

NEW_CARDS = f"""
SELECT c.id, c.deck_id FROM schedule AS s CROSS JOIN cards AS c ON c.id = s.card_key
WHERE c.status = 'active' AND {SERVABLE} AND {IN_SCOPE}{UNBURIED}{_ONE_DECK}{_NEW}
ORDER BY {_NEW_ORDER}
LIMIT :limit
"""
"""The first ``:limit`` new cards in reading order, found through the ``schedule.due`` index
(new cards are its ``NULL`` entries): the plan when few cards are new."""

NEW_CARDS_OF_DECK = f"""
SELECT c.id, c.deck_id FROM cards AS c CROSS JOIN schedule AS s ON s.card_key = c.id
WHERE c.deck_id = :deck AND c.status = 'active' AND {SERVABLE} AND {IN_SCOPE}{UNBURIED}{_NEW}
ORDER BY {_NEW_ORDER}
LIMIT :limit
"""
"""Deck ``:deck``'s first ``:limit`` new cards, walking its cards in reading order
(``ix_cards_deck_reading_order``) and stopping at the limit: the plan when many cards are
new (a first sync of a big deck), where the ``due`` index would list them all."""

MANY_NEW = 2_000
"""From this many new cards on, new cards are found in reading order, not through ``due``."""

NEW_CARD_COUNT = (
    f"SELECT COUNT(*) FROM (SELECT 1 FROM schedule WHERE due IS NULL LIMIT {MANY_NEW}) AS new"
)
"""How many cards are new, counted up to :data:`MANY_NEW` from the ``due`` index alone."""

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
  CASE WHEN o.extended_day = :today THEN o.extra_reviews ELSE 0 END,
  EXISTS (SELECT 1 FROM cards AS c WHERE c.deck_id = d.id AND c.status = 'active')
FROM decks AS d LEFT JOIN deck_options AS o ON o.deck_id = d.id
ORDER BY d.name, d.id
"""
"""Every deck's own limits (NULL: the collection's) and today's extensions, in deck order, and
whether it has an active card (a deck without one is not searched for cards)."""

CARD_BY_KEY = """
SELECT c.id, c.card_id, c.kind, c.question, c.answer, d.name, c.section, c.source, c.line,
       s.repetitions, s.easiness, s.interval, c.family, c.difficulty, c.flag
FROM cards AS c JOIN schedule AS s ON s.card_key = c.id JOIN decks AS d ON d.id = c.deck_id
WHERE c.id = :key
"""


@dataclass(frozen=True)
class TodayQueue:
    """The card keys still to study today, in the order they will be shown."""

    relearn_ready: list[int]
    """Failed earlier today, enough other cards since: ask again now."""
    due: list[int]
    """Reviews due today, most overdue first, within each deck's review limit and the
    collection's."""
    new: list[int]
    """New cards, dealt from the decks in turn (each deck's in reading order), within each
    deck's new-card limit and the collection's."""
    relearn_waiting: list[int]
    """Failed earlier today but asked too recently; they come back after other cards."""

    @property
    def order(self) -> list[int]:
        """The full order of the rest of today's session."""
        return [*self.relearn_ready, *self.due, *self.new, *self.relearn_waiting]

    @property
    def due_count(self) -> int:
        """Reviews left today, relearn cards included."""
        return len(self.relearn_ready) + len(self.due) + len(self.relearn_waiting)


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
    decks = _deck_limits(run, day, config, scope)
    due = pick_within_limits(
        run, DUE_CARDS, day, _allowances(decks, "review"), config.max_reviews_per_day,
        int(reviews_done), in_order=True, count_sql=DUE_COUNT_OF_DECK,
    )  # fmt: skip
    many_new = run(NEW_CARD_COUNT, {})[0][0] >= MANY_NEW
    new = pick_within_limits(
        run, NEW_CARDS_OF_DECK if many_new else NEW_CARDS, day, _allowances(decks, "new"),
        config.new_per_day, int(new_done), in_order=False,
        first_prefix=MANY_NEW, per_deck=many_new,  # few new cards: all of them at once
    )  # fmt: skip
    if config.implicit_repetition:
        due = compressed(run, due)
    return TodayQueue(
        relearn_ready=ready, due=due, new=new, relearn_waiting=[key for _, key in waiting]
    )


_SKILLS_OF = "SELECT id, family, difficulty FROM cards WHERE family IS NOT NULL AND id IN ({})"


def compressed(run: RunSQL, due: list[int]) -> list[int]:
    """``due`` with repetition compression (:func:`quizcalc.scheduling.compression.compress`):
    a due problem that encompasses other due problems comes before them, so that passing it
    credits them (implicit repetition) and they leave today's queue unasked. Flashcards and
    the order of everything else stay as they were."""
    if len(due) < 2:
        return due
    keys = ", ".join(str(int(key)) for key in due)
    skills = {
        int(row[0]): (str(row[1]), int(row[2] or 1)) for row in run(_SKILLS_OF.format(keys), {})
    }
    if len(skills) < 2:
        return due
    from quizcalc.problems.skill_graph import plain_graph
    from quizcalc.scheduling.compression import DueSkill, compress

    problems = [DueSkill(key, *skills[key]) for key in due if key in skills]
    offers = compress(problems, plain_graph())
    order = iter(int(offer.skill.id) for offer in offers)  # type: ignore[call-overload]
    # The problems take the places problems had, in the compressed order.
    return [next(order) if key in skills else key for key in due]


@dataclass(frozen=True)
class _DeckLimits:
    """One deck's limits and what it did today, as :func:`build_queue` reads them."""

    new: int
    reviews: int
    extra_new: int
    extra_reviews: int
    new_done: int = 0
    reviews_done: int = 0
    in_scope: bool = True
    name: str = ""


def _deck_limits(
    run: RunSQL, day: Mapping[str, Any], config: Config, scope: StudyScope = EVERYTHING
) -> dict[int, _DeckLimits]:
    """Every deck's limits for ``day``, by deck key, in deck order (by name)."""
    done = {deck: (int(r), int(n)) for deck, r, n in run(DONE_TODAY_BY_DECK, day)}
    limits: dict[int, _DeckLimits] = {}
    for deck, name, new, reviews, extra_new, extra_reviews, has_cards in run(DECK_LIMITS, day):
        reviews_done, new_done = done.get(deck, (0, 0))
        limits[deck] = _DeckLimits(
            new=config.new_per_day if new is None else int(new),
            reviews=config.max_reviews_per_day if reviews is None else int(reviews),
            extra_new=int(extra_new or 0),
            extra_reviews=int(extra_reviews or 0),
            new_done=new_done,
            reviews_done=reviews_done,
            in_scope=bool(has_cards) and (scope.deck is None or scope.deck == name),
            name=name,
        )
    return limits


def _allowances(decks: Mapping[int, _DeckLimits], kind: str) -> dict[int, DeckLimit]:
    """Each deck's allowance of ``kind`` (``new`` or ``review``) cards today."""
    if kind == "new":
        return {
            deck: DeckLimit(DeckAllowance(x.new, x.extra_new, x.new_done), x.in_scope)
            for deck, x in decks.items()
        }
    return {
        deck: DeckLimit(DeckAllowance(x.reviews, x.extra_reviews, x.reviews_done), x.in_scope)
        for deck, x in decks.items()
    }


def deck_sessions(
    run: RunSQL, today: date, config: Config, candidates: Mapping[str, tuple[int, int]]
) -> dict[str, tuple[int, int]]:
    """For each deck named in ``candidates`` (its due reviews and new cards that a queue
    would consider, as ``DUE_CARDS`` and ``NEW_CARDS`` filter them), how many reviews and new
    cards a session over that deck alone serves today: ``len(build_queue(..., StudyScope(
    deck)).due)`` and ``.new``, from counts instead of one queue per deck."""
    day = {"today": today.isoformat(), **EVERYTHING.params()}
    reviews_done, new_done = (int(n) for n in run(DONE_TODAY, day)[0])
    decks = _deck_limits(run, day, config)
    reviews, new = _allowances(decks, "review"), _allowances(decks, "new")
    keys = {limits.name: key for key, limits in decks.items()}
    served: dict[str, tuple[int, int]] = {}
    for name, (due_count, new_count) in candidates.items():
        key = keys.get(name, -1)
        served[name] = (
            served_alone(reviews, key, due_count, config.max_reviews_per_day, reviews_done),
            served_alone(new, key, new_count, config.new_per_day, new_done),
        )
    return served


def next_in_queue(queue: TodayQueue) -> tuple[int, str] | None:
    """The key of the card to show next and why (``relearn``, ``review`` or ``new``)."""
    for keys, reason in (
        (queue.relearn_ready, "relearn"),
        (queue.due, "review"),
        (queue.new, "new"),
        (queue.relearn_waiting, "relearn"),
    ):
        if keys:
            return keys[0], reason
    return None


def load_card(run: RunSQL, key: int, reason: str) -> QueuedCard:
    """Load one card as plain data for the screen."""
    rows = run(CARD_BY_KEY, {"key": key})
    if not rows:
        raise CardNotFound(f"no card with key {key}; it may have been removed in another window")
    (key, card_id, kind, question, answer, deck, section, source, line,
     repetitions, easiness, interval, family, difficulty, flag) = rows[0]  # fmt: skip
    return QueuedCard(
        key=key,
        card_id=card_id,
        kind=CardKind(kind),
        question=question,
        answer=answer,
        deck=deck,
        section=section,
        source=source,
        line=line,
        state=SM2State(repetitions, easiness, interval),
        reason=reason,
        family=family,
        difficulty=difficulty,
        flag=flag or 0,
    )
