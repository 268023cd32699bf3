"""The one-line messages the store gives when a database cannot be used.

Each names the database (a SQLite file path, or the URL with its password masked), says what
happened and what to do. :func:`describe_db_error` reads a driver error; the others are for
what :func:`~quizcalc.store.engine.open_store` finds before it touches the file. Light: no
SQLAlchemy import, so the messages can be built (and tested) anywhere.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

__all__ = [
    "POSTGRES_EXTRA",
    "describe_db_error",
    "display_url",
    "is_busy",
    "is_postgresql",
    "is_read_only",
    "mask_password",
    "missing_driver",
    "missing_folder",
    "newer_schema",
    "read_only",
    "sqlite_path",
    "unknown_database_kind",
    "unknown_schema",
]

_NEARLY_FULL = 1024 * 1024
"""Free bytes under which a failed write is taken for a full disk."""

_PASSWORD = re.compile(r"(://[^:/@]*:)[^@/]*@")


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (``None`` for an in-memory or another kind of database)."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///"))
    return None


def mask_password(text: str) -> str:
    """``text`` with the password of any URL in it replaced by ``***``."""
    return _PASSWORD.sub(r"\1***@", text)


def display_url(url: str) -> str:
    """How a message names the database: a SQLite file's path, or the URL without password."""
    path = sqlite_path(url)
    return str(path) if path is not None else mask_password(url)


POSTGRES_EXTRA = "pip install 'quizcalc[postgres]'"
"""The command that installs PostgreSQL support (psycopg 3), as messages give it."""


def is_postgresql(url: str) -> bool:
    """Whether ``url`` names a PostgreSQL database (any driver)."""
    return url.startswith(("postgresql", "postgres:"))


def missing_driver(url: str, exc: ImportError) -> str:
    """The URL's database kind needs a Python driver that is not installed."""
    if is_postgresql(url):
        return (
            f"{display_url(url)}: PostgreSQL support is not installed ({exc}); install it with "
            f"{POSTGRES_EXTRA}, or use a SQLite file"
        )
    return (
        f"{display_url(url)}: the driver for this database is not installed ({exc}); "
        "install it or use a SQLite file"
    )


def unknown_database_kind(url: str) -> str:
    """The URL names a kind of database SQLAlchemy does not know (or is not a URL at all)."""
    kind = url.split("://", 1)[0]
    return (
        f"{display_url(url)}: unknown kind of database ({kind!r}); pass --db with a SQLite file "
        "path or a SQLAlchemy URL such as postgresql://user@host/name"
    )


def missing_folder(path: Path) -> str:
    """The database's folder does not exist: a mistyped path, never a new empty collection."""
    return (
        f"{path}: the folder {path.parent} does not exist (a mistyped path?); nothing was "
        "created. Check the path, or create the folder first to start a new collection there"
    )


def newer_schema(url: str, revision: str, head: str) -> str:
    """The database was written by a newer quizcalc, whose schema this one does not know."""
    return (
        f"{display_url(url)}: this collection was written by a newer quizcalc (schema "
        f"{revision}; this one knows up to {head}); upgrade quizcalc, or restore an older "
        "backup. The file was left untouched"
    )


def unknown_schema(url: str, revision: str, head: str) -> str:
    """The database is stamped with a schema revision no quizcalc release has made."""
    return (
        f"{display_url(url)}: this collection has a schema quizcalc does not know ({revision}; "
        f"this one knows up to {head}); it was left untouched: restore a backup or pass --db "
        "to use another file"
    )


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def _read_only_parts(path: Path) -> list[str]:
    """What SQLite must write and cannot: the file, its -wal and -shm files, its folder."""
    parts = [
        name
        for name, part in (
            ("the database file", path),
            ("its -wal file", path.with_name(f"{path.name}-wal")),
            ("its -shm file", path.with_name(f"{path.name}-shm")),
        )
        if part.exists() and not _writable(part)
    ]
    if not _writable(path.parent):
        parts.append(f"its folder {path.parent}")
    return parts


def is_read_only(path: Path) -> bool:
    """True when the existing database ``path`` (or a file SQLite keeps beside it, or its
    folder) cannot be written by this process: refused before SQLite opens it, which would
    otherwise leave read-only -wal and -shm files behind."""
    return path.exists() and bool(_read_only_parts(path))


def read_only(path: Path) -> str:
    """The database file, a file SQLite keeps beside it, or its folder is read-only: said at
    start, before any answer is lost."""
    parts = _read_only_parts(path)
    if not parts:
        what = "the database is read-only"
    elif parts == [f"its folder {path.parent}"]:
        what = f"{parts[0]} is read-only (SQLite writes its -wal and -shm files there)"
    else:
        listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
        what = f"{listed} {'is' if len(parts) == 1 else 'are'} read-only"
    return (
        f"{path}: {what}, so quizcalc could not save your answers; make "
        f"{'them' if len(parts) > 1 else 'it'} writable (chmod u+w) or pass --db to use another "
        "file"
    )


