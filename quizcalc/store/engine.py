"""Opening a store: schema migrations, the session factory, transactions, friendly errors.

Nothing here runs at import time: :func:`open_store` builds the engine when called
(:mod:`quizcalc.store.connection` sets up each SQLite connection,
:mod:`quizcalc.store.startup_checks` refuses an unusable folder or a read-only file).

Transactions are explicit about writing. ``Store.transaction()`` reads (SQLite: ``BEGIN``, a
consistent snapshot that never blocks a writer); ``Store.transaction(write=True)`` takes the
collection's write lock *before* its first read (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: a
transaction-level advisory lock, see :mod:`quizcalc.store.connection`), so two windows or two
devices answering the same card are serialised instead of both reading the old state.

A write transaction also checks the collection's generation (table ``collection_meta``): a
restore bumps it, and a store opened before the restore refuses to write
(:class:`CollectionReplacedError`) instead of changing rows it no longer knows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from quizcalc.store import messages
from quizcalc.store.connection import WRITE_OPTION, make_engine
from quizcalc.store.errors import CollectionBusyError, CollectionReplacedError, StoreError
from quizcalc.store.messages import describe_db_error, sqlite_path
from quizcalc.store.schema_version import HEAD_REVISION
from quizcalc.store.startup_checks import check_folder, check_role_can_write, check_writable

__all__ = [
    "CollectionBusyError",
    "CollectionReplacedError",
    "Store",
    "StoreError",
    "as_url",
    "damaged_file",
    "describe_db_error",
    "known_revisions",
    "open_store",
]

_GENERATION_QUERY = "SELECT value FROM collection_meta WHERE name = 'generation'"
_NEW_GENERATION = "quizcalc_new_generation"

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def damaged_file(url: str, exc: BaseException | None) -> Path | None:
    """The SQLite file of ``url`` when ``exc`` (or its cause) says it is damaged, else None."""
    from quizcalc.store.snapshots import is_damage

    while exc is not None:
        if isinstance(exc, (DBAPIError, sqlite3.DatabaseError)) and is_damage(
            getattr(exc, "orig", exc)
        ):
            return sqlite_path(url)
        exc = exc.__cause__
    return None


def _snapshot_before_migration(path: Path | None, revision: str | None) -> None:
    """Snapshot the SQLite file ``path`` before its schema is upgraded (other URLs: nothing).

    Refuses (``StoreError``, nothing changed) when the snapshot cannot be written.
    """
    if path is None:
        return
    from datetime import datetime

    from quizcalc.store.snapshots import snapshot_folder, write_snapshot

    reason = "before-migration" + (f"-{revision}" if revision else "")
    try:
        write_snapshot(path, datetime.now(), reason.lower())
    except OSError as exc:
        raise StoreError(
            f"{path}: its schema must be upgraded, but a backup could not be written first to "
            f"{snapshot_folder(path)} ({exc.strerror or exc}); nothing was changed: free some "
            "space or make that folder writable, then try again."
        ) from exc


def store_error(url: str, exc: BaseException, damaged: Path | None = None) -> StoreError:
    """The :class:`StoreError` for a driver error (:class:`CollectionBusyError` for a lock)."""
    if messages.is_busy(exc):
        return CollectionBusyError(describe_db_error(url, exc))
    return StoreError(describe_db_error(url, exc), damaged=damaged)


@dataclass
class Store:
    """An open database: its engine, a session factory and the generation it was opened at."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    generation: int = 0
    """The collection's generation when this store opened it (a restore here moves it on)."""

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Session]:
        """A session committed on success, rolled back on any error (all or nothing).

        A read transaction (the default) sees one consistent state and never blocks a
        writer. ``write=True`` takes the collection's write lock before the first read,
        waiting up to :data:`~quizcalc.store.connection.BUSY_TIMEOUT_MS` for another
        process's (then :class:`CollectionBusyError`), and refuses with
        :class:`CollectionReplacedError` when the collection was restored since this store
        opened it. Every transaction that changes a row must be a write transaction.

        The one place where driver errors become :class:`StoreError`: a SQLAlchemy error
        raised inside (or by the commit) leaves as a one-line message naming the database.
        """
        try:
            with self.sessions.begin() as session:
                session.connection(execution_options={WRITE_OPTION: write})
                if write:
                    self._check_generation(session)
                yield session
        except SQLAlchemyError as exc:
            raise store_error(self.url, exc, damaged_file(self.url, exc)) from exc
        replaced = session.info.get(_NEW_GENERATION)
        if replaced is not None:  # committed: this store now works on the restored collection
            self.generation = replaced

    def _check_generation(self, session: Session) -> None:
        found = _read_generation(session.connection())
        if found != self.generation:
            raise CollectionReplacedError(
                f"{messages.display_url(self.url)}: the collection was restored elsewhere (a "
                "backup replaced it after this window opened it); nothing was written: "
                "restart quizcalc to study the restored collection.",
                opened=self.generation,
                found=found,
            )

    def replace_collection(self, session: Session) -> int:
        """Mark the collection as replaced (a restore), inside write transaction ``session``.

        Bumps the generation, so every other store opened before refuses to write from now
        on; this store follows the new generation once the transaction commits. Returns it.
        """
        session.execute(
            text("UPDATE collection_meta SET value = value + 1 WHERE name = 'generation'")
        )
        generation = _read_generation(session.connection())
        session.info[_NEW_GENERATION] = generation
        return generation

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


