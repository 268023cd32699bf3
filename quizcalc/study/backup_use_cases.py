"""Backup use cases: write the whole collection to a JSON file, and restore one.

Part of :class:`~quizcalc.study.service.StudyService`. The database side is
:mod:`quizcalc.study.backup`; the file format, :mod:`quizcalc.exchange.backup_format`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.orm import Session

from quizcalc.config import (
    COLLECTION_SETTINGS,
    DEVICE_SETTINGS,
    Config,
    ConfigError,
    load_config,
    save_config,
)
from quizcalc.exchange.backup_format import (
    LOG_NOT_ANSWERS,
    RETIRED_CARDS,
    Backup,
    BackupReport,
    describe_counts,
)
from quizcalc.exchange.limits import ImportLimits
from quizcalc.exchange.model import Progress
from quizcalc.store.messages import display_url
from quizcalc.store.snapshots import prune_snapshots_in, snapshot_folder
from quizcalc.study.backup import count_rows, holds_data, read_backup, restore_rows, write_backup
from quizcalc.study.card_counts import count_cards
from quizcalc.study.collection_settings import CollectionSettingsUseCases, write_collection_settings
from quizcalc.study.errors import InvalidRequest, StudyError, use_case
from quizcalc.study.json_snapshots import JSON_SUFFIX, json_snapshot_place
from quizcalc.study.log_kinds import ANSWERS_SQL
from quizcalc.study.settings import check_settings
from quizcalc.study.snapshots import SnapshotUseCases, collection_file, json_snapshot_path

__all__ = [
    "BackupUseCases",
    "RestoreReport",
    "SettingsOutcome",
    "automatic_backup_path",
    "check_backup_target",
]

SettingsOutcome = Literal["written", "kept", "unchanged", "none in the backup", "not asked"]
"""What a restore did with the backup's settings: ``"kept"``: they differ from the settings
file, which was left alone as the restore was not asked to write it; ``"not asked"``: no
settings file given."""


@dataclass(frozen=True)
class RestoreReport:
    """What a restore put in the database, what it replaced, and what became of the settings."""

    path: Path
    """The backup restored."""
    database: str
    """The database restored into (a file path, or the URL of another kind of database)."""
    counts: dict[str, int]
    """Rows restored per table, by JSON key (``"cards"``, ``"review_log"``…)."""
    replaced: dict[str, int] = field(default_factory=dict)
    """Rows that were in the database before and were deleted (empty for an empty store)."""
    saved_to: Path | None = None
    """Where the replaced database was backed up first (``None``: it was empty)."""
    settings: SettingsOutcome = "not asked"
    """Whether the backup's settings were written to :attr:`settings_file`."""
    settings_file: Path | None = None
    """The settings file the restore wrote (or left alone)."""
    settings_saved_to: Path | None = None
    """Where the settings file was copied before it was rewritten (``None``: not rewritten,
    or there was no file)."""

    def summary(self) -> str:
        """One line: ``restored 3 decks, 92 cards and 30 reviews from b.json``."""
        return f"restored {describe_counts(self.counts)} from {self.path}"

    def settings_summary(self) -> str | None:
        """One line on the settings (``None`` when no settings file was given)."""
        kept = f" (the old file was kept as {self.settings_saved_to})"
        return {
            "written": f"settings: restored to {self.settings_file}"
            + (kept if self.settings_saved_to else ""),
            "kept": f"settings: {self.settings_file} left as it was; the backup's settings "
            "differ (pass --settings to restore them too)",
            "unchanged": f"settings: unchanged ({self.settings_file})",
            "none in the backup": f"settings: none in the backup; {self.settings_file} left as "
            "it was",
            "not asked": None,
        }[self.settings]


def automatic_backup_path(when: datetime, url: str) -> Path:
    """Where a forced restore of the collection at ``url`` keeps, as a JSON backup, what it
    replaces, named after ``when``: in the ``backups/`` folder beside a SQLite collection, so
    two collections never mix their backups; a server database's is its ``before-restore``
    snapshot, named as :func:`~quizcalc.study.snapshots.list_snapshots` lists it (the user's
    data folder for an in-memory database)."""
    stamp = f"{when:%Y%m%d-%H%M%S}"
    database = collection_file(url)
    if not url.startswith("sqlite"):
        return json_snapshot_path(url, when, "before-restore")
    if database is None:
        from quizcalc.locations import backups_dir

        return backups_dir() / f"before-restore-{stamp}.json"
    return snapshot_folder(database) / f"{database.stem}-{stamp}-before-restore.json"


