"""Anki's text format: our export, read back field by field, and files Anki itself writes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import genanki
import pytest

from quizcalc.config import Config
from quizcalc.exchange.anki_html import anki_html_to_markdown, markdown_to_anki_html
from quizcalc.exchange.anki_text import read_anki_text
from quizcalc.exchange.anki_text_export import write_anki_text
from quizcalc.exchange.imports import reader_for
from quizcalc.exchange.model import ExchangeCard, ExportOptions
from quizcalc.study import StudyService
from quizcalc.study.exchange_cards import read_exchange_cards
from tests.conftest import FIXED_NOW
from tests.exchange.conftest import exchange_cards


def _through_anki(text: str) -> str:
    """What a Markdown field becomes after a trip through Anki's HTML (math as MathJax)."""
    return anki_html_to_markdown(markdown_to_anki_html(text))


def _fields(card: ExchangeCard) -> tuple[str, str, str, str, str, tuple[str, ...]]:
    return (card.deck, card.section, card.kind, card.question, card.answer, card.tags)


def _expected(card: ExchangeCard) -> tuple[str, str, str, str, str, tuple[str, ...]]:
    if card.kind == "cloze":
        from quizcalc.cards.cloze import parse_anki_cloze

        note = parse_anki_cloze(_through_anki(card.note))
        number = card.cloze_number or 1
        return (*_fields(card)[:3], note.question(number), note.answer(number), card.tags)
    return (
        card.deck,
        card.section,
        card.kind,
        _through_anki(card.question),
        _through_anki(card.answer),
        card.tags,
    )


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_export_then_import_gives_the_same_cards_field_by_field(
    studied: StudyService,
    export_dir: Path,
    tmp_path: Path,
    suffix: str,
    new_database: Callable[[Path], Path],
) -> None:
    cards = exchange_cards(studied, ExportOptions())
    path = export_dir / f"deck{suffix}"
    report = studied.export(path, ExportOptions())
    fresh = StudyService.open(f"sqlite:///{new_database(tmp_path / 'fresh.sqlite3')}", Config())
    try:
        imported = fresh.import_path(path, FIXED_NOW)
        assert imported.problems == []
        assert imported.skipped_sources == []
        with fresh.store.transaction() as session:
            back = {c.card_id: c for c in read_exchange_cards(session, ExportOptions())}
    finally:
        fresh.close()
    expected = [c for c in cards if c.kind != "problem"]
    assert report.cards == len(expected) == imported.added == len(back)
    for card in expected:
        assert _fields(back[card.card_id]) == _expected(card), card.card_id


def test_the_trip_through_anki_html_is_stable_after_one_pass(studied: StudyService) -> None:
    for card in exchange_cards(studied, ExportOptions()):
        once = _through_anki(card.answer)
        assert _through_anki(once) == once


def test_headers_rows_per_note_and_problem_cards_reported(
    studied: StudyService, export_dir: Path
) -> None:
    cards = exchange_cards(studied, ExportOptions())
    path = export_dir / "deck.csv"
    report = write_anki_text(cards, path, ExportOptions(with_progress=True))
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[:7] == [
        "#separator:comma",
        "#html:true",
        "#notetype column:1",
        "#deck column:2",
        "#guid column:3",
        "#tags column:6",
        "#columns:Notetype,Deck,GUID,Front,Back,Tags,quizcalc id",
    ]
    problems = [c for c in cards if c.kind == "problem"]
    notes = {c.note_id for c in cards if c.kind != "problem"}
    assert report.notes == len(notes) < report.cards
    [skipped] = [d for d in report.details if "problem card(s) not written" in d]
    assert skipped.startswith(f"{len(problems)} problem card(s)")
    assert problems[0].card_id in skipped
    assert any("progress is not written" in d for d in report.details)
    basic = next(c for c in cards if c.kind == "basic")
    assert f",{genanki.guid_for(basic.card_id)}," in path.read_text(encoding="utf-8")


def test_reimporting_our_own_file_adds_nothing_and_leaves_each_card_in_its_deck(
    studied: StudyService, export_dir: Path
) -> None:
    """A card belongs to one source: the copies are reported, the deck's cards untouched."""
    path = export_dir / "deck.tsv"
    studied.export(path, ExportOptions())
    before = {r.id: (r.source, r.question, r.reviews) for r in studied.list_cards()}
    first = studied.import_path(path, FIXED_NOW)
    assert (first.added, first.updated, first.retired) == (0, 0, 0)
    assert first.problems and all(
        "is already in your content folder " in p and "calculus-optimization.md:" in p
        for p in first.problems
    )
    assert first.problems[0].startswith(f"{path.resolve()}:")
    again = studied.import_path(path, FIXED_NOW)
    assert again.added == 0 and again.updated == 0
    assert {r.id: (r.source, r.question, r.reviews) for r in studied.list_cards()} == before


