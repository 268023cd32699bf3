"""Anki → quizcalc → the same Anki collection: every note lands on itself, nothing is added.

The collection is built by the official ``anki`` library with every stock note type
(:mod:`tests.exchange.anki_decks`), exported as ``.apkg``, imported into quizcalc, exported by
quizcalc as ``.apkg`` and imported into the ORIGINAL collection.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anki.collection as anki_collection
import pytest
from sqlalchemy import func, select

from quizcalc.config import Config
from quizcalc.exchange.model import ExportOptions
from quizcalc.store.models import NoteTypeRecord
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW
from tests.exchange.anki_decks import StockDeck, build_stock_deck
from tests.exchange.test_apkg_anki import assert_database_checks_clean, import_package


def _notes(col: Any) -> dict[str, tuple[Any, ...]]:
    """GUID → (note type id, note type name, fields, tags, card ordinals)."""
    found = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        ords = sorted(col.get_card(cid).ord for cid in note.card_ids())
        notetype = note.note_type()
        found[note.guid] = (
            notetype["id"],
            notetype["name"],
            list(note.fields),
            sorted(note.tags),
            ords,
        )
    return found


@dataclass
class RoundTrip:
    """The stock deck, what Anki held before, and the collection after quizcalc's package."""

    stock: StockDeck
    before: dict[str, tuple[Any, ...]]
    notes: tuple[int, int]
    """Notes before, after."""
    cards: tuple[int, int]
    note_types: tuple[int, int]
    col: Any


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoundTrip]:
    """Anki → .apkg → quizcalc → .apkg → the original Anki collection, once for the module."""
    folder = tmp_path_factory.mktemp("roundtrip")
    stock = build_stock_deck(folder)
    database = folder / "quizcalc.sqlite3"
    service = StudyService.open(f"sqlite:///{database}", Config())
    try:
        service.import_path(stock.path, FIXED_NOW, with_progress=True)
        exported = folder / "from-quizcalc.apkg"
        service.export(exported, ExportOptions())
    finally:
        service.close()
    col = anki_collection.Collection(str(stock.collection))
    before = _notes(col)
    counts = (col.note_count(), col.card_count(), len(col.models.all_names_and_ids()))
    import_package(col, exported, with_scheduling=False)
    after = (col.note_count(), col.card_count(), len(col.models.all_names_and_ids()))
    try:
        yield RoundTrip(
            stock,
            before,
            (counts[0], after[0]),
            (counts[1], after[1]),
            (counts[2], after[2]),
            col,
        )
    finally:
        col.close()


def test_no_note_card_or_note_type_is_added(round_trip: RoundTrip) -> None:
    assert round_trip.notes[0] == round_trip.stock.notes
    assert round_trip.notes[1] == round_trip.notes[0]
    assert round_trip.cards[1] == round_trip.cards[0]
    assert round_trip.note_types[1] == round_trip.note_types[0]


def test_every_guid_note_type_field_and_ordinal_is_kept(round_trip: RoundTrip) -> None:
    assert _notes(round_trip.col) == round_trip.before


def test_check_database_finds_nothing_to_fix(round_trip: RoundTrip) -> None:
    assert_database_checks_clean(round_trip.col)


def test_the_note_types_are_stored_once(db_url: str, tmp_path: Path) -> None:
    stock = build_stock_deck(tmp_path)
    service = StudyService.open(db_url, Config())
    try:
        service.import_path(stock.path, FIXED_NOW)
        service.import_path(stock.path, FIXED_NOW)
        with service.store.transaction() as session:
            names = session.scalars(select(NoteTypeRecord.name)).all()
            count = session.scalar(select(func.count()).select_from(NoteTypeRecord))
    finally:
        service.close()
    assert count == len(set(names))
    assert "Basic (and reversed card)" in names
