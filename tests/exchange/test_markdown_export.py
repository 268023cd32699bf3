"""Markdown export: re-importing gives the same cards with the same ids."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from quizcalc.cards import parse_document
from quizcalc.cards.model import Card
from quizcalc.config import Config
from quizcalc.exchange.markdown_export import write_markdown
from quizcalc.exchange.model import ExportOptions
from quizcalc.problems.catalog import FAMILY_NAMES
from quizcalc.study import StudyService
from quizcalc.study.errors import ExchangeProblem
from tests.conftest import FIXED_NOW, REPO_ROOT
from tests.exchange.conftest import exchange_cards


def _comparable(card: Card) -> Card:
    return replace(card, source="", line=0, explicit_id=False)


def _parse(path: Path) -> list[Card]:
    result = parse_document(
        path.read_text(encoding="utf-8"), source=str(path), known_families=FAMILY_NAMES
    )
    assert result.problems == []
    return result.cards


def test_the_content_deck_comes_back_card_for_card(studied: StudyService, export_dir: Path) -> None:
    out = export_dir / "deck.md"
    report = studied.export(out, ExportOptions())
    assert report.cards == 92
    original = _parse(REPO_ROOT / "content" / "calculus-optimization.md")
    again = _parse(out)
    assert sorted(map(_comparable, again), key=lambda c: c.id) == sorted(
        map(_comparable, original), key=lambda c: c.id
    )


def test_a_fresh_store_importing_the_export_holds_the_same_cards(
    studied: StudyService,
    export_dir: Path,
    db_url: str,
    tmp_path: Path,
    new_database: Callable[[Path], Path],
) -> None:
    out = export_dir / "deck.md"
    studied.export(out, ExportOptions())
    before = {c.card_id: c for c in exchange_cards(studied, ExportOptions())}
    fresh = StudyService.open(f"sqlite:///{new_database(tmp_path / 'fresh.sqlite3')}", Config())
    report = fresh.import_path(out, FIXED_NOW)
    assert report.added == 92 and not report.problems
    after = {c.card_id: c for c in exchange_cards(fresh, ExportOptions())}
    assert after.keys() == before.keys()
    for card_id, card in before.items():
        assert replace(after[card_id], suspended=card.suspended) == card
    fresh.close()


def test_explicit_ids_and_odd_sections_survive(write_deck, db_url: str, tmp_path: Path) -> None:
    folder = write_deck(
        "---\ndeck: 'Odd: deck'\ntags: [ml]\n---\n"
        "Q: top-level question?\nA: top answer\n\n"
        "# Part A\n\n## Sub\n\n<!-- id: kept-id -->\nQ: Sub question?\nA: sub answer\n"
        "with two lines\n\n# Part B\n\n<!-- id: note-x -->\nThe {{c1::gradient}} is a "
        "{{c2::vector::kind}}.\n\n```problem\nfamily: chain_rule\ndifficulty: 2\n```\n\n"
        "# Part A\n\nQ: Back in A?\nA: yes\n"
    )
    service = StudyService.open(db_url, Config())
    service.sync(folder, FIXED_NOW)
    out = tmp_path / "odd.md"
    service.export(out, ExportOptions())
    original = _parse(folder / "deck.md")
    again = _parse(out)
    assert sorted(map(_comparable, again), key=lambda c: c.id) == sorted(
        map(_comparable, original), key=lambda c: c.id
    )
    assert "<!-- id: kept-id -->" in out.read_text(encoding="utf-8")
    service.close()


def test_several_decks_need_a_deck_choice(write_deck, db_url: str, tmp_path: Path) -> None:
    write_deck("Q: one?\nA: 1\n", "one.md")
    folder = write_deck("Q: two?\nA: 2\n", "two.md")
    service = StudyService.open(db_url, Config())
    service.sync(folder, FIXED_NOW)
    with pytest.raises(ExchangeProblem, match=r"holds one deck.*One, Two.*--deck"):
        service.export(tmp_path / "x.md", ExportOptions())
    report = service.export(tmp_path / "x.md", ExportOptions(deck="two"))
    assert report.cards == 1
    service.close()


def test_a_failed_export_leaves_no_file(studied: StudyService, export_dir: Path) -> None:
    def boom(done: int, total: int) -> None:
        if done > 10:
            raise RuntimeError("disk gone")

    cards = exchange_cards(studied, ExportOptions())
    with pytest.raises(RuntimeError):
        write_markdown(cards, export_dir / "deck.md", ExportOptions(), boom)
    assert list(export_dir.iterdir()) == []