def test_wrong_column_count_skips_that_row_only(tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    path.write_text(
        "#separator:comma\n#html:false\n#columns:Front,Back\n"
        "What is 2+2?,4\n"
        "Too,many,columns\n"
        "Capital of France?,Paris\n",
        encoding="utf-8",
    )
    deck = read_anki_text(path)
    assert [c.question for c in deck.cards] == ["What is 2+2?", "Capital of France?"]
    assert [str(p) for p in deck.problems] == [
        f"{path}:5: row has 3 columns, expected 2; row skipped"
    ]
    assert deck.cards[0].deck == "Cards"
    assert deck.cards[0].id.startswith("b-")


def test_empty_fields_are_skipped_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "cards.tsv"
    path.write_text("Q1\tA1\n\tA2\nQ3\t\nC {{c1::}}\t\n", encoding="utf-8")
    deck = read_anki_text(path)
    assert [c.question for c in deck.cards] == ["Q1"]
    messages = [p.message for p in deck.problems]
    assert messages[0].startswith("the front (question) field is empty")
    assert messages[1].startswith("the back (answer) field is empty")
    assert "cloze note without a usable deletion" in messages[2]


def test_quoted_fields_may_hold_separators_quotes_and_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    path.write_text(
        "#separator:comma\n#html:true\n#tags column:3\n#deck column:4\n"
        '"Say ""hi"", then<br>wave","a, b",t1 t2,Greetings::Basics\n'
        "Second,two,,Greetings\n",
        encoding="utf-8",
    )
    deck = read_anki_text(path)
    first, second = deck.cards
    assert first.question == 'Say "hi", then\nwave'
    assert first.answer == "a, b"
    assert first.tags == ("t1", "t2")
    assert (first.deck, first.section) == ("Greetings", "Basics")
    assert (second.line, second.deck, second.section) == (6, "Greetings", "")


def test_txt_starting_with_separator_header_is_anki_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("#separator:tab\nFront\tBack\n", encoding="utf-8")
    assert reader_for(path) is read_anki_text
    assert reader_for(tmp_path / "notes.md") is None


def test_a_file_anki_exported_is_read_with_guid_ids(tmp_path: Path) -> None:
    import anki.collection as anki

    col = anki.Collection(str(tmp_path / "collection.anki2"))
    try:
        deck_id = col.decks.id("Calc::2.3 Chain rule")
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"] = "d/dx <b>sin x</b>?"
        note["Back"] = r"\(\cos x\)"
        note.tags = ["trig"]
        col.add_note(note, deck_id)
        cloze = col.new_note(col.models.by_name("Cloze"))
        cloze["Text"] = "The {{c1::chain}} rule, by {{c2::Leibniz}}"
        col.add_note(cloze, deck_id)
        out = tmp_path / "notes.txt"
        col.export_note_csv(
            out_path=str(out),
            limit=None,
            with_html=True,
            with_tags=True,
            with_deck=True,
            with_notetype=True,
            with_guid=True,
        )
        guids = (note.guid, cloze.guid)
    finally:
        col.close()
    deck = read_anki_text(out)
    assert deck.problems == []
    by_id = {c.id: c for c in deck.cards}
    basic = by_id[f"anki-{guids[0]}"]
    assert (basic.question, basic.answer, basic.tags) == (
        "d/dx **sin x**?",
        r"\(\cos x\)",
        ("trig",),
    )
    assert (basic.deck, basic.section) == ("Calc", "2.3 Chain rule")
    assert by_id[f"anki-{guids[1]}::c2"].question == "The chain rule, by [...]"
    assert by_id[f"anki-{guids[1]}::c1"].note == "The {{c1::chain}} rule, by {{c2::Leibniz}}"


def test_anki_imports_our_file_as_basic_and_cloze_notes(
    studied: StudyService, export_dir: Path, tmp_path: Path
) -> None:
    import anki.collection as anki
    from anki.import_export_pb2 import ImportCsvRequest

    cards = [c for c in exchange_cards(studied, ExportOptions()) if c.kind != "problem"]
    path = export_dir / "deck.csv"
    write_anki_text(cards, path, ExportOptions())
    col = anki.Collection(str(tmp_path / "collection.anki2"))
    try:
        metadata = col.get_csv_metadata(str(path), None)
        col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))
        notes = [col.get_note(nid) for nid in col.find_notes("")]
        kinds = {n.note_type()["name"] for n in notes}
        guids = {n.guid for n in notes}
        fields = {len(n.fields) for n in notes}
        decks = {col.decks.name(c.did) for n in notes for c in n.cards()}
        card_count = len(col.find_cards(""))
    finally:
        col.close()
    assert len(notes) == len({c.note_id for c in cards})
    assert card_count == len(cards)
    assert kinds == {"Basic", "Cloze"}
    assert fields == {2}  # the quizcalc id column is not a field in Anki
    assert guids == {genanki.guid_for(c.note_id) for c in cards}
    assert decks == {c.full_deck for c in cards}
