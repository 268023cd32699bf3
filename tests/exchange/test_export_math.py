"""Math survives export: every bundled card, and display math in a sentence, read back unchanged.

Each export format (.apkg, .csv, .tsv, .md) is read back by the importer of that format, and
every card's question, answer and cloze note must come back byte for byte.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from quizcalc.cards import parse_document
from quizcalc.cards.model import Card
from quizcalc.config import Config
from quizcalc.exchange.anki_html import markdown_to_anki_html
from quizcalc.exchange.anki_text import read_anki_text
from quizcalc.exchange.apkg_import import read_apkg
from quizcalc.exchange.model import ExportOptions
from quizcalc.problems.catalog import FAMILY_NAMES
from quizcalc.study import StudyService
from quizcalc.study.views import BrowseFilter
from tests.conftest import FIXED_NOW, REPO_ROOT

MATH_DECK = r"""---
deck: Linear algebra
---

Q: Determinant of \[A = \begin{pmatrix} a & b \\ c & d \end{pmatrix}\]
A: \(\det A = ad - bc\), and \(\det A < 0\) flips orientation.

Q: When is \(x < y\) and \(p \& q\)?
A: Always: \[ x < y \quad \text{and} \quad a_{ij} \\ b \]  in a sentence.

Sum of {{c1::\(\sum_{i<n} i\)}} and \[ n \\ m \] ends {{c2::here}}.
"""


def _text(cards: list[Card]) -> dict[object, tuple[str, str, str]]:
    """Each card's texts, keyed by its id (a cloze by its note and number: ids are not ours)."""
    return {
        (c.note, c.cloze_number) if c.kind.value == "cloze" else c.id: (
            c.question,
            c.answer,
            c.note,
        )
        for c in cards
        if c.kind.value != "problem"
    }


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict, Path]]:
    """The bundled decks and the math deck synced, exported once in every format."""
    root = tmp_path_factory.mktemp("math")
    content = root / "content"
    shutil.copytree(REPO_ROOT / "content", content)
    (content / "FORMAT.md").unlink(missing_ok=True)
    (content / "linear.md").write_text(MATH_DECK, encoding="utf-8")
    cards: list[Card] = []
    for path in sorted(content.glob("*.md")):
        result = parse_document(
            path.read_text(encoding="utf-8"), source=str(path), known_families=FAMILY_NAMES
        )
        assert result.problems == []
        cards.extend(result.cards)
    db = root / "db.sqlite3"
    service = StudyService.open(f"sqlite:///{db}", Config())
    try:
        service.sync(content, FIXED_NOW)
        out = root / "out"
        out.mkdir()
        for name in ("all.apkg", "all.csv", "all.tsv"):
            service.export(out / name, ExportOptions())
        for deck in {c.deck for c in cards}:
            service.export(out / f"{deck}.md", ExportOptions(deck=deck))
    finally:
        service.close()
    yield _text(cards), out


@pytest.mark.parametrize("name", ["all.apkg", "all.csv", "all.tsv"])
def test_every_card_comes_back_byte_for_byte_from_anki_formats(
    exported: tuple[dict, Path], name: str
) -> None:
    original, out = exported
    path = out / name
    deck = read_apkg(path) if name.endswith(".apkg") else read_anki_text(path)
    again = _text(deck.cards)
    assert set(original) <= set(again)
    changed = {k: (original[k], again[k]) for k in original if again[k] != original[k]}
    assert changed == {}


def test_every_card_comes_back_byte_for_byte_from_markdown(exported: tuple[dict, Path]) -> None:
    original, out = exported
    cards: list[Card] = []
    for path in out.glob("*.md"):
        result = parse_document(
            path.read_text(encoding="utf-8"), source=str(path), known_families=FAMILY_NAMES
        )
        cards.extend(result.cards)
    assert _text(cards) == original


def test_display_math_in_a_sentence_keeps_delimiters_and_row_breaks() -> None:
    html = markdown_to_anki_html(
        r"Determinant of \[A = \begin{pmatrix} a & b \\ c & d \end{pmatrix}\]"
    )
    assert html == r"Determinant of \[A = \begin{pmatrix} a &amp; b \\ c &amp; d \end{pmatrix}\]"


def test_dollar_math_becomes_mathjax_delimiters() -> None:
    assert markdown_to_anki_html(r"a $x<y$ b $$\frac{1}{2}$$ c") == (
        r"a \(x&lt;y\) b \[\frac{1}{2}\] c"
    )


def test_an_anki_file_that_lost_its_math_never_overwrites_the_card(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text(MATH_DECK, encoding="utf-8")
    exported = tmp_path / "lin.csv"
    writer = StudyService.open(f"sqlite:///{new_database(tmp_path / 'a.sqlite3')}", Config())
    writer.import_path(deck, FIXED_NOW)
    writer.export(exported, ExportOptions(deck="Linear algebra"))
    writer.close()
    service = StudyService.open(f"sqlite:///{new_database(tmp_path / 'b.sqlite3')}", Config())
    try:
        assert service.import_path(exported, FIXED_NOW).problems == []
        before = {r.key: r.question for r in service.browse(BrowseFilter(), FIXED_NOW)}
        good = exported.read_text(encoding="utf-8")
        # What the broken export wrote: delimiters and the row break gone.
        broken = good.replace(r"\[A", "[A").replace(r"\end{pmatrix}\]", r"\end{pmatrix}]")
        assert broken != good
        exported.write_text(broken.replace(r"\\ c", r"\ c"), encoding="utf-8")
        report = service.sync(None, FIXED_NOW)
        after = {r.key: r.question for r in service.browse(BrowseFilter(), FIXED_NOW)}
    finally:
        service.close()
    assert after == before
    assert report.updated == 0
    [line] = report.problems
    assert line.startswith(f"{exported}:")
    assert "has 2 math formula(s) in the file but 3 in the collection" in line
    assert "kept the collection's text" in line
