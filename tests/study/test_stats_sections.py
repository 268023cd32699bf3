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
from tests.study.test_stats import History, history

__all__ = ["history"]


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
