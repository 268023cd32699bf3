"""The ``.apkg`` export imported by the official ``anki`` library into a fresh collection.

Notes, cards, decks, fields and tags arrive as exported; with scheduling imported, the
intervals, ease factors, due days and review-log rows too; Check Database finds nothing to
fix; importing a later export updates the notes instead of duplicating them.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import anki.collection as anki_collection
import pytest

from quizcalc.exchange import apkg_export
from quizcalc.exchange.anki_html import markdown_to_anki_html
from quizcalc.exchange.apkg_export import instance_seed, note_guid, write_apkg
from quizcalc.exchange.apkg_models import BASIC_MODEL_NAME, CLOZE_MODEL_NAME, PROBLEM_MODEL_NAME
from quizcalc.exchange.apkg_progress import anki_ease, revlog_type
from quizcalc.exchange.model import ExchangeCard, ExchangeReview, ExchangeSchedule, ExportOptions
from quizcalc.problems import generate
from quizcalc.scheduling.study_day import study_day
from quizcalc.study import StudyService
from tests.exchange.conftest import exchange_cards


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Any]:
    """A fresh, empty Anki collection (headless)."""
    folder = tmp_path / "anki"
    folder.mkdir()
    col = anki_collection.Collection(str(folder / "collection.anki2"))
    yield col
    col.close()


def import_package(col: Any, path: Path, *, with_scheduling: bool) -> None:
    """Import ``path`` as Anki's File > Import does (notes updated if newer)."""
    options = anki_collection.ImportAnkiPackageOptions(with_scheduling=with_scheduling)
    request = anki_collection.ImportAnkiPackageRequest(package_path=str(path), options=options)
    col.import_anki_package(request)


def assert_database_checks_clean(col: Any) -> None:
    """Anki's Check Database: nothing to fix (its message is then only "rebuilt")."""
    message, ok = col.fix_integrity()
    assert ok, message
    assert message == col.tr.database_check_rebuilt()


def _anki_notes(col: Any) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        cards = [col.get_card(cid) for cid in note.card_ids()]
        found[note.guid] = {
            "model": note.note_type()["name"],
            "fields": list(note.fields),
            "tags": sorted(note.tags),
            "decks": {col.decks.name(card.did) for card in cards},
            "cards": {card.ord: card for card in cards},
        }
    return found


def _expected_notes(cards: list[ExchangeCard], instances: int) -> dict[str, dict[str, Any]]:
    """What each card should look like in Anki, worked out from the cards themselves."""
    from quizcalc.problems import expected_text

    expected: dict[str, dict[str, Any]] = {}
    for card in cards:
        base = {"tags": sorted(card.tags), "decks": {card.full_deck}}
        if card.kind == "basic":
            fields = [
                markdown_to_anki_html(card.question),
                markdown_to_anki_html(card.answer),
                card.card_id,
            ]
            expected[note_guid(card)] = {**base, "model": BASIC_MODEL_NAME, "fields": fields}
        elif card.kind == "cloze":
            fields = [markdown_to_anki_html(card.note), "", card.note_id]
            expected[note_guid(card)] = {**base, "model": CLOZE_MODEL_NAME, "fields": fields}
        else:
            assert card.family is not None
            for index in range(instances):
                seed = instance_seed(card.card_id, index, 0)
                problem = generate(card.family, seed, card.difficulty or 1)
                fields = [
                    markdown_to_anki_html(problem.prompt),
                    f"<code>{html.escape(expected_text(problem.answer))}</code>",
                    None,
                    card.card_id,
                    str(seed),
                    f"{card.family}:{card.difficulty or 1}",
                ]
                expected[note_guid(card, index)] = {
                    **base,
                    "model": PROBLEM_MODEL_NAME,
                    "fields": fields,
                }
    return expected


