"""Per-section answers add up to the total answers the statistics' header shows.

The header counts every answer; the per-section table leaves out relearn re-asks (they would
flatter a struggling section), so the table ends with its sum and a line saying how it and the
re-asks make the header's total. Sections cover every card: no section, retired cards and
drill-only skill cards included, so no answer falls between them.
"""

from __future__ import annotations

from datetime import date

from rich.console import Console

from quizcalc.cli.stats_command import render_stats
from tests.postgres import db_url_on_both_backends
from tests.study.test_stats import History, history

__all__ = ["db_url_on_both_backends", "history"]  # each test runs on SQLite and PostgreSQL


def _answered(history: History) -> None:
    practice = history.card(section="2.3 Chain rule::Practice", family="chain_rule")
    plain = history.card(section="2.3 Chain rule")
    loose = history.card(section="")
    retired = history.card(section="2.9 Momentum", status="retired")
    drill_only = history.card(section="", family="newton_step", status="retired")
    day = date(2026, 11, 25)
    history.answer(practice, day, 4)
    history.answer(practice, day, 1, kind="drill")
    history.answer(plain, day, 2)
    history.answer(plain, day, 4, kind="relearn")
    history.answer(plain, day, 5, kind="relearn")
    history.answer(loose, day, 5)
    history.answer(retired, date(2026, 10, 1), 3)
    history.answer(drill_only, day, 3, kind="drill")


def test_section_answers_and_relearns_add_up_to_the_total(history: History) -> None:
    _answered(history)
    stats = history.stats()
    assert (stats.total_reviews, stats.relearn_answers, stats.grouped_answers) == (8, 2, 6)
    assert sum(group.answers.total for group in stats.per_section) == stats.grouped_answers
    assert stats.grouped_note() == (
        "6 answers + 2 relearn re-asks (left out here) = 8 answers in all"
    )


def test_the_sections_table_ends_with_its_sum_and_how_it_makes_the_total(
    history: History,
) -> None:
    _answered(history)
    console = Console(width=80, record=True)
    render_stats(history.stats(), console)
    text = console.export_text()
    sections = text[text.index("Sections") :]
    total = next(line.split() for line in sections.splitlines() if line.startswith("  all"))
    assert total[:2] == ["all", "6"]
    assert "6 answers + 2 relearn re-asks (left out here) = 8 answers in all" in sections
    assert text.splitlines()[1].startswith("8 answers")  # the header's total


def _two_decks(history: History) -> None:
    """Deck "Test" (sections Basics, Shared) and deck "Linear algebra" (Shared, 1.1 Vectors)."""
    linear = history.add_deck("Linear algebra")
    day = date(2026, 11, 25)
    for section, deck_id, qualities in (
        ("Basics", None, (5, 1)),
        ("Shared", None, (4,)),
        ("Shared", linear, (2, 2, 5)),
        ("1.1 Vectors", linear, (5,)),
    ):
        card = history.card(section=section, deck_id=deck_id)
        for quality in qualities:
            history.answer(card, day, quality)


def test_sections_are_grouped_under_their_deck_and_each_deck_sums_its_sections(
    history: History,
) -> None:
    _two_decks(history)
    stats = history.stats()
    assert [(d.name, d.answers.total, d.answers.passed) for d in stats.per_deck] == [
        ("Linear algebra", 4, 2),
        ("Test", 3, 2),
    ]
    grouped = [
        (d.name, [(s.name, s.answers.total) for s in ss]) for d, ss in stats.sections_by_deck()
    ]
    assert grouped == [
        ("Linear algebra", [("1.1 Vectors", 1), ("Shared", 3)]),
        ("Test", [("Basics", 2), ("Shared", 1)]),
    ]


def test_json_keys_a_section_two_decks_share_by_its_deck(history: History) -> None:
    from quizcalc.study.stats import stats_to_json

    _two_decks(history)
    payload = stats_to_json(history.stats())
    assert payload["per_deck"]["Linear algebra"]["sections"] == [
        "1.1 Vectors",
        "Linear algebra › Shared",
    ]
    assert payload["per_deck"]["Test"]["count"] == 3
    assert payload["per_section"]["Test › Shared"] == {
        "count": 1,
        "accuracy": 1.0,
        "median_seconds": payload["per_section"]["Test › Shared"]["median_seconds"],
        "trend": None,
        "misconceptions": {},
        "deck": "Test",
    }
    assert payload["per_section"]["1.1 Vectors"]["deck"] == "Linear algebra"


def test_the_printed_sections_table_lists_each_deck_then_its_sections(history: History) -> None:
    _two_decks(history)
    console = Console(width=80, record=True)
    render_stats(history.stats(), console)
    text = console.export_text()
    table = text[text.index("Sections by deck") :].splitlines()
    body = table[table.index(next(line for line in table if "─" in line)) + 1 :]
    names = [line[2:18].rstrip() for line in body[:6]]
    assert names == ["Linear algebra", "  1.1 Vectors", "  Shared", "Test", "  Basics", "  Shared"]
    answers = [int(line.split()[-5]) for line in body[:6]]
    assert answers == [4, 1, 3, 3, 2, 1]
    assert next(line for line in body if line.strip().startswith("all")).split()[:2] == ["all", "7"]
