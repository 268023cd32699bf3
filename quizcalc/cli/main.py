"""The ``quizcalc`` command: the TUI by default, plus non-interactive twins of its features.

Heavy modules (SQLAlchemy, Textual, the parser) are imported inside the commands that need
them, so ``quizcalc --help`` and the path to the first screen stay fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from quizcalc import __version__
from quizcalc.cli.backup_command import restore
from quizcalc.cli.common import (
    Options,
    UnknownName,
    UserError,
    now,
    open_service,
    open_sync_service,
    print_sync,
    run_tui,
    study_errors,
)
from quizcalc.cli.db_command import db
from quizcalc.cli.drill_command import drill
from quizcalc.cli.exchange_command import export, import_
from quizcalc.cli.scheduler_command import scheduler
from quizcalc.cli.settings_command import decks, settings
from quizcalc.cli.show_command import show
from quizcalc.cli.snapshots_command import backups
from quizcalc.cli.stats_command import stats

__all__ = ["CRASH_EXIT_CODE", "cli", "main"]

CRASH_EXIT_CODE = 70
"""Exit status after an unexpected error (a bug): sysexits' EX_SOFTWARE."""


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="PATH|URL", help="Database file or SQLAlchemy URL [env QUIZCALC_DB].")
@click.option(
    "--content", metavar="DIR", help="Content folder synced at start [env QUIZCALC_CONTENT]."
)
@click.option("--config", metavar="FILE", help="Settings TOML file [env QUIZCALC_CONFIG].")
@click.version_option(__version__, "-V", "--version", prog_name="quizcalc")
@click.pass_context
def cli(ctx: click.Context, db: str | None, content: str | None, config: str | None) -> None:
    """Spaced repetition for ML interview preparation. Without a command: the home screen."""
    ctx.obj = Options(db=db, content=content, config=config)
    if ctx.invoked_subcommand is None:
        run_tui(ctx.obj, start="home")


@cli.command()
@click.option("--deck", metavar="NAME", help="Review only this deck (any case).")
@click.option(
    "--section",
    metavar="S",
    help='Review only this section and its subsections: "2.8 The learning rate", 2.8, '
    '"2.8::Practice".',
)
@click.pass_obj
def review(options: Options, deck: str | None, section: str | None) -> None:
    """Go straight to today's review session (of everything, or of one deck or section)."""
    if deck is None and section is None:
        run_tui(options, start="review")
        return
    from quizcalc.study.errors import UnknownScope

    with open_service(options) as service:
        try:
            scope = service.find_scope(deck, section)
        except UnknownScope as exc:
            raise UnknownName(str(exc)) from exc
    run_tui(options, start="review", scope=scope)


@cli.command()
@click.pass_obj
def sync(options: Options) -> None:
    """Sync the content folder and every imported source, and print what changed."""
    from quizcalc.locations import config_path, content_dir, database_url
    from quizcalc.study.sync_peek import unchanged_quickly

    # Nothing changed (the usual answer) is told without loading the store.
    cards = unchanged_quickly(
        database_url(options.db), content_dir(options.content), config_path(options.config)
    )
    if cards is not None:
        from quizcalc.study.views import SyncReport

        print_sync(SyncReport(unchanged=cards))
        return
    with open_sync_service(options) as service, study_errors():
        report = service.sync(content_dir(options.content), now())
    print_sync(report)


@cli.group()
def cards() -> None:
    """Inspect and check cards."""


@cards.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_obj
def cards_check(options: Options, paths: tuple[Path, ...]) -> None:
    """Check card files: every problem as file:line: message; exit 1 if any.

    Markdown is linted; an .apkg, .colpkg, .csv or .tsv is read as `quizcalc import` would
    read it (nothing is stored) and its problems are printed. A file larger than the
    ``import_max_*`` settings is reported, not read.
    """
    from quizcalc.exchange.limits import ImportLimits
    from quizcalc.locations import config_path
    from quizcalc.study.card_check import check_card_paths
    from quizcalc.study.settings import read_settings

    with study_errors():
        limits = ImportLimits.from_config(read_settings(config_path(options.config)))
    problems = check_card_paths(paths, _known_families(), limits)
    for problem in problems:
        click.echo(problem)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo("no problems found.", err=True)


def _known_families() -> tuple[str, ...]:
    from quizcalc.problems.catalog import FAMILY_NAMES

    return FAMILY_NAMES


cards.add_command(show)