def _size_limit_reached() -> bool:
    """True when this process runs under a file-size limit (``ulimit -f``)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return False
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    return soft != resource.RLIM_INFINITY


def _no_room_left(path: Path | None) -> bool:
    """True when the disk holding ``path`` has (almost) no free space left."""
    if path is None:
        return False
    try:
        return shutil.disk_usage(path.parent).free < _NEARLY_FULL
    except OSError:
        return False


def _disk_full(where: str, failing: bool, path: Path | None = None) -> str:
    if failing and _no_room_left(path):
        what = "the disk is full"
    elif failing and not _size_limit_reached():
        what = "the disk could not be written (disk I/O error: full or failing)"
    elif failing:
        what = "the disk is full (the file-size limit, ulimit -f, was reached)"
    else:
        what = "the disk is full"
    return f"{where}: {what}; nothing was saved by this step. Free some space and try again."


def is_busy(exc: BaseException) -> bool:
    """True for a driver error saying another connection holds the lock (busy timeout)."""
    message = str(getattr(exc, "orig", None) or exc).lower()
    # SQLite: "database is locked"; PostgreSQL: "canceling statement due to lock timeout".
    return "locked" in message or "busy" in message or "lock timeout" in message


def _first_line(message: str) -> str:
    """The driver's message on one line, from the server's own words (after ``FATAL:``)."""
    line = message.strip().splitlines()[0].strip() if message.strip() else message
    return line.split("FATAL:", 1)[-1].strip()


_MISSING_DATABASE = re.compile(r'database "([^"]*)" does not exist')


def _postgresql_refusal(where: str, message: str) -> str | None:
    """The one line for a PostgreSQL connection refused (``message``: the driver's, as is),
    or ``None`` when it is something else."""
    lower = message.lower()
    if missing := _MISSING_DATABASE.search(message):
        name = missing.group(1)
        return (
            f"{where}: the database {name!r} does not exist on the server; create it first "
            f"(createdb {name}, or CREATE DATABASE {name}) or fix its name in the URL."
        )
    if (
        "authentication failed" in lower
        or "no password supplied" in lower
        or ("role" in lower and "does not exist" in lower)
    ):
        return (
            f"{where}: the server refused the login ({_first_line(message)}); check the user "
            "name and password in the URL (or in ~/.pgpass)."
        )
    if "permission denied for database" in lower or "not permitted to log in" in lower:
        return (
            f"{where}: permission denied ({_first_line(message)}); this user may not open "
            "that collection: use your own database's URL."
        )
    unreachable = (
        "connection refused",
        "no such file or directory",
        "could not translate host name",
        "timeout expired",
        "is the server running",
        "could not connect",
        "server closed the connection",
        "name or service not known",
    )
    if any(words in lower for words in unreachable):
        return (
            f"{where}: cannot reach the PostgreSQL server ({_first_line(message)}); check it is "
            "running and the host, port or socket folder in the URL, then try again."
        )
    return None


def describe_db_error(url: str, exc: BaseException) -> str:
    """Turn a driver error into one line naming the database and the fix."""
    where = display_url(url)
    original = getattr(exc, "orig", None) or exc
    message = str(original).lower()
    path = sqlite_path(url)
    if is_postgresql(url) and (refusal := _postgresql_refusal(where, str(original))):
        return mask_password(refusal)
    if is_busy(exc):
        return (
            f"{where}: the collection is busy in another window (another quizcalc kept it "
            "locked for too long); nothing was changed: try again in a moment."
        )
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return (
            f"{where}: this file is not a readable quizcalc database (corrupted or another "
            "format); it was left untouched: move it aside or pass --db to use another file."
        )
    if "disk is full" in message:  # SQLITE_FULL: "database or disk is full" (ENOSPC)
        return _disk_full(where, failing=False)
    if "disk i/o error" in message:  # SQLITE_IOERR: a write failed (EFBIG, EIO, ...)
        return _disk_full(where, failing=True, path=path)
    if "read-only transaction" in message:  # PostgreSQL, a read transaction that wrote
        return (
            f"{where}: a read-only transaction tried to write; nothing was changed "
            "(a quizcalc bug: please report it)."
        )
    if path is not None and ("readonly" in message or "read-only" in message):
        return read_only(path)
    if "unable to open" in message or "readonly" in message or "read-only" in message:
        return (
            f"{where}: cannot open the database for writing; check the folder exists and is "
            "writable, or pass --db to use another file."
        )
    # PostgreSQL adds lines (LINE 1: …, a caret, HINT: …): the message is one line.
    return f"{where}: database error: {mask_password(_first_line(str(original)))}"
