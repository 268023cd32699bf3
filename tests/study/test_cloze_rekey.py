"""Cloze siblings share one note id: a collection synced before keeps its rows and history.

Before, a Markdown cloze card's id hashed the note's text *and* its number, so siblings had
different note ids (two Anki notes on export). Now the id is the note's hash plus ``::cN``;
the first sync after the upgrade (parser epoch 4 reads unchanged files again) re-keys the
old rows instead of adding new cards and retiring the old ones.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from quizcalc.cards import CardKind, collector, derive_card_id, derive_cloze_id
from quizcalc.config import Config
from quizcalc.study import StudyService, source_reading
from quizcalc.study.views import BrowseFilter
from tests.conftest import FIXED_NOW

NOTE = "Gradient {{c1::descent}} steps {{c2::against}} the gradient of f."
LOOKALIKE = NOTE.replace("of f", "of g")  # too alike for the edit matcher to tell apart
DECK = f"---\ndeck: Optimisation\n---\n{NOTE}\n\n{LOOKALIKE}\n\nQ: A plain card?\nA: Yes.\n"


@pytest.fixture
def service(db_url: str) -> Iterator[StudyService]:
    svc = StudyService.open(db_url, Config())
    yield svc
    svc.close()


def _keys(service: StudyService) -> dict[str, int]:
    """Card id → row key of every card, retired ones too."""
    rows = service.browse(BrowseFilter(include_retired=True), FIXED_NOW)
    return {row.card_id: row.key for row in rows}


def old_cloze_id(text: str, number: int) -> str:
    """The id today's code (before this change) gave a Markdown cloze card."""
    return derive_card_id(CardKind.CLOZE, text, number)


def test_cards_synced_under_the_old_ids_keep_their_rows_and_history(
    service: StudyService, write_deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_deck(DECK)
    with monkeypatch.context() as old_code:  # the collection as the previous release left it
        old_code.setattr(collector, "derive_cloze_id", old_cloze_id)
        old_code.setattr(source_reading, "PARSER_EPOCH", "3")
        assert service.sync(folder, FIXED_NOW).added == 5
    before = {row.id: row for row in service.list_cards()}
    keys = _keys(service)
    for key in keys.values():  # answer every card once: each has one review row
        service.answer(key, 4, FIXED_NOW)
    histories = {key: service.card_detail(key).history for key in keys.values()}

    report = service.sync(folder, FIXED_NOW)  # the new code, the file untouched

    assert (report.added, report.updated, report.retired, report.problems) == (0, 0, 0, [])
    assert report.unchanged == 5
    after = _keys(service)
    assert {row.status for row in service.list_cards()} == {"active"}
    renamed = {
        old_cloze_id(note, number): derive_cloze_id(note, number)
        for note in (NOTE, LOOKALIKE)
        for number in (1, 2)
    }
    assert set(after) == {renamed.get(card_id, card_id) for card_id in before}
    for old, new in renamed.items():
        assert after[new] == keys[old]
        assert service.card_detail(after[new]).history == histories[keys[old]]
        assert len(histories[keys[old]]) == 1
    again = service.sync(folder, FIXED_NOW)
    assert (again.added, again.updated, again.retired, again.unchanged) == (0, 0, 0, 5)
