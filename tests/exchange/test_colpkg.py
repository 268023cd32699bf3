"""Anki's whole-collection backup (``.colpkg``) imports like the ``.apkg`` of the same decks.

The collection is built once, by the official ``anki`` library: decks and a subdeck, tags, a
cloze note, a suspended card and a review history; it is written as a current ``.colpkg``
(``collection.anki21b``, zstd, protobuf media map), a legacy one (``collection.anki21``) and an
``.apkg`` of every deck with scheduling. A suspended card arrives suspended even without
``--with-progress`` (suspension is the learner's choice, not progress).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anki.collection as anki_collection
import pytest
from anki.import_export_pb2 import ExportLimit
from click.testing import CliRunner
from sqlalchemy import select

from quizcalc.cli.main import cli
from quizcalc.config import Config
from quizcalc.exchange.apkg_import import read_apkg
from quizcalc.exchange.model import ExchangeCard, ExportOptions
from quizcalc.store.models import SourceRecord
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW
from tests.exchange.conftest import exchange_cards

DECKS = ("Calculus", "Calculus::2.3 The chain rule", "Algebra")
KINDS = ("current.colpkg", "legacy.colpkg", "all.apkg")
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _add(col: Any, model: str, deck: str, fields: list[str], tags: list[str]) -> Any:
    note = col.new_note(col.models.by_name(model))
    for index, value in enumerate(fields):
        note.fields[index] = value
    note.tags = tags
    col.add_note(note, col.decks.id(deck))
    return note


@pytest.fixture(scope="module")
def anki_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The collection's card count and suspended card count, and its files by kind."""
    folder = tmp_path_factory.mktemp("anki")
    path = str(folder / "collection.anki2")
    col = anki_collection.Collection(path)
    _add(col, "Basic", "Calculus", ["d/dx x^2", "2x"], ["derivatives"])
    _add(col, "Basic", DECKS[1], ["d/dx sin 2x", "2 cos 2x"], ["chain", "derivatives"])
    suspended = _add(col, "Basic", "Algebra", ["(a+b)^2", "a^2 + 2ab + b^2"], [])
    _add(col, "Cloze", "Algebra", ["{{c1::x}} + {{c2::y}} = y + x", ""], ["cloze"])
    picture = col.media.write_data("graph.png", PNG)  # a media file: the package lists it
    _add(col, "Basic", "Algebra", [f'Which function? <img src="{picture}">', "sin x"], [])
    col.decks.select(col.decks.id("Calculus"))
    for ease in (3, 3, 1, 3):  # Good, Good, Again, Good: the history spans both Calculus cards
        card = col.sched.getCard()
        assert card is not None
        col.sched.answerCard(card, ease)
    col.sched.suspend_cards([suspended.cards()[0].id])
    counts = {
        "cards": col.card_count(),
        "suspended": len(col.find_cards("is:suspended")),
        "reviews": col.db.scalar("SELECT count() FROM revlog"),
    }
    files = {kind: folder / kind for kind in KINDS}
    options = anki_collection.ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False
    )
    col.export_anki_package(out_path=str(files["all.apkg"]), options=options, limit=ExportLimit())
    col.export_collection_package(str(files["current.colpkg"]), include_media=True, legacy=False)
    col = anki_collection.Collection(path)  # exporting a collection package closes it
    col.export_collection_package(str(files["legacy.colpkg"]), include_media=True, legacy=True)
    yield {"counts": counts, "files": files}


def _imported(
    db_url: str, path: Path, *, with_progress: bool
) -> tuple[list[ExchangeCard], list[str]]:
    service = StudyService.open(db_url, Config())
    try:
        report = service.import_path(path, FIXED_NOW, with_progress=with_progress)
        assert report.skipped_sources == []
        [picture] = report.problems  # the image's card is imported: only the image is not
        assert "graph.png" in picture or "image" in picture
        return exchange_cards(service, ExportOptions(with_progress=True)), _sources(service)
    finally:
        service.close()


def _sources(service: StudyService) -> list[str]:
    with service.store.transaction() as session:
        return list(session.scalars(select(SourceRecord.path).where(SourceRecord.role == "import")))


def _fresh(tmp_path: Path, new_database: Any, name: str) -> str:
    return f"sqlite:///{new_database(tmp_path / f'{name}.sqlite3')}"


