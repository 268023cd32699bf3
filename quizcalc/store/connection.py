"""How quizcalc connects to a database: the engine, and SQLite's per-connection set-up.

:func:`make_engine` builds the SQLAlchemy engine. On SQLite every new connection gets a busy
timeout (:data:`BUSY_TIMEOUT_MS`), WAL mode, ``synchronous = NORMAL`` and foreign keys, and
SQLAlchemy, not the ``sqlite3`` driver, emits each transaction's ``BEGIN`` (the driver's
legacy mode would begin only at the first ``INSERT``, after the reads): ``BEGIN IMMEDIATE``
for a connection whose :data:`WRITE_OPTION` is set, which takes the write lock before the
first read, else a plain ``BEGIN``.

On PostgreSQL (the ``postgres`` extra, psycopg 3) a write transaction's first statement takes
the collection's write lock, a transaction-level advisory lock (:data:`WRITE_LOCK_KEY`), waiting
up to :data:`BUSY_TIMEOUT_MS` (``lock_timeout``); it is released by the commit or rollback. An
advisory lock rather than ``SELECT … FOR UPDATE`` of the generation row because it needs no
row: it also serialises two first starts creating the schema of an empty database (where no
row exists yet) and a migration, exactly as ``BEGIN IMMEDIATE`` does on SQLite; and it only
ever meets other quizcalc writers, never a reader (readers see their snapshot, unblocked).
An answer or an undo also locks its card's ``schedule`` row (``SELECT … FOR UPDATE``,
:func:`quizcalc.study.review.lock_schedule_row`) against writers outside quizcalc.
A write transaction stays READ COMMITTED, so the reads that follow the lock see everything the
previous writer committed; a read transaction is REPEATABLE READ, one consistent snapshot as on
SQLite.

With the environment variable ``QUIZCALC_STRICT_TRANSACTIONS=1`` (the test suite sets it) a
read transaction is also ``PRAGMA query_only`` (PostgreSQL: ``READ ONLY``): a
write path that forgot ``write=True`` fails at once in the tests (the database reports itself
read-only) rather than racing another window in use.
"""

from __future__ import annotations

import os
import sqlite3
import time
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

__all__ = [
    "BUSY_TIMEOUT_MS",
    "STRICT_TRANSACTIONS_VARIABLE",
    "WRITE_LOCK_KEY",
    "WRITE_OPTION",
    "make_engine",
]

BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another process's lock before giving up."""

WRITE_OPTION = "quizcalc_write"
"""The connection execution option that makes a transaction a write transaction."""

WRITE_LOCK_KEY = 0x7155_1ACA_1C00_0001
"""PostgreSQL: the advisory lock key of a collection's write lock (one per database)."""

STRICT_TRANSACTIONS_VARIABLE = "QUIZCALC_STRICT_TRANSACTIONS"
"""Set to ``1``, read transactions cannot write (``PRAGMA query_only``): a development check."""


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Put the database in WAL mode, waiting for another process that holds it meanwhile.

    Switching the journal mode does not call SQLite's busy handler: on a brand-new file that
    a second quizcalc is creating at the same moment it fails at once with "database is
    locked". It is retried for up to :data:`BUSY_TIMEOUT_MS`, as any other write would wait.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = "locked" in str(exc) or "busy" in str(exc)
            if not busy or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine for ``url``; SQLite gets WAL, a busy timeout and foreign keys,
    PostgreSQL the advisory write lock. A plain ``postgresql://`` URL uses psycopg 3 (the
    ``postgres`` extra), not SQLAlchemy's default driver (psycopg2)."""
    is_sqlite = url.startswith("sqlite")
    if url.startswith(("postgresql://", "postgres://")):  # SQLAlchemy would pick psycopg2
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    kwargs: dict[str, Any] = {}
    if is_sqlite:
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "postgresql":
        _set_up_postgresql(engine)
    if is_sqlite:
        strict = _strict()

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # The driver must not begin transactions itself: _on_begin does, before any read.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _use_wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            write = connection.get_execution_options().get(WRITE_OPTION)
            if strict:  # only a Store's read transaction says write=False
                connection.exec_driver_sql(f"PRAGMA query_only = {int(write is False)}")
            # IMMEDIATE takes the write lock now (waiting up to the busy timeout), so nothing
            # read in this transaction can be changed by another process before it commits.
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _set_up_postgresql(engine: Engine) -> None:
    """Each write transaction takes the advisory write lock before anything else, every
    statement is rewritten from SQLite's dialect (:mod:`quizcalc.store.dialect`), and no
    session compiles its queries (``jit = off``)."""
    from quizcalc.store.dialect import for_dialect

    strict = _strict()
    dialect = engine.dialect.name

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # No JIT compilation for this session: quizcalc's statements are short, and the
        # driven joins of the dialect seam carry cost estimates past ``jit_above_cost``, where
        # compiling took 250-300 ms of a 3-5 ms queue at 50,000 cards.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def _translate(
        _connection: Connection, _cursor: Any, statement: str, parameters: Any, *_: Any
    ) -> tuple[str, Any]:
        return for_dialect(statement, dialect), parameters

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION)
        if write is False:  # only a Store's read transaction says write=False
            # One snapshot for the whole transaction, as SQLite's: never blocks a writer, and
            # a read-only transaction never fails to serialise.
            mode = ", READ ONLY" if strict else ""
            connection.exec_driver_sql(f"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ{mode}")
        if write:
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}")
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def _strict() -> bool:
    return os.environ.get(STRICT_TRANSACTIONS_VARIABLE) == "1"
