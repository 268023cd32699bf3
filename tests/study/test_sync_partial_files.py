"""A card file that did not fully parse keeps its cards: a sync retires none of them.

On SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # every test here taking db_url runs on both backends


@pytest.fixture
def service(db_url: str) -> Iterator[StudyService]:
    svc = StudyService.open(db_url, Config())
    yield svc
    svc.close()


def cards(first: int, count: int) -> str:
    return "\n".join(f"Q: Question number {n}?\nA: Answer {n}.\n" for n in range(first, count))


def deep_list(depth: int) -> str:
    return "\n".join("  " * level + f"- item {level}" for level in range(depth))


def active(service: StudyService) -> set[str]:
    return {row.question for row in service.list_cards() if row.status == "active"}


def test_a_file_with_an_unreadable_part_keeps_every_card(service: StudyService, write_deck) -> None:
    folder = write_deck(cards(0, 10), "deck.md")
    write_deck("Q: Elsewhere?\nA: Yes.\n", "other.md")
    service.sync(folder, FIXED_NOW)
    # An edit breaks the file: a deep list, and one card loses its answer.
    broken = cards(0, 3) + "\n" + deep_list(11) + "\n\nQ: Question number 3?\n\n" + cards(4, 10)
    write_deck(broken, "deck.md")
    write_deck("", "other.md")  # a file that parses cleanly still retires what it lost
    report = service.sync(folder, FIXED_NOW)
    assert report.retired == 1
    assert active(service) == {f"Question number {n}?" for n in range(10)}
    deck = folder / "deck.md"
    assert report.problems == [
        f"{deck}:19: lines 19-20 are nested too deeply to read (at most 10 lists or 20 quotes "
        "inside each other); indent less"
        "; this file's cards are kept as they were until it is fixed",
        f"{deck}:22: Q without an answer (add an 'A:' line, or answer text after the question)",
    ]
    # The next start says it again (the file is parsed again until it is fixed) ...
    assert service.sync(folder, FIXED_NOW).problems == report.problems
    # ... and once fixed, what was really removed is retired.
    write_deck(cards(0, 9), "deck.md")
    fixed = service.sync(folder, FIXED_NOW)
    assert (fixed.retired, fixed.problems) == (1, [])
    assert active(service) == {f"Question number {n}?" for n in range(9)}


def test_an_anki_text_file_with_a_skipped_row_keeps_every_card(
    service: StudyService, tmp_path: Path
) -> None:
    path = tmp_path / "cards.tsv"
    path.write_text("First\tone\nSecond\ttwo\nThird\tthree\n", encoding="utf-8")
    service.import_path(path, FIXED_NOW)
    path.write_text("First\tone\nSecond\ttwo\textra\n", encoding="utf-8")  # row 2 broke
    report = service.import_path(path, FIXED_NOW)
    assert report.problems == [
        f"{path.resolve()}:2: row has 3 columns, expected 2; row skipped"
        "; this file's cards are kept as they were until it is fixed"
    ]
    assert (report.retired, active(service)) == (0, {"First", "Second", "Third"})
    path.write_text("First\tone\nSecond\ttwo\n", encoding="utf-8")
    assert service.import_path(path, FIXED_NOW).retired == 1
    assert active(service) == {"First", "Second"}


def test_cards_the_old_parser_lost_come_back_with_their_history(
    service: StudyService, write_deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parser's epoch moved on: unchanged files are read again once, so cards an earlier
    quizcalc could not read (thousands of nested *emphasis* marks: none) are restored."""
    from quizcalc.store.models import CardRecord
    from quizcalc.study import source_reading

    folder = write_deck("*" * 3000 + "a" + "*" * 3000 + "\n\n" + cards(0, 5))
    with monkeypatch.context() as patch:
        patch.setattr(source_reading, "PARSER_EPOCH", "2")
        service.sync(folder, FIXED_NOW)
    with service.store.transaction(write=True) as session:  # what quizcalc with epoch 2 left behind
        for record in session.query(CardRecord):
            record.status, record.retired_at = "retired", FIXED_NOW
    report = service.sync(folder, FIXED_NOW)
    assert report.restored == 5
    assert active(service) == {f"Question number {n}?" for n in range(5)}