def _shifted(card: ExchangeCard, days: int) -> ExchangeCard:
    """``card`` with its schedule and history ``days`` earlier."""
    back = timedelta(days=days)

    def schedule(s: ExchangeSchedule) -> ExchangeSchedule:
        return replace(
            s,
            due=s.due - back if s.due else None,
            last_reviewed_at=s.last_reviewed_at - back if s.last_reviewed_at else None,
        )

    reviews = tuple(
        replace(
            r,
            reviewed_at=r.reviewed_at - back,
            study_day=r.study_day - back,
            before=schedule(r.before),
            after=schedule(r.after),
        )
        for r in card.reviews
    )
    return replace(
        card, schedule=schedule(card.schedule) if card.schedule else None, reviews=reviews
    )


def _drill(card: ExchangeCard) -> ExchangeReview:
    """A practice answer an hour after ``card``'s last review that did not move its schedule."""
    last = card.reviews[-1]
    return replace(
        last,
        reviewed_at=last.reviewed_at + timedelta(hours=1),
        kind="drill",
        quality=4,
        before=last.after,
        after=last.after,
    )


def test_the_full_deck_round_trips_field_by_field(
    studied: StudyService, export_dir: Path, collection: Any
) -> None:
    cards = exchange_cards(studied, ExportOptions())
    out = export_dir / "deck.apkg"
    report = write_apkg(cards, out, ExportOptions(instances=2))
    import_package(collection, out, with_scheduling=False)

    notes = _anki_notes(collection)
    expected = _expected_notes(cards, instances=2)
    assert notes.keys() == expected.keys()
    assert len(notes) == report.notes
    for guid, want in expected.items():
        got = notes[guid]
        assert got["model"] == want["model"], guid
        assert got["tags"] == want["tags"], guid
        assert got["decks"] == want["decks"], guid
        for got_field, want_field in zip(got["fields"], want["fields"], strict=True):
            if want_field is not None:
                assert got_field == want_field, guid
        if want["model"] == PROBLEM_MODEL_NAME:
            assert got["fields"][2].startswith("<ol>")

    for card in cards:
        anki_card = notes[note_guid(card, 0 if card.kind == "problem" else None)]["cards"][
            (card.cloze_number or 1) - 1 if card.kind == "cloze" else 0
        ]
        # Without scheduling Anki imports every card new, unsuspended (its choice, not ours).
        assert (anki_card.type, anki_card.queue) == (0, 0)
    problems = sum(c.kind == "problem" for c in cards)
    assert collection.card_count() == len(cards) + problems  # two instances each

    decks = {d.name for d in collection.decks.all_names_and_ids()}
    sections = {c.full_deck for c in cards}
    parents = {"::".join(s.split("::")[:i]) for s in sections for i in range(1, s.count("::") + 1)}
    assert decks == {"Default"} | sections | parents
    assert_database_checks_clean(collection)


