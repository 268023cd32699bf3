"""Reading the store for an export: selection by deck and section, progress on request."""

from __future__ import annotations

import pytest

from quizcalc.exchange.model import ExchangeError, ExportOptions
from quizcalc.study import StudyService
from quizcalc.study.exchange_cards import section_matches
from tests.exchange.conftest import exchange_cards


def test_every_live_card_is_read_in_reading_order(studied: StudyService) -> None:
    cards = exchange_cards(studied, ExportOptions())
    assert len(cards) == 92
    assert {c.kind for c in cards} == {"basic", "cloze", "problem"}
    assert cards[0].deck == "Calculus & Optimization"
    assert sum(c.suspended for c in cards) == 1


def test_cloze_cards_carry_their_note_text(studied: StudyService) -> None:
    clozes = [c for c in exchange_cards(studied, ExportOptions()) if c.kind == "cloze"]
    assert clozes
    for card in clozes:
        assert f"{{{{c{card.cloze_number}::" in card.note
        assert card.note_id != card.card_id or "::c" not in card.card_id


def test_progress_is_read_only_when_asked(studied: StudyService) -> None:
    plain = exchange_cards(studied, ExportOptions())
    assert all(c.schedule is None and not c.reviews for c in plain)
    full = exchange_cards(studied, ExportOptions(with_progress=True))
    reviewed = [c for c in full if c.reviews]
    assert len(reviewed) == 3
    problem = next(c for c in reviewed if c.kind == "problem")
    assert [r.seed for r in problem.reviews if r.kind != "relearn"][:2] == [1000, 1001]
    assert problem.reviews[0].misconception == "sign_error"
    first = reviewed[0]
    assert first.schedule is not None and first.schedule.interval > 1


def test_deck_filter_is_case_insensitive_and_unknown_decks_are_named(
    studied: StudyService,
) -> None:
    assert len(exchange_cards(studied, ExportOptions(deck="calculus & optimization"))) == 92
    with pytest.raises(ExchangeError, match=r"no deck named 'Physics'.*Calculus & Optimization"):
        exchange_cards(studied, ExportOptions(deck="Physics"))


def test_section_filter_matches_a_heading_at_any_level(studied: StudyService) -> None:
    cards = exchange_cards(studied, ExportOptions())
    section = next(c.section for c in cards if "::" in c.section)
    inner = section.split("::")[1]
    chosen = exchange_cards(studied, ExportOptions(section=inner))
    assert chosen and all(inner in c.section.split("::") for c in chosen)
    with pytest.raises(ExchangeError, match="no cards under section 'Topology'"):
        exchange_cards(studied, ExportOptions(section="Topology"))


@pytest.mark.parametrize(
    ("section", "wanted", "expected"),
    [
        ("A::B::C", "B", True),
        ("A::B::C", "b::c", True),
        ("A::B::C", "A::C", False),
        ("A::Bee", "B", False),
        ("", "B", False),
    ],
)
def test_section_matches(section: str, wanted: str, expected: bool) -> None:
    assert section_matches(section, wanted) is expected


def test_review_logs_read_in_chunks_are_the_same(
    studied: StudyService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizcalc.study import exchange_cards as collection

    whole = exchange_cards(studied, ExportOptions(with_progress=True))
    monkeypatch.setattr(collection, "_KEYS_PER_QUERY", 2)
    assert exchange_cards(studied, ExportOptions(with_progress=True)) == whole
    assert sum(len(c.reviews) for c in whole) == 30
