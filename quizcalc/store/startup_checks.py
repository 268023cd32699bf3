"""Start-up checks: is a SQLite collection's folder usable, and can the collection be written.

:func:`~quizcalc.store.engine.open_store` runs :func:`check_folder` before SQLite opens the
file (so nothing is left beside a database that cannot be used) and :func:`check_writable`
(SQLite) or :func:`check_role_can_write` (PostgreSQL) once the schema is ready, so a
collection that cannot be written is refused at start, not at the learner's first answer.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from quizcalc.store import messages
from quizcalc.store.errors import StoreError

__all__ = ["check_folder", "check_role_can_write", "check_writable"]


def check_folder(path: Path, create_folder: bool) -> None:
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


def check_writable(engine: Engine) -> None:
    """Try a write (rolled back) so that a database that cannot be written is told at start.

    Permissions are checked before SQLite opens the file (:func:`check_folder`); this
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
        # Read while still willing to wait: a first start beside ours may hold the file.
        version = cursor.execute("PRAGMA user_version").fetchone()[0]
        try:
            cursor.execute("PRAGMA busy_timeout = 0")
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


_MISSING_PRIVILEGES = """
SELECT current_user, (
    SELECT string_agg(c.relname, ', ' ORDER BY c.relname)
    FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND (
        (c.relkind = 'r' AND NOT (has_table_privilege(c.oid, 'INSERT')
            AND has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE')))
        OR (c.relkind = 'S' AND NOT has_sequence_privilege(c.oid, 'USAGE'))
    )
)
"""
"""The role, and the tables (and sequences) of the collection it cannot write (NULL: none)."""


def check_role_can_write(engine: Engine, shown_url: str) -> None:
    """Refuse, in one line, a PostgreSQL role that can read the collection but not change it.

    A role given ``CONNECT`` and ``SELECT`` only opens the collection and shows the queue;
    without this check its first answer would fail. The privileges are read from the
    catalog (``has_table_privilege``), so nothing is written and nobody waits for a lock.
    """
    with engine.connect() as connection:
        role, missing = connection.execute(text(_MISSING_PRIVILEGES)).one()
    if missing:
        raise StoreError(
            f"{shown_url}: the role {role} can read this collection but not change it: it "
            f"lacks INSERT, UPDATE or DELETE (USAGE, on a sequence) on {missing}; use the "
            "role that owns the database, or ask its owner to GRANT them."
        )
