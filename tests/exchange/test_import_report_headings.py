"""``quizcalc import`` lists its problems under headings that say what happened to each line.

Before, every line stood under one heading (first "skipped N:", then "N problem(s):"), so
lines about cards that were imported (an image kept as text, an empty cloze deletion, a
history kept) read as skipped. Now a line stands under "skipped (not imported)", "kept as
they were" or "warning(s)", and only under the heading that is true of it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import anki.collection as anki_collection
import pytest
from anki.import_export_pb2 import ExportLimit
from click.testing import CliRunner

from quizcalc.cli.main import cli
from quizcalc.study.report_lines import KEPT, SKIPPED, WARNING, outcome

LINES = {
    "d.csv:4: row has 1 column, expected 2; row skipped": SKIPPED,
    "d.csv:4: row has 1 column, expected 2; row skipped; this file's cards are kept as they "
    "were until it is fixed": SKIPPED,
    "d.md:3: unclosed cloze {{c2::… (add the closing }}); note skipped (no card is stored)": (
        SKIPPED
    ),
    "d.apkg: note abc ('x'): unknown note type; skipped": SKIPPED,
    "d.apkg: problem card p: its 2 static instance(s) were not imported (problem cards are "
    "generated afresh; import the Markdown that defines them)": SKIPPED,
    "d.md:5: card 'x' is already in your content folder /n (/n/c.md:2); this copy was "
    "skipped: give it another id or remove one": SKIPPED,
    "d.md: not UTF-8 text (byte 0xe9 on this line) (file skipped, its cards kept)": SKIPPED,
    "d.apkg: x: already has 2 reviews here; kept this database's history": KEPT,
    "d.csv:3: card 'x' has 0 math formula(s) in the file but 1 in the collection; kept the "
    "collection's text (the file's copy lost its math: export the card again)": KEPT,
    "d.apkg: note abc ('x'): images and sounds are not imported (text kept)": WARNING,
    "d.apkg: media file name '../x' holds a path separator (it would leave the media folder); "
    "not used": WARNING,
    "d.apkg: note type 'N': its template filter 'furigana' is not applied": WARNING,
    "d.md:1: empty cloze {{c2::}}: put the hidden text after ::; this file's cards are kept as "
    "they were until it is fixed": WARNING,
    "d.md:1: deck must be a non-empty string": WARNING,
}


@pytest.mark.parametrize("line", list(LINES))
def test_each_kind_of_report_line_is_sorted_by_what_it_says_happened(line: str) -> None:
    assert outcome(line) == LINES[line]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An .apkg written by Anki: a reviewed note showing an image, and a plain note."""
    folder = tmp_path_factory.mktemp("anki")
    col = anki_collection.Collection(str(folder / "collection.anki2"))
    deck = col.decks.id("Pictures")
    for front in ('What is shown? <img src="cat.png">', "Plain question"):
        note = col.new_note(col.models.by_name("Basic"))
        note.fields[0], note.fields[1] = front, "an answer"
        col.add_note(note, deck)
    col.decks.select(deck)
    for _ in range(2):
        card = col.sched.getCard()
        assert card is not None
        col.sched.answerCard(card, 3)
    path = folder / "pictures.apkg"
    options = anki_collection.ExportAnkiPackageOptions(with_scheduling=True, with_media=True)
    col.export_anki_package(out_path=str(path), options=options, limit=ExportLimit())
    col.close()
    return path


def test_the_import_report_puts_each_line_under_its_own_heading(
    package: Path, tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    db = str(new_database(tmp_path / "q.sqlite3"))
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "pictures.apkg").write_bytes(package.read_bytes())
    (folder / "rows.csv").write_text("#separator:comma\nQ1,A1\nQ2\n", encoding="utf-8")

    def run() -> list[str]:
        args = ["--db", db, "import", str(folder), "--with-progress"]
        result = CliRunner().invoke(cli, args, prog_name="quizcalc")
        assert result.exit_code == 0, (result.output, result.exception)
        return result.stderr.splitlines()

    first = run()
    image = (
        "1 image is kept as a reference (an .apkg export puts it back, with its file); "
        "the terminal shows it as [image: name] and [sound: name]"
    )
    assert [line for line in first if not line.startswith("  ")] == [
        "1 skipped (not imported):",
        "1 warning(s):",
    ]
    assert first[1].endswith(":3: row has 1 column, expected 2; row skipped" + KEPT_UNTIL_FIXED)
    assert first[3].endswith(image)

    again = run()  # the history is here now: the file's copy of it is not taken
    headings = [line for line in again if not line.startswith("  ")]
    assert headings == ["1 skipped (not imported):", "2 kept as they were:", "1 warning(s):"]
    kept = again[3:5]
    assert all(line.endswith("kept this database's history") for line in kept)
    assert again[6].endswith(image)


KEPT_UNTIL_FIXED = "; this file's cards are kept as they were until it is fixed"
