"""What every group of use cases shares: the open store, the settings and the study day.

:class:`StudyService` (``quizcalc.study.service``) is put together from one class per
responsibility (content, reviews, cards, home summary, backups); each of them builds on
:class:`CollectionAccess`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from quizcalc.config import Config
from quizcalc.scheduling.answer import SchedulerSettings
from quizcalc.scheduling.study_day import study_day
from quizcalc.store.engine import Store
from quizcalc.study.collection_values import read_stored_settings
from quizcalc.study.queue_limits import RunSQL

__all__ = ["CollectionAccess", "sql_runner"]


def sql_runner(session: Session) -> RunSQL:
    """Run the queue's plain SQL inside ``session``."""

    def run(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        return session.execute(text(sql), dict(params)).all()

    return run


class CollectionAccess:
    """An open database and the settings in force: the base of every use-case group."""

    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        """The open database."""
        self.config = config
        """Scheduling settings in force."""
        self.fsrs_parameters: tuple[float, ...] = ()
        """FSRS parameters fitted to this collection (empty: FSRS-6's defaults)."""

    def today(self, now: datetime) -> date:
        """The study day of ``now`` under the configured rollover hour."""
        return study_day(now, self.config.rollover_hour)

    def _fresh_settings(self, run: RunSQL) -> Config:
        """The settings in force, the collection's read again through ``run`` (another window
        may have changed them since): one small query, made before each queue is built."""
        stored = read_stored_settings(run)
        self.config = stored.over(self.config)
        self.fsrs_parameters = stored.fsrs_parameters
        return self.config

    @property
    def scheduler_settings(self) -> SchedulerSettings:
        """The settings the answer step reads (rollover hour, leech threshold, the scheduler
        and, under FSRS, its desired retention and parameters)."""
        return SchedulerSettings(
            rollover_hour=self.config.rollover_hour,
            leech_threshold=self.config.leech_threshold,
            algorithm=self.config.algorithm,
            desired_retention=self.config.desired_retention,
            parameters=self.fsrs_parameters,
            implicit_repetition=self.config.implicit_repetition,
        )

    def locked_scheduler_settings(self, session: Session) -> SchedulerSettings:
        """:attr:`scheduler_settings` read again in ``session``, a write transaction that holds
        the lock: another window or device may have switched scheduler, changed the
        retention or fitted new parameters since this one last looked, and a schedule written
        now must follow what the collection says now."""
        self._fresh_settings(sql_runner(session))
        return self.scheduler_settings

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Session]:
        """One all-or-nothing transaction (store errors leave it as ``StoreError``).

        Reads by default; every use case that changes a row passes ``write=True``, which takes
        the collection's write lock before the first read and refuses to write to a
        collection restored elsewhere since this service opened it (see
        :meth:`quizcalc.store.engine.Store.transaction`).
        """
        with self.store.transaction(write=write) as session:
            yield session

    @property
    def generation(self) -> int:
        """The collection's generation this service works on (a restore moves it on)."""
        return self.store.generation
