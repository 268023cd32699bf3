"""The study use cases behind every screen and command, in one object: :class:`StudyService`.

It is put together from one class per responsibility, each in its own module:

- :class:`~quizcalc.study.content.ContentUseCases`: sync, import, export;
- :class:`~quizcalc.study.review_session.ReviewUseCases`: queue, answer, undo, sessions;
- :class:`~quizcalc.study.card_management.CardUseCases`: list, browse, suspend, reset;
- :class:`~quizcalc.study.card_actions.CardActionUseCases`: the reviewer's suspend, bury,
  flag (undoable) and each grade's interval; :class:`~quizcalc.study.card_info.
  CardInfoUseCases`: card info; :class:`~quizcalc.study.card_editing.CardEditUseCases`: `e`;
- :class:`~quizcalc.study.home_summary.HomeUseCases`: today's counts and the streak;
- :class:`~quizcalc.study.deck_list.DeckListUseCases`: the deck list, decks and sections by
  name, custom-study sizes;
- :class:`~quizcalc.study.backup_use_cases.BackupUseCases`: full JSON backups and restores;
- :class:`~quizcalc.study.snapshots.SnapshotUseCases`: rolling snapshots beside the file;
- :class:`~quizcalc.study.collection_settings.CollectionSettingsUseCases`: the collection's
  settings and each deck's own limits.

Every public method raises :class:`~quizcalc.study.errors.StudyError` (and nothing else a
learner could cause). Time is always passed in (``now``, timezone-aware) so that tests are
exact.
"""

from __future__ import annotations

from pathlib import Path

from quizcalc.config import Config, file_settings, load_config
from quizcalc.store.engine import StoreError, damaged_file, open_store
from quizcalc.study.backup_use_cases import BackupUseCases
from quizcalc.study.card_actions import CardActionUseCases
from quizcalc.study.card_editing import CardEditUseCases
from quizcalc.study.card_info import CardInfoUseCases
from quizcalc.study.card_management import CardUseCases
from quizcalc.study.collection_settings import CollectionSettingsUseCases, ignored_file_settings
from quizcalc.study.content import ContentUseCases, merge_reports
from quizcalc.study.deck_list import DeckListUseCases
from quizcalc.study.errors import doing, use_case
from quizcalc.study.home_summary import HomeUseCases
from quizcalc.study.linear_cache import LinearTextUseCases
from quizcalc.study.review_session import ReviewSession, ReviewUseCases
from quizcalc.study.snapshots import SnapshotUseCases

__all__ = ["ReviewSession", "StudyService", "merge_reports", "open_study"]


class StudyService(
    CardEditUseCases,
    ContentUseCases,
    ReviewUseCases,
    CardUseCases,
    CardActionUseCases,
    CardInfoUseCases,
    HomeUseCases,
    DeckListUseCases,
    BackupUseCases,
    SnapshotUseCases,
    CollectionSettingsUseCases,
    LinearTextUseCases,
):
    """Use cases over one database with one set of settings."""

    @classmethod
    @use_case("open your study data")
    def open(cls, url: str, config: Config) -> StudyService:
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
            store = open_store(url, create_folder=url == default_database_url())
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


def open_study(url: str, config_file: Path) -> StudyService:
    """Read the settings in ``config_file`` and open the database at ``url`` with them.

    A bad settings file raises :class:`~quizcalc.study.errors.SettingsUnreadable`; a database
    that cannot be used, :class:`~quizcalc.study.errors.CollectionUnavailable`. A value the
    file sets that the collection now decides, and differently, is named in the service's
    ``settings_warning``.
    """
    with doing("read your settings"):
        config = load_config(config_file)
        explicit = file_settings(config_file)
    service = StudyService.open(url, config)
    service.settings_warning = ignored_file_settings(explicit, service.config, config_file)
    return service
