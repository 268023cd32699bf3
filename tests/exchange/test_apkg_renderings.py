"""An ``.apkg`` export writes each card's Anki HTML rendered once, at sync or an edit (schema
0010's ``card_renderings``), and the notes are the same as rendering every field at export:
basic and cloze cards with maths, lists, raw HTML and a media reference, a problem card and
notes imported from Anki. A stale row (older renderer, text changed behind its back) is
rendered again, never used."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anki.collection as anki_collection
import pytest
from sqlalchemy import select, text

import quizcalc.exchange.anki_html as anki_html
import quizcalc.exchange.apkg_export as apkg_export
import quizcalc.study.anki_html_cache as anki_html_cache
import quizcalc.study.anki_renderings as anki_renderings
from quizcalc.config import Config
from quizcalc.exchange.export import export_cards
from quizcalc.exchange.model import ExportOptions
from quizcalc.store.models import CardRecord, CardRenderingRecord
from quizcalc.study import StudyService
from quizcalc.study.exchange_cards import read_exchange_cards
from quizcalc.study.views import BrowseFilter
from tests.conftest import FIXED_NOW

DECK = """\
---
deck: Renderings
tags: [maths]
---

# 2.3 The chain rule

Q: What is $\\frac{d}{dx} \\sin(x^2)$?
A: By the **chain rule**, \\(2x \\cos(x^2)\\):

$$\\frac{d}{dx} f(g(x)) = f'(g(x))\\,g'(x)$$

- outer derivative;
- times the *inner* one.

Q: Is `a < b` <b>bold</b> & safe?
A: Shown as text: ![](graph.png) and \\[ x^2 \\] in a sentence.

The {{c1::gradient}} of $L$ points {{c2::uphill}}, so $x_{t+1} = x_t - \\eta \\nabla L$.

```problem
family: chain_rule
difficulty: 1
```
"""


def _anki_package(folder: Path) -> Path:
    """A package with an HTML basic note and a cloze note, as Anki writes it."""
    col: Any = anki_collection.Collection(str(folder / "collection.anki2"))
    basic = col.new_note(col.models.by_name("Basic"))
    basic["Front"] = "d/dx <b>x</b><sup>2</sup>?"
    basic["Back"] = "\\(2x\\)<br>by the power rule"
    col.add_note(basic, col.decks.id("Imported"))
    cloze = col.new_note(col.models.by_name("Cloze"))
    cloze["Text"] = "The {{c1::chain}} rule and the {{c2::product}} rule"
    col.add_note(cloze, col.decks.id("Imported"))
    package = folder / "notes.apkg"
    col.export_anki_package(
        out_path=str(package),
        options=anki_collection.ExportAnkiPackageOptions(
            with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False
        ),
        limit=None,
    )
    col.close()
    return package


@pytest.fixture
def collection(
    db_url: str, tmp_path: Path, write_deck: Callable[..., Path]
) -> Iterator[tuple[StudyService, Path]]:
    """The deck synced and the Anki package imported; the service and the content folder."""
    content = write_deck(DECK)
    anki = tmp_path / "anki"
    anki.mkdir()
    service = StudyService.open(db_url, Config())
    service.sync(content, FIXED_NOW)
    service.import_path(_anki_package(anki), FIXED_NOW)
    yield service, content
    service.close()


def _notes(package: Path, tmp_path: Path) -> tuple[dict[str, Any], Any]:
    """Guid → (note type id, fields, tags, decks of its cards), and the media list."""
    with zipfile.ZipFile(package) as archive:
        target = tmp_path / f"{package.stem}.anki2"
        target.write_bytes(archive.read("collection.anki2"))
        media = json.loads(archive.read("media"))
    db = sqlite3.connect(target)
    try:
        notes = {
            guid: (mid, flds.split("\x1f"), tags.split(), decks)
            for guid, mid, flds, tags, decks in db.execute(
                "SELECT n.guid, n.mid, n.flds, n.tags, group_concat(c.did) FROM notes n"
                " JOIN cards c ON c.nid = n.id GROUP BY n.id"
            )
        }
    finally:
        db.close()
    return notes, media


def _reference(service: StudyService, path: Path) -> None:
    """Today's export: every field rendered from Markdown while the package is written."""
    options = ExportOptions()
    with service.store.transaction() as session:
        cards = read_exchange_cards(session, options)
    assert all(not card.html for card in cards)
    export_cards(cards, path, options)


