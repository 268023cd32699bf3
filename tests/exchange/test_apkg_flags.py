"""Flags travel with Anki packages: an export writes each card's flag as Anki's ``flags`` (read
by the official ``anki`` library), an import of an Anki-written package brings them back; an
Anki card edited in the in-app editor goes out edited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anki.collection as anki_collection
import pytest

from quizcalc.config import Config
from quizcalc.exchange.model import ExportOptions
from quizcalc.study import StudyService
from quizcalc.study.views import BrowseFilter
from tests.conftest import FIXED_NOW
from tests.exchange.test_apkg_anki import import_package

DECK = """---
deck: Flags
---

Q: First question?
A: First answer.

Q: Second question?
A: Second answer.
"""


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Any]:
    """A fresh, empty Anki collection (headless)."""
    folder = tmp_path / "anki"
    folder.mkdir()
    col = anki_collection.Collection(str(folder / "collection.anki2"))
    yield col
    col.close()


def _flags_by_front(col: Any) -> dict[str, int]:
    found = {}
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        found[card.note().fields[0]] = card.user_flag()
    return found


@pytest.mark.parametrize("with_progress", [False, True])
def test_an_export_carries_each_card_s_flag_into_anki(
    db_url: str, tmp_path: Path, collection: Any, with_progress: bool
) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text(DECK, "utf-8")
    service = StudyService.open(db_url, Config())
    service.sync(deck, FIXED_NOW)
    first, second = service.browse(BrowseFilter(), FIXED_NOW)
    service.flag_card(first.key, 2)
    service.answer(second.key, 4, FIXED_NOW)
    out = tmp_path / "flags.apkg"
    service.export(out, ExportOptions(with_progress=with_progress))
    service.close()
    import_package(collection, out, with_scheduling=True)
    assert _flags_by_front(collection) == {"First question?": 2, "Second question?": 0}


def test_an_anki_package_s_flags_arrive_and_an_in_app_edit_goes_back_out(
    db_url: str, tmp_path: Path, collection: Any
) -> None:
    note = collection.new_note(collection.models.by_name("Basic"))
    note["Front"] = "What is a <b>tensor</b>?"
    note["Back"] = "An array with axes"
    collection.add_note(note, collection.decks.id("Default"))
    plain = collection.new_note(collection.models.by_name("Basic"))
    plain["Front"] = "Unflagged"
    plain["Back"] = "answer"
    collection.add_note(plain, collection.decks.id("Default"))
    collection.set_user_flag_for_cards(7, [c.id for c in note.cards()])  # Anki keeps flags
    # in a package "with scheduling" (without, it writes every card as new and unflagged)
    package = tmp_path / "from-anki.apkg"
    collection.export_anki_package(
        out_path=str(package),
        options=anki_collection.ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False
        ),
        limit=None,
    )

    service = StudyService.open(db_url, Config())
    service.import_path(package, FIXED_NOW)
    rows = {r.question: r for r in service.browse(BrowseFilter(), FIXED_NOW)}
    tensor = rows["What is a **tensor**?"]
    assert service.card(tensor.key).flag == 7
    assert service.card(rows["Unflagged"].key).flag == 0

    target = service.edit_target(tensor.key)
    assert target.file is None and target.field_names == ("Front", "Back")
    assert target.note_type == "Basic"
    edited = service.save_fields(
        target, ["What is a **tensor**?", "An array with named axes"], FIXED_NOW
    )
    assert edited.answer == "An array with named axes"
    out = tmp_path / "back.apkg"
    service.export(out, ExportOptions())
    service.close()

    fresh_folder = tmp_path / "fresh"
    fresh_folder.mkdir()
    fresh = anki_collection.Collection(str(fresh_folder / "collection.anki2"))
    try:
        import_package(fresh, out, with_scheduling=True)
        notes = [fresh.get_note(n) for n in fresh.find_notes("")]
        backs = {n.guid: list(n.fields) for n in notes}
        assert backs[note.guid] == ["What is a <b>tensor</b>?", "An array with named axes"]
        assert _flags_by_front(fresh)["What is a <b>tensor</b>?"] == 7
    finally:
        fresh.close()
