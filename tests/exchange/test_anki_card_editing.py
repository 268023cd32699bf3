"""The in-app editor on cards imported from an Anki package: a cloze note's cards are rendered
again from the edited text (extra fields below), a basic note's edit reaches each card that
shows the field, and an edit that would remove or add a card is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anki.collection as anki_collection
import pytest

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.errors import InvalidRequest
from quizcalc.study.views import BrowseFilter
from tests.conftest import FIXED_NOW


@pytest.fixture
def imported(db_url: str, tmp_path: Path) -> Iterator[StudyService]:
    """A cloze note (two deletions, a Back Extra) and a two-way basic note, imported."""
    folder = tmp_path / "anki"
    folder.mkdir()
    col: Any = anki_collection.Collection(str(folder / "collection.anki2"))
    cloze = col.new_note(col.models.by_name("Cloze"))
    cloze["Text"] = "The {{c1::chain}} rule and the {{c2::product}} rule"
    cloze["Back Extra"] = "from <i>calculus</i>"
    col.add_note(cloze, col.decks.id("Default"))
    both = col.new_note(col.models.by_name("Basic (and reversed card)"))
    both["Front"] = "gradient"
    both["Back"] = "vector of partial derivatives"
    col.add_note(both, col.decks.id("Default"))
    package = tmp_path / "notes.apkg"
    col.export_anki_package(
        out_path=str(package),
        options=anki_collection.ExportAnkiPackageOptions(
            with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False
        ),
        limit=None,
    )
    col.close()
    service = StudyService.open(db_url, Config())
    service.import_path(package, FIXED_NOW)
    yield service
    service.close()


def _texts(service: StudyService) -> list[tuple[str, str]]:
    cards = [service.card(r.key) for r in service.browse(BrowseFilter(), FIXED_NOW)]
    return [(c.question, c.answer) for c in cards]


def test_a_cloze_note_is_rendered_again_from_its_edited_text(imported: StudyService) -> None:
    first = imported.browse(BrowseFilter(), FIXED_NOW)[0].key
    target = imported.edit_target(first)
    assert target.field_names == ("Text", "Back Extra") and target.note_type == "Cloze"
    imported.save_fields(
        target, ["The {{c1::chain}} rule and the {{c2::quotient}} rule", "calculus"], FIXED_NOW
    )
    assert _texts(imported)[:2] == [
        (
            "The [...] rule and the quotient rule",
            "The **chain** rule and the quotient rule\n\n**Back Extra:** calculus",
        ),
        (
            "The chain rule and the [...] rule",
            "The chain rule and the **quotient** rule\n\n**Back Extra:** calculus",
        ),
    ]


def test_an_edit_that_would_remove_or_add_a_card_is_refused(imported: StudyService) -> None:
    first = imported.browse(BrowseFilter(), FIXED_NOW)[0].key
    target = imported.edit_target(first)
    before = _texts(imported)
    with pytest.raises(InvalidRequest, match=r"keep a \{\{c2::…\}\} deletion for card c2"):
        imported.save_fields(target, ["The {{c1::chain}} rule", ""], FIXED_NOW)
    with pytest.raises(InvalidRequest, match=r"\{\{c3::…\}\} would be a new card"):
        imported.save_fields(target, ["{{c1::a}} {{c2::b}} {{c3::c}}", ""], FIXED_NOW)
    assert _texts(imported) == before


def test_a_basic_note_s_edit_reaches_both_of_its_cards(imported: StudyService) -> None:
    rows = imported.browse(BrowseFilter(), FIXED_NOW)
    target = imported.edit_target(rows[2].key)
    assert target.fields == ("gradient", "vector of partial derivatives")
    imported.save_fields(target, ["gradient ∇f", "vector of partial derivatives"], FIXED_NOW)
    assert _texts(imported)[2:] == [
        ("gradient ∇f", "vector of partial derivatives"),
        ("vector of partial derivatives", "gradient ∇f"),
    ]
