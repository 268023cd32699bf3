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
  settings and each deck's own limits;
- :class:`~quizcalc.study.scheduler_numbers.SchedulerNumbersUseCases`: FSRS fitted to the
  learner's log (stored with the collection) and the schedulers' evaluation.
- :class:`~quizcalc.study.scheduler_simulation.SchedulerSimulationUseCases`: ``scheduler
  simulate``, the workload and retention ahead under FSRS.

Opening and closing come from :class:`~quizcalc.study.service_opening.OpenedCollection`,
through :class:`~quizcalc.study.sync_service.SyncService` (the content use cases alone, which
``quizcalc sync`` opens without importing the rest).

Every public method raises :class:`~quizcalc.study.errors.StudyError` (and nothing else a
learner could cause). Time is always passed in (``now``, timezone-aware) so that tests are
exact.
"""

from __future__ import annotations

from pathlib import Path

from quizcalc.study.backup_use_cases import BackupUseCases
from quizcalc.study.card_actions import CardActionUseCases
from quizcalc.study.card_editing import CardEditUseCases
from quizcalc.study.card_info import CardInfoUseCases
from quizcalc.study.card_management import CardUseCases
from quizcalc.study.collection_settings import CollectionSettingsUseCases
from quizcalc.study.content import ContentUseCases, merge_reports
from quizcalc.study.deck_list import DeckListUseCases
from quizcalc.study.home_summary import HomeUseCases
from quizcalc.study.linear_cache import LinearTextUseCases
from quizcalc.study.review_session import ReviewSession, ReviewUseCases
from quizcalc.study.scheduler_numbers import SchedulerNumbersUseCases
from quizcalc.study.scheduler_simulation import SchedulerSimulationUseCases
from quizcalc.study.service_opening import open_with_settings
from quizcalc.study.snapshots import SnapshotUseCases
from quizcalc.study.sync_service import SyncService

__all__ = ["ReviewSession", "StudyService", "merge_reports", "open_study"]


class StudyService(
    SyncService,
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
    SchedulerNumbersUseCases,
    LinearTextUseCases,
    SchedulerSimulationUseCases,
):
    """Use cases over one database with one set of settings."""


def open_study(url: str, config_file: Path) -> StudyService:
    """Read the settings in ``config_file`` and open the database at ``url`` with them.

    A bad settings file raises :class:`~quizcalc.study.errors.SettingsUnreadable`; a database
    that cannot be used, :class:`~quizcalc.study.errors.CollectionUnavailable`. A value the
    file sets that the collection now decides, and differently, is named in the service's
    ``settings_warning``.
    """
    return open_with_settings(StudyService, url, config_file)
