"""Rolling backups of the collection, as Anki keeps them: list, restore, and when to take one.

A snapshot is a whole-database copy in the ``backups/`` folder beside the collection file
(:mod:`quizcalc.store.snapshots` writes it atomically). One is taken before every migration
(by the store), before a restore or an import, when the app closes after answers, and every
:data:`SNAPSHOT_EVERY` of a long session; the newest ``backups_keep`` (a setting) are kept.

``backups list`` and ``backups restore`` work on the file alone, without opening the
collection through SQLAlchemy: a damaged collection is exactly when they are needed. A
collection on a server (PostgreSQL) has no file to copy: its snapshots are JSON backups in
the device's backups folder (:mod:`quizcalc.study.json_snapshots`), listed, restored (through
the JSON restore) and pruned by the same functions.
"""

from __future__ import annotations

import shlex
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from quizcalc.store.snapshots import (
    SnapshotFile,
    find_snapshots,
    find_snapshots_in,
    free_snapshot_name,
    prune_snapshots,
    prune_snapshots_in,
    replace_database,
    snapshot_folder,
    write_snapshot,
)
from quizcalc.study.collection_base import CollectionAccess
from quizcalc.study.errors import CollectionDamaged, CollectionUnavailable, StudyError, use_case
from quizcalc.study.json_snapshots import JSON_SUFFIX, json_snapshot_counts, json_snapshot_place
from quizcalc.study.log_kinds import ANSWERS_SQL

__all__ = [
    "RESTORE_LATEST",
    "SNAPSHOT_EVERY",
    "NoBackup",
    "SnapshotInfo",
    "SnapshotRestore",
    "SnapshotUnusable",
    "SnapshotUseCases",
    "collection_file",
    "damaged_error",
    "damaged_message",
    "json_snapshot_path",
    "list_snapshots",
    "newest_restorable",
    "restore_snapshot",
]

SNAPSHOT_EVERY = timedelta(minutes=30)
"""How often a long session with answers is snapshotted."""

RESTORE_LATEST = "latest"
"""What ``backups restore`` takes for the newest restorable snapshot."""


class NoBackup(StudyError):
    """There is no snapshot to restore."""


class SnapshotUnusable(StudyError):
    """The snapshot asked for is missing or is not a readable quizcalc database."""


@dataclass(frozen=True)
class SnapshotInfo:
    """One snapshot, as ``backups list`` shows it (read read-only from the file)."""

    path: Path
    """The snapshot file."""
    created: datetime
    """When it was taken (local time)."""
    reason: str
    """Why it was taken (``close``, ``timer``, ``before-restore``, ``before-migration-0001``…)."""
    size: int
    """Its size in bytes."""
    cards: int | None
    """Cards it holds (``None``: the file cannot be read)."""
    reviews: int | None
    """Reviews it holds (``None``: the file cannot be read)."""

    @property
    def readable(self) -> bool:
        """Whether the file reads as a quizcalc database (and passed its check when taken)."""
        return self.cards is not None and not self.reason.endswith("damaged")

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready mapping for ``backups list --json``."""
        return {
            "path": str(self.path),
            "created": self.created.isoformat(timespec="seconds"),
            "reason": self.reason,
            "size": self.size,
            "cards": self.cards,
            "reviews": self.reviews,
        }

    def describe(self) -> str:
        """``2026-12-05 21:14, 312 reviews`` (or ``unreadable``)."""
        what = f"{self.reviews} reviews" if self.reviews is not None else "unreadable"
        return f"{self.created:%Y-%m-%d %H:%M}, {what}"


@dataclass(frozen=True)
class SnapshotRestore:
    """What ``backups restore`` did."""

    database: Path | str
    """The collection file replaced (a server database: its URL, without the password)."""
    restored: SnapshotInfo
    """The snapshot now in place."""
    saved_to: Path | None
    """The snapshot taken of what was replaced (``None``: there was no file)."""
    generation: int | None
    """The collection generation after the restore (``None``: the snapshot has none)."""

    def summary(self) -> str:
        """One line: what was restored into what, and where the replaced copy went."""
        line = f"restored {self.database} from {self.restored.path} ({self.restored.describe()})"
        if self.saved_to is not None:
            line += f"; what it replaced is kept in {self.saved_to}"
        return line


def collection_file(url: str) -> Path | None:
    """The SQLite file behind ``url`` (``None``: another kind of database, or in memory)."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///"))
    return None