def test_progress_arrives_with_scheduling_on(
    studied: StudyService, export_dir: Path, collection: Any
) -> None:
    options = ExportOptions(with_progress=True, instances=1)
    everything = exchange_cards(studied, options)
    # The fixture studies from today on; Anki moves review times in the future to now, so
    # the history is moved 30 days back, as a real one is.
    cards = [_shifted(c, 30) for c in everything if c.reviews or c.suspended]
    cards[0] = replace(cards[0], reviews=(*cards[0].reviews, _drill(cards[0])))
    cards += [c for c in everything if c.kind == "cloze"][:2]
    out = export_dir / "progress.apkg"
    report = write_apkg(cards, out, options)
    assert report.reviews == sum(len(c.reviews) for c in cards) == 31
    import_package(collection, out, with_scheduling=True)

    notes = _anki_notes(collection)
    today = study_day(datetime.now().astimezone(), 4)
    for card in cards:
        ordinal = (card.cloze_number or 1) - 1 if card.kind == "cloze" else 0
        anki_card = notes[note_guid(card, 0 if card.kind == "problem" else None)]["cards"][ordinal]
        schedule = card.schedule
        assert schedule is not None
        if schedule.due is None:
            assert (anki_card.type, anki_card.ivl, anki_card.factor) == (0, 0, 0)
        else:
            assert anki_card.type == 2
            assert anki_card.ivl == max(schedule.interval, 1)
            assert anki_card.factor == round(schedule.easiness * 1000)
            assert anki_card.due - collection.sched.today == (schedule.due - today).days
            assert (anki_card.reps, anki_card.lapses) == (schedule.reviews, schedule.lapses)
        queue = -1 if card.suspended else 2 if schedule.due else 0
        assert anki_card.queue == queue
        rows = collection.db.all(
            "SELECT id, ease, ivl, lastIvl, factor, time, type FROM revlog WHERE cid = ?"
            " ORDER BY id",
            anki_card.id,
        )
        want = [
            (
                anki_ease(r.quality),
                r.after.interval,
                r.before.interval,
                min(r.duration_ms or 0, 60_000),
                revlog_type(r),
            )
            for r in card.reviews
        ]
        assert sorted(tuple(row[1:4] + row[5:]) for row in rows) == sorted(want)
        # Anki moves a review time in the future (the fixture's clock is) to now.
        # Answers at the same instant on several cards are a millisecond apart in the log.
        ids = [row[0] for row in rows]
        stamps = [int(r.reviewed_at.timestamp() * 1000) for r in card.reviews]
        assert all(0 <= i - stamp < 10 for i, stamp in zip(ids, sorted(stamps), strict=True))
    assert collection.db.scalar("SELECT count() FROM revlog") == report.reviews
    assert_database_checks_clean(collection)

    # The same package again: no card and no review-log row twice.
    cards_before = collection.card_count()
    import_package(collection, out, with_scheduling=True)
    assert collection.card_count() == cards_before
    assert collection.db.scalar("SELECT count() FROM revlog") == report.reviews


def test_without_scheduling_on_cards_arrive_new(
    studied: StudyService, export_dir: Path, collection: Any
) -> None:
    options = ExportOptions(with_progress=True, instances=1)
    cards = [c for c in exchange_cards(studied, options) if c.reviews]
    out = export_dir / "progress.apkg"
    write_apkg(cards, out, options)
    import_package(collection, out, with_scheduling=False)
    assert collection.db.list("SELECT DISTINCT type FROM cards") == [0]
    assert collection.db.scalar("SELECT count() FROM revlog") == 0
    assert_database_checks_clean(collection)


def test_importing_a_later_export_updates_the_notes(
    studied: StudyService, export_dir: Path, collection: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards = [c for c in exchange_cards(studied, ExportOptions()) if c.kind != "problem"][:12]
    write_apkg(cards, export_dir / "first.apkg", ExportOptions())
    import_package(collection, export_dir / "first.apkg", with_scheduling=False)
    basic = next(i for i, c in enumerate(cards) if c.kind == "basic")
    cards[basic] = replace(cards[basic], answer="A *new* answer", tags=("rewritten",))
    later = time.time() + 60  # Anki updates a note only from a newer export (by default)
    monkeypatch.setattr(apkg_export, "_clock", lambda: later)
    write_apkg(cards, export_dir / "second.apkg", ExportOptions())
    import_package(collection, export_dir / "second.apkg", with_scheduling=False)

    notes = _anki_notes(collection)
    assert len(notes) == len({c.note_id for c in cards})
    assert collection.card_count() == len(cards)
    updated = notes[note_guid(cards[basic])]
    assert updated["fields"][1] == "A <em>new</em> answer"
    assert updated["tags"] == ["rewritten"]
    assert len(collection.decks.all_names_and_ids()) == len(
        {"Default"}
        | {
            "::".join(c.full_deck.split("::")[:i])
            for c in cards
            for i in range(1, c.full_deck.count("::") + 2)
        }
    )
    assert_database_checks_clean(collection)
