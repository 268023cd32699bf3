"""Clozes Anki's own library writes, both ways: inside math, nested, and Markdown siblings.

A cloze inside LaTeX math is a blank in the formula (never Markdown emphasis); nested
clozes make a card per number, rendered as Anki renders them; every card of a note is
exported, so Anki counts as many cards as quizcalc and Check Database adds none; a
Markdown note's ``c1``/``c2`` siblings are one Anki note.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anki.collection as anki_collection
import pytest

from quizcalc.cards import latex_to_unicode
from quizcalc.config import Config
from quizcalc.exchange.apkg_import import read_apkg
from quizcalc.exchange.model import ExportOptions
from quizcalc.study import StudyService
from quizcalc.study.views import BrowseFilter
from tests.conftest import FIXED_NOW
from tests.exchange.conftest import exchange_cards
from tests.exchange.test_anki_roundtrip_ids import _anki_export
from tests.exchange.test_apkg_anki import assert_database_checks_clean, import_package

IN_MATH = r"\(\int_0^1 x\,dx = {{c1::\frac{1}{2} }}\)"
NESTED = "{{c1::Gradient {{c2::descent}} }} finds a minimum."


@dataclass(frozen=True)
class ClozeDeck:
    """An Anki package of cloze notes, and how many cards Anki made for each."""

    path: Path
    anki_cards: dict[str, int]
    """Note text → its cards in Anki."""


def _notes_in(col: Any) -> dict[str, int]:
    """First field → card count, for every note of an Anki collection."""
    found: dict[str, int] = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        found[note.fields[0]] = len(note.card_ids())
    return found


@pytest.fixture(scope="module")
def cloze_deck(tmp_path_factory: pytest.TempPathFactory) -> ClozeDeck:
    """Anki's stock Cloze type: a cloze inside math and a nested cloze, exported as .apkg."""
    folder = tmp_path_factory.mktemp("anki-clozes")
    col = anki_collection.Collection(str(folder / "collection.anki2"))
    try:
        deck = col.decks.id("Clozes")
        for text in (IN_MATH, NESTED):
            note = col.new_note(col.models.by_name("Cloze"))
            note["Text"] = text
            col.add_note(note, deck)
        path = folder / "clozes.apkg"
        col.export_anki_package(
            out_path=str(path),
            options=anki_collection.ExportAnkiPackageOptions(
                with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False
            ),
            limit=None,
        )
        return ClozeDeck(path, _notes_in(col))
    finally:
        col.close()


@pytest.fixture
def fresh_anki(tmp_path: Path) -> Iterator[Any]:
    """An empty Anki collection (headless)."""
    folder = tmp_path / "anki"
    folder.mkdir()
    col = anki_collection.Collection(str(folder / "collection.anki2"))
    yield col
    col.close()


@pytest.fixture
def service(db_url: str) -> Iterator[StudyService]:
    svc = StudyService.open(db_url, Config())
    yield svc
    svc.close()


def _stored(service: StudyService) -> list[tuple[str, str]]:
    rows = service.browse(BrowseFilter(), FIXED_NOW)
    return [(service.card_detail(r.key).question, service.card_detail(r.key).answer) for r in rows]


def test_anki_clozes_arrive_with_every_card_and_no_markup_left(cloze_deck: ClozeDeck) -> None:
    assert cloze_deck.anki_cards == {IN_MATH: 1, NESTED: 2}
    deck = read_apkg(cloze_deck.path)
    assert deck.problems == []
    by_text = {(c.note, c.cloze_number): c for c in deck.cards}
    assert len(deck.cards) == sum(cloze_deck.anki_cards.values())
    math = by_text[(IN_MATH, 1)]
    assert (math.question, math.answer) == (
        r"\(\int_0^1 x\,dx = [...]\)",
        r"\(\int_0^1 x\,dx = \frac{1}{2} \)",
    )
    assert latex_to_unicode(math.question) == "∫₀¹ x dx = [...]"
    assert latex_to_unicode(math.answer) == "∫₀¹ x dx = 1/2"
    outer, inner = by_text[(NESTED, 1)], by_text[(NESTED, 2)]
    assert (outer.question, outer.answer) == (
        "[...] finds a minimum.",
        "**Gradient descent**  finds a minimum.",
    )
    assert (inner.question, inner.answer) == (
        "Gradient [...]  finds a minimum.",
        "Gradient **descent**  finds a minimum.",
    )


def test_anki_clozes_go_back_to_anki_with_the_same_cards(
    cloze_deck: ClozeDeck, service: StudyService, tmp_path: Path, fresh_anki: Any
) -> None:
    report = service.import_path(cloze_deck.path, FIXED_NOW)
    assert (report.problems, report.skipped_sources) == ([], [])
    stored = _stored(service)
    assert len(stored) == 3
    for question, answer in stored:
        for text in (question, answer):
            assert "{{" not in text and "}}" not in text
            assert "* *" not in latex_to_unicode(text) and "**\\" not in text
    out = tmp_path / "back.apkg"
    service.export(out, ExportOptions())
    import_package(fresh_anki, out, with_scheduling=False)
    assert sorted(_notes_in(fresh_anki).values()) == sorted(cloze_deck.anki_cards.values())
    assert_database_checks_clean(fresh_anki)
    assert sorted(_notes_in(fresh_anki).values()) == [1, 2]


def test_markdown_siblings_are_one_anki_note_with_both_cards(
    service: StudyService, write_deck, tmp_path: Path, fresh_anki: Any
) -> None:
    deck = (
        "The {{c1::gradient}} points {{c2::uphill}}.\n\n"
        + NESTED
        + "\n\nQ: What is a Hessian?\nA: The matrix of second derivatives.\n"
    )
    service.sync(write_deck(deck), FIXED_NOW)
    out = tmp_path / "siblings.apkg"
    report = service.export(out, ExportOptions())
    assert (report.notes, report.cards) == (3, 5)
    import_package(fresh_anki, out, with_scheduling=False)
    notes = _notes_in(fresh_anki)
    assert len(notes) == 3
    assert sorted(notes.values()) == [1, 2, 2]
    assert fresh_anki.card_count() == 5
    assert_database_checks_clean(fresh_anki)


def test_markdown_siblings_come_back_through_anki_as_the_same_two_cards(
    service: StudyService, write_deck, tmp_path: Path
) -> None:
    service.sync(write_deck("The {{c1::gradient}} points {{c2::uphill}}.\n"), FIXED_NOW)
    first, second = exchange_cards(service, ExportOptions())
    row = (first.note_id, "Cloze", first.full_deck, f"{first.note}\t")
    report = service.import_path(_anki_export(tmp_path / "from-anki.txt", [row]), FIXED_NOW)
    assert report.added == 0
    kept_once = [p for p in report.problems if "kept once" in p]
    assert len(kept_once) == 2
    assert first.note_id == second.note_id
