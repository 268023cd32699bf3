"""What an import or sync report says was skipped is never stored.

An unclosed cloze (``{{c2::eigenvalues}.``) was reported "skipped … unclosed cloze", yet its
note's other card was added and showed the raw braces. One test per path that reports a skip:
Markdown (import and content sync), Anki text rows, Anki package notes.
"""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from quizcalc.cli.main import cli
from quizcalc.config import Config
from quizcalc.store.models import CardRecord
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW
from tests.exchange.test_import_progress import Row, write_collection

KEPT = "Kept card zkeptz"
BROKEN_CLOZE = "Linear maps have {{c1::eigenvectors}} and {{c2::eigenvalues}. zlostz"


@pytest.fixture
def service(db_url: str) -> Iterator[StudyService]:
    svc = StudyService.open(db_url, Config())
    yield svc
    svc.close()


def stored_text(service: StudyService) -> str:
    """Every stored card's question, answer and note, retired ones included."""
    with service.store.transaction() as session:
        records = session.scalars(select(CardRecord)).unique().all()
        return "\n".join(f"{r.question}\n{r.answer}\n{r.note}" for r in records)


def assert_skipped_and_absent(service: StudyService, problems: list[str]) -> None:
    [skipped] = [p for p in problems if "skipped" in p]
    text = stored_text(service)
    assert "zkeptz" in text  # the file was read ...
    assert "zlostz" not in text, skipped  # ... but what the report skipped is not stored
    assert "{{c" not in text


def test_markdown_import_stores_no_card_of_a_skipped_cloze_note(
    service: StudyService, tmp_path: Path
) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text(f"Q: {KEPT}?\nA: Yes.\n\n{BROKEN_CLOZE}\n", encoding="utf-8")
    report = service.import_path(deck, FIXED_NOW)
    assert report.added == 1
    assert_skipped_and_absent(service, report.problems)
    assert (
        f"{deck.resolve()}:4: unclosed cloze {{{{c2::… (add the closing }}}}" in report.problems[0]
    )
    assert report.problems[0].endswith(
        "; note skipped (no card is stored from it)"
        "; this file's cards are kept as they were until it is fixed"
    )


def test_content_sync_stores_no_card_of_a_skipped_cloze_note(
    service: StudyService, write_deck
) -> None:
    folder = write_deck(f"Q: {KEPT}?\nA: Yes.\n\n{BROKEN_CLOZE}\n")
    report = service.sync(folder, FIXED_NOW)
    assert_skipped_and_absent(service, report.problems)


ANKI_TEXT_SKIPS = {
    "broken cloze": f'"{BROKEN_CLOZE}"\t\n',
    "wrong column count": "zlostz question\tanswer\textra\n",
    "empty answer": "zlostz question\t\n",
    "empty question": "\tzlostz answer\n",
}


@pytest.mark.parametrize("row", ANKI_TEXT_SKIPS.values(), ids=ANKI_TEXT_SKIPS.keys())
def test_anki_text_import_stores_no_skipped_row(
    service: StudyService, tmp_path: Path, row: str
) -> None:
    path = tmp_path / "cards.tsv"
    path.write_text(f"{KEPT}\tanswer\n{row}", encoding="utf-8")
    report = service.import_path(path, FIXED_NOW)
    assert report.added == 1
    assert_skipped_and_absent(service, report.problems)
    assert ":2: " in report.problems[0] and "; row skipped; this file" in report.problems[0]


def write_apkg(path: Path, rows: list[Row], unknown_type: str = "") -> Path:
    """A package holding ``rows``; the note ``unknown_type`` gets a note type not in it."""
    database = path.with_suffix(".sqlite")
    write_collection(database, rows)
    if unknown_type:
        with sqlite3.connect(database) as db:
            db.execute("UPDATE notes SET mid = 4242 WHERE guid = ?", (unknown_type,))
        db.close()
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(database, "collection.anki21")
        archive.writestr("media", "{}")
    database.unlink()
    return path


APKG_SKIPS = {
    "broken cloze": (Row("lost", [BROKEN_CLOZE, ""], cloze=True, ords=(0, 1)), ""),
    "empty answer": (Row("lost", ["zlostz question", ""]), ""),
    "unknown note type": (Row("lost", ["zlostz question", "answer"]), "lost"),
}


@pytest.mark.parametrize(("row", "unknown"), APKG_SKIPS.values(), ids=APKG_SKIPS.keys())
def test_anki_package_import_stores_no_skipped_note(
    service: StudyService, tmp_path: Path, row: Row, unknown: str
) -> None:
    rows = [Row("kept", [KEPT, "answer"]), row]
    path = write_apkg(tmp_path / "deck.apkg", rows, unknown)
    report = service.import_path(path, FIXED_NOW, with_progress=True)
    assert report.added == 1
    assert_skipped_and_absent(service, report.problems)
    assert "; skipped; this file" in report.problems[0]


def test_import_lists_problems_without_calling_them_all_skipped(
    db_url: str, tmp_path: Path
) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text(
        f"Keep {{{{c1::this}}}} and {{{{c2::}}}}.\n\n{BROKEN_CLOZE}\n", encoding="utf-8"
    )
    (tmp_path / "content").mkdir()
    args = ["--db", db_url, "--content", str(tmp_path / "content"), "import", str(deck)]
    outcome = CliRunner().invoke(cli, args)
    assert outcome.exit_code == 0, outcome.output
    lines = outcome.stderr.splitlines()
    assert lines[0] == "1 skipped (not imported):"
    assert lines[1].endswith("; note skipped (no card is stored from it)")
    assert lines[2] == "1 warning(s):"  # its card was imported
    assert lines[3].endswith(
        ":1: empty cloze {{c2::}}: put the hidden text after ::"
        "; this file's cards are kept as they were until it is fixed"
    )
    assert outcome.stdout.startswith(f"imported {deck}: added 1 ·")
