"""``quizcalc db check``: is the database at a URL a healthy quizcalc collection?

Read-only: the database is never created, migrated or written (a SQLite file that does not
exist is a finding, not a new collection). Each finding is one line: the connection, the
schema revision (and whether it is this quizcalc's head), a count per table (reading every
row of it), and integrity: SQLite's ``PRAGMA integrity_check`` and ``foreign_key_check``;
on PostgreSQL, that every constraint is validated (``pg_constraint.convalidated``) and every
index valid (``pg_index.indisvalid``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from quizcalc.store import messages
from quizcalc.store.connection import make_engine
from quizcalc.store.engine import as_url, known_revisions
from quizcalc.store.models import Base
from quizcalc.store.schema_version import HEAD_REVISION

__all__ = ["CheckReport", "Finding", "check_database"]


@dataclass(frozen=True)
class Finding:
    """One thing checked: what, whether it is fine, and what was found."""

    check: str
    """``connection``, ``schema``, ``table <name>``, ``integrity``, ``constraints``…"""
    ok: bool
    detail: str

    def line(self) -> str:
        """``ok      schema: revision 0013 (this quizcalc's head)``, or ``PROBLEM …``."""
        return f"{'ok' if self.ok else 'PROBLEM':<7} {self.check}: {self.detail}"

    def as_dict(self) -> dict[str, Any]:
        """The finding for ``--json``."""
        return {"check": self.check, "ok": self.ok, "detail": self.detail}


@dataclass
class CheckReport:
    """Every finding about one database, in the order checked."""

    database: str
    """The database checked (a file path, or its URL without a password)."""
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    """Rows per table that could be counted."""

    @property
    def ok(self) -> bool:
        """Whether nothing is wrong."""
        return all(finding.ok for finding in self.findings)

    def add(self, check: str, ok: bool, detail: str) -> None:
        """Record one finding."""
        self.findings.append(Finding(check, ok, detail))

    def as_dict(self) -> dict[str, Any]:
        """The report for ``--json``."""
        return {
            "database": self.database,
            "ok": self.ok,
            "counts": self.counts,
            "findings": [finding.as_dict() for finding in self.findings],
        }


def _first_line(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    return messages.mask_password(str(original).strip().splitlines()[0] if str(original) else "")


def check_database(url_or_path: str) -> CheckReport:
    """Check the database at ``url_or_path`` (a SQLAlchemy URL or a SQLite file path)."""
    url = as_url(url_or_path)
    report = CheckReport(database=messages.display_url(url))
    path = messages.sqlite_path(url)
    if path is not None and not path.is_file():
        report.add("connection", False, f"{path}: no such file (nothing was created)")
        return report
    try:
        engine = make_engine(url)
    except ImportError as exc:
        report.add("connection", False, messages.missing_driver(url, exc))
        return report
    except ArgumentError:
        report.add("connection", False, messages.unknown_database_kind(url))
        return report
    try:
        _check(engine, url, report)
    finally:
        engine.dispose()
    return report


def _run(engine: Engine, query: Callable[[Connection], Any]) -> Any:
    """``query`` on a connection of its own (a failed statement on PostgreSQL aborts its
    transaction: the next check must not inherit that)."""
    with engine.connect() as connection:
        return query(connection)


def _check(engine: Engine, url: str, report: CheckReport) -> None:
    try:
        tables = set(_run(engine, lambda c: inspect(c).get_table_names()))
    except SQLAlchemyError as exc:
        report.add("connection", False, messages.describe_db_error(url, exc))
        return
    report.add("connection", True, f"{report.database} ({engine.dialect.name})")
    if not _check_schema(engine, tables, report):
        return
    for table in Base.metadata.sorted_tables:
        _count(engine, table.name, tables, report)
    if engine.dialect.name == "sqlite":
        _sqlite_integrity(engine, report)
    elif engine.dialect.name == "postgresql":
        _postgresql_integrity(engine, report)


def _check_schema(engine: Engine, tables: set[str], report: CheckReport) -> bool:
    """Record the schema revision; whether the tables are worth counting."""
    if not tables:
        report.add("schema", False, "the database is empty (no tables): not a quizcalc collection")
        return False
    if "alembic_version" not in tables:
        report.add(
            "schema",
            False,
            "no schema revision (no alembic_version table): not a quizcalc collection",
        )
        return False
    try:
        revision = _run(
            engine, lambda c: c.execute(text("SELECT version_num FROM alembic_version")).scalar()
        )
    except SQLAlchemyError as exc:
        report.add("schema", False, f"the schema revision cannot be read ({_first_line(exc)})")
        return True
    if revision == HEAD_REVISION:
        report.add("schema", True, f"revision {revision} (this quizcalc's head)")
    elif revision in known_revisions():
        report.add(
            "schema",
            True,
            f"revision {revision}, older than this quizcalc's head {HEAD_REVISION} "
            "(opening it migrates it)",
        )
    elif revision is not None and revision > HEAD_REVISION:
        report.add(
            "schema",
            False,
            f"revision {revision} is newer than this quizcalc's head {HEAD_REVISION} "
            "(a newer quizcalc wrote it: upgrade quizcalc)",
        )
    else:
        report.add("schema", False, f"unknown revision {revision!r} (head is {HEAD_REVISION})")
    return True


def _count(engine: Engine, name: str, tables: set[str], report: CheckReport) -> None:
    if name not in tables:
        report.add(f"table {name}", False, "missing")
        return
    try:
        rows = int(_run(engine, lambda c: c.execute(text(f"SELECT count(*) FROM {name}")).scalar()))
    except SQLAlchemyError as exc:
        report.add(f"table {name}", False, f"cannot be read ({_first_line(exc)})")
        return
    report.counts[name] = rows
    report.add(f"table {name}", True, f"{rows} {'row' if rows == 1 else 'rows'}")


def _sqlite_integrity(engine: Engine, report: CheckReport) -> None:
    try:
        found = _run(engine, lambda c: [r[0] for r in c.exec_driver_sql("PRAGMA integrity_check")])
    except SQLAlchemyError as exc:
        report.add(
            "integrity", False, f"PRAGMA integrity_check could not finish ({_first_line(exc)})"
        )
    else:
        if found == ["ok"]:
            report.add("integrity", True, "PRAGMA integrity_check: ok")
        else:
            more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
            report.add("integrity", False, f"PRAGMA integrity_check: {found[0]}{more}")
    try:
        broken = _run(engine, lambda c: list(c.exec_driver_sql("PRAGMA foreign_key_check")))
    except SQLAlchemyError as exc:
        report.add("foreign keys", False, f"the check could not run ({_first_line(exc)})")
        return
    if not broken:
        report.add("foreign keys", True, "every reference points at a row")
    else:
        tables = sorted({str(row[0]) for row in broken})
        report.add(
            "foreign keys",
            False,
            f"{len(broken)} rows point at rows that do not exist (in {', '.join(tables)})",
        )


_UNVALIDATED = """
SELECT c.conrelid::regclass::text, c.conname
FROM pg_constraint AS c JOIN pg_namespace AS n ON n.oid = c.connamespace
WHERE n.nspname = current_schema() AND NOT c.convalidated ORDER BY 1, 2
"""
_CONSTRAINTS = """
SELECT count(*) FROM pg_constraint AS c JOIN pg_namespace AS n ON n.oid = c.connamespace
WHERE n.nspname = current_schema()
"""
_INVALID_INDEXES = """
SELECT i.indexrelid::regclass::text
FROM pg_index AS i JOIN pg_class AS t ON t.oid = i.indrelid
JOIN pg_namespace AS n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND i.indisready) ORDER BY 1
"""


def _postgresql_integrity(engine: Engine, report: CheckReport) -> None:
    try:
        total = int(_run(engine, lambda c: c.exec_driver_sql(_CONSTRAINTS).scalar()))
        unvalidated = _run(engine, lambda c: [tuple(r) for r in c.exec_driver_sql(_UNVALIDATED)])
        invalid = _run(engine, lambda c: [r[0] for r in c.exec_driver_sql(_INVALID_INDEXES)])
    except SQLAlchemyError as exc:
        report.add("constraints", False, f"the check could not run ({_first_line(exc)})")
        return
    if unvalidated:
        names = ", ".join(f"{table}.{name}" for table, name in unvalidated)
        report.add("constraints", False, f"{len(unvalidated)} of {total} not validated: {names}")
    else:
        report.add("constraints", True, f"all {total} validated")
    if invalid:
        report.add("indexes", False, f"not valid (rebuild with REINDEX): {', '.join(invalid)}")
    else:
        report.add("indexes", True, "all valid")
