"""Importing Anki packages made by the official anki library: notes, decks, tags, history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizcalc.config import Config
from quizcalc.exchange.apkg_import import read_apkg
from quizcalc.exchange.apkg_reader import read_collection
from quizcalc.exchange.model import ExportOptions
from quizcalc.store.models import CardRecord, ReviewLogRecord
from quizcalc.study import StudyService
from quizcalc.study.exchange_cards import read_exchange_cards
from tests.conftest import FIXED_NOW
from tests.exchange.conftest import exchange_cards
from tests.exchange.test_import_progress import Row, write_package


@dataclass(frozen=True)
class AnkiPackage:
    """A package the anki library exported, and what went into it."""

    path: Path
    basic_guid: str
    cloze_guid: str
    suspended_guid: str
    revlog: dict[str, list[int]]
    """Note GUID (cloze: ``guid::cN``) → the eases answered, oldest first."""


def _build_package(folder: Path, legacy: bool) -> AnkiPackage:
    from anki import collection  # a test dependency: its absence is a failure, not a skip

    col = collection.Collection(str(folder / "collection.anki2"))
    try:
        calc = col.decks.id("Calc::2.3 Chain rule::Practice")
        basic = col.new_note(col.models.by_name("Basic"))
        basic["Front"] = "What is <b>d/dx</b> of \\(x^2\\)?"
        basic["Back"] = "<div>\\(2x\\)</div><div>by the power rule</div>"
        basic.tags = ["calculus", "power-rule"]
        col.add_note(basic, calc)
        cloze = col.new_note(col.models.by_name("Cloze"))
        cloze["Text"] = "The {{c1::chain}} rule differentiates {{c2::compositions::what}}"
        cloze["Back Extra"] = "kept below"
        col.add_note(cloze, calc)
        other = col.new_note(col.models.by_name("Basic"))
        other["Front"] = "Suspended question"
        other["Back"] = "answer"
        col.add_note(other, col.decks.id("Other"))
        empty = col.new_note(col.models.by_name("Basic"))
        empty["Front"] = "A question without an answer"
        col.add_note(empty, calc)
        col.sched.suspend_cards([c.id for c in other.cards()])

        eases: dict[int, list[int]] = {}
        basic_card = basic.cards()[0]
        for ease in (4, 1, 3):  # easy: graduates; again: a lapse; good: relearnt
            col.sched.set_due_date([basic_card.id], "0")
            card = col.get_card(basic_card.id)
            card.start_timer()
            col.sched.answerCard(card, ease)
            eases.setdefault(card.id, []).append(ease)
        c2 = next(c for c in cloze.cards() if c.ord == 1)
        card = col.get_card(c2.id)
        card.start_timer()
        col.sched.answerCard(card, 3)
        eases.setdefault(card.id, []).append(3)

        from anki.collection import ExportAnkiPackageOptions

        path = folder / ("legacy.apkg" if legacy else "modern.apkg")
        col.export_anki_package(
            out_path=str(path),
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=False, with_media=False, legacy=legacy
            ),
            limit=None,
        )
        revlog = {
            f"{basic.guid}": eases[basic_card.id],
            f"{cloze.guid}::c2": eases[c2.id],
        }
        return AnkiPackage(path, basic.guid, cloze.guid, other.guid, revlog)
    finally:
        col.close()


@pytest.fixture(scope="module", params=["legacy", "modern"])
def package(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AnkiPackage:
    """One package per export format of Anki: ``collection.anki21`` and ``collection.anki21b``."""
    legacy = request.param == "legacy"
    return _build_package(tmp_path_factory.mktemp(request.param), legacy)


def test_the_preferred_collection_is_read(package: AnkiPackage) -> None:
    collection = read_collection(package.path)
    expected = "collection.anki21" if "legacy" in package.path.name else "collection.anki21b"
    assert collection.member == expected
    assert len(collection.notes) == 4


def test_notes_become_cards_with_fields_as_in_anki(package: AnkiPackage) -> None:
    deck = read_apkg(package.path)
    by_id = {card.id: card for card in deck.cards}
    basic = by_id[f"anki-{package.basic_guid}"]
    assert basic.kind == "basic"
    assert basic.question == "What is **d/dx** of \\(x^2\\)?"
    assert basic.answer == "\\(2x\\)\n\nby the power rule"
    assert (basic.deck, basic.section) == ("Calc", "2.3 Chain rule::Practice")
    assert basic.tags == ("calculus", "power-rule")
    first = by_id[f"anki-{package.cloze_guid}::c1"]
    second = by_id[f"anki-{package.cloze_guid}::c2"]
    assert first.question == "The [...] rule differentiates compositions"
    assert second.question == "The chain rule differentiates [what]"
    assert second.answer == (
        "The chain rule differentiates **compositions**\n\n**Back Extra:** kept below"
    )
    assert first.note == "The {{c1::chain}} rule differentiates {{c2::compositions::what}}"
    assert by_id[f"anki-{package.suspended_guid}"].deck == "Other"
    assert len(deck.cards) == 4
    [skipped] = deck.problems
    assert "A question without an answer" in skipped.message
    assert "the back (answer) field is empty; skipped" in skipped.message


def test_review_history_is_read_per_card(package: AnkiPackage) -> None:
    deck = read_apkg(package.path)
    basic = deck.progress[f"anki-{package.basic_guid}"]
    assert [r.quality for r in basic.reviews] == [5, 1, 4]
    assert basic.reviews[1].before.repetitions == 1
    assert basic.reviews[1].after.lapses == 1
    assert basic.schedule is not None and basic.schedule.lapses == 1
    assert basic.schedule.due is not None
    assert basic.reviews[0].after.interval >= 1
    cloze = deck.progress[f"anki-{package.cloze_guid}::c2"]
    assert [r.quality for r in cloze.reviews] == [4]
    assert f"anki-{package.cloze_guid}::c1" not in deck.progress
    assert deck.progress[f"anki-{package.suspended_guid}"].suspended


def test_import_with_progress_gives_history_once(package: AnkiPackage, db_url: str) -> None:
    service = StudyService.open(db_url, Config())
    try:
        report = service.import_path(package.path, FIXED_NOW, with_progress=True)
        assert report.skipped_sources == []
        assert report.added == 4
        assert report.histories == 2
        with service.store.transaction() as session:
            logs = session.scalar(select(func.count()).select_from(ReviewLogRecord))
            basic = session.scalar(
                select(CardRecord).where(CardRecord.card_id == f"anki-{package.basic_guid}")
            )
            assert basic is not None
            assert basic.schedule.reviews == 3 and basic.schedule.lapses == 1
            suspended = session.scalar(
                select(CardRecord.status).where(
                    CardRecord.card_id == f"anki-{package.suspended_guid}"
                )
            )
        assert logs == 4
        assert suspended == "suspended"
        again = service.import_path(package.path, FIXED_NOW, with_progress=True)
        assert again.histories == 0
        kept = [p for p in again.problems if "kept this database's history" in p]
        assert len(kept) == 2
        assert f"anki-{package.basic_guid}: already has 3 reviews here" in "\n".join(kept)
    finally:
        service.close()


def test_a_second_copy_of_a_package_brings_no_history_to_the_first_ones_cards(
    package: AnkiPackage, db_url: str, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.apkg"
    copy.write_bytes(package.path.read_bytes())
    service = StudyService.open(db_url, Config())
    try:
        service.import_path(package.path, FIXED_NOW)
        report = service.import_path(copy, FIXED_NOW, with_progress=True)
        assert (report.added, report.histories) == (0, 0)
        assert len([p for p in report.problems if "this copy was skipped" in p]) == 4
        with service.store.transaction() as session:
            assert session.scalar(select(func.count()).select_from(ReviewLogRecord)) == 0
    finally:
        service.close()


def test_without_progress_no_history_is_taken(package: AnkiPackage, db_url: str) -> None:
    service = StudyService.open(db_url, Config())
    try:
        report = service.import_path(package.path, FIXED_NOW)
        assert report.added == 4 and report.histories == 0
        with service.store.transaction() as session:
            assert session.scalar(select(func.count()).select_from(ReviewLogRecord)) == 0
    finally:
        service.close()


def test_our_own_package_maps_back_onto_the_same_cards(
    studied: StudyService, export_dir: Path, tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    path = export_dir / "deck.apkg"
    studied.export(path, ExportOptions(with_progress=True))
    cards = exchange_cards(studied, ExportOptions(with_progress=True))
    fresh = StudyService.open(f"sqlite:///{new_database(tmp_path / 'fresh.sqlite3')}", Config())
    try:
        report = fresh.import_path(path, FIXED_NOW, with_progress=True)
        with fresh.store.transaction() as session:
            back = {c.card_id: c for c in read_exchange_cards(session, ExportOptions())}
    finally:
        fresh.close()
    ours = list(cards)
    assert report.skipped_sources == []
    assert {c.card_id for c in ours} == set(back)
    for card in ours:
        got = back[card.card_id]
        assert (got.deck, got.section, got.kind) == (card.deck, card.section, card.kind)
        assert (got.family, got.difficulty) == (card.family, card.difficulty)
    assert not [p for p in report.problems if "static instance" in p]
    reviewed = [c for c in ours if c.reviews]
    assert report.histories >= len(reviewed)


def test_notes_with_images_keep_their_references_and_say_so_once(tmp_path: Path) -> None:
    rows = [
        Row("guid-img", ['Which curve? <img src="curve.png">', "a parabola [sound:x.mp3]"]),
        Row("guid-img2", ['<img src="a.png"> and <img src="b.png">', "both"]),
    ]
    deck = read_apkg(write_package(tmp_path / "media.apkg", rows))
    first = deck.cards[0]
    assert (first.question, first.answer) == (
        "Which curve? ![](curve.png)",
        "a parabola [sound:x.mp3]",
    )
    [note] = deck.problems
    assert note.message == (
        "3 images and 1 sound are kept as references (an .apkg export puts them back,"
        " with their files); the terminal shows them as [image: name] and"
        " [sound: name]"
    )
