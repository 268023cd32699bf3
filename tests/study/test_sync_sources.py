"""A card belongs to one source: overlapping sources never move, retire or lose a card.

The tests taking ``db_url`` run on SQLite and on PostgreSQL; the property test (many
examples, each a new collection) on SQLite.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from quizcalc.config import Config
from quizcalc.store.models import CardRecord, ReviewLogRecord, SourceRecord
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # the tests taking db_url run on both backends

DECK = """# Derivatives

Q: What does the derivative measure?
A: The instantaneous rate of change of a function.

Q: What does a zero derivative mean?
A: A flat tangent: a critical point.
"""
EDITED = DECK.replace("What does the derivative measure?", "What does a derivative measure?")


@pytest.fixture
def service(db_url: str) -> Iterator[StudyService]:
    svc = StudyService.open(db_url, Config())
    yield svc
    svc.close()


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    """A content folder holding one deck."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "deck.md").write_text(DECK, encoding="utf-8")
    return folder


def _answer(service: StudyService, question: str) -> int:
    with service.transaction() as session:
        key = session.scalars(select(CardRecord.id).where(CardRecord.question == question)).one()
    service.answer(key, 5, FIXED_NOW)
    return key


def _sources(service: StudyService) -> list[tuple[str, str]]:
    with service.transaction() as session:
        rows = session.execute(select(SourceRecord.key, SourceRecord.role).order_by("id"))
        return [(key, role) for key, role in rows]


def _card(service: StudyService, key: int) -> CardRecord:
    with service.transaction() as session:
        record = session.get(CardRecord, key)
        assert record is not None
        return record


def _reviews(service: StudyService, key: int) -> int:
    with service.transaction() as session:
        query = select(ReviewLogRecord.id).where(ReviewLogRecord.card_key == key)
        return len(session.scalars(query).all())


@pytest.mark.parametrize("import_first", [False, True], ids=["sync", "import-again-first"])
def test_a_folder_both_content_and_imported_keeps_progress_when_a_question_is_edited(
    service: StudyService, notes: Path, import_first: bool
) -> None:
    service.sync(notes, FIXED_NOW)
    service.import_path(notes, FIXED_NOW)
    key = _answer(service, "What does the derivative measure?")
    (notes / "deck.md").write_text(EDITED, encoding="utf-8")
    if import_first:
        service.import_path(notes, FIXED_NOW)
    report = service.sync(notes, FIXED_NOW)
    assert report.retired == 0
    card = _card(service, key)
    assert (card.question, card.status) == ("What does a derivative measure?", "active")
    assert _reviews(service, key) == 1
    active = [r for r in service.list_cards() if r.status == "active"]
    assert len(active) == 2, "the edited card was added twice"


def test_the_second_source_of_a_folder_says_whose_its_cards_are(
    service: StudyService, notes: Path
) -> None:
    service.sync(notes, FIXED_NOW)
    report = service.import_path(notes, FIXED_NOW)
    assert report.problems == [
        f"{notes.resolve() / 'deck.md'}: its cards belong to your content folder "
        f"{notes.resolve()}; not read again for the import of {notes.resolve()} (a file "
        "belongs to one source)"
    ]
    assert (report.added, report.updated, report.retired) == (0, 0, 0)
    assert _sources(service) == [
        (f"content:{notes.resolve()}", "content"),
        (f"import:{notes.resolve()}", "import"),
    ]


def test_a_card_id_in_a_second_source_is_reported_and_the_first_is_untouched(
    service: StudyService, notes: Path, tmp_path: Path
) -> None:
    (notes / "deck.md").write_text(
        "<!-- id: chain-rule -->\nQ: What is the chain rule?\nA: (f∘g)' = f'(g)·g'\n",
        encoding="utf-8",
    )
    service.sync(notes, FIXED_NOW)
    key = _answer(service, "What is the chain rule?")
    other = tmp_path / "other.md"
    other.write_text(
        "Q: Some other card\nA: kept\n\n<!-- id: chain-rule -->\nQ: Chain rule?\nA: another\n",
        encoding="utf-8",
    )
    for report in (service.import_path(other, FIXED_NOW), service.sync(notes, FIXED_NOW)):
        assert report.problems == [
            f"{other.resolve()}:5: card 'chain-rule' is already in your content folder "
            f"{notes.resolve()} ({notes.resolve() / 'deck.md'}:2); this copy was skipped: give "
            "it another id or remove one"
        ]
    card = _card(service, key)
    assert (card.question, card.status, card.source) == (
        "What is the chain rule?",
        "active",
        str(notes.resolve() / "deck.md"),
    )
    assert _reviews(service, key) == 1
    assert {r.question for r in service.list_cards()} == {
        "What is the chain rule?",
        "Some other card",
    }


def test_a_card_moved_from_an_import_to_the_content_folder_keeps_its_history(
    service: StudyService, notes: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.md"
    moved = "Q: Where does the gradient point?\nA: Uphill.\n"
    other.write_text(moved, encoding="utf-8")
    service.sync(notes, FIXED_NOW)
    service.import_path(other, FIXED_NOW)
    key = _answer(service, "Where does the gradient point?")
    other.write_text("", encoding="utf-8")
    (notes / "deck.md").write_text(DECK + "\n" + moved, encoding="utf-8")
    report = service.sync(notes, FIXED_NOW)
    assert (report.problems, report.retired) == ([], 0)
    card = _card(service, key)
    assert (card.status, card.source) == ("active", str(notes.resolve() / "deck.md"))
    assert _reviews(service, key) == 1


QUESTIONS = [f"What does rule number {n} of the chain of derivatives say?" for n in range(4)]
Step = tuple[str, int]
STEPS = st.lists(
    st.tuples(st.sampled_from(["edit", "drop", "sync", "import"]), st.integers(0, 3)),
    min_size=1,
    max_size=6,
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=STEPS)
def test_no_edit_or_sync_order_retires_a_card_whose_text_is_in_the_file(
    steps: list[Step], new_database: Callable[[Path], Path]
) -> None:
    """A folder that is both the content folder and an import, edited and synced in any order."""
    with tempfile.TemporaryDirectory() as scratch:
        notes = Path(scratch, "notes")
        notes.mkdir()
        questions = list(QUESTIONS)

        def write() -> None:
            cards = [f"Q: {q}\nA: answer {n}\n" for n, q in enumerate(questions) if q]
            (notes / "deck.md").write_text("\n".join(cards), encoding="utf-8")

        write()
        service = StudyService.open(f"sqlite:///{new_database(Path(scratch, 'q.db'))}", Config())
        try:
            service.sync(notes, FIXED_NOW)
            service.import_path(notes, FIXED_NOW)
            for question in QUESTIONS:
                _answer(service, question)
            for action, n in steps:
                if action == "edit" and questions[n]:
                    questions[n] = questions[n].replace("say?", "say again?", 1)
                elif action == "drop":
                    questions[n] = ""
                write()
                if action == "import":
                    service.import_path(notes, FIXED_NOW)
                else:
                    service.sync(notes, FIXED_NOW)
            with service.transaction() as session:
                records = session.scalars(select(CardRecord)).unique().all()
                reviews = session.scalars(select(ReviewLogRecord.card_key)).all()
        finally:
            service.close()
    in_file = {q for q in questions if q}
    active = sorted(r.question for r in records if r.status == "active")
    assert active == sorted(in_file)
    assert not [r for r in records if r.status == "retired" and r.question in in_file]
    assert len(records) == len(QUESTIONS), "an edit added a card instead of keeping the old one"
    assert sorted(reviews) == sorted(r.id for r in records)
