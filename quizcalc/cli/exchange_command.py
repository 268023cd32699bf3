"""``quizcalc export`` and ``quizcalc import``: decks and progress in and out.

    quizcalc export deck.apkg --with-progress      # Anki package, schedules and review log
    quizcalc export deck.csv --section "2.3 The chain rule"
    quizcalc export deck.md --deck "Calculus & Optimization"
    quizcalc export backup.json                     # the whole store (see `quizcalc restore`)
    quizcalc import shared.apkg --with-progress

The format follows the file's suffix. Light at import (only click): ``quizcalc --help``
stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from quizcalc.cli.common import UserError, now, open_service, progress_bar, study_errors

if TYPE_CHECKING:
    from quizcalc.cli.common import Options
    from quizcalc.exchange.model import ExportOptions, ExportReport

__all__ = ["export", "import_"]


@click.command()
@click.argument("out", type=click.Path(path_type=Path), metavar="OUT")
@click.option("--deck", metavar="NAME", help="Only this deck.")
@click.option("--section", metavar="S", help='Only this section, e.g. "2.3 The chain rule".')
@click.option(
    "--with-progress",
    is_flag=True,
    help="Carry schedules and review logs (Anki packages; backups always do).",
)
@click.option(
    "--instances",
    type=click.IntRange(1, 100),
    default=5,
    show_default=True,
    help="Static instances per problem card in an Anki package.",
)
@click.option("--seed", type=int, default=0, help="Seed of the problem instances.")
@click.pass_obj
def export(
    options: Options,
    out: Path,
    deck: str | None,
    section: str | None,
    with_progress: bool,
    instances: int,
    seed: int,
) -> None:
    """Export cards to OUT: .apkg (Anki), .csv/.tsv (Anki text), .md, or .json (backup)."""
    from quizcalc.exchange.model import ExportOptions
    from quizcalc.study.export_target import check_export_target

    if out.suffix.lower() == ".json":
        if deck or section:
            raise UserError(f"{out}: a .json backup holds the whole store; drop --deck/--section")
        from quizcalc.cli.backup_command import export_backup

        export_backup(options, out)
        return
    with study_errors():  # a wrong format or folder is told before any work is done
        check_export_target(out)
    chosen = ExportOptions(
        deck=deck, section=section, with_progress=with_progress, instances=instances, seed=seed
    )
    report = _export_quickly(options, out, chosen)
    if report is None:
        with open_service(options) as service, study_errors(), progress_bar("exporting") as bar:
            report = service.export(out, chosen, bar)
    for line in report.details:
        click.echo(f"note: {line}", err=True)
    click.echo(report.summary())


def _export_quickly(options: Options, out: Path, chosen: ExportOptions) -> ExportReport | None:
    """The export done without loading the store, when the collection allows it (see
    :mod:`quizcalc.study.export_quick`); None when the normal path must run."""
    from quizcalc.locations import config_path, content_dir, database_url
    from quizcalc.study.export_quick import export_quickly

    with study_errors(), progress_bar("exporting") as bar:
        done = export_quickly(
            database_url(options.db),
            content_dir(options.content),
            config_path(options.config),
            out,
            chosen,
            bar,
        )
    if done is None:
        return None
    for line in done.notices:
        click.echo(f"quizcalc: {line}", err=True)
    return done.report


@click.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--with-progress",
    is_flag=True,
    help="From an Anki package, also take its schedules and review history.",
)
@click.pass_obj
def import_(options: Options, path: Path, with_progress: bool) -> None:
    """Import a Markdown file or folder, an Anki text file (.csv/.tsv), an .apkg or a .colpkg.

    The source is remembered and re-synced at every later start. An import is all or
    nothing: a file that cannot be read changes nothing.
    """
    with (
        open_service(options, sync=False) as service,
        study_errors(),
        progress_bar("importing") as bar,
    ):
        report = service.import_path(path, now(), with_progress=with_progress, progress=bar)
    if report.skipped_sources:
        raise UserError("; ".join(report.skipped_sources))
    from quizcalc.study.report_lines import report_sections

    for section in report_sections(report.problems):
        click.echo(section.heading, err=True)
        for line in section.lines:
            click.echo(f"  {line}", err=True)
    click.echo(f"imported {path}: {report.summary()}")
