"""Today's cards within each deck's daily limit and the collection's, read a prefix at a time.

The queue's statements list candidate cards in the order they are served (most overdue
first; reading order) with a ``LIMIT``, so SQLite walks an index and stops early instead of
ranking every card of every deck. :func:`pick_within_limits` reads the first ``n`` of them and
asks whether that prefix already settles the answer — every deck's share of the day
(:func:`~quizcalc.study.daily_limits.deck_allowances`) and the cards that fill it — and reads a
longer prefix only when it does not. The answer is exactly the one a ranking of all the
candidates would give (the tests compare the two).

Plain Python and SQL text only: the start-up fast path runs this through ``sqlite3``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import zip_longest
from typing import Any

from quizcalc.study.daily_limits import DeckAllowance, deck_allowances

__all__ = ["FIRST_PREFIX", "DeckLimit", "RunSQL", "pick_within_limits", "served_alone"]

RunSQL = Callable[[str, Mapping[str, Any]], Sequence[Sequence[Any]]]
"""Runs one SQL statement with named (``:name``) parameters and returns its rows."""

FIRST_PREFIX = 64
"""The fewest candidates read at first; each longer read takes :data:`GROWTH` times more."""
PREFIX_PER_CARD = 2
"""The first read takes this many candidates for each card the day can take (or more)."""
GROWTH = 4
COUNT_AT_ONCE = 4
"""After the first read, decks blocking it are counted one by one only if this few: a prefix
that stopped inside one due day's reading order shows only the first decks' cards, and one
longer read settles more decks than counting them would."""


@dataclass(frozen=True)
class DeckLimit:
    """One deck's allowance of one kind of card today, and whether the session covers it."""

    allowance: DeckAllowance
    in_scope: bool = True
    """``False`` when the session is over another deck, or the deck has no active card: none
    of its cards are candidates (it is not waited for in a prefix)."""


def pick_within_limits(
    run: RunSQL,
    sql: str,
    params: Mapping[str, Any],
    decks: Mapping[int, DeckLimit],
    collection_limit: int,
    collection_done: int,
    *,
    in_order: bool,
    first_prefix: int | None = None,
    per_deck: bool = False,
    count_sql: str | None = None,
) -> list[int]:
    """The card keys served today from the candidates ``sql`` lists (``:deck``, ``:limit``
    bound; rows ``(card key, deck key)`` in serving order), within every deck's limit and the
    collection's.

    With ``in_order`` (reviews) the cards keep the statement's order; otherwise (new cards)
    they are dealt from the decks in turn, one each, in deck order, so every deck with new
    cards is studied today. ``first_prefix`` is the first read's length (by default twice
    what the day can take). With ``per_deck`` the statement is run once for each deck the
    session covers (``:deck`` bound to it), for as many cards as that deck could take.
    ``count_sql`` counts one deck's candidates (up to ``:limit``) from the deck's side: a
    deck that keeps a prefix from settling (it shows few cards there) is counted so, instead
    of reading on to the end of the candidates to learn that it has few.
    """
    own = {deck: limit.allowance for deck, limit in decks.items()}
    total = collection_limit + sum(a.extra for a in own.values()) - collection_done
    room = {deck: a.limit + a.extra - a.done for deck, a in own.items()}
    searched = [deck for deck, limit in decks.items() if limit.in_scope and room[deck] > 0]
    if total <= 0 or not searched:
        return []
    cap = {deck: max(0, min(left, total)) for deck, left in room.items()}
    bound = {**params, "deck": searched[0] if len(searched) == 1 else None}
    wanted = min(total, sum(cap[deck] for deck in searched))
    length = first_prefix or max(FIRST_PREFIX, PREFIX_PER_CARD * wanted)
    counted: dict[int, int] = {}
    while True:
        rows: Sequence[Sequence[Any]]
        if per_deck:
            rows = [
                row
                for deck in searched
                for row in run(sql, {**params, "deck": deck, "limit": cap[deck]})
            ]
        else:
            rows = run(sql, {**bound, "limit": length})
        by_deck: dict[int, list[int]] = {deck: [] for deck in own}
        for key, deck in rows:
            by_deck.setdefault(deck, []).append(key)
        if per_deck or len(rows) < length:
            counted = {deck: len(keys) for deck, keys in by_deck.items()}  # all of them
        shares = _shares(by_deck, counted, cap, own, collection_limit, collection_done)
        blocking = _blocking(searched, by_deck, counted, cap, own, shares)
        uncounted = [deck for deck in blocking if deck not in counted]
        first_read = length == (first_prefix or max(FIRST_PREFIX, PREFIX_PER_CARD * wanted))
        if (
            uncounted
            and count_sql is not None
            and (not first_read or len(uncounted) <= COUNT_AT_ONCE)
        ):
            for deck in uncounted:
                bound_deck = {**params, "deck": deck, "limit": cap[deck]}
                counted[deck] = int(run(count_sql, bound_deck)[0][0])
            shares = _shares(by_deck, counted, cap, own, collection_limit, collection_done)
            blocking = _blocking(searched, by_deck, counted, cap, own, shares)
        if not blocking:
            break
        length *= GROWTH
    order = list(by_deck)
    if not in_order:
        dealt = [by_deck[deck][: shares[deck]] for deck in order]
        return [key for round_ in zip_longest(*dealt) for key in round_ if key is not None]
    taken = dict.fromkeys(order, 0)
    picked = []
    for key, deck in rows:
        if taken[deck] < shares[deck]:
            taken[deck] += 1
            picked.append(key)
    return picked