def json_snapshot_path(url: str, when: datetime, reason: str) -> Path:
    """A free name for a JSON snapshot (``reason``, taken at ``when``) of the server
    database at ``url``, in the device's backups folder (which is created)."""
    folder, stem = json_snapshot_place(url)
    folder.mkdir(parents=True, exist_ok=True)
    return free_snapshot_name(folder, stem, when, reason, JSON_SUFFIX)


def _find(url: str) -> list[SnapshotFile]:
    """The snapshots of the collection at ``url``, oldest first (files or JSON backups)."""
    database = collection_file(url)
    if database is not None:
        return find_snapshots(database)
    return find_snapshots_in(*json_snapshot_place(url), JSON_SUFFIX)


def _counts(path: Path) -> tuple[int, int] | None:
    """(cards, answers) in the snapshot ``path``, read read-only; ``None`` when unreadable.
    Implicit credits and resets are rows of the log but not answers: not counted."""
    if path.suffix == JSON_SUFFIX:
        return json_snapshot_counts(path)
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        with closing(connection):
            cards = connection.execute("SELECT count(*) FROM cards").fetchone()[0]
            reviews = connection.execute(
                f"SELECT count(*) FROM review_log WHERE kind IN {ANSWERS_SQL}"
            ).fetchone()[0]
    except sqlite3.Error:
        return None
    return int(cards), int(reviews)


def _info(snapshot: SnapshotFile) -> SnapshotInfo:
    counts = _counts(snapshot.path)
    try:
        size = snapshot.path.stat().st_size
    except OSError:
        size = 0
    return SnapshotInfo(
        path=snapshot.path,
        created=snapshot.created,
        reason=snapshot.reason,
        size=size,
        cards=counts[0] if counts else None,
        reviews=counts[1] if counts else None,
    )


@use_case("list your backups")
def list_snapshots(url: str) -> list[SnapshotInfo]:
    """Every snapshot of the collection at ``url``, newest first."""
    return [_info(snapshot) for snapshot in reversed(_find(url))]


def newest_restorable(database: Path | str) -> SnapshotInfo | None:
    """The newest snapshot ``backups restore latest`` would put back, if any (``database``:
    a collection file, or a server database's URL).

    Snapshots taken before a restore (what a restore replaced) and copies that failed their
    check are passed over: restoring ``latest`` twice gives the same collection.
    """
    found = find_snapshots(database) if isinstance(database, Path) else _find(database)
    for snapshot in reversed(found):
        if snapshot.damaged or snapshot.reason.startswith("before-restore"):
            continue
        info = _info(snapshot)
        if info.readable:
            return info
    return None


def damaged_error(database: Path, what: str) -> CollectionDamaged:
    """The error for a collection file that cannot be read while the learner tried to
    ``what``: one line naming the newest backup and the command that restores it."""
    newest = newest_restorable(database)
    message = f"could not {what}: {damaged_message(database, newest)}"
    return CollectionDamaged(message, database, None if newest is None else newest.path)


def damaged_message(database: Path, newest: SnapshotInfo | None) -> str:
    """The one line for a damaged ``database`` whose newest backup is ``newest``."""
    line = f"{database}: this file is not a readable quizcalc database (corrupted?)."
    if newest is None:
        return (
            f"{line} There is no backup of it in {snapshot_folder(database)}: move it aside "
            "(or pass --db FILE) to start a new collection, or restore a JSON backup with "
            "`quizcalc restore FILE.json`."
        )
    return (
        f"{line} Your newest backup is {newest.path} ({newest.describe()}): "
        f"`{restore_latest_command(database)}`"
    )


def restore_latest_command(database: Path) -> str:
    """The exact command that restores ``database``'s newest backup: ``--db`` is named unless
    it is the default collection (which the command finds by itself)."""
    from quizcalc.locations import default_database_url

    if collection_file(default_database_url()) == database:
        return "quizcalc backups restore latest"
    return f"quizcalc --db {shlex.quote(str(database))} backups restore latest"


