"""Every card Anki generates is imported, from every stock note type; nothing dropped unsaid.

The decks are written by the official ``anki`` library (every stock note type, the optional
reverse with and without its field) and by genanki (4 fields, 2 templates).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizcalc.exchange.anki_templates import render_card
from quizcalc.exchange.apkg_import import read_apkg
from quizcalc.exchange.imports import ForeignDeck
from tests.exchange.anki_decks import (
    GENANKI_GUIDS,
    StockDeck,
    build_genanki_deck,
    build_stock_deck,
)


@pytest.fixture(scope="module")
def stock(tmp_path_factory: pytest.TempPathFactory) -> StockDeck:
    """The stock-note-type deck, built once for the module."""
    return build_stock_deck(tmp_path_factory.mktemp("stock"))


@pytest.fixture(scope="module")
def imported(stock: StockDeck) -> ForeignDeck:
    """The stock deck as quizcalc reads it."""
    return read_apkg(stock.path)


def _card(deck: ForeignDeck, card_id: str) -> tuple[str, str]:
    [card] = [c for c in deck.cards if c.id == card_id]
    return card.question, card.answer


def test_the_imported_card_count_equals_ankis(stock: StockDeck, imported: ForeignDeck) -> None:
    assert len(imported.cards) == stock.cards - stock.io_cards
    assert len({card.id for card in imported.cards}) == len(imported.cards)


def test_reverse_cards_swap_the_fields(stock: StockDeck, imported: ForeignDeck) -> None:
    guid = stock.guids["reversed"]
    assert _card(imported, f"anki-{guid}") == ("derivative of sin", "cos")
    assert _card(imported, f"anki-{guid}::t2") == ("cos", "derivative of sin")
    guid = stock.guids["reversed2"]
    assert _card(imported, f"anki-{guid}::t2") == ("*uno*", "**one**")


def test_the_optional_reverse_follows_its_field(stock: StockDeck, imported: ForeignDeck) -> None:
    on, off = stock.guids["optional_on"], stock.guids["optional_off"]
    assert _card(imported, f"anki-{on}::t2") == ("e^x itself", "derivative of e^x")
    assert [c.id for c in imported.cards if off in c.id] == [f"anki-{off}"]


def test_type_in_the_answer_asks_the_front_and_answers_the_back(
    stock: StockDeck, imported: ForeignDeck
) -> None:
    assert _card(imported, f"anki-{stock.guids['typing']}") == ("d/dx of 3x?", "3")


def test_back_extra_goes_into_every_cloze_answer(stock: StockDeck, imported: ForeignDeck) -> None:
    guid = stock.guids["cloze"]
    for number in (1, 2):
        _, answer = _card(imported, f"anki-{guid}::c{number}")
        assert answer.endswith("\n\n**Back Extra:** see chapter 2")


def test_what_cannot_be_imported_is_counted_and_named(
    stock: StockDeck, imported: ForeignDeck
) -> None:
    messages = [problem.message for problem in imported.problems]
    if stock.io_cards:
        [line] = [m for m in messages if "Image Occlusion" in m]
        assert stock.guids["occlusion"] in line
        assert "its 1 card(s) hide parts of an image" in line
        assert line.endswith("; skipped")
        assert imported.skipped == 1
    assert len(messages) == (1 if stock.io_cards else 0)


def test_a_genanki_note_type_gives_every_template_and_keeps_extra_fields(
    tmp_path: Path,
) -> None:
    deck = read_apkg(build_genanki_deck(tmp_path))
    assert len(deck.cards) == 4
    assert not deck.problems
    first = f"anki-{GENANKI_GUIDS[0]}"
    extras = "\n\n**Example:** the gradient of f\n\n**Source:** Stewart"
    assert _card(deck, first) == ("gradient", "vector of partials" + extras)
    assert _card(deck, f"{first}::t2") == ("vector of partials", "gradient" + extras)


@pytest.mark.parametrize(
    ("qfmt", "afmt", "fields", "expected"),
    [
        ("{{#A}}has {{A}}{{/A}}{{^A}}none{{/A}}", "{{B}}", {"A": "", "B": "b"}, ("none", "b")),
        (
            "{{#A}}has {{A}}{{/A}}",
            "{{FrontSide}}<hr id=answer>{{B}}",
            {"A": "x", "B": "b"},
            (
                "has x",
                "b",
            ),
        ),
        ("{{text:A}}", "{{A}}<hr id=answer>{{hint:B}}", {"A": "<b>x</b>", "B": "b"}, ("x", "b")),
        ("{{#A}}{{#B}}both{{/B}}{{/A}}", "{{A}}", {"A": "a", "B": " "}, ("", "a")),
    ],
)
def test_templates_render_sections_filters_and_the_front_side(
    qfmt: str, afmt: str, fields: dict[str, str], expected: tuple[str, str]
) -> None:
    rendered = render_card(qfmt, afmt, fields)
    assert (rendered.question, rendered.answer) == expected
    assert rendered.unrendered == ()


def test_a_filter_quizcalc_cannot_apply_is_reported() -> None:
    rendered = render_card("{{furigana:A}}", "{{A}}", {"A": "x"})
    assert rendered.question == "x"
    assert rendered.unrendered == ("furigana",)