def _card_texts(service: StudyService) -> set[str]:
    """Every Markdown text of a basic or cloze card the export writes as HTML."""
    with service.store.transaction() as session:
        rows = session.execute(
            select(CardRecord.kind, CardRecord.question, CardRecord.answer, CardRecord.note)
        ).all()
    return {
        source
        for kind, question, answer, note in rows
        for _form, source in anki_renderings.rendering_sources(kind, question, answer, note)
    }


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text rendered from Markdown to Anki HTML from now on."""
    seen: list[str] = []
    real = anki_html.markdown_to_anki_html

    def counting(source: str) -> str:
        seen.append(source)
        return real(source)

    monkeypatch.setattr(anki_html, "markdown_to_anki_html", counting)
    monkeypatch.setattr(apkg_export, "markdown_to_anki_html", counting)
    return seen


def test_the_stored_html_exports_the_same_notes_as_rendering_every_field(
    collection: tuple[StudyService, Path], tmp_path: Path
) -> None:
    service, _ = collection
    service.export(tmp_path / "fast.apkg", ExportOptions())
    _reference(service, tmp_path / "reference.apkg")
    fast, reference = (
        _notes(tmp_path / "fast.apkg", tmp_path),
        _notes(tmp_path / "reference.apkg", tmp_path),
    )
    assert len(fast[0]) == 2 + 1 + 5 + 2  # basics, a cloze note, 5 problem instances, Anki's
    assert fast == reference


def test_an_export_after_a_sync_renders_no_card_text(
    collection: tuple[StudyService, Path], tmp_path: Path, rendered: list[str]
) -> None:
    service, _ = collection
    service.export(tmp_path / "deck.apkg", ExportOptions())
    assert _card_texts(service) & set(rendered) == set()


def test_a_stale_renderer_version_is_rendered_again_and_stored(
    collection: tuple[StudyService, Path],
    tmp_path: Path,
    rendered: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service, _ = collection
    _reference(service, tmp_path / "reference.apkg")
    rendered.clear()
    monkeypatch.setattr(anki_html_cache, "RENDERER", anki_html_cache.RENDERER + 1)
    service.export(tmp_path / "upgraded.apkg", ExportOptions())
    assert _card_texts(service) <= set(rendered)
    with service.store.transaction() as session:
        versions = set(session.scalars(select(CardRenderingRecord.renderer)))
    assert versions == {anki_html_cache.RENDERER}
    rendered.clear()
    service.export(tmp_path / "again.apkg", ExportOptions())
    assert _card_texts(service) & set(rendered) == set()
    assert _notes(tmp_path / "upgraded.apkg", tmp_path) == _notes(
        tmp_path / "reference.apkg", tmp_path
    )


def _stored(service: StudyService, question: str) -> dict[str, str]:
    with service.store.transaction() as session:
        rows = session.execute(
            select(CardRenderingRecord.form, CardRenderingRecord.text)
            .join(CardRecord)
            .where(CardRecord.question == question)
        ).all()
    return {form: stored.split(":", 1)[1] for form, stored in rows}


def test_an_edited_card_is_rendered_again_at_sync(
    collection: tuple[StudyService, Path], rendered: list[str], write_deck: Callable[..., Path]
) -> None:
    service, _ = collection
    question = "Is `a < b` <b>bold</b> & safe?"
    report = service.sync(write_deck(DECK.replace("Shown as text", "Now *emphasised*")), FIXED_NOW)
    assert report.updated == 1
    answer = "Now *emphasised*: ![](graph.png) and \\[ x^2 \\] in a sentence."
    assert answer in rendered
    assert _stored(service, question) == {
        "anki_question": anki_html.markdown_to_anki_html(question),
        "anki_answer": anki_html.markdown_to_anki_html(answer),
    }


def test_an_edit_in_the_app_renders_the_card_again(collection: tuple[StudyService, Path]) -> None:
    service, _ = collection
    rows = service.browse(BrowseFilter(), FIXED_NOW)
    key = next(r.key for r in rows if service.card(r.key).question.startswith("d/dx"))
    target = service.edit_target(key)
    service.save_fields(target, ["d/dx **x**^2?", "$2x$ by the power rule"], FIXED_NOW)
    card = service.card(key)
    assert _stored(service, card.question)["anki_answer"] == anki_html.markdown_to_anki_html(
        card.answer
    )


def test_a_row_not_rendered_from_the_cards_text_is_never_used(
    collection: tuple[StudyService, Path], tmp_path: Path
) -> None:
    """A change that bypasses the refresh (here raw SQL) still exports the card's own text."""
    service, _ = collection
    with service.store.transaction(write=True) as session:
        session.execute(
            text(
                "UPDATE cards SET answer = 'Changed **behind** the cache'"
                " WHERE answer LIKE 'Shown%'"
            )
        )
    service.export(tmp_path / "fast.apkg", ExportOptions())
    _reference(service, tmp_path / "reference.apkg")
    fast = _notes(tmp_path / "fast.apkg", tmp_path)
    assert any("Changed <strong>behind</strong> the cache" in n[1] for n in fast[0].values())
    assert fast == _notes(tmp_path / "reference.apkg", tmp_path)