def _read_generation(connection: Connection) -> int:
    """The collection's generation (0 for a database that has no row for it yet).

    Read under the write lock in a write transaction, which every backend takes when the
    transaction begins (:mod:`quizcalc.store.connection`): no ``FOR UPDATE`` needed.
    """
    value = connection.execute(text(_GENERATION_QUERY)).scalar()
    return int(value or 0)


def _current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _upgrade(connection: Connection) -> None:
    # alembic costs ~0.4 s to import: only pay it when the schema is not at head.
    from alembic import command
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _create_at_head(connection: Connection) -> None:
    """Create a brand-new database's schema from the models, stamped at the head revision.

    What running every migration would build (a test compares the two schemas), without
    importing alembic or replaying history: a first start, and every test database, is
    about 0.4 s faster.
    """
    from quizcalc.store.models import Base

    Base.metadata.create_all(connection)
    connection.execute(
        text(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
            "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
        )
    )
    connection.execute(text("INSERT INTO alembic_version VALUES (:head)"), {"head": HEAD_REVISION})
    connection.execute(text("INSERT INTO collection_meta (name, value) VALUES ('generation', 0)"))


def as_url(url_or_path: str | Path) -> str:
    """A SQLAlchemy URL from a URL or a plain file path (which becomes a SQLite URL)."""
    text_form = str(url_or_path)
    if "://" in text_form:
        return text_form
    return f"sqlite:///{Path(text_form).expanduser().resolve()}"


BeforeMigration = Callable[[Connection, str | None], object]
"""Called with the connection (under the write lock) and the old revision just before a
database that is not a SQLite file is migrated: its snapshot (SQLite's is a file copy)."""


def open_store(
    url_or_path: str | Path,
    *,
    create_folder: bool = False,
    before_migration: BeforeMigration | None = None,
) -> Store:
    """Open (creating if needed) the database and migrate it to the current schema.

    ``url_or_path`` is any SQLAlchemy URL or a SQLite file path. A SQLite file's folder must
    exist unless ``create_folder`` (the default location, made on first use): a mistyped
    path is refused rather than starting an empty collection. A SQLite file is snapshotted
    before a migration; another database, by ``before_migration`` when given.

    Raises :class:`StoreError` with a one-line message for a locked, corrupted, read-only or
    newer database, or a missing driver; the file is never modified in that case.
    """
    url = as_url(url_or_path)
    path = sqlite_path(url)
    if path is not None:
        check_folder(path, create_folder)
    try:
        engine = make_engine(url)
    except ImportError as exc:  # the dialect's DBAPI module (MySQLdb, psycopg2...) is missing
        raise StoreError(messages.missing_driver(url, exc)) from exc
    except ArgumentError as exc:  # an unknown dialect, or not a URL at all
        raise StoreError(messages.unknown_database_kind(url)) from exc
    try:
        with engine.begin() as connection:
            tables = bool(inspect(connection).get_table_names())
            revision = _current_revision(connection) if tables else None
            if tables and revision != HEAD_REVISION:
                _check_known(url, revision)
            ready = tables and revision == HEAD_REVISION
            generation = _read_generation(connection) if ready else 0
        if not ready:
            # Created or migrated under the write lock: of two first starts at once, the
            # second waits, then finds the schema the first one made.
            with engine.connect() as connection:
                connection.execution_options(**{WRITE_OPTION: True})
                with connection.begin():
                    if not inspect(connection).get_table_names():
                        _create_at_head(connection)
                    elif (revision := _current_revision(connection)) != HEAD_REVISION:
                        _snapshot_before_migration(path, revision)
                        if path is None and before_migration is not None:
                            before_migration(connection, revision)
                        _upgrade(connection)
                    generation = _read_generation(connection)
        if path is not None:
            check_writable(engine)
        elif engine.dialect.name == "postgresql":
            check_role_can_write(engine, messages.display_url(url))
    except StoreError:
        engine.dispose()
        raise
    except (OperationalError, DBAPIError, sqlite3.Error) as exc:
        engine.dispose()
        raise store_error(url, exc) from exc
    except SQLAlchemyError as exc:
        engine.dispose()
        raise store_error(url, exc) from exc
    return Store(
        url=url,
        engine=engine,
        sessions=sessionmaker(engine, expire_on_commit=False),
        generation=generation,
    )


def known_revisions() -> set[str]:
    """The revisions of the migration scripts shipped (``0001_initial_schema.py`` → 0001)."""
    return {p.name.split("_", 1)[0] for p in (_MIGRATIONS / "versions").glob("*.py")}


def _check_known(url: str, revision: str | None) -> None:
    """Refuse a schema revision no migration here knows (a newer quizcalc wrote it)."""
    if revision is None or revision in known_revisions():
        return
    if revision > HEAD_REVISION:
        raise StoreError(messages.newer_schema(url, revision, HEAD_REVISION))
    raise StoreError(messages.unknown_schema(url, revision, HEAD_REVISION))
