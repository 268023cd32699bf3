"""``quizcalc db``: the database itself, whatever its kind (SQLite file or PostgreSQL).

    quizcalc db check [--json]        # connection, schema revision, counts, integrity
    quizcalc db copy --to URL [--force]  # this collection into another (empty) database

Light at import (only click): ``quizcalc --help`` stays fast.
"""

from __future__ import annotations

import json
import shlex
from typing import TYPE_CHECKING

import click

from quizcalc.cli.common import now, open_service, study_errors

if TYPE_CHECKING:
    from quizcalc.cli.common import Options

__all__ = ["db"]


@click.group("db")
def db() -> None:
    """Check the database, or copy the collection into another one (e.g. PostgreSQL)."""


@db.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_obj
def check(options: Options, as_json: bool) -> None:
    """Check the database: connection, schema revision, rows per table, integrity.

    Nothing is created or changed. One line per finding; exit status 1 when something is
    wrong.
    """
    from quizcalc.locations import database_url
    from quizcalc.study.database_check import check_database

    report = check_database(database_url(options.db))
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        for finding in report.findings:
            click.echo(finding.line())
    if not report.ok:
        raise SystemExit(1)


@db.command("copy")
@click.option(
    "--to",
    "to",
    required=True,
    metavar="URL",
    help="The database to copy into: postgresql+psycopg://user@host/db, or a SQLite file.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace a database that is not empty (a backup of it is written first).",
)
@click.pass_obj
def copy(options: Options, to: str, force: bool) -> None:
    """Copy this collection into another, empty database (e.g. a PostgreSQL server's).

    Everything a JSON backup holds is copied (cards, sources, review log, settings, fitted
    parameters); the target is created at the current schema when it has no tables, and its
    row counts are checked against this collection's. Then point each device at it with
    QUIZCALC_DB.
    """
    from quizcalc.study.database_copy import copy_collection

    with open_service(options, sync=False) as service, study_errors():
        report = copy_collection(service, to, now=now(), force=force)
    if report.saved_to is not None:
        click.echo(f"saved what {report.target} held to {report.saved_to}")
    click.echo(report.summary())
    click.echo("Point each device at it (in its shell profile, or --db on each command):")
    click.echo(f"  export QUIZCALC_DB={shlex.quote(report.target)}")
    if ":***@" in report.target:
        click.echo("(the password is hidden: keep it in ~/.pgpass rather than in the URL)")
