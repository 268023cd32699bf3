"""Text fidelity from Anki: tables, sup/sub, display math in a sentence, images and sounds.

The deck is built and exported by the official ``anki`` library (with its media files); the
cards quizcalc stores are checked, then exported by quizcalc in every format and read back
byte for byte, and quizcalc's package is imported into a fresh Anki collection, whose fields
must be the ones Anki's own editor stored (math and media references unchanged) and whose
media folder gets the image and the sound back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anki.collection as anki_collection
import pytest

from quizcalc.cards import latex_to_unicode, parse_document
from quizcalc.cards.model import Card
from quizcalc.config import Config
from quizcalc.exchange.anki_html import anki_html_to_markdown, markdown_to_anki_html
from quizcalc.exchange.anki_text import read_anki_text
from quizcalc.exchange.apkg_import import read_apkg
from quizcalc.exchange.model import ExportOptions
from quizcalc.problems.catalog import FAMILY_NAMES
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW
from tests.exchange.test_apkg_anki import import_package

TABLE = (
    "<table><tbody><tr><th>x</th><th>x<sup>2</sup></th></tr>"
    "<tr><td>1</td><td>1</td></tr><tr><td>2</td><td>4<br></td></tr></tbody></table>"
)
MATH = r"Determinant of \[A = \begin{pmatrix} a &amp; b \\ c &amp; d \end{pmatrix}\]"
IMAGE = 'Which curve? <img src="curve.png">'
SOUND = "a parabola [sound:tone.mp3]"

FIELDS = {
    "table": ("Squares of 1 and 2?", TABLE),
    "scripts": ("E = mc<sup>2</sup>, H<sub>2</sub>O and x<sup>n+1</sup>", "a<sub>ij</sub>"),
    "math": (MATH, r"\(ad - bc\), where \(a &lt; b\)"),
    "media": (IMAGE, SOUND),
}

MEDIA = {"curve.png": b"\x89PNG\r\n\x1a\n fake", "tone.mp3": b"ID3 fake"}

STORED = {
    "table": ("Squares of 1 and 2?", "| x | x² |\n| --- | --- |\n| 1 | 1 |\n| 2 | 4 |"),
    "scripts": ("E = mc², H₂O and xⁿ⁺¹", "a_(ij)"),
    "math": (
        r"Determinant of \[A = \begin{pmatrix} a & b \\ c & d \end{pmatrix}\]",
        r"\(ad - bc\), where \(a < b\)",
    ),
    "media": ("Which curve? ![](curve.png)", "a parabola [sound:tone.mp3]"),
}


@dataclass
class Built:
    """The package Anki wrote, the guid of each note, and quizcalc's exports of it."""

    package: Path
    guids: dict[str, str]
    exports: Path


def _write_deck(folder: Path) -> tuple[Path, dict[str, str]]:
    col = anki_collection.Collection(str(folder / "collection.anki2"))
    try:
        for name, data in MEDIA.items():
            col.media.write_data(name, data)
        deck = col.decks.id("Fidelity")
        guids = {}
        for name, (front, back) in FIELDS.items():
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = front, back
            col.add_note(note, deck)
            guids[name] = note.guid
        path = folder / "fidelity.apkg"
        col.export_anki_package(
            out_path=str(path),
            options=anki_collection.ExportAnkiPackageOptions(
                with_scheduling=False, with_deck_configs=False, with_media=True, legacy=False
            ),
            limit=None,
        )
        return path, guids
    finally:
        col.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("fidelity")
    package, guids = _write_deck(folder)
    database = folder / "db.sqlite3"
    service = StudyService.open(f"sqlite:///{database}", Config())
    exports = folder / "out"
    exports.mkdir()
    try:
        report = service.import_path(package, FIXED_NOW)
        assert report.added == len(FIELDS)
        for name in ("deck.apkg", "deck.csv", "deck.tsv", "deck.md"):
            service.export(exports / name, ExportOptions(deck="Fidelity"))
    finally:
        service.close()
    assert {p.name: p.read_bytes() for p in (folder / "media").iterdir()} == MEDIA
    return Built(package, guids, exports)


def _by_guid(cards: list[Card], guids: dict[str, str]) -> dict[str, tuple[str, str]]:
    names = {f"anki-{guid}": name for name, guid in guids.items()}
    return {names[c.id]: (c.question, c.answer) for c in cards if c.id in names}


def test_the_stored_text_is_markdown_with_tables_scripts_math_and_media(built: Built) -> None:
    deck = read_apkg(built.package)
    assert _by_guid(deck.cards, built.guids) == STORED
    [note] = [p.message for p in deck.problems]
    assert note.startswith("1 image and 1 sound are kept as references")


@pytest.mark.parametrize("name", ["deck.apkg", "deck.csv", "deck.tsv", "deck.md"])
def test_every_export_reads_back_byte_for_byte(built: Built, name: str) -> None:
    path = built.exports / name
    if name.endswith(".apkg"):
        cards = read_apkg(path).cards
    elif name.endswith(".md"):
        text = path.read_text(encoding="utf-8")
        cards = parse_document(text, source=name, known_families=FAMILY_NAMES).cards
    else:
        cards = read_anki_text(path).cards
    texts = sorted((c.question, c.answer) for c in cards)
    assert texts == sorted(STORED.values())


def test_anki_receives_the_math_and_media_fields_its_editor_stored(
    built: Built, tmp_path: Path
) -> None:
    col: Any = anki_collection.Collection(str(tmp_path / "fresh.anki2"))
    try:
        import_package(col, built.exports / "deck.apkg", with_scheduling=False)
        fields = {col.get_note(nid).fields[0]: col.get_note(nid) for nid in col.find_notes("")}
        assert fields[MATH].fields[1] == FIELDS["math"][1]
        assert fields[IMAGE].fields[1] == SOUND
        table = next(n for key, n in fields.items() if key.startswith("Squares"))
        assert table.fields[1] == FIELDS["table"][1]  # the note as Anki had it, byte for byte
        media = Path(col.media.dir())
        assert {name: (media / name).read_bytes() for name in MEDIA} == MEDIA
    finally:
        col.close()


def test_markdown_tables_and_media_survive_quizcalc_to_anki_and_back() -> None:
    for question, answer in STORED.values():
        for text in (question, answer):
            assert anki_html_to_markdown(markdown_to_anki_html(text)) == text


def test_the_terminal_shows_media_as_named_placeholders() -> None:
    question, answer = STORED["media"]
    assert latex_to_unicode(question) == "Which curve? [image: curve.png]"
    assert latex_to_unicode(answer) == "a parabola [sound: tone.mp3]"


def test_media_that_cannot_be_kept_are_reported_and_the_cards_still_imported(
    built: Built, tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    (tmp_path / "media").write_text("a file where the media folder would go", encoding="utf-8")
    service = StudyService.open(f"sqlite:///{new_database(tmp_path / 'db.sqlite3')}", Config())
    try:
        report = service.import_path(built.package, FIXED_NOW)
    finally:
        service.close()
    assert report.added == len(FIELDS)
    [line] = [p for p in report.problems if "media files" in p]
    assert line.startswith(f"{built.package}: media files not copied to {tmp_path / 'media'} (")
    assert line.endswith("); the cards keep their references")
