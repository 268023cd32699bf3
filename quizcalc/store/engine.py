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
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from quizcalc.store.errors import StoreError
from quizcalc.store.schema_version import HEAD_REVISION

__all__ = [
    "Store",
    "StoreError",
    "as_url",
    "describe_db_error",
    "make_engine",
    "open_store",
]

BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another process's lock before giving up."""

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///"))
    return None


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


def describe_db_error(url: str, exc: BaseException) -> str:
    """Turn a driver error into one line naming the database and the fix."""
    where = str(_sqlite_path(url) or url)
    message = str(getattr(exc, "orig", exc) or exc).lower()
    if "locked" in message or "busy" in message:
        return (
            f"{where}: the database is locked by another process (another quizcalc?); "
            "close it and try again."
        )
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return (
            f"{where}: this file is not a readable quizcalc database (corrupted or another "
            "format); it was left untouched: move it aside or pass --db to use another file."
        )
    if "disk is full" in message or "disk i/o error" in message:
        return (
            f"{where}: the disk is full or failing; nothing was saved by this step. Free some "
            "space and try again."
        )
    if "unable to open" in message or "readonly" in message or "read-only" in message:
        return (
            f"{where}: cannot open the database for writing; check the folder exists and is "
            "writable, or pass --db to use another file."
        )
    return f"{where}: database error: {getattr(exc, 'orig', exc)}"


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
            raise StoreError(describe_db_error(self.url, exc)) from exc

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


def open_store(url_or_path: str | Path) -> Store:
    """Open (creating if needed) the database and migrate it to the current schema.

    ``url_or_path`` is any SQLAlchemy URL or a SQLite file path.

    Raises :class:`StoreError` with a one-line message for a locked, corrupted or unwritable
    database; the file is never modified in that case.
    """
    url = as_url(url_or_path)
    path = _sqlite_path(url)
    if path is not None:
        if path.is_dir():
            raise StoreError(f"{path}: is a folder, not a database file; pass --db FILE.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"{path}: cannot create its folder ({exc.strerror}); pass --db to use another file."
            ) from exc
    try:
        engine = make_engine(url)
        with engine.begin() as connection:
            if not inspect(connection).get_table_names():
                _create_at_head(connection)
            elif _current_revision(connection) != HEAD_REVISION:
                _upgrade(connection)
    except (OperationalError, DBAPIError, sqlite3.Error) as exc:
        raise StoreError(describe_db_error(url, exc)) from exc
    except SQLAlchemyError as exc:
        raise StoreError(describe_db_error(url, exc)) from exc
    return Store(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
