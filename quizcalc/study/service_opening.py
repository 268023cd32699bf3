"""Opening a collection for a service: :class:`OpenedCollection`, shared by
:class:`~quizcalc.study.service.StudyService` (every use case) and
:class:`~quizcalc.study.sync_service.SyncService` (``quizcalc sync``'s few, so that command
does not import every other use-case module).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TypeVar

from quizcalc.config import Config, file_settings, load_config
from quizcalc.store.engine import StoreError, damaged_file, open_store
from quizcalc.study.collection_settings import CollectionSettingsUseCases, ignored_file_settings
from quizcalc.study.errors import doing, use_case
from quizcalc.study.json_snapshots import snapshot_before_migration
from quizcalc.study.snapshots import SnapshotUseCases

__all__ = ["OpenedCollection", "open_with_settings"]

Opened = TypeVar("Opened", bound="OpenedCollection")


class OpenedCollection(SnapshotUseCases, CollectionSettingsUseCases):
    """A service over an opened database: how it is opened and closed."""

    @classmethod
    @use_case("open your study data")
    def open(cls: type[Opened], url: str, config: Config) -> Opened:
        """Open (creating and migrating if needed) the database at ``url``.

        Only the default location's folder is created; a chosen database whose folder does
        not exist, and a locked, corrupted, read-only or newer database, raise
        :class:`~quizcalc.study.errors.CollectionUnavailable` with one line naming it (a
        damaged one, :class:`~quizcalc.study.errors.CollectionDamaged`, also names its newest
        backup). The review log is noted, so that closing after answers takes a snapshot.
        The collection's own settings replace ``config``'s (a collection without any takes
        ``config``'s, once).
        """
        from quizcalc.locations import default_database_url

        try:
            store = open_store(
                url,
                create_folder=url == default_database_url(),
                before_migration=partial(snapshot_before_migration, url),
            )
        except StoreError as exc:
            exc.damaged = exc.damaged or damaged_file(url, exc)
            raise
        service = cls(store, config)
        try:
            service.adopt_settings()
            service.remember_reviews()
        except BaseException:
            store.close()
            raise
        return service

    def close(self) -> None:
        """Release the database."""
        self.store.close()


def open_with_settings(kind: type[Opened], url: str, config_file: Path) -> Opened:
    """Read the settings in ``config_file`` and open a ``kind`` over the database at ``url``.

    A bad settings file raises :class:`~quizcalc.study.errors.SettingsUnreadable`; a database
    that cannot be used, :class:`~quizcalc.study.errors.CollectionUnavailable`. A value the
    file sets that the collection now decides, and differently, is named in the service's
    ``settings_warning``.
    """
    with doing("read your settings"):
        config = load_config(config_file)
        explicit = file_settings(config_file)
    service = kind.open(url, config)
    service.settings_warning = ignored_file_settings(explicit, service.config, config_file)
    return service
