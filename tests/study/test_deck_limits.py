"""Per-deck daily limits under the collection's, new cards dealt from the decks in turn, and
today's extension of a deck's limit (custom study)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.errors import InvalidRequest
from tests.conftest import FIXED_NOW, REPO_ROOT
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # every test here taking db_url runs on both backends

BUNDLED = "Calculus & Optimization"
IMPORTED = "Imported Today"


def _deck_file(folder: Path, cards: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["---", f"deck: {IMPORTED}", "---", ""]
    for n in range(cards):
        lines += [f"Q: imported question {n}?", f"A: answer {n}.", ""]
    (folder / "imported.md").write_text("\n".join(lines), encoding="utf-8")
    return folder


@pytest.fixture
def two_decks(db_url: str, tmp_path: Path) -> Iterator[StudyService]:
    """The bundled calculus deck synced, then a 6-card deck imported: 10 new cards a day in all.

    Only the calculus deck is synced, so the counts below hold however many other decks
    ``content/`` gains."""
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    shutil.copy(REPO_ROOT / "content" / "calculus-optimization.md", bundled)
    service = StudyService.open(db_url, Config(new_per_day=10))
    service.sync(bundled, FIXED_NOW)
    service.import_path(_deck_file(tmp_path / "import", 6), FIXED_NOW)
    yield service
    service.close()


def _decks_of(service: StudyService, keys: list[int]) -> list[str]:
    return [service.card(key).deck for key in keys]


def test_a_deck_imported_today_gets_new_cards_today(two_decks: StudyService) -> None:
    new = two_decks.queue(FIXED_NOW).new
    assert len(new) == 10
    decks = _decks_of(two_decks, new)
    assert decks.count(IMPORTED) == 5 and decks.count(BUNDLED) == 5
    assert decks[:4] == [BUNDLED, IMPORTED, BUNDLED, IMPORTED]  # in turn, decks by name


def test_each_deck_keeps_reading_order(two_decks: StudyService) -> None:
    imported = [
        two_decks.card(key).question
        for key in two_decks.queue(FIXED_NOW).new
        if two_decks.card(key).deck == IMPORTED
    ]
    assert imported == [f"imported question {n}?" for n in range(5)]


def test_a_decks_own_limit_and_the_collection_limit_both_hold(two_decks: StudyService) -> None:
    two_decks.set_deck_limits(IMPORTED, FIXED_NOW, new_per_day=2, reviews_per_day=None)
    decks = _decks_of(two_decks, two_decks.queue(FIXED_NOW).new)
    assert (decks.count(IMPORTED), decks.count(BUNDLED)) == (2, 8)  # the rest goes to the other
    two_decks.save_collection_settings({"new_per_day": 3})
    decks = _decks_of(two_decks, two_decks.queue(FIXED_NOW).new)
    assert (decks.count(BUNDLED), decks.count(IMPORTED)) == (2, 1)
    two_decks.set_deck_limits(IMPORTED, FIXED_NOW, new_per_day=None, reviews_per_day=None)
    assert two_decks.deck_limits(FIXED_NOW)[1].new_today == 3  # the collection's again


def test_new_cards_studied_count_against_their_deck(two_decks: StudyService) -> None:
    for key in two_decks.queue(FIXED_NOW).new[:4]:  # two of each deck
        two_decks.answer(key, 4, FIXED_NOW)
    two_decks.set_deck_limits(IMPORTED, FIXED_NOW, new_per_day=3, reviews_per_day=None)
    decks = _decks_of(two_decks, two_decks.queue(FIXED_NOW).new)
    assert (decks.count(IMPORTED), decks.count(BUNDLED)) == (1, 5)


def test_a_deck_without_reviews_allowed_shows_none(two_decks: StudyService) -> None:
    for key in two_decks.queue(FIXED_NOW).new:
        two_decks.answer(key, 4, FIXED_NOW)
    later = FIXED_NOW + timedelta(days=1)
    due = two_decks.queue(later).due
    assert set(_decks_of(two_decks, due)) == {BUNDLED, IMPORTED}
    two_decks.set_deck_limits(IMPORTED, later, new_per_day=None, reviews_per_day=0)
    assert set(_decks_of(two_decks, two_decks.queue(later).due)) == {BUNDLED}
    two_decks.save_collection_settings({"max_reviews_per_day": 2})
    two_decks.set_deck_limits(IMPORTED, later, new_per_day=None, reviews_per_day=None)
    assert len(two_decks.queue(later).due) == 2


def test_extending_a_deck_today_adds_that_many_new_cards_from_it(
    two_decks: StudyService,
) -> None:
    for key in two_decks.queue(FIXED_NOW).new:
        two_decks.answer(key, 4, FIXED_NOW)
    assert two_decks.queue(FIXED_NOW).new == []  # the day's 10 are done
    limits = two_decks.extend_today(BUNDLED, FIXED_NOW, new=3)
    assert (limits.extra_new, limits.new_today) == (3, 13)
    assert _decks_of(two_decks, two_decks.queue(FIXED_NOW).new) == [BUNDLED] * 3
    assert two_decks.extend_today(BUNDLED, FIXED_NOW, new=1).extra_new == 4  # adds up
    assert two_decks.home(FIXED_NOW).new == 4  # home counts follow the same limits
    tomorrow = FIXED_NOW + timedelta(days=1)
    assert two_decks.deck_limits(tomorrow)[0].extra_new == 0  # today only
    decks = _decks_of(two_decks, two_decks.queue(tomorrow).new)
    assert (decks.count(BUNDLED), decks.count(IMPORTED)) == (9, 1)  # 1 imported card left


def test_home_counts_follow_the_per_deck_limits(two_decks: StudyService) -> None:
    home = two_decks.home(FIXED_NOW)
    assert home.new == 10
    per_deck: dict[str, int] = {}
    for row in home.per_section:
        per_deck[row.deck] = per_deck.get(row.deck, 0) + row.new
    assert per_deck == {BUNDLED: 5, IMPORTED: 5}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.extend_today("Nope", FIXED_NOW, new=3), "no deck named 'Nope'; the decks"),
        (lambda s: s.extend_today(BUNDLED, FIXED_NOW, new=-1), "must be between 0 and 10000"),
        (lambda s: s.extend_today(BUNDLED, FIXED_NOW), "nothing to extend"),
        (
            lambda s: s.set_deck_limits(IMPORTED, FIXED_NOW, new_per_day=10**6, reviews_per_day=1),
            "Imported Today: new cards per day must be between 0 and 10000, got 1000000",
        ),
    ],
)
def test_a_bad_deck_or_number_is_named_and_changes_nothing(
    two_decks: StudyService, call: object, message: str
) -> None:
    before = two_decks.deck_limits(FIXED_NOW)
    with pytest.raises(InvalidRequest, match=message):
        call(two_decks)  # type: ignore[operator]
    assert two_decks.deck_limits(FIXED_NOW) == before
