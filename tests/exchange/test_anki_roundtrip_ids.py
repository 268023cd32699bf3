"""Our cards that come back through Anki (under Anki's own note types) are recognised."""

from __future__ import annotations

from pathlib import Path

import genanki

from quizcalc.exchange.model import ExportOptions
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW
from tests.exchange.conftest import exchange_cards


def _anki_export(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """A text file as Anki writes it: GUID, notetype and deck columns, no quizcalc id."""
    lines = [
        "#separator:tab",
        "#html:true",
        "#guid column:1",
        "#notetype column:2",
        "#deck column:3",
    ]
    lines += [
        "\t".join((genanki.guid_for(note), kind, deck, text)) for note, kind, deck, text in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_content_card_reexported_by_anki_is_not_imported_twice(
    studied: StudyService, tmp_path: Path
) -> None:
    cards = exchange_cards(studied, ExportOptions())
    basic = next(c for c in cards if c.kind == "basic")
    cloze = next(c for c in cards if c.kind == "cloze")
    path = _anki_export(
        tmp_path / "from-anki.txt",
        [
            (basic.note_id, "Basic", basic.full_deck, f"{basic.question}\t{basic.answer}"),
            (cloze.note_id, "Cloze", cloze.full_deck, f"{cloze.note}\t"),
            ("brand-new-note", "Basic", "Elsewhere", "A new question?\tA new answer"),
        ],
    )
    report = studied.import_path(path, FIXED_NOW)
    assert report.added == 1
    kept_once = [p for p in report.problems if "kept once" in p]
    assert any(basic.card_id in line for line in kept_once)
    assert any(cloze.note_id in line for line in kept_once)
    assert len(exchange_cards(studied, ExportOptions())) == len(cards) + 1


def test_a_reimport_of_the_same_anki_file_updates_instead_of_adding(
    studied: StudyService, tmp_path: Path
) -> None:
    path = _anki_export(
        tmp_path / "deck.txt", [("n1", "Basic", "Mine", "What is a gradient?\tA vector")]
    )
    assert studied.import_path(path, FIXED_NOW).added == 1
    _anki_export(path, [("n1", "Basic", "Mine", "What is a gradient?\tThe vector of partials")])
    again = studied.import_path(path, FIXED_NOW)
    assert (again.added, again.updated) == (0, 1)


def test_a_big_import_reports_progress_card_by_card(studied: StudyService, tmp_path: Path) -> None:
    rows = [(f"n{i}", "Basic", "Big", f"Question {i}?\tAnswer {i}") for i in range(120)]
    path = _anki_export(tmp_path / "big.txt", rows)
    calls: list[tuple[int, int]] = []
    report = studied.import_path(path, FIXED_NOW, progress=lambda d, t: calls.append((d, t)))
    assert report.added == 120
    assert calls[0] == (0, 120) and calls[-1] == (120, 120)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_an_imported_folder_takes_its_anki_files_but_not_hidden_ones(
    studied: StudyService, tmp_path: Path
) -> None:
    folder = tmp_path / "shared"
    (folder / ".hidden").mkdir(parents=True)
    (folder / "notes.md").write_text("Q: From Markdown?\nA: yes\n", encoding="utf-8")
    _anki_export(folder / "deck.tsv", [("f1", "Basic", "Mine", "From Anki?\tyes")])
    _anki_export(folder / ".hidden" / "old.tsv", [("f2", "Basic", "Mine", "Hidden?\tyes")])
    report = studied.import_path(folder, FIXED_NOW)
    assert report.added == 2
    questions = {c.question for c in exchange_cards(studied, ExportOptions())}
    assert {"From Markdown?", "From Anki?"} <= questions and "Hidden?" not in questions