@use_case("back up your study data")
def check_backup_target(path: Path) -> None:
    """Raise :class:`~quizcalc.study.errors.ExchangeProblem` unless a backup can be written at
    ``path``: told before the database is opened."""
    from quizcalc.exchange.files import check_export_path

    check_export_path(path)


def _settings_in(path: Path) -> Config | None:
    """The settings ``path`` holds (the defaults when it is missing); ``None``: unreadable."""
    try:
        return load_config(path)
    except ConfigError:
        return None


def _device(config: Config) -> dict[str, Any]:
    """The device's own preferences in ``config`` (what a backup's ``settings`` holds)."""
    return {name: getattr(config, name) for name in DEVICE_SETTINGS}


def _collection(config: Config, backup_settings: Mapping[str, Any]) -> dict[str, Any]:
    """The collection settings an old backup (written before they moved into the collection)
    brings: its ``settings``' values, ``config``'s where it has none."""
    values = {name: getattr(config, name) for name in COLLECTION_SETTINGS}
    values.update({k: v for k, v in backup_settings.items() if k in COLLECTION_SETTINGS})
    return values


def _log_rows_not_answers(session: Session) -> int:
    """The review-log rows that are not answers (implicit credits, resets): a count of
    reviews leaves them out."""
    sql = f"SELECT count(*) FROM review_log WHERE kind NOT IN {ANSWERS_SQL}"
    return int(session.execute(text(sql)).scalar_one())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


