"""The pure sharing of a day's limits between decks: never past a limit, never starving a deck."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quizcalc.study.daily_limits import DeckAllowance, deck_allowances, share_in_turn

wants = st.lists(st.integers(min_value=0, max_value=60), max_size=8)


def _one_by_one(wanted: list[int], total: int) -> list[int]:
    """The rule stated plainly: one card per deck per round, in deck order."""
    shares = [0] * len(wanted)
    while total > 0 and any(s < w for s, w in zip(shares, wanted, strict=True)):
        for i, want in enumerate(wanted):
            if total > 0 and shares[i] < want:
                shares[i] += 1
                total -= 1
    return shares


@given(wants, st.integers(min_value=0, max_value=400))
def test_shares_are_dealt_in_turn(wanted: list[int], total: int) -> None:
    shares = share_in_turn(wanted, total)
    assert shares == _one_by_one(wanted, total)  # deterministic, and the stated rule
    assert all(0 <= s <= w for s, w in zip(shares, wanted, strict=True))
    assert sum(shares) == min(total, sum(wanted))  # nothing held back while a deck wants more
    for i, (share, want) in enumerate(zip(shares, wanted, strict=True)):
        if share < want:  # a deck short of what it wants: no other deck got more than a round
            assert all(other <= share + (1 if j < i else 0) for j, other in enumerate(shares))


@given(wants, st.integers(min_value=0, max_value=400), st.data())
def test_an_extension_is_served_first_and_no_limit_is_passed(
    wanted: list[int], total: int, data: st.DataObject
) -> None:
    first = data.draw(st.lists(st.integers(0, 30), min_size=len(wanted), max_size=len(wanted)))
    shares = share_in_turn(wanted, total, first)
    assert all(s <= w for s, w in zip(shares, wanted, strict=True))
    assert sum(shares) == min(total, sum(wanted))
    served_first = [min(w, f) for w, f in zip(wanted, first, strict=True)]
    if sum(served_first) <= total:
        assert all(s >= f for s, f in zip(shares, served_first, strict=True))
    assert share_in_turn(wanted, total, first) == shares


@given(
    st.lists(
        st.builds(
            DeckAllowance,
            limit=st.integers(0, 40),
            extra=st.integers(0, 10),
            done=st.integers(0, 40),
            available=st.integers(0, 60),
        ),
        max_size=6,
    ),
    st.integers(0, 100),
)
def test_no_deck_passes_its_limit_and_the_total_stays_within_the_collections(
    decks: list[DeckAllowance], collection_limit: int
) -> None:
    shares = deck_allowances(decks, collection_limit)
    for deck, share in zip(decks, shares, strict=True):
        assert share <= deck.available
        assert deck.done + share <= max(deck.done, deck.limit + deck.extra)
    extras = sum(d.extra for d in decks)
    done = sum(d.done for d in decks)
    assert sum(shares) <= max(0, collection_limit + extras - done)


def test_a_new_deck_is_not_starved_by_one_listed_before_it() -> None:
    assert share_in_turn([500, 6], 10) == [5, 5]
    assert share_in_turn([500, 2, 500], 10) == [4, 2, 4]
    assert share_in_turn([3, 3], 10) == [3, 3]
    assert share_in_turn([5, 5], 3) == [2, 1]


def test_large_limits_are_shared_without_dealing_card_by_card() -> None:
    assert share_in_turn([10**8, 10**8 + 1, 7], 10**8) == [49_999_997, 49_999_996, 7]