@cards.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array for scripts.")
@click.option(
    "--retired",
    is_flag=True,
    help="Also list retired cards (removed from their file, history kept) and drill-only skills.",
)
@click.option("--active", is_flag=True, hidden=True, help="Leave out retired cards (the default).")
@click.pass_obj
def cards_list(options: Options, as_json: bool, retired: bool, active: bool) -> None:
    """Your cards (active and suspended) with their status and schedule.

    The count is the one home, Browse and the statistics show; retired cards are counted
    apart and listed with --retired. The table fits the terminal's width (long text ends in
    …); --json gives every field.
    """
    with open_service(options) as service, study_errors():
        rows = service.list_cards(include_retired=retired and not active)
        count = service.card_count()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "question": r.question,
                        "kind": r.kind,
                        "deck": r.deck,
                        "section": r.section,
                        "status": r.status,
                        "due": r.due.isoformat() if r.due else None,
                        "interval": r.interval,
                        "easiness": r.easiness,
                        "reviews": r.reviews,
                        "source": r.source,
                        "line": r.line,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    from quizcalc.cli.cards_table import print_cards

    print_cards(rows, count, retired=retired and not active)


@cli.group()
def problems() -> None:
    """Generated-problem families: list them, show an instance with its worked solution."""


@problems.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array for scripts.")
def problems_list(as_json: bool) -> None:
    """Every family, its difficulties and what it practises."""
    from quizcalc.problems import FAMILIES

    if as_json:
        rows = [
            {
                "family": f.name,
                "title": f.title,
                "description": f.description,
                "difficulties": list(f.difficulties),
                "levels": list(f.levels),
            }
            for f in FAMILIES.values()
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(FAMILIES)} problem families", expand=True)
    table.add_column("family", no_wrap=True)
    table.add_column("difficulties", no_wrap=True)
    table.add_column("what it practises", overflow="fold")
    for family in FAMILIES.values():
        levels = "\n".join(
            f"{d}: {text}" for d, text in zip(family.difficulties, family.levels, strict=False)
        )
        table.add_row(
            family.name,
            " ".join(str(d) for d in family.difficulties),
            f"[bold]{family.title}[/bold] — {family.description}\n[dim]{levels}[/dim]",
        )
    Console().print(table)


@problems.command("show")
@click.argument("family")
@click.option("--seed", type=int, default=None, help="Instance seed (random if omitted).")
@click.option("--difficulty", type=click.IntRange(1, 3), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print prompt, answer and solution as JSON.")
def problems_show(family: str, seed: int | None, difficulty: int, as_json: bool) -> None:
    """Print one instance of FAMILY: the prompt, the answer and the worked solution."""
    import random

    from quizcalc.problems import expected_text
    from quizcalc.problems.catalog import FAMILY_NAMES
    from quizcalc.study.problem_review import draw_seed, instance_for

    if family not in FAMILY_NAMES:
        raise UserError(
            f"unknown problem family {family!r}; choose one of: {', '.join(FAMILY_NAMES)}"
        )
    chosen = draw_seed(random.SystemRandom()) if seed is None else seed
    problem = instance_for(family, difficulty, chosen)
    answer = expected_text(problem.answer)
    if as_json:
        payload = {
            "family": problem.family,
            "seed": problem.seed,
            "difficulty": problem.difficulty,
            "prompt": problem.prompt,
            "answer": answer,
            "solution": list(problem.solution),
            "hints": list(problem.hints),
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.panel import Panel

    from quizcalc.typeset import render_markdown

    console = Console()
    width = console.width - 8  # the panel's border and padding, and a list item's indent
    title = f"{problem.family} · difficulty {problem.difficulty} · seed {problem.seed}"
    console.print(Panel(Markdown(render_markdown(problem.prompt, width)), title=title))
    console.print(f"[bold]Answer:[/bold] {answer}", highlight=False)
    steps = "\n".join(f"{number}. {step}" for number, step in enumerate(problem.solution, 1))
    console.print(Panel(Markdown(render_markdown(steps, width)), title="Worked solution"))


cli.add_command(drill)
cli.add_command(stats)
cli.add_command(export)
cli.add_command(import_)
cli.add_command(restore)
cli.add_command(db)
cli.add_command(backups)
cli.add_command(settings)
cli.add_command(decks)
cli.add_command(scheduler)


def main() -> None:
    """Console-script entry point: the one top-level handler for unexpected errors.

    A learner's mistake is a ``StudyError`` turned into one line by each command; anything
    else is a bug: its traceback goes to a crash report, and one line says where.
    """
    from quizcalc.crash_report import crash_message, write_crash_report

    try:
        cli(prog_name="quizcalc")
    except Exception as exc:
        report = write_crash_report(exc, context="quizcalc " + " ".join(sys.argv[1:]))
        click.echo(crash_message(exc, report), err=True)
        sys.exit(CRASH_EXIT_CODE)