class BackupUseCases(SnapshotUseCases, CollectionSettingsUseCases):
    """Write the whole collection (and the settings) to a JSON backup, and restore one."""

    @use_case("back up your study data")
    def export_backup(self, path: Path, progress: Progress | None = None) -> BackupReport:
        """Write every deck, source, card, schedule, review and setting to ``path``.

        The database is read as it is (no sync first), in one transaction; the file appears
        only once complete. ``progress`` hears (rows written, rows in all). A path that cannot
        be written raises :class:`~quizcalc.study.errors.ExchangeProblem` naming it.
        """
        with self.transaction() as session:
            report = write_backup(session, path, _device(self.config), progress)
            retired = count_cards(session).retired
            not_answers = _log_rows_not_answers(session)
        counts = {**report.counts, RETIRED_CARDS: retired, LOG_NOT_ANSWERS: not_answers}
        return replace(report, counts=counts)

    @use_case("restore the backup")
    def restore_backup(
        self,
        source: Path | Backup,
        *,
        now: datetime,
        force: bool = False,
        progress: Progress | None = None,
        settings_file: Path | None = None,
        write_settings: bool = False,
        saving_progress: Progress | None = None,
        saved: Callable[[Path], None] | None = None,
    ) -> RestoreReport:
        """Replace the collection by the backup ``source`` (a path, or a backup already read).

        All or nothing, in one transaction. The database must be empty unless ``force``: then
        it is first backed up to :func:`automatic_backup_path` (``now``), ``saved`` is told
        where (before the restore, which may still fail) and ``saving_progress`` hears that
        backup's progress. ``progress`` hears (rows restored, rows in all). Once the rows are
        in, the backup's settings are compared with ``settings_file``; only with
        ``write_settings`` are they written there (after a copy of the old file,
        ``<name>.bak-<now>``, is made beside it) and become the service's.

        Raises :class:`~quizcalc.study.errors.InvalidRequest` for a database that is not empty
        without ``force``; :class:`~quizcalc.study.errors.ExchangeProblem` for a bad backup or
        rows the database refuses; :class:`~quizcalc.study.errors.CollectionUnavailable` for a
        database that cannot be written (locked, full) — and then nothing has changed.
        """
        limits = ImportLimits.for_restore(self.config)
        backup = source if isinstance(source, Backup) else read_backup(source, limits)
        if self.store.url.startswith("sqlite"):  # a server database's: written below
            self.snapshot("before-restore", now)
        where = display_url(self.store.url)  # a file path, or the URL without its password
        saved_to: Path | None = None
        with self.transaction(write=True) as session:
            existing = count_rows(session)
            replacing = holds_data(existing)
            if replacing and not force:
                raise InvalidRequest(
                    f"{backup.path}: not restored: the database {where} is not empty (it holds "
                    f"{_count(existing['cards'], 'card')} and "
                    f"{_count(existing['review_log'] - _log_rows_not_answers(session), 'review')}"
                    "); "
                    "pass --force to replace it (a backup of it is written first)"
                )
            if replacing:
                saved_to = self._save_before_restore(session, now, saving_progress)
                if saved is not None:
                    saved(saved_to)
            counts = restore_rows(session, backup, progress, replace=replacing)
            counts[RETIRED_CARDS] = count_cards(session).retired
            counts[LOG_NOT_ANSWERS] = _log_rows_not_answers(session)
            if not counts.get("collection_settings"):  # a backup from before schema 0009
                write_collection_settings(session, _collection(self.config, backup.settings))
            # Windows opened before now stop writing: their card keys and answers are stale.
            self.store.replace_collection(session)
        self.reload_settings()  # the backup's daily limits and study settings are in force
        # The restored reviews are not answers: closing should not copy the whole restored
        # collection into another snapshot (the backup file holds it; the old one is saved).
        self.remember_reviews()
        outcome, settings_saved_to = self._restore_settings(
            backup, settings_file, write_settings, now
        )
        return RestoreReport(
            path=backup.path,
            database=where,
            counts=counts,
            replaced=existing if replacing else {},
            saved_to=saved_to,
            settings=outcome,
            settings_file=settings_file,
            settings_saved_to=settings_saved_to,
        )

    def _save_before_restore(
        self, session: Session, now: datetime, progress: Progress | None
    ) -> Path:
        """Back the database up before a forced restore replaces it; the path written."""
        target = automatic_backup_path(now, self.store.url)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StudyError(
                f"{target}: cannot create the backups folder ({exc.strerror}); nothing was restored"
            ) from exc
        write_backup(session, target, _device(self.config), progress)
        if not self.store.url.startswith("sqlite"):  # it is one of the database's snapshots
            folder, stem = json_snapshot_place(self.store.url)
            prune_snapshots_in(folder, stem, JSON_SUFFIX, self.config.backups_keep)
        return target

    def _restore_settings(
        self, backup: Backup, settings_file: Path | None, write: bool, now: datetime
    ) -> tuple[SettingsOutcome, Path | None]:
        """Compare the backup's settings with ``settings_file``; with ``write``, copy the old
        file aside and write them. The outcome and where the old file was copied."""
        if not backup.settings:
            return ("not asked" if settings_file is None else "none in the backup"), None
        wanted = check_settings(backup.settings)
        if settings_file is None:
            return "not asked", None
        in_file = _settings_in(settings_file)
        if in_file is not None and _device(in_file) == _device(wanted):
            return "unchanged", None
        if not write:
            return "kept", None
        try:
            saved_to = _keep_a_copy(settings_file, now)
            save_config(wanted, settings_file, only=DEVICE_SETTINGS)
        except OSError as exc:
            raise StudyError(
                f"{settings_file}: the database was restored, but the settings could not be "
                f"written ({exc.strerror or exc}); set them again with the settings screen"
            ) from exc
        self.config = replace(self.config, **_device(wanted))
        return "written", saved_to


def _keep_a_copy(settings_file: Path, now: datetime) -> Path | None:
    """Copy ``settings_file`` to ``<name>.bak-<now>`` beside it (never over another copy);
    the copy's path, or ``None`` when there is no file to keep."""
    if not settings_file.exists():
        return None
    stamp = f"{settings_file.name}.bak-{now:%Y%m%d-%H%M%S}"
    target = settings_file.with_name(stamp)
    number = 1
    while target.exists():
        number += 1
        target = settings_file.with_name(f"{stamp}-{number}")
    shutil.copy2(settings_file, target)
    return target
