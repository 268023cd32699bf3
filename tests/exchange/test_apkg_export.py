"""``.apkg`` export, read back with sqlite3: notes, GUIDs, decks, fields, schedules, revlog."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizcalc.exchange.apkg_export import instance_seed, note_guid, write_apkg
from quizcalc.exchange.apkg_models import (
    BASIC_MODEL_NAME,
    CLOZE_MODEL_NAME,
    PROBLEM_MODEL_NAME,
    stable_id,
)
from quizcalc.exchange.apkg_progress import anki_ease, revlog_type
from quizcalc.exchange.export import export_cards
from quizcalc.exchange.model import (
    ExchangeCard,
    ExchangeError,
    ExchangeReview,
    ExchangeSchedule,
    ExportOptions,
)
from quizcalc.study import StudyService
from tests.exchange.conftest import exchange_cards

AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@contextmanager
def package_db(path: Path, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """The package's collection, opened read-only from a copy."""
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        target = tmp_path / f"{path.stem}-collection.anki2"
        target.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(target)
    try:
        yield connection
    finally:
        connection.close()


def _notes(connection: sqlite3.Connection) -> dict[str, tuple[str, list[str], list[str]]]:
    models = json.loads(connection.execute("SELECT models FROM col").fetchone()[0])
    names = {int(mid): model["name"] for mid, model in models.items()}
    return {
        guid: (names[mid], flds.split("\x1f"), tags.split())
        for guid, mid, flds, tags in connection.execute("SELECT guid, mid, flds, tags FROM notes")
    }


def _review(day: int, quality: int, kind: str = "review") -> ExchangeReview:
    before = ExchangeSchedule(repetitions=day, easiness=2.5, interval=day, due=None)
    if day:
        before = replace(before, due=AT.date() + timedelta(days=day))
    after = ExchangeSchedule(repetitions=day + 1, easiness=2.6, interval=day + 1)
    if kind != "review":
        after = before
    return ExchangeReview(
        reviewed_at=AT + timedelta(days=day),
        study_day=AT.date() + timedelta(days=day),
        quality=quality,
        kind=kind,
        before=before,
        after=after,
        duration_ms=90_000,
    )


CARDS = [
    ExchangeCard(
        card_id="q-one",
        kind="basic",
        deck="Calc & Opt",
        section="2.3 The chain rule",
        question="Is $a<b$ when a <b> c?",
        answer="**Yes**, & more",
        tags=("chain-rule", "calc"),
    ),
    ExchangeCard(
        card_id="cz::c1",
        kind="cloze",
        deck="Calc & Opt",
        section="2.3 The chain rule::Practice",
        question="…",
        answer="…",
        note="The {{c1::derivative}} of $x^2$ is {{c2::$2x$}}.",
        cloze_number=1,
    ),
    ExchangeCard(
        card_id="cz::c2",
        kind="cloze",
        deck="Calc & Opt",
        section="2.3 The chain rule::Practice",
        question="…",
        answer="…",
        note="The {{c1::derivative}} of $x^2$ is {{c2::$2x$}}.",
        cloze_number=2,
        suspended=True,
    ),
    ExchangeCard(
        card_id="prob",
        kind="problem",
        deck="Calc & Opt",
        question="Generated problem: chain_rule (difficulty 2)",
        answer="",
        family="chain_rule",
        difficulty=2,
        tags=("skill",),
    ),
]


