"""``quizcalc backups``: the rolling snapshots kept beside the collection file.

    quizcalc backups list [--json]        # newest first: path, created, size, cards, reviews
    quizcalc backups restore latest       # put the newest backup back (what it replaces is kept)
    quizcalc backups restore FILE         # put that backup back

These work on the file alone, without opening the collection: they are what a damaged
collection's message points to. Light at import (only click): ``quizcalc --help`` stays fast.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from quizcalc.cli.common import now, study_errors

if TYPE_CHECKING:
    from quizcalc.cli.common import Options

__all__ = ["backups"]


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _count(value: int | None) -> str:
    return "?" if value is None else str(value)


@click.group()
def backups() -> None:
    """Automatic backups kept in the backups/ folder beside the collection file."""


@backups.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array for scripts.")
@click.pass_obj
def backups_list(options: Options, as_json: bool) -> None:
    """Every backup of the collection, newest first (each is read, never changed)."""
    from quizcalc.locations import database_url
    from quizcalc.study.snapshots import list_snapshots

    with study_errors():
        found = list_snapshots(database_url(options.db))
    if as_json:
        click.echo(json.dumps([info.as_json() for info in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("no backups yet.", err=True)
        return
    for info in found:
        state = "" if info.readable else "  (unreadable)"
        click.echo(
            f"{info.path}  {info.created:%Y-%m-%d %H:%M:%S}  {_size(info.size):>8}  "
            f"{_count(info.cards)} cards  {_count(info.reviews)} reviews  {info.reason}{state}"
        )


@backups.command("restore")
@click.argument("which", metavar="latest|FILE")
@click.pass_obj
def backups_restore(options: Options, which: str) -> None:
    """Put a backup back in place of the collection: `latest` or a FILE from `backups list`.

    What it replaces is backed up first (the path is printed); the swap is atomic, and a
    session still open in another window is told the collection was restored.
    """
    from quizcalc.locations import config_path, database_url
    from quizcalc.study.errors import StudyError
    from quizcalc.study.settings import read_settings
    from quizcalc.study.snapshots import restore_snapshot

    try:
        keep: int | None = read_settings(config_path(options.config)).backups_keep
    except StudyError:
        keep = None  # a broken settings file does not stand in the way: nothing is pruned
    with study_errors():
        report = restore_snapshot(database_url(options.db), which, now(), keep=keep)
    click.echo(report.summary())
