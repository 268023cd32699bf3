"""Rolling snapshots of a SQLite collection: whole-database copies in ``backups/`` beside it.

A snapshot of ``<folder>/<stem>.sqlite3`` is ``<folder>/backups/<stem>-YYYYMMDD-HHMMSS-<reason>
.sqlite3``: written with SQLite's online backup API (a consistent copy even while another
process writes) to a hidden temporary name in the same folder, fsynced, then renamed, so a
file with a final name is always complete. Two collections never share snapshots (each
folder has its own ``backups/``, and names start with the collection's stem).

Only the standard library's ``sqlite3`` is used: this module is on no fast path, yet it must
work on a file SQLAlchemy cannot open (a damaged collection is restored from here).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

__all__ = [
    "DAMAGED",
    "LOCK_WAIT_SECONDS",
    "SQLITE_SUFFIX",
    "SnapshotFile",
    "clean_partial_snapshots",
    "find_snapshots",
    "find_snapshots_in",
    "free_snapshot_name",
    "is_damage",
    "prune_snapshots",
    "prune_snapshots_in",
    "replace_database",
    "snapshot_folder",
    "write_snapshot",
]

DAMAGED = "damaged"
"""Appended to the reason of a snapshot whose copy fails SQLite's ``quick_check``."""

LOCK_WAIT_SECONDS = 5.0
"""How long a restore waits for another process's write lock on the collection."""

SQLITE_SUFFIX = ".sqlite3"
"""How a SQLite collection's snapshot file name ends."""

_STAMP = "%Y%m%d-%H%M%S"
_TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True)
class SnapshotFile:
    """One snapshot file of a collection, as its name describes it."""

    path: Path
    """Where it is."""
    created: datetime
    """When it was taken (local time, from its name)."""
    reason: str
    """Why: ``before-migration-0001``, ``before-restore``, ``close``, ``timer``…"""

    @property
    def damaged(self) -> bool:
        """Whether the copy failed SQLite's integrity check when it was taken."""
        return self.reason.endswith(DAMAGED)


def snapshot_folder(database: Path) -> Path:
    """The ``backups/`` folder beside ``database``."""
    return database.parent / "backups"


def _pattern(stem: str, suffix: str) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(stem)}-(\d{{8}}-\d{{6}})(?:-(\d+))?-([a-z][a-z0-9-]*){re.escape(suffix)}$"
    )


def find_snapshots(database: Path) -> list[SnapshotFile]:
    """The snapshots of ``database``, oldest first (temporary files and others' are ignored)."""
    return find_snapshots_in(snapshot_folder(database), database.stem, SQLITE_SUFFIX)


def find_snapshots_in(folder: Path, stem: str, suffix: str) -> list[SnapshotFile]:
    """The snapshots in ``folder`` named ``<stem>-<when>-<reason><suffix>``, oldest first:
    SQLite copies (``.sqlite3``) or another database's JSON backups (``.json``)."""
    if not folder.is_dir():
        return []
    pattern = _pattern(stem, suffix)
    found: list[tuple[datetime, int, SnapshotFile]] = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if match is None or not entry.is_file():
            continue
        try:
            created = datetime.strptime(match.group(1), _STAMP)
        except ValueError:
            continue
        order = int(match.group(2) or 0)
        found.append((created, order, SnapshotFile(entry, created, match.group(3))))
    found.sort(key=lambda item: (item[0], item[1]))
    return [snapshot for _created, _order, snapshot in found]


def _final_name(database: Path, when: datetime, reason: str) -> Path:
    """A free final name for a snapshot taken at ``when`` (``-2``, ``-3``… on a clash)."""
    return free_snapshot_name(snapshot_folder(database), database.stem, when, reason, SQLITE_SUFFIX)


def free_snapshot_name(folder: Path, stem: str, when: datetime, reason: str, suffix: str) -> Path:
    """A free name ``<stem>-<when>-<reason><suffix>`` in ``folder`` (``-2``, ``-3``… on a
    clash), as :func:`find_snapshots_in` lists it."""
    stamp = when.strftime(_STAMP)
    candidate = folder / f"{stem}-{stamp}-{reason}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{stamp}-{number}-{reason}{suffix}"
        number += 1
    return candidate


def is_damage(exc: BaseException) -> bool:
    """Whether a driver error says the database file is damaged or not a database at all."""
    message = str(exc).lower()
    return any(sign in message for sign in ("not a database", "malformed", "corrupt"))


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


@contextlib.contextmanager
def _closing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield connection
    finally:
        connection.close()


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _copy_into(source: Path, target: Path) -> None:
    """Copy the database ``source`` to the new file ``target`` with the backup API.

    A file SQLite cannot read at all (a damaged header) is copied byte for byte instead.
    """
    try:
        with _closing(_read_only(source)) as src, _closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        target.unlink(missing_ok=True)
        shutil.copyfile(source, target)


def _healthy(path: Path) -> bool:
    """Whether SQLite's ``quick_check`` passes on ``path``."""
    try:
        with _closing(_read_only(path)) as connection:
            return connection.execute("PRAGMA quick_check").fetchone() == ("ok",)
    except sqlite3.DatabaseError:
        return False