def _chosen(database: Path | str, which: str | Path) -> SnapshotInfo:
    if str(which) == RESTORE_LATEST:
        newest = newest_restorable(database)
        if newest is None:
            folder = (
                snapshot_folder(database)
                if isinstance(database, Path)
                else json_snapshot_place(database)[0]
            )
            raise NoBackup(f"{_shown(database)}: there is no backup to restore in {folder}.")
        return newest
    path = Path(which).expanduser().resolve()
    if not path.is_file():
        raise SnapshotUnusable(f"{path}: no such backup file; `quizcalc backups list` shows them.")
    counts = _counts(path)
    if counts is None:
        raise SnapshotUnusable(
            f"{path}: not a readable quizcalc database; nothing was restored. "
            "`quizcalc backups list` shows the backups."
        )
    created = datetime.fromtimestamp(path.stat().st_mtime)
    return SnapshotInfo(path, created, "chosen", path.stat().st_size, *counts)


@use_case("restore the backup")
def restore_snapshot(
    url: str, which: str | Path, now: datetime, keep: int | None = None
) -> SnapshotRestore:
    """Replace the collection file at ``url`` by a snapshot: ``"latest"`` or a file.

    What it replaces is snapshotted first (reason ``before-restore``). The replacement is
    atomic, and the restored file's generation is one past the replaced one's, so a session
    still open elsewhere notices. With ``keep``, older snapshots are then pruned.
    """
    database = collection_file(url)
    if database is None:
        return _restore_json_snapshot(url, _chosen(url, which), now, keep)
    chosen = _chosen(database, which)
    if chosen.path.suffix == JSON_SUFFIX:  # never copied over the file as if a database
        raise SnapshotUnusable(
            f"{chosen.path}: a JSON backup, not a copy of a collection file; nothing was "
            "restored: put it back with `quizcalc restore FILE.json --force`."
        )
    saved_to = None
    try:
        if database.exists():
            saved_to = write_snapshot(database, now, "before-restore")
        generation = replace_database(database, chosen.path)
        if keep is not None:
            prune_snapshots(database, max(keep, 1))
    except OSError as exc:
        raise CollectionUnavailable(
            f"{exc.filename or database}: cannot be written ({exc.strerror or exc}); the "
            "collection was not restored: free some space or make the folder writable"
        ) from exc
    except sqlite3.Error as exc:
        raise CollectionUnavailable(
            f"could not restore the backup: {database}: {exc} (another quizcalc window "
            "writing?); nothing was restored: close it and try again"
        ) from exc
    return SnapshotRestore(database, chosen, saved_to, generation)


def _shown(database: Path | str) -> str:
    from quizcalc.store.messages import display_url

    return str(database) if isinstance(database, Path) else display_url(database)


def _restore_json_snapshot(
    url: str, chosen: SnapshotInfo, now: datetime, keep: int | None
) -> SnapshotRestore:
    """Put the JSON snapshot ``chosen`` back into the server database at ``url``: a forced
    JSON restore, which first writes what it replaces as a ``before-restore`` snapshot."""
    from quizcalc.config import Config
    from quizcalc.study.service import StudyService

    if chosen.cards is None:
        raise SnapshotUnusable(
            f"{chosen.path}: not a readable quizcalc backup; nothing was restored. "
            "`quizcalc backups list` shows the backups."
        )
    service = StudyService.open(url, Config())
    try:
        report = service.restore_backup(chosen.path, now=now, force=True)
        if keep is not None:
            prune_snapshots_in(*json_snapshot_place(url), JSON_SUFFIX, max(keep, 1))
        generation = service.store.generation
    finally:
        service.close()
    return SnapshotRestore(_shown(url), chosen, report.saved_to, generation)


def _review_mark(session: Any) -> int:
    """The newest review-log id: it moves on with every answer kept (an answer undone takes
    its row, and the mark, back). One step down the primary key, whatever the log's length
    (``count(*)`` read the whole log: ≈ 0.3 s at a million rows, at every open and close)."""
    from sqlalchemy import text

    newest = session.execute(text("SELECT max(id) FROM review_log")).scalar()
    return int(newest or 0)