@pytest.fixture
def generated(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every problem instance generated from now on: (family, seed)."""
    import quizcalc.problems.registry as registry

    seen: list[tuple[str, int]] = []
    real = registry.generate

    def counting(family: str, seed: int, difficulty: int = 1) -> Any:
        seen.append((family, seed))
        return real(family, seed, difficulty)

    monkeypatch.setattr(registry, "generate", counting)
    return seen


def test_problem_instances_are_generated_once_and_exported_the_same(
    collection: tuple[StudyService, Path], tmp_path: Path, generated: list[tuple[str, int]]
) -> None:
    service, _ = collection
    service.export(tmp_path / "first.apkg", ExportOptions())
    assert len(generated) == 5
    generated.clear()
    service.export(tmp_path / "second.apkg", ExportOptions())
    assert generated == []
    _reference(service, tmp_path / "reference.apkg")
    assert _notes(tmp_path / "second.apkg", tmp_path) == _notes(
        tmp_path / "reference.apkg", tmp_path
    )


def test_instances_of_another_seed_or_generator_code_are_generated_again(
    collection: tuple[StudyService, Path],
    tmp_path: Path,
    generated: list[tuple[str, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import quizcalc.study.problem_instances as problem_instances

    service, _ = collection
    service.export(tmp_path / "first.apkg", ExportOptions())
    generated.clear()
    seeded = ExportOptions(seed=7, instances=3)
    service.export(tmp_path / "seeded.apkg", seeded)
    assert len(generated) == 3
    with service.store.transaction() as session:
        cards = read_exchange_cards(session, seeded)
    export_cards(cards, tmp_path / "reference.apkg", seeded)
    assert _notes(tmp_path / "seeded.apkg", tmp_path) == _notes(
        tmp_path / "reference.apkg", tmp_path
    )
    generated.clear()
    monkeypatch.setattr(problem_instances, "code_version", lambda: "a newer generator")
    service.export(tmp_path / "upgraded.apkg", seeded)
    assert len(generated) == 3


def test_an_anki_text_export_uses_the_stored_html_and_writes_the_same_rows(
    collection: tuple[StudyService, Path],
    tmp_path: Path,
    rendered: list[str],
    generated: list[tuple[str, int]],
) -> None:
    service, _ = collection
    service.export(tmp_path / "fast.csv", ExportOptions())
    assert _card_texts(service) & set(rendered) == set()
    assert generated == []  # a text row holds no problem instance: none is made
    with service.store.transaction() as session:
        cards = read_exchange_cards(session, ExportOptions())
    export_cards(cards, tmp_path / "reference.csv", ExportOptions())
    fast = (tmp_path / "fast.csv").read_text("utf-8")
    assert fast == (tmp_path / "reference.csv").read_text("utf-8")
    assert "<strong>chain rule</strong>" in fast
