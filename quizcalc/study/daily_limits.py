"""How many new cards and reviews each deck gets today: Anki's per-deck limits, shared fairly.

Pure functions over plain numbers (no database, no SQLAlchemy: the start-up fast path runs
them too). Each deck has its own daily limit (its options, or the collection's) and the
collection's limit caps the total, as in Anki's v3 scheduler. When the total is smaller than
what the decks could take, it is shared in turn, one card per deck per round (Anki's
"decks in turn"), so a deck added today is studied today instead of waiting behind the decks
listed before it. A deck's extension for today (custom study's "increase today's limit") is
served first and lifts the total by as much.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["DeckAllowance", "deck_allowances", "share_in_turn"]


def share_in_turn(
    wanted: Sequence[int], total: int, first: Sequence[int] | None = None
) -> list[int]:
    """How many of ``total`` each deck receives, dealt one per deck per round, in order.

    ``wanted[i]`` is what deck ``i`` could take (its cards, within its own limit). Deck ``i``
    is first dealt ``first[i]`` (at most what it wants; its extension for today), then what is
    left of ``total`` goes round the decks one card at a time: no deck receives more than it
    wants, the sum never exceeds ``total``, and a deck short of what it wants never has fewer
    than another deck's round share (earlier decks get the odd remainder). Deterministic.
    """
    wanted = [max(0, w) for w in wanted]
    reserved = [min(w, max(0, f)) for w, f in zip(wanted, first or [0] * len(wanted), strict=True)]
    left = max(0, total - sum(reserved))
    if sum(reserved) > total:  # extensions beyond the total: in deck order
        left, reserved = 0, _deal_in_order(reserved, total)
    rest = [w - r for w, r in zip(wanted, reserved, strict=True)]
    return [r + s for r, s in zip(reserved, _water_fill(rest, left), strict=True)]


def _deal_in_order(wanted: list[int], total: int) -> list[int]:
    out = []
    for want in wanted:
        take = min(want, total)
        out.append(take)
        total -= take
    return out


def _water_fill(wanted: list[int], total: int) -> list[int]:
    """Round-robin shares of ``total`` over ``wanted``, computed without looping per card."""
    if total >= sum(wanted):
        return list(wanted)
    # Full rounds: every deck still wanting gets one card per round.
    level = 0
    remaining = total
    for want in sorted(set(wanted)):
        if want <= level:
            continue
        takers = sum(1 for w in wanted if w > level)
        step = want - level
        if takers * step > remaining:
            full, extra = divmod(remaining, takers)
            level += full
            remaining = extra
            break
        remaining -= takers * step
        level = want
    shares = [min(w, level) for w in wanted]
    for i, want in enumerate(wanted):  # the last, partial round, in deck order
        if remaining == 0:
            break
        if want > shares[i]:
            shares[i] += 1
            remaining -= 1
    return shares


@dataclass(frozen=True)
class DeckAllowance:
    """One deck's limit for one kind of card (new or review) on one day."""

    limit: int
    """The deck's daily limit (its own, or the collection's)."""
    extra: int = 0
    """Today's extension of it (custom study)."""
    done: int = 0
    """Cards of this kind already studied today in this deck."""
    available: int = 0
    """Cards of this kind the deck could still show today."""

    @property
    def wanted(self) -> int:
        """What the deck can still take today: its cards, within its limit and extension."""
        return max(0, min(self.available, self.limit + self.extra - self.done))


def deck_allowances(
    decks: Sequence[DeckAllowance], collection_limit: int, collection_done: int | None = None
) -> list[int]:
    """How many more cards each deck serves today, under its own limit and the collection's.

    The collection's limit (plus today's extensions) less what was done today in the whole
    collection (``collection_done``; by default the decks' sum) caps the sum; each deck's
    extension is served first, the rest is shared in turn (:func:`share_in_turn`).
    """
    done = sum(deck.done for deck in decks) if collection_done is None else collection_done
    extras = sum(deck.extra for deck in decks)
    total = max(0, collection_limit + extras - done)
    first = [min(deck.extra, deck.wanted) for deck in decks]
    return share_in_turn([deck.wanted for deck in decks], total, first)