@pytest.mark.parametrize("kind", ["current.colpkg", "legacy.colpkg"])
def test_a_colpkg_imports_every_card_and_equals_the_apkg_of_the_same_collection(
    anki_files: dict[str, Any], tmp_path: Path, new_database: Any, kind: str
) -> None:
    files, counts = anki_files["files"], anki_files["counts"]
    first, second = _fresh(tmp_path, new_database, "a"), _fresh(tmp_path, new_database, "b")
    colpkg, sources = _imported(first, files[kind], with_progress=True)
    apkg, _ = _imported(second, files["all.apkg"], with_progress=True)
    assert len(colpkg) == counts["cards"] == 6
    assert sum(card.suspended for card in colpkg) == counts["suspended"] == 1
    assert sum(len(card.reviews) for card in colpkg) == counts["reviews"] == 4
    assert {card.full_deck for card in colpkg} == set(DECKS)
    assert {tag for card in colpkg for tag in card.tags} == {"chain", "cloze", "derivatives"}
    assert sources == [str(files[kind])]

    def key(card: ExchangeCard) -> str:
        return card.card_id

    assert sorted(colpkg, key=key) == sorted(apkg, key=key)


@pytest.mark.parametrize("kind", KINDS)
def test_a_suspended_anki_card_arrives_suspended_without_its_progress(
    anki_files: dict[str, Any], tmp_path: Path, new_database: Any, kind: str
) -> None:
    path = anki_files["files"][kind]
    cards, _ = _imported(_fresh(tmp_path, new_database, "q"), path, with_progress=False)
    [suspended] = [card for card in cards if card.suspended]
    assert suspended.question == "(a+b)^2"
    assert not any(card.reviews for card in cards)  # no progress came with it


def test_quizcalc_import_reads_a_colpkg(
    anki_files: dict[str, Any], tmp_path: Path, new_database: Any
) -> None:
    db = str(new_database(tmp_path / "q.sqlite3"))
    path = anki_files["files"]["current.colpkg"]
    result = CliRunner().invoke(
        cli, ["--db", db, "import", str(path), "--with-progress"], prog_name="quizcalc"
    )
    assert result.exit_code == 0, (result.output, result.exception)
    assert result.stdout == (
        f"imported {path}: added 6 · updated 0 · retired 0 · unchanged 0 · progress for 2"
        " · 1 problem(s)\n"
    )
    assert "not UTF-8" not in result.stderr  # read as the package it is, not as Markdown


def test_cards_check_reads_anki_files_as_the_import_would(
    anki_files: dict[str, Any], tmp_path: Path
) -> None:
    files = anki_files["files"]
    paths = [files[kind] for kind in KINDS]
    checked = CliRunner().invoke(cli, ["cards", "check", *map(str, paths)], prog_name="quizcalc")
    expected = [str(problem) for path in paths for problem in read_apkg(path).problems]
    assert len(expected) == 3  # the image of each, as the import reports it
    assert (checked.exit_code, checked.stdout.splitlines()) == (1, expected)
    assert checked.stderr == "3 problem(s) found.\n"

    broken = tmp_path / "broken.colpkg"
    broken.write_bytes(files["current.colpkg"].read_bytes()[:3000])
    rows = tmp_path / "rows.csv"
    rows.write_text("#separator:comma\nQ1,A1\nQ2\n", encoding="utf-8")
    found = CliRunner().invoke(
        cli, ["cards", "check", str(broken), str(rows)], prog_name="quizcalc"
    )
    assert found.exit_code == 1
    assert found.stdout.splitlines() == [
        f"{broken}: the zip archive is truncated or damaged; export it from Anki again or "
        "download it again",
        f"{rows}:3: row has 1 column, expected 2; row skipped",
    ]
    assert found.stderr == "2 problem(s) found.\n"


def test_cards_check_reads_a_folders_anki_files_too(tmp_path: Path) -> None:
    """A folder is checked as `quizcalc import FOLDER` reads it: Markdown and Anki files."""
    folder = tmp_path / "incoming"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.md").write_text("Q: Fine?\nA: Yes.\n", encoding="utf-8")
    (folder / "sub" / "rows.csv").write_text("#separator:comma\nQ1,A1\nQ2\n", encoding="utf-8")
    (folder / "sub" / "broken.apkg").write_bytes(b"PK\x03\x04 not really a package")
    found = CliRunner().invoke(cli, ["cards", "check", str(folder)], prog_name="quizcalc")
    assert found.exit_code == 1
    lines = found.stdout.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"{folder / 'sub' / 'broken.apkg'}: ")
    assert lines[1] == f"{folder / 'sub' / 'rows.csv'}:3: row has 1 column, expected 2; row skipped"


def test_cards_check_still_names_a_folder_without_card_files(tmp_path: Path) -> None:
    found = CliRunner().invoke(cli, ["cards", "check", str(tmp_path)], prog_name="quizcalc")
    assert found.exit_code == 1
    assert found.stdout.startswith(f"{tmp_path}: no card files")
