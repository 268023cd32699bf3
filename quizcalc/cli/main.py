"""The ``quizcalc`` command: the TUI by default, plus non-interactive twins of its features.

Heavy modules (SQLAlchemy, Textual, the parser) are imported inside the commands that need
them, so ``quizcalc --help`` and the path to the first screen stay fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from quizcalc import __version__
from quizcalc.cli.backup_command import restore
from quizcalc.cli.drill_command import drill
from quizcalc.cli.exchange_command import export, import_
from quizcalc.cli.stats_command import stats

if TYPE_CHECKING:
    from quizcalc.study import StudyService

__all__ = ["cli", "main"]


@dataclass(frozen=True)
class Options:
    """Global options shared by every subcommand."""

    db: str | None
    content: str | None
    config: str | None


class UserError(click.ClickException):
    """A problem the user can fix; printed as one line, exit status 1."""

    def show(self, file: Any = None) -> None:
        """Print ``quizcalc: <message>`` on stderr, no traceback."""
        click.echo(f"quizcalc: {self.message}", err=True)


def _now() -> datetime:
    return datetime.now().astimezone()


@contextmanager
def _friendly_errors() -> Iterator[None]:
    from quizcalc.config import ConfigError
    from quizcalc.exchange.model import ExchangeError
    from quizcalc.store.errors import StoreError
    from quizcalc.study.sync import SourceUnavailable

    try:
        yield
    except (StoreError, ConfigError, SourceUnavailable, ExchangeError) as exc:
        raise UserError(str(exc)) from exc


@contextmanager
def _service(options: Options, sync: bool = True) -> Iterator[StudyService]:
    from quizcalc.config import load_config
    from quizcalc.locations import config_path, content_dir, database_url
    from quizcalc.study import StudyService

    with _friendly_errors():
        config = load_config(config_path(options.config))
        service = StudyService.open(database_url(options.db), config)
        try:
            if sync:
                report = service.sync(content_dir(options.content), _now())
                _print_sync(report, quiet_when_unchanged=True)
            yield service
        finally:
            service.close()


def _print_sync(report: Any, quiet_when_unchanged: bool = False) -> None:
    for skipped in report.skipped_sources:
        click.echo(f"quizcalc: {skipped}", err=True)
    for problem in report.problems:
        click.echo(problem, err=True)
    changed = report.added or report.updated or report.retired or report.restored
    if changed or report.problems or not quiet_when_unchanged:
        click.echo(f"sync: {report.summary()}", err=True)


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
        _run_tui(ctx.obj, start="home")


def _run_tui(options: Options, start: str) -> None:
    from quizcalc.tui.app import make_app

    content = Path(options.content) if options.content else None
    app = make_app(db=options.db, content=content, config_file=_path(options.config), start=start)
    app.run()
    code = getattr(app, "return_code", 0) or 0
    if code:
        sys.exit(code)


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


@cli.command()
@click.pass_obj
def review(options: Options) -> None:
    """Go straight to today's review session."""
    _run_tui(options, start="review")


@cli.command()
@click.pass_obj
def sync(options: Options) -> None:
    """Sync the content folder and every imported source, and print what changed."""
    with _service(options, sync=False) as service, _friendly_errors():
        from quizcalc.locations import content_dir

        report = service.sync(content_dir(options.content), _now())
        _print_sync(report)


@cli.group()
def cards() -> None:
    """Inspect and check cards."""


@cards.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def cards_check(paths: tuple[Path, ...]) -> None:
    """Lint Markdown card files: every problem as file:line: message; exit 1 if any."""
    from quizcalc.cards import lint_paths

    problems = lint_paths(paths, known_families=_known_families())
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo("no problems found.", err=True)


def _known_families() -> tuple[str, ...]:
    from quizcalc.problems.catalog import FAMILY_NAMES

    return FAMILY_NAMES


@cards.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array for scripts.")
@click.option("--active", is_flag=True, help="Leave out retired cards.")
@click.pass_obj
def cards_list(options: Options, as_json: bool, active: bool) -> None:
    """Every card with its status and schedule."""
    with _service(options) as service, _friendly_errors():
        rows = service.list_cards(include_retired=not active)
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
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} cards", expand=True)
    for column in ("id", "question", "kind", "section", "status", "due", "ivl", "EF", "reviews"):
        table.add_column(column, overflow="fold" if column == "question" else "ellipsis")
    for r in rows:
        table.add_row(
            r.id,
            r.question.splitlines()[0] if r.question else "",
            r.kind,
            r.section.split("::")[-1],
            r.status,
            r.due.isoformat() if r.due else "new",
            str(r.interval),
            f"{r.easiness:.2f}",
            str(r.reviews),
        )
    Console().print(table)


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

    from quizcalc.problems import expected_text, generate
    from quizcalc.problems.catalog import FAMILY_NAMES

    if family not in FAMILY_NAMES:
        raise UserError(
            f"unknown problem family {family!r}; choose one of: {', '.join(FAMILY_NAMES)}"
        )
    chosen = random.SystemRandom().getrandbits(31) if seed is None else seed
    problem = generate(family, chosen, difficulty)
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

    from quizcalc.cards.display import latex_to_unicode

    console = Console()
    title = f"{problem.family} · difficulty {problem.difficulty} · seed {problem.seed}"
    console.print(Panel(Markdown(latex_to_unicode(problem.prompt)), title=title))
    console.print(f"[bold]Answer:[/bold] {answer}", highlight=False)
    steps = "\n".join(
        f"{number}. {latex_to_unicode(step)}" for number, step in enumerate(problem.solution, 1)
    )
    console.print(Panel(Markdown(steps), title="Worked solution"))


cli.add_command(drill)
cli.add_command(stats)
cli.add_command(export)
cli.add_command(import_)
cli.add_command(restore)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="quizcalc")