def write_snapshot(database: Path, when: datetime, reason: str) -> Path:
    """Copy ``database`` to a new snapshot named after ``when`` and ``reason``; its path.

    The copy is made under a hidden temporary name in the same folder, checked with SQLite's
    ``quick_check`` (a failing copy keeps ``-damaged`` in its reason, and is never the one
    ``backups restore latest`` picks), fsynced, then renamed: a killed process leaves at most a
    temporary file, which listings ignore and :func:`clean_partial_snapshots` removes.

    Raises ``OSError`` when the folder or the file cannot be written, ``sqlite3.Error`` when
    the database cannot be read.
    """
    folder = snapshot_folder(database)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{database.stem}-{when.strftime(_STAMP)}-{reason}.{os.getpid()}"
    temporary = temporary.with_name(temporary.name + _TEMP_SUFFIX)
    try:
        _copy_into(database, temporary)
        if not _healthy(temporary):
            reason = f"{reason}-{DAMAGED}"
        _fsync_file(temporary)
        final = _final_name(database, when, reason)
        temporary.rename(final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)
    return final


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_partial_snapshots(database: Path) -> list[Path]:
    """Delete temporary snapshot files of ``database`` left by a process that has ended."""
    folder = snapshot_folder(database)
    if not folder.is_dir():
        return []
    pattern = re.compile(rf"^\.{re.escape(database.stem)}-\d{{8}}-\d{{6}}-[a-z0-9-]+\.(\d+)\.tmp$")
    removed = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if match is not None and not _process_alive(int(match.group(1))):
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def prune_snapshots(database: Path, keep: int) -> list[Path]:
    """Keep the newest ``keep`` snapshots of ``database``; delete older ones and leftovers.

    Only files named as this module names them are ever deleted.
    """
    removed = clean_partial_snapshots(database)
    removed.extend(
        prune_snapshots_in(snapshot_folder(database), database.stem, SQLITE_SUFFIX, keep)
    )
    return removed


def prune_snapshots_in(folder: Path, stem: str, suffix: str, keep: int) -> list[Path]:
    """Keep the newest ``keep`` snapshots :func:`find_snapshots_in` lists; delete the rest."""
    removed = []
    snapshots = find_snapshots_in(folder, stem, suffix)
    for snapshot in snapshots[: max(0, len(snapshots) - keep)]:
        snapshot.path.unlink(missing_ok=True)
        removed.append(snapshot.path)
    return removed


def _generation(path: Path) -> int | None:
    """The ``generation`` in ``collection_meta`` of ``path`` (``None``: unreadable, absent)."""
    try:
        with _closing(_read_only(path)) as connection:
            row = connection.execute(
                "SELECT value FROM collection_meta WHERE name = 'generation'"
            ).fetchone()
    except sqlite3.DatabaseError:
        return None
    return None if row is None else int(row[0])


def replace_database(database: Path, snapshot: Path) -> int | None:
    """Make ``database`` a copy of ``snapshot``, atomically; the generation it now holds.

    The copy's ``collection_meta.generation`` is set one past the larger of the replaced
    database's and the snapshot's, so an open session sees that the collection changed. A
    readable database is overwritten in one transaction through the backup API (sessions
    holding it open read the new content); one SQLite cannot open is replaced by renaming a
    complete copy over it. ``None``: the snapshot has no generation (an older schema).
    """
    old = _generation(database) if database.exists() else None
    restored = _generation(snapshot)
    folder = database.parent
    temporary = folder / f".{database.name}.restore.{os.getpid()}{_TEMP_SUFFIX}"
    generation: int | None = None
    try:
        _copy_into(snapshot, temporary)
        if restored is not None:
            generation = max(old or 0, restored) + 1
            with _closing(sqlite3.connect(temporary)) as connection, connection:
                connection.execute(
                    "UPDATE collection_meta SET value = ? WHERE name = 'generation'",
                    (generation,),
                )
        _fsync_file(temporary)
        if not _overwrite_in_place(temporary, database):
            for leftover in ("-wal", "-shm"):
                Path(f"{database}{leftover}").unlink(missing_ok=True)
            temporary.replace(database)
            _fsync_folder(folder)
    finally:
        temporary.unlink(missing_ok=True)
    return generation


def _overwrite_in_place(copy: Path, database: Path) -> bool:
    """Write ``copy`` over the open database ``database`` in one transaction; ``False`` when
    ``database`` is missing or not readable as SQLite (the caller renames instead)."""
    if not database.exists():
        return False
    try:
        with (
            _closing(_read_only(copy)) as src,
            _closing(sqlite3.connect(database, timeout=LOCK_WAIT_SECONDS)) as dst,
        ):
            dst.isolation_level = None
            # Python's backup retries a busy destination forever: wait for the write lock
            # here, for a bounded time, instead (it is released just before the copy).
            dst.execute("BEGIN IMMEDIATE")
            dst.execute("SELECT count(*) FROM sqlite_master").fetchone()
            dst.execute("COMMIT")
            src.backup(dst)
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        return False
    return True
