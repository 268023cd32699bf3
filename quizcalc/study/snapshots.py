"""Rolling backups of the collection, as Anki keeps them: list, restore, and when to take one.

A snapshot is a whole-database copy in the ``backups/`` folder beside the collection file
(:mod:`quizcalc.store.snapshots` writes it atomically). One is taken before every migration
(by the store), before a restore or an import, when the app closes after answers, and every
:data:`SNAPSHOT_EVERY` of a long session; the newest ``backups_keep`` (a setting) are kept.

``backups list`` and ``backups restore`` work on the file alone, without opening the
collection through SQLAlchemy: a damaged collection is exactly when they are needed. A
collection that is not a SQLite file (PostgreSQL comes later) has no snapshots: the automatic
ones are skipped (:attr:`SnapshotUseCases.snapshot_note` says why), the commands refuse.
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
    prune_snapshots,
    replace_database,
    snapshot_folder,
    write_snapshot,
)
from quizcalc.study.collection_base import CollectionAccess
from quizcalc.study.errors import CollectionDamaged, CollectionUnavailable, StudyError, use_case
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
    "list_snapshots",
    "newest_restorable",
    "restore_snapshot",
]

SNAPSHOT_EVERY = timedelta(minutes=30)
"""How often a long session with answers is snapshotted."""

RESTORE_LATEST = "latest"
"""What ``backups restore`` takes for the newest restorable snapshot."""

_NOT_SQLITE = (
    "backups are kept for SQLite collection files only; {url} is another kind of database "
    "(use `quizcalc export FILE.json` to back it up)"
)


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

    database: Path
    """The collection file replaced."""
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


def _counts(path: Path) -> tuple[int, int] | None:
    """(cards, answers) in the snapshot ``path``, read read-only; ``None`` when unreadable.
    Implicit credits and resets are rows of the log but not answers: not counted."""
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


def _sqlite_file(url: str) -> Path:
    path = collection_file(url)
    if path is None:
        raise StudyError(_NOT_SQLITE.format(url=url))
    return path


@use_case("list your backups")
def list_snapshots(url: str) -> list[SnapshotInfo]:
    """Every snapshot of the collection at ``url``, newest first."""
    return [_info(snapshot) for snapshot in reversed(find_snapshots(_sqlite_file(url)))]


def newest_restorable(database: Path) -> SnapshotInfo | None:
    """The newest snapshot ``backups restore latest`` would put back, if any.

    Snapshots taken before a restore (what a restore replaced) and copies that failed their
    check are passed over: restoring ``latest`` twice gives the same collection.
    """
    for snapshot in reversed(find_snapshots(database)):
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


def _chosen(database: Path, which: str | Path) -> SnapshotInfo:
    if str(which) == RESTORE_LATEST:
        newest = newest_restorable(database)
        if newest is None:
            raise NoBackup(
                f"{database}: there is no backup to restore in {snapshot_folder(database)}."
            )
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
    database = _sqlite_file(url)
    chosen = _chosen(database, which)
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


def _review_mark(session: Any) -> int:
    """The newest review-log id: it moves on with every answer kept (an answer undone takes
    its row, and the mark, back). One step down the primary key, whatever the log's length
    (``count(*)`` read the whole log: ≈ 0.3 s at a million rows, at every open and close)."""
    from sqlalchemy import text

    newest = session.execute(text("SELECT max(id) FROM review_log")).scalar()
    return int(newest or 0)


class SnapshotUseCases(CollectionAccess):
    """When the open collection is snapshotted: on demand, at close, and on a timer."""

    snapshot_note: str | None = None
    """Why no snapshot was taken, when the collection is not a SQLite file."""
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
        setting; the file written (``None``: not a SQLite file, see :attr:`snapshot_note`)."""
        database = collection_file(self.store.url)
        if database is None:
            self.snapshot_note = "snapshots skipped: " + _NOT_SQLITE.format(url=self.store.url)
            return None
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
        self._last_snapshot = now
        self.remember_reviews()
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