def _device_settings(config: Any) -> dict[str, Any]:
    """The device's own preferences in ``config`` (what a backup's ``settings`` holds)."""
    from quizcalc.config import DEVICE_SETTINGS

    return {name: getattr(config, name) for name in DEVICE_SETTINGS}


class SnapshotUseCases(CollectionAccess):
    """When the open collection is snapshotted: on demand, at close, and on a timer."""

    snapshot_note: str | None = None
    """Where the snapshots of a collection that is not a SQLite file go (``None``: a file)."""
    _reviews_seen: int | None = None
    _last_snapshot: datetime | None = None

    @use_case("open your study data")
    def remember_reviews(self) -> None:
        """Note the review log as it is now: later snapshots are taken only after answers."""
        with self.transaction() as session:
            self._reviews_seen = _review_mark(session)

    def _answered_since(self) -> bool:
        with self.transaction() as session:
            mark = _review_mark(session)
        return mark != self._reviews_seen

    @use_case("back up your collection")
    def snapshot(self, reason: str, now: datetime) -> Path | None:
        """Snapshot the collection now (``reason``: why), prune to the ``backups_keep``
        setting; the file written (``None``: an in-memory database). A server database's
        snapshot is a JSON backup in the device's backups folder."""
        if self.store.url.startswith("sqlite"):
            database = collection_file(self.store.url)
            if database is None:
                self.snapshot_note = "snapshots skipped: an in-memory database has no file to copy"
                return None
            written = self._snapshot_file(database, reason, now)
        else:
            written = self._snapshot_json(reason, now)
        self._last_snapshot = now
        self.remember_reviews()
        return written

    def _snapshot_json(self, reason: str, now: datetime) -> Path:
        """Write the server database as a JSON backup snapshot; prune to ``backups_keep``."""
        from quizcalc.study.backup import write_backup

        folder, stem = json_snapshot_place(self.store.url)
        try:
            target = json_snapshot_path(self.store.url, now, reason)
            with self.transaction() as session:
                write_backup(session, target, _device_settings(self.config), None)
        except OSError as exc:
            raise StudyError(
                f"{folder}: cannot write a backup there ({exc.strerror or exc}); free some "
                "space or make the folder writable"
            ) from exc
        prune_snapshots_in(folder, stem, JSON_SUFFIX, self.config.backups_keep)
        self.snapshot_note = f"snapshots of this database are JSON backups in {folder}"
        return target

    def _snapshot_file(self, database: Path, reason: str, now: datetime) -> Path:
        """Copy the SQLite file to a snapshot; prune to ``backups_keep``."""
        try:
            written = write_snapshot(database, now, reason)
        except OSError as exc:
            raise StudyError(
                f"{snapshot_folder(database)}: cannot write a backup there "
                f"({exc.strerror or exc}); free some space or make the folder writable"
            ) from exc
        except sqlite3.Error as exc:
            raise StudyError(f"{database}: cannot be read to back it up ({exc})") from exc
        prune_snapshots(database, self.config.backups_keep)
        return written

    @use_case("back up your collection")
    def snapshot_after_answers(self, now: datetime, reason: str = "close") -> Path | None:
        """Snapshot when there were answers since the collection was opened (or last
        snapshotted): what the app and the CLI do as they close."""
        if self._reviews_seen is None or not self._answered_since():
            return None
        return self.snapshot(reason, now)

    @use_case("back up your collection")
    def snapshot_if_due(self, now: datetime) -> Path | None:
        """Snapshot when :data:`SNAPSHOT_EVERY` has passed since the last one (or since the
        first call) and there were answers meanwhile; the TUI calls this on a timer."""
        if self._last_snapshot is None:
            self._last_snapshot = now
            return None
        if now - self._last_snapshot < SNAPSHOT_EVERY:
            return None
        if self._reviews_seen is not None and not self._answered_since():
            self._last_snapshot = now
            return None
        return self.snapshot("timer", now)
