"""Engine and session factory, schema migrations, and friendly database errors.

Nothing here runs at import time: :func:`open_store` builds the engine when called.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from quizcalc.store import messages
from quizcalc.store.errors import StoreError
from quizcalc.store.messages import describe_db_error, sqlite_path
from quizcalc.store.schema_version import HEAD_REVISION

__all__ = [
    "Store",
    "StoreError",
    "as_url",
    "damaged_file",
    "describe_db_error",
    "make_engine",
    "open_store",
]

BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another process's lock before giving up."""

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine for ``url``; SQLite gets WAL, a busy timeout and foreign keys."""
    is_sqlite = url.startswith("sqlite")
    kwargs: dict[str, Any] = {}
    if is_sqlite:
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    engine = create_engine(url, **kwargs)
    if is_sqlite:

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

    return engine


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


@dataclass
class Store:
    """An open database: its engine and a session factory."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session committed on success, rolled back on any error (all or nothing).

        The one place where driver errors become :class:`StoreError`: a SQLAlchemy error
        raised inside (or by the commit) leaves as a one-line message naming the database.
        """
        try:
            with self.sessions.begin() as session:
                yield session
        except SQLAlchemyError as exc:
            damaged = damaged_file(self.url, exc)
            raise StoreError(describe_db_error(self.url, exc), damaged=damaged) from exc

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


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


def open_store(url_or_path: str | Path, *, create_folder: bool = False) -> Store:
    """Open (creating if needed) the database and migrate it to the current schema.

    ``url_or_path`` is any SQLAlchemy URL or a SQLite file path. A SQLite file's folder must
    exist unless ``create_folder`` (the default location, made on first use): a mistyped
    path is refused rather than starting an empty collection.

    Raises :class:`StoreError` with a one-line message for a locked, corrupted, read-only or
    newer database, or a missing driver; the file is never modified in that case.
    """
    url = as_url(url_or_path)
    path = sqlite_path(url)
    if path is not None:
        _check_folder(path, create_folder)
    try:
        engine = make_engine(url)
    except ImportError as exc:  # the dialect's DBAPI module (MySQLdb, psycopg2...) is missing
        raise StoreError(messages.missing_driver(url, exc)) from exc
    except ArgumentError as exc:  # an unknown dialect, or not a URL at all
        raise StoreError(messages.unknown_database_kind(url)) from exc
    try:
        with engine.begin() as connection:
            if not inspect(connection).get_table_names():
                _create_at_head(connection)
            elif (revision := _current_revision(connection)) != HEAD_REVISION:
                _check_known(url, revision)
                _snapshot_before_migration(path, revision)
                _upgrade(connection)
        if path is not None:
            _check_writable(engine)
    except StoreError:
        engine.dispose()
        raise
    except (OperationalError, DBAPIError, sqlite3.Error) as exc:
        engine.dispose()
        raise StoreError(describe_db_error(url, exc)) from exc
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(describe_db_error(url, exc)) from exc
    return Store(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def _check_folder(path: Path, create_folder: bool) -> None:
    """Refuse a folder given as the database, a database whose folder is missing, and one
    that cannot be written (before SQLite opens it, so nothing is left beside it)."""
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file; pass --db FILE.")
    if path.parent.is_dir():
        if messages.is_read_only(path):
            raise StoreError(messages.read_only(path))
        return
    if not create_folder:
        raise StoreError(messages.missing_folder(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"{path}: cannot create its folder ({exc.strerror}); pass --db to use another file."
        ) from exc


def _known_revisions() -> set[str]:
    """The revisions of the migration scripts shipped (``0001_initial_schema.py`` → 0001)."""
    return {p.name.split("_", 1)[0] for p in (_MIGRATIONS / "versions").glob("*.py")}


def _check_known(url: str, revision: str | None) -> None:
    """Refuse a schema revision no migration here knows (a newer quizcalc wrote it)."""
    if revision is None or revision in _known_revisions():
        return
    if revision > HEAD_REVISION:
        raise StoreError(messages.newer_schema(url, revision, HEAD_REVISION))
    raise StoreError(messages.unknown_schema(url, revision, HEAD_REVISION))


def _check_writable(engine: Engine) -> None:
    """Try a write (rolled back) so that a database that cannot be written is told at start.

    Permissions are checked before SQLite opens the file (:func:`_check_folder`); this
    catches what they do not show. SQLite opens a read-only file without complaint and lets
    reads and even ``BEGIN IMMEDIATE`` through: only the first real write fails, which would
    be the first answer. Rewriting the header's ``user_version`` with its own value is such a
    write; it is rolled back, so the file is unchanged. A database busy with another writer
    is writable (this never waits for it).
    """
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        waits = int(cursor.execute("PRAGMA busy_timeout").fetchone()[0])
        try:
            cursor.execute("PRAGMA busy_timeout = 0")
            version = cursor.execute("PRAGMA user_version").fetchone()[0]
            try:
                cursor.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    return  # another process is writing: the file takes writes
                raise
            try:
                cursor.execute(f"PRAGMA user_version = {int(version)}")
            finally:
                if getattr(raw.driver_connection, "in_transaction", True):
                    cursor.execute("ROLLBACK")
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {waits}")
            cursor.close()
    finally:
        raw.close()
