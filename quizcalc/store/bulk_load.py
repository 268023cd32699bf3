"""Loading many rows at once inside one write transaction: lookup indexes set aside meanwhile.

Each row inserted into a table with six secondary indexes is seven B-tree inserts, most at
random places; building an index once over a million sorted rows is far cheaper. A restore
(which replaces whole tables inside one transaction) drops the tables' plain secondary
indexes first and creates them again from their own ``CREATE INDEX`` text once the rows are
in. Both happen in the caller's transaction, so a failure or a crash in between leaves the
indexes as they were, with the old rows. Unique indexes stay: they are constraints the rows
must meet as they go in. Only SQLite is handled; another database keeps its indexes.

Rows loaded with their own ids (a restore keeps every id) leave PostgreSQL's sequences where
they were: the next row inserted would take id 1 again and collide.
:func:`catch_up_sequences` moves each past the largest id loaded (SQLite needs nothing: a new
rowid is always past the largest). Nor do PostgreSQL's planner statistics follow a load:
until autovacuum comes by, it plans for the tables as they were (empty, after a copy into a new
database), and today's queue on 5,000 cards took 48 ms instead of 6;
:func:`refresh_statistics` analyses the loaded tables in the load's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, text

__all__ = [
    "catch_up_sequences",
    "drop_lookup_indexes",
    "refresh_statistics",
    "restore_indexes",
    "vacuum_after_copy",
]

_LOOKUP_INDEXES = text(
    "SELECT name, tbl_name, sql FROM sqlite_master "
    "WHERE type = 'index' AND sql IS NOT NULL ORDER BY tbl_name, name"
)


def drop_lookup_indexes(connection: Connection, tables: Iterable[str]) -> list[str]:
    """Drop the non-unique secondary indexes of ``tables``; the statements that remake them.

    Call inside a write transaction and hand the result to :func:`restore_indexes` before it
    commits. On a database other than SQLite nothing is dropped (an empty list).
    """
    if connection.dialect.name != "sqlite":
        return []
    wanted = set(tables)
    remake: list[str] = []
    for name, table, sql in connection.execute(_LOOKUP_INDEXES).all():
        if table not in wanted or sql.lstrip().upper().startswith("CREATE UNIQUE"):
            continue
        quoted = name.replace('"', '""')
        connection.exec_driver_sql(f'DROP INDEX "{quoted}"')
        remake.append(sql)
    return remake


def restore_indexes(connection: Connection, statements: Iterable[str]) -> None:
    """Create again the indexes :func:`drop_lookup_indexes` dropped."""
    for sql in statements:
        connection.exec_driver_sql(sql)


_SERIAL_COLUMNS = text(
    "SELECT table_name, column_name, pg_get_serial_sequence(table_name, column_name) "
    "FROM information_schema.columns WHERE table_schema = current_schema() "
    "AND (column_default LIKE 'nextval(%' OR is_identity = 'YES') ORDER BY table_name"
)


def catch_up_sequences(connection: Connection, tables: Iterable[str]) -> None:
    """PostgreSQL: set the id sequence of each of ``tables`` past its largest id, so rows
    inserted after a load with explicit ids get new ones. Nothing on another database."""
    if connection.dialect.name != "postgresql":
        return
    wanted = set(tables)
    preparer = connection.dialect.identifier_preparer
    for table, column, sequence in connection.execute(_SERIAL_COLUMNS).all():
        if table not in wanted or sequence is None:
            continue
        largest = f"SELECT max({preparer.quote(column)}) FROM {preparer.quote(table)}"
        connection.execute(
            text(f"SELECT setval(:sequence, coalesce(({largest}), 0) + 1, false)"),
            {"sequence": sequence},
        )


def refresh_statistics(connection: Connection, tables: Iterable[str]) -> None:
    """PostgreSQL: ``ANALYZE`` each of ``tables`` (in the caller's transaction), so the
    planner knows the rows just loaded. Nothing on another database (SQLite plans these
    queries by their hints, not by statistics)."""
    if connection.dialect.name != "postgresql":
        return
    preparer = connection.dialect.identifier_preparer
    for table in sorted(set(tables)):
        connection.exec_driver_sql(f"ANALYZE {preparer.quote(table)}")


def vacuum_after_copy(engine: Engine, tables: Iterable[str]) -> None:
    """PostgreSQL: ``VACUUM (ANALYZE)`` each of ``tables`` once a copy has committed.

    A database that just received a whole collection (a million review rows) has no
    visibility map yet, so no index-only scan, and autovacuum's first pass over the new rows
    would compete with the learner's first reviews; running it at the end of ``db copy``
    (outside any transaction, as VACUUM must) settles that while the learner waits for the
    copy anyway. Nothing on another database.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        preparer = connection.dialect.identifier_preparer
        for table in sorted(set(tables)):
            connection.exec_driver_sql(f"VACUUM (ANALYZE) {preparer.quote(table)}")
