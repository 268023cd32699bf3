"""``quizcalc drill``: a drill on chosen skills in the TUI, or a printable worksheet.

    quizcalc drill                                         # the drill set-up screen
    quizcalc drill --family chain_rule --family lr_divergence --count 10 --difficulty 2
    quizcalc drill --section "2.8 The learning rate" --minutes 5
    quizcalc drill --deck "linear algebra" --count 15
    quizcalc drill --weakest --count 12 --seed 7 --export sheet.md

Light at import (only click): ``quizcalc --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from quizcalc.cli.common import UserError, now, open_service, run_tui, study_errors

if TYPE_CHECKING:
    from quizcalc.cli.common import Options
    from quizcalc.config import Config
    from quizcalc.study.drill_plan import DrillSpec

__all__ = ["drill"]


@click.command()
@click.option(
    "--family",
    "families",
    multiple=True,
    metavar="FAMILY",
    help="A problem family to drill (repeatable; see `quizcalc problems list`).",
)
@click.option(
    "--section",
    "sections",
    multiple=True,
    metavar="SECTION",
    help='Drill the problem cards of a section, e.g. "2.8 The learning rate" or 2.8 (repeatable).',
)
@click.option(
    "--deck",
    "decks",
    multiple=True,
    metavar="DECK",
    help='Drill every problem skill of a deck, e.g. "Linear algebra for ML" or linear.',
)
@click.option(
    "--weakest",
    is_flag=True,
    help="Add the 5 weakest families (lowest accuracy, last 30 days) — as on home.",
)
@click.option("--count", type=int, metavar="N", help="Number of problems [setting drill_count].")
@click.option(
    "--minutes", type=int, metavar="M", help="Time limit in minutes [setting drill_minutes]."
)
@click.option("--difficulty", type=int, metavar="1-3", help="Difficulty [drill_difficulty].")
@click.option("--seed", type=int, metavar="N", help="Seed of the set: the same seed, the same set.")
@click.option(
    "--export",
    type=click.Path(path_type=Path),
    metavar="FILE.md",
    help="Write a printable worksheet (problems, then an answer key) instead of drilling.",
)
@click.pass_obj
def drill(
    options: Options,
    families: tuple[str, ...],
    sections: tuple[str, ...],
    decks: tuple[str, ...],
    weakest: bool,
    count: int | None,
    minutes: int | None,
    difficulty: int | None,
    seed: int | None,
    export: Path | None,
) -> None:
    """Drill problem skills: pick families, a section, a deck or your weakest skills.

    Without a choice of skills, opens the drill set-up screen. Drill answers are logged and
    count in statistics, but do not move review schedules unless the drill_moves_schedule
    setting is on.
    """
    chosen = families or sections or decks or weakest
    if not chosen and export is None and not (count or minutes or difficulty or seed):
        run_tui(options, start="drill")
        return
    if not chosen:
        raise UserError(
            "choose what to drill: --family FAMILY (see `quizcalc problems list`), "
            '--section "SECTION", --deck "DECK" or --weakest'
        )
    with study_errors():
        spec, config = _spec(
            options, families, sections, decks, weakest, count, minutes, difficulty, seed
        )
    if export is None:
        run_tui(options, start="drill", drill=spec)
        return
    if spec.count is None:  # a sheet has no timer: as many problems as a drill would have
        from dataclasses import replace

        spec = replace(spec, count=config.drill_count)
    from quizcalc.study.worksheet import write_worksheet

    with study_errors():
        written = write_worksheet(spec, export)
    click.echo(f"wrote {written} problems with an answer key to {export}")


def _spec(
    options: Options,
    families: tuple[str, ...],
    sections: tuple[str, ...],
    decks: tuple[str, ...],
    weakest: bool,
    count: int | None,
    minutes: int | None,
    difficulty: int | None,
    seed: int | None,
) -> tuple[DrillSpec, Config]:
    """Validate the choice (known families first, without opening the database)."""
    from quizcalc.locations import config_path, database_url
    from quizcalc.problems.catalog import FAMILY_NAMES
    from quizcalc.study.drill_plan import DrillSpec
    from quizcalc.study.first_card import peek_settings
    from quizcalc.study.settings import read_settings

    for name in families:
        if name not in FAMILY_NAMES:
            raise UserError(
                f"unknown problem family {name!r}; choose from: {', '.join(FAMILY_NAMES)}"
            )
    # The drill defaults are the collection's settings (read without opening it for real).
    config = peek_settings(database_url(options.db), read_settings(config_path(options.config)))
    chosen = list(families)
    if sections or decks or weakest:
        from quizcalc.study.drills import deck_families, section_families, weakest_families

        with open_service(options) as service:
            for deck in decks:
                chosen += deck_families(service, deck)
            for section in sections:
                chosen += section_families(service, section)
            if weakest:
                chosen += weakest_families(service, now())
    spec = DrillSpec.from_settings(
        chosen, config, difficulty=difficulty, count=count, minutes=minutes, seed=seed
    )
    return spec, config