def _shares(
    by_deck: Mapping[int, list[int]],
    counted: Mapping[int, int],
    cap: Mapping[int, int],
    own: Mapping[int, DeckAllowance],
    collection_limit: int,
    collection_done: int,
) -> dict[int, int]:
    """Every deck's share of the day, taking a deck's candidates to be those counted (when
    they were) or those seen in the prefix."""
    order = list(by_deck)
    counts = [
        replace(
            own.get(deck, DeckAllowance(0)),
            available=min(counted.get(deck, len(by_deck[deck])), cap.get(deck, 0)),
        )
        for deck in order
    ]
    return dict(zip(order, deck_allowances(counts, collection_limit, collection_done), strict=True))


def _blocking(
    searched: list[int],
    by_deck: Mapping[int, list[int]],
    counted: Mapping[int, int],
    cap: Mapping[int, int],
    own: Mapping[int, DeckAllowance],
    shares: Mapping[int, int],
) -> list[int]:
    """The decks that keep a prefix from settling every deck's share and the cards that fill
    it; none: the prefix settles the day.

    A deck whose candidates are all in the prefix (or that shows all it could take, or was
    counted) is settled once its share is in the prefix. Any other deck must take fewer
    cards than it showed and more than its extension: it is then not filled up by the rounds
    of :func:`~quizcalc.study.daily_limits.share_in_turn`, so more cards of it further on
    would change neither the level the rounds reach nor its extension's part, and its share,
    and every other deck's, stays the same.
    """
    blocking = []
    for deck in searched:
        seen = len(by_deck[deck])
        if deck in counted or seen >= cap[deck]:
            if shares[deck] > seen:
                blocking.append(deck)
        elif not (shares[deck] < seen and seen > own[deck].extra):
            blocking.append(deck)
    return blocking


def served_alone(
    decks: Mapping[int, DeckLimit],
    deck: int,
    available: int,
    collection_limit: int,
    collection_done: int,
) -> int:
    """How many of its ``available`` candidates a session over ``deck`` alone serves today:
    what :func:`pick_within_limits` returns for it, counted without reading a card."""
    own = {key: limit.allowance for key, limit in decks.items()}
    if deck not in own:
        return 0
    total = collection_limit + sum(a.extra for a in own.values()) - collection_done
    room = own[deck].limit + own[deck].extra - own[deck].done
    if total <= 0 or room <= 0:
        return 0
    cap = min(room, total)
    counts = [
        replace(allowance, available=min(available, cap) if key == deck else 0)
        for key, allowance in own.items()
    ]
    shares = deck_allowances(counts, collection_limit, collection_done)
    return shares[list(own).index(deck)]
