"""Content sync: edits keep progress, removals retire, re-adds restore, imports are remembered.

Every test runs on SQLite and on PostgreSQL (a sync is upserts, retirements and ordering).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # every test here taking db_url runs on both backends

FIRST_CARD = (
    "Q: What does the derivative measure?\nA: The instantaneous rate of change of a function.\n"
)

DECK = """---
deck: Calculus
---
# Derivatives

Q: What does the derivative measure?
A: The instantaneous rate of change of a function.

Q: What does a zero derivative mean?
A: A flat tangent: a critical point.

# Gradients

Q: Which way does the gradient point?
A: Toward the steepest increase.
"""


@pytest.fixture
def service(db_url: str) -> StudyService:
    svc = StudyService.open(db_url, Config())
    yield svc
    svc.close()


def _by_question(service: StudyService) -> dict[str, object]:
    return {row.question: row for row in service.list_cards()}


def _answer_first(service: StudyService, quality: int = 5) -> int:
    card = service.next_card(FIXED_NOW)
    assert card is not None
    service.answer(card.key, quality, FIXED_NOW)
    return card.key


def test_first_sync_adds_every_card_and_reports_it(service: StudyService, write_deck) -> None:
    report = service.sync(write_deck(DECK), FIXED_NOW)
    assert (report.added, report.updated, report.retired, report.unchanged) == (3, 0, 0, 0)
    assert report.summary() == "added 3 · updated 0 · retired 0 · unchanged 0"
    rows = service.list_cards()
    assert [r.section for r in rows] == ["Derivatives", "Derivatives", "Gradients"]
    assert {r.deck for r in rows} == {"Calculus"}


def test_resync_of_unchanged_files_changes_nothing(service: StudyService, write_deck) -> None:
    folder = write_deck(DECK)
    service.sync(folder, FIXED_NOW)
    again = service.sync(folder, FIXED_NOW)
    assert (again.added, again.updated, again.retired, again.unchanged) == (0, 0, 0, 3)


def test_rewritten_answer_is_an_update_that_keeps_history(
    service: StudyService, write_deck
) -> None:
    folder = write_deck(DECK)
    service.sync(folder, FIXED_NOW)
    key = _answer_first(service)
    before = service.card(key)
    write_deck(
        DECK.replace(
            "The instantaneous rate of change of a function.",
            "How fast the output moves per unit of input, at that point.",
        )
    )
    report = service.sync(folder, FIXED_NOW)
    assert (report.added, report.updated, report.retired) == (0, 1, 0)
    after = service.card(key)
    assert after.card_id == before.card_id
    assert after.answer.startswith("How fast")
    assert after.state == before.state and after.state.repetitions == 1


def test_typo_fixed_in_question_is_an_edit_not_a_new_card(
    service: StudyService, write_deck
) -> None:
    typo = DECK.replace("What does the derivative measure?", "What does the derivatve mesure?")
    folder = write_deck(typo)
    service.sync(folder, FIXED_NOW)
    key = _answer_first(service)
    write_deck(DECK)
    report = service.sync(folder, FIXED_NOW)
    assert (report.added, report.updated, report.retired) == (0, 1, 0)
    card = service.card(key)
    assert card.question == "What does the derivative measure?"
    assert card.state.repetitions == 1


def test_card_moved_to_another_section_and_file_keeps_history(
    service: StudyService, write_deck
) -> None:
    folder = write_deck(DECK)
    service.sync(folder, FIXED_NOW)
    key = _answer_first(service)
    moved_out = DECK.replace(FIRST_CARD, "")
    write_deck(moved_out)
    write_deck(
        "# Basics\n\nQ: What does the derivative measure?\n"
        "A: The instantaneous rate of change of a function.\n",
        name="more/basics.md",
    )
    report = service.sync(folder, FIXED_NOW)
    assert (report.added, report.retired) == (0, 0)
    card = service.card(key)
    assert card.source.endswith("basics.md") and card.section == "Basics"
    assert card.state.repetitions == 1


def test_deleted_card_is_retired_with_history_and_restored_when_readded(
    service: StudyService, write_deck
) -> None:
    folder = write_deck(DECK)
    service.sync(folder, FIXED_NOW)
    key = _answer_first(service, quality=4)
    without = DECK.replace(FIRST_CARD, "")
    write_deck(without)
    report = service.sync(folder, FIXED_NOW)
    assert report.retired == 1
    statuses = {r.id: r.status for r in service.list_cards()}
    assert list(statuses.values()).count("retired") == 1
    assert key not in service.queue(FIXED_NOW + timedelta(days=30)).order
    write_deck(DECK)
    report = service.sync(folder, FIXED_NOW)
    assert report.restored == 1 and report.added == 0
    assert service.card(key).state.repetitions == 1


def test_two_lookalike_candidates_are_not_guessed(service: StudyService, write_deck) -> None:
    deck = (
        "Q: What is the gradient of x squared?\nA: 2x\n\n"
        "Q: What is the gradient of x cubed?\nA: 3x^2\n"
    )
    folder = write_deck(deck)
    service.sync(folder, FIXED_NOW)
    write_deck("Q: What is the gradient of x to the fourth?\nA: 4x^3\n")
    report = service.sync(folder, FIXED_NOW)
    assert report.added == 1 and report.retired == 2


def test_missing_content_folder_is_reported_and_retires_nothing(
    service: StudyService, write_deck, tmp_path: Path
) -> None:
    service.sync(write_deck(DECK), FIXED_NOW)
    report = service.sync(tmp_path / "nowhere", FIXED_NOW)
    assert report.skipped_sources and "nowhere" in report.skipped_sources[0]
    assert all(r.status == "active" for r in service.list_cards())


def test_imported_source_is_remembered_and_resynced(service: StudyService, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("Q: What is an epoch?\nA: One full pass over the training set.\n")
    assert service.import_path(notes, FIXED_NOW).added == 1
    notes.write_text(
        "Q: What is an epoch?\nA: One full pass over the training set.\n\n"
        "Q: What is an iteration?\nA: One parameter update.\n"
    )
    report = service.sync(None, FIXED_NOW)
    assert report.added == 1
    assert len(service.list_cards()) == 2


def test_problems_in_a_file_are_reported_without_losing_its_good_cards(
    service: StudyService, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck("Q: Lonely question with no answer\n\nQ: Fine?\nA: Yes.\n")
    report = service.sync(folder, FIXED_NOW)
    assert report.added >= 1
    assert any("deck.md:1" in p for p in report.problems)


def test_non_utf8_file_is_skipped_with_a_message_and_its_cards_kept(
    service: StudyService, write_deck
) -> None:
    folder = write_deck(DECK)
    service.sync(folder, FIXED_NOW)
    (folder / "deck.md").write_bytes(b"Q: caf\xe9?\nA: latin-1\n")
    report = service.sync(folder, FIXED_NOW)
    assert report.retired == 0
    assert any("not UTF-8" in p for p in report.problems)


def test_sync_reports_progress_file_by_file(service: StudyService, write_deck) -> None:
    for number in range(3):
        folder = write_deck(f"Q: Question {number}?\nA: Yes.\n", name=f"part{number}.md")
    heard: list[tuple[int, int]] = []
    service.sync(folder, FIXED_NOW, lambda done, total: heard.append((done, total)))
    assert heard == [(0, 3), (1, 3), (2, 3)]
    heard.clear()
    service.sync(folder, FIXED_NOW, lambda done, total: heard.append((done, total)))
    assert heard == []  # unchanged files are not read again
