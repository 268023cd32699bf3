"""One definition of "a card": home, Browse, ``cards list``, the statistics and a backup agree.

The collection holds every kind of card row: active Q/A and cloze cards, problem skills, a
suspended card, a card retired from its file, an imported Anki card and a drill-only skill
card (a drill on a skill no deck holds). The learner has the active and suspended ones; every
place that counts cards says that number, and a backup (which holds every row) says it too,
with the retired rows counted apart.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from quizcalc.cli.main import cli
from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.drill_skills import skill_card_key
from quizcalc.study.stats import service_stats
from quizcalc.study.views import BrowseFilter
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.screens.browse import BrowseScreen
from tests.tui.conftest import NOW, PROBLEM_DECK, screen_text, wait_ready, wait_until

CARDS = 4 + 2 + 1
"""The conftest deck's four cards, two problem skills and one imported Anki card."""
RETIRED = 2
"""A card removed from its file and a drill-only skill card."""

GONE = """---
deck: Calculus
---

Q: A card whose file is about to be deleted?
A: Yes: it is retired, its history kept.
"""


def _build_collection(db_path: Path, content: Path, tmp_path: Path) -> StudyService:
    (content / "problems.md").write_text(PROBLEM_DECK, encoding="utf-8")
    (content / "gone.md").write_text(GONE, encoding="utf-8")
    service = StudyService.open(f"sqlite:///{db_path}", Config())
    service.sync(content, NOW)
    (content / "gone.md").unlink()
    assert service.sync(content, NOW).retired == 1
    anki = tmp_path / "anki.txt"
    anki.write_text("#separator:tab\nWhat is 2 + 2?\t4\n", encoding="utf-8")
    assert service.import_path(anki, NOW).added == 1
    first = service.browse(BrowseFilter(), NOW)[0]
    service.set_suspended(first.key, True)
    with service.transaction(write=True) as session:  # what a drill on this skill does
        skill_card_key(session, "newton_step", 3, NOW)
    return service


async def test_every_place_reports_the_same_number_of_cards(
    build_app: Callable[..., QuizcalcApp],
    db_path: Path,
    content: Path,
    tmp_path: Path,
    config_file: Path,
) -> None:
    service = _build_collection(db_path, content, tmp_path)
    try:
        count = service.card_count()
        assert (count.cards, count.suspended, count.retired, count.drill_only) == (7, 1, 2, 1)
        assert service.home(NOW).total_cards == CARDS
        assert sum(row.total for row in service.home(NOW).per_section) == CARDS
        assert len(service.browse(BrowseFilter(), NOW)) == CARDS
        assert len(service.list_cards(include_retired=False)) == CARDS
        assert service_stats(service, NOW).cards.total == CARDS
        report = service.export_backup(tmp_path / "backup.json")
        assert f"{CARDS} cards (+ {RETIRED} retired)" in report.summary()
        assert report.counts["cards"] == CARDS + RETIRED  # the backup holds every row
        listed = service.list_cards(include_retired=True)
        assert listed[-1].source == "(drills)"  # the drill-only card last, not first
    finally:
        service.close()

    args = ["--db", str(db_path), "--content", str(content), "--config", str(config_file)]
    result = CliRunner().invoke(cli, [*args, "cards", "list"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{CARDS} cards (1 suspended)")
    assert len(lines) == 2 + CARDS + 1  # title, header, the cards, the retired caption
    assert max(len(line.rstrip()) for line in lines) <= 80  # one line a card, none wrapped
    assert lines[-1].startswith(f"+ {RETIRED} retired")
    with_retired = CliRunner().invoke(cli, [*args, "cards", "list", "--retired"])
    assert len(with_retired.output.splitlines()) == 2 + CARDS + RETIRED

    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: "cards" in screen_text(app))
        home = app.screen
        assert home.summary is not None and home.summary.total_cards == CARDS
        value = home.query_one("#stat-cards .stat-value")
        assert str(value.render()) == str(CARDS)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen) and app.screen.rows)
        assert f"{CARDS} cards ·" in screen_text(app)


def test_a_backup_summary_counts_retired_cards_apart() -> None:
    from quizcalc.exchange.backup_format import RETIRED_CARDS, describe_counts

    counts = {"decks": 1, "cards": 3, "review_log": 1}
    assert describe_counts(counts) == "1 deck, 3 cards and 1 review"
    assert describe_counts({**counts, RETIRED_CARDS: 0}) == "1 deck, 3 cards and 1 review"
    assert (
        describe_counts({**counts, RETIRED_CARDS: 2}) == "1 deck, 1 card (+ 2 retired) and 1 review"
    )
