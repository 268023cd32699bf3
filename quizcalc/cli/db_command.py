"""``quizcalc db``: the database itself, whatever its kind (SQLite file or PostgreSQL).

    quizcalc db check [--json]        # connection, schema revision, counts, integrity
    quizcalc db copy --to URL [--force]  # this collection into another (empty) database

Light at import (only click): ``quizcalc --help`` stays fast.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

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