def test_notes_models_fields_and_tags(tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    report = write_apkg(CARDS, out, ExportOptions(instances=3))
    assert (report.cards, report.notes, report.reviews) == (4, 5, 0)
    with package_db(out, tmp_path) as db:
        notes = _notes(db)
        assert len(notes) == 5
        model, fields, tags = notes[note_guid(CARDS[0])]
        assert model == BASIC_MODEL_NAME
        assert fields == [
            "Is \\(a&lt;b\\) when a &lt;b&gt; c?",
            "<strong>Yes</strong>, &amp; more",
            "q-one",
        ]
        assert tags == ["chain-rule", "calc"]
        model, fields, _ = notes[note_guid(CARDS[1])]
        assert model == CLOZE_MODEL_NAME
        assert fields == ["The {{c1::derivative}} of \\(x^2\\) is {{c2::\\(2x\\)}}.", "", "cz"]
        for index in range(3):
            model, fields, tags = notes[note_guid(CARDS[3], index)]
            assert model == PROBLEM_MODEL_NAME
            seed = str(instance_seed("prob", index, 0))
            assert fields[3:] == ["prob", seed, "chain_rule:2"]
            assert fields[0] and fields[1].startswith("<code>") and "<ol>" in fields[2]
            assert tags == ["skill"]
        cards = db.execute(
            "SELECT notes.guid, cards.ord, cards.type, cards.queue FROM cards JOIN notes"
            " ON notes.id = cards.nid ORDER BY notes.guid, cards.ord"
        ).fetchall()
        cloze = note_guid(CARDS[1])
        assert [(o, q) for g, o, _, q in cards if g == cloze] == [(0, 0), (1, -1)]
        assert len(cards) == 6 and all(t == 0 for _, _, t, _ in cards)


def test_sections_are_sub_decks_with_stable_ids(tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    write_apkg(CARDS, out, ExportOptions(instances=1))
    with package_db(out, tmp_path) as db:
        decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
        by_name = {deck["name"]: int(did) for did, deck in decks.items()}
        in_deck = dict(
            db.execute("SELECT notes.guid, cards.did FROM cards JOIN notes ON nid = notes.id")
        )
    expected = [
        "Calc & Opt",
        "Calc & Opt::2.3 The chain rule",
        "Calc & Opt::2.3 The chain rule::Practice",
    ]
    assert set(by_name) == {"Default", *expected}
    for name in expected:
        assert by_name[name] == stable_id("deck", name)
    assert in_deck[note_guid(CARDS[0])] == by_name[expected[1]]
    assert in_deck[note_guid(CARDS[1])] == by_name[expected[2]]
    assert in_deck[note_guid(CARDS[3], 0)] == by_name[expected[0]]


def test_two_exports_write_the_same_guids_and_instances(
    studied: StudyService, export_dir: Path, tmp_path: Path
) -> None:
    cards = exchange_cards(studied, ExportOptions())
    first, second = export_dir / "a.apkg", export_dir / "b.apkg"
    write_apkg(cards, first, ExportOptions(instances=1))
    write_apkg(cards, second, ExportOptions(instances=1))
    with package_db(first, tmp_path) as a, package_db(second, tmp_path) as b:
        notes_a, notes_b = _notes(a), _notes(b)
    assert notes_a == notes_b
    problems = [c for c in cards if c.kind == "problem"]
    clozes = {c.note_id for c in cards if c.kind == "cloze"}
    basics = [c for c in cards if c.kind == "basic"]
    assert len(notes_a) == len(basics) + len(clozes) + len(problems)
    assert {note_guid(c) for c in basics} <= notes_a.keys()
    assert {note_guid(c, 0) for c in problems} <= notes_a.keys()


def test_another_base_seed_writes_other_instances(tmp_path: Path) -> None:
    problem = [CARDS[3]]
    write_apkg(problem, tmp_path / "a.apkg", ExportOptions(instances=2, seed=0))
    write_apkg(problem, tmp_path / "b.apkg", ExportOptions(instances=2, seed=1))
    with (
        package_db(tmp_path / "a.apkg", tmp_path) as a,
        package_db(tmp_path / "b.apkg", tmp_path) as b,
    ):
        seeds_a = {fields[4] for _, fields, _ in _notes(a).values()}
        seeds_b = {fields[4] for _, fields, _ in _notes(b).values()}
    assert len(seeds_a) == 2 and seeds_a.isdisjoint(seeds_b)


def test_an_unknown_family_is_reported_not_exported(tmp_path: Path) -> None:
    odd = replace(CARDS[3], card_id="odd", family="no_such_family")
    report = write_apkg([CARDS[0], odd], tmp_path / "a.apkg", ExportOptions())
    assert (report.cards, report.notes) == (1, 1)
    assert len(report.details) == 1 and report.details[0].startswith("odd: ")


def test_progress_is_called_per_note_and_dispatch_by_suffix(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    report = export_cards(
        CARDS, tmp_path / "deck.apkg", ExportOptions(instances=1), lambda d, t: calls.append((d, t))
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert report.summary() == f"exported 4 cards (3 notes) to {tmp_path / 'deck.apkg'}"


def test_a_missing_folder_is_an_exchange_error(tmp_path: Path) -> None:
    with pytest.raises(ExchangeError, match="does not exist"):
        write_apkg(CARDS[:1], tmp_path / "nowhere" / "deck.apkg", ExportOptions())
    assert not list(tmp_path.iterdir())


def test_schedules_and_review_log_are_written(tmp_path: Path) -> None:
    due = AT.date() + timedelta(days=6)
    reviewed = replace(
        CARDS[0],
        schedule=ExchangeSchedule(
            repetitions=3, easiness=2.36, interval=6, due=due, lapses=1, reviews=4
        ),
        reviews=(
            _review(0, 4),
            _review(1, 2),
            _review(1, 5, "relearn"),
            _review(2, 3, "drill"),
        ),
    )
    fresh = replace(CARDS[1], schedule=ExchangeSchedule())
    suspended = replace(CARDS[2], schedule=ExchangeSchedule(interval=1, due=due, reviews=1))
    out = tmp_path / "deck.apkg"
    cards = [reviewed, fresh, suspended]
    report = write_apkg(cards, out, ExportOptions(with_progress=True))
    assert report.reviews == 4
    with package_db(out, tmp_path) as db:
        crt, conf = db.execute("SELECT crt, conf FROM col").fetchone()
        assert json.loads(conf)["schedVer"] == 2
        crt_day = datetime.fromtimestamp(crt).date()
        rows = {
            (guid, ord_): rest
            for guid, ord_, *rest in db.execute(
                "SELECT notes.guid, ord, cards.id, type, queue, due, ivl, factor, reps,"
                " lapses, cards.data FROM cards JOIN notes ON notes.id = cards.nid"
            )
        }
        cid, ctype, queue, day, ivl, factor, reps, lapses, data = rows[(note_guid(CARDS[0]), 0)]
        assert (ctype, queue, ivl, factor, reps, lapses) == (2, 2, 6, 2360, 4, 1)
        assert crt_day + timedelta(days=day) == due
        revlog = db.execute(
            "SELECT id, cid, usn, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"
        ).fetchall()
        stamps = [int(r.reviewed_at.timestamp() * 1000) for r in reviewed.reviews]
        assert [r[0] for r in revlog] == [stamps[0], stamps[1], stamps[1] + 1, stamps[3]]
        assert {r[1] for r in revlog} == {cid}
        assert [(r[3], r[8]) for r in revlog] == [(3, 0), (1, 1), (4, 2), (2, 3)]
        assert [r[6] for r in revlog] == [2600, 2600, 2500, 0]
        assert all(r[7] == 60_000 and r[2] == -1 for r in revlog)
        assert json.loads(data) == {"lrt": (stamps[1] + 1) // 1000}
        assert rows[(note_guid(CARDS[1]), 0)][1:3] == [0, 0]
        assert rows[(note_guid(CARDS[2]), 1)][1:5] == [2, -1, day, 1]


def test_a_problem_cards_progress_goes_with_its_first_instance(tmp_path: Path) -> None:
    schedule = ExchangeSchedule(repetitions=2, interval=6, due=AT.date() + timedelta(days=8))
    problem = replace(CARDS[3], schedule=schedule, reviews=(_review(0, 4), _review(1, 5)))
    out = tmp_path / "deck.apkg"
    report = write_apkg([problem], out, ExportOptions(with_progress=True, instances=2))
    assert report.reviews == 2
    with package_db(out, tmp_path) as db:
        rows = dict(
            db.execute(
                "SELECT notes.guid, cards.type FROM cards JOIN notes ON notes.id = cards.nid"
            )
        )
        assert db.execute("SELECT count(DISTINCT cid) FROM revlog").fetchone() == (1,)
    assert rows == {note_guid(problem, 0): 2, note_guid(problem, 1): 0}


@pytest.mark.parametrize(("quality", "button"), [(0, 1), (1, 1), (2, 1), (3, 2), (4, 3), (5, 4)])
def test_quality_maps_to_anki_buttons(quality: int, button: int) -> None:
    assert anki_ease(quality) == button


def test_revlog_types() -> None:
    assert revlog_type(_review(0, 4)) == 0
    assert revlog_type(_review(3, 4)) == 1
    assert revlog_type(_review(3, 4, "relearn")) == 2
    assert revlog_type(_review(3, 4, "drill")) == 3
    assert revlog_type(replace(_review(3, 4), kind="drill")) == 1


def test_quizcalcs_own_apkg_import_reads_ids_and_progress_back(
    studied: StudyService, export_dir: Path
) -> None:
    from quizcalc.exchange.apkg_import import read_apkg

    options = ExportOptions(with_progress=True, instances=1)
    cards = exchange_cards(studied, options)
    out = export_dir / "deck.apkg"
    write_apkg(cards, out, options)
    foreign = read_apkg(out)
    exported = {c.card_id: c for c in cards}
    assert {c.id for c in foreign.cards} == exported.keys()
    problems = [c for c in foreign.cards if c.problem is not None]
    assert {(c.id, c.problem.family, c.problem.difficulty) for c in problems} == {
        (c.card_id, c.family, c.difficulty) for c in cards if c.kind == "problem"
    }
    for card in foreign.cards:
        assert (card.deck, card.section) == (exported[card.id].deck, exported[card.id].section)
    for card_id, progress in foreign.progress.items():
        schedule, back = exported[card_id].schedule, progress.schedule
        assert schedule is not None and back is not None
        if schedule.due is None:  # a suspended card never studied
            assert (back.due, back.interval) == (None, 0)
            continue
        assert (back.due, back.interval) == (schedule.due, max(schedule.interval, 1))
        assert back.easiness == pytest.approx(schedule.easiness, abs=1e-3)
        assert len(progress.reviews) == len(exported[card_id].reviews)
    assert {i for i, c in exported.items() if c.reviews or c.suspended} == foreign.progress.keys()
