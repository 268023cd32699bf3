"""``quizcalc db copy``: the current collection into another database (e.g. PostgreSQL).

No second copier: the collection is written to a JSON backup (in a temporary folder) and
that backup is restored into the target, so the copy holds exactly what a backup holds
(decks, sources, cards, schedules, the review log, collection settings, fitted parameters)
and converts values between backends as a restore does. The rows are then counted on both
sides.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from quizcalc.exchange.backup_format import describe_counts
from quizcalc.store.bulk_load import vacuum_after_copy
from quizcalc.store.engine import as_url
from quizcalc.store.messages import display_url
from quizcalc.study.backup import BACKUP_TABLES, count_rows, holds_data
from quizcalc.study.errors import InvalidRequest, StudyError, use_case

if TYPE_CHECKING:
    from quizcalc.study.service import StudyService

__all__ = ["CopyReport", "copy_collection"]


@dataclass(frozen=True)
class CopyReport:
    """What was copied where, and what the target held before."""

    source: str
    """The collection copied (a file path, or a URL without its password)."""
    target: str
    """The database copied into (a file path, or a URL without its password): what each
    device's ``QUIZCALC_DB`` names."""
    counts: dict[str, int]
    """Rows copied per table, by backup key (as a restore reports them)."""
    saved_to: Path | None = None
    """Where what the target held was backed up before ``--force`` replaced it."""

    def summary(self) -> str:
        """One line: ``copied 3 decks, 92 cards and 30 reviews from A to B (counts verified)``."""
        return (
            f"copied {describe_counts(self.counts)} from {self.source} to {self.target} "
            "(row counts verified)"
        )


@use_case("copy the collection")
def copy_collection(
    service: StudyService, to: str, *, now: datetime, force: bool = False
) -> CopyReport:
    """Copy ``service``'s collection into the database at ``to`` (a URL or a file path).

    The target is created at the current schema when it has no tables. A target that holds
    a collection is refused (:class:`~quizcalc.study.errors.InvalidRequest`, one line) unless
    ``force``: then it is backed up first and replaced. After the copy the rows of every
    table are counted on both sides; a difference raises
    :class:`~quizcalc.study.errors.StudyError`.
    """
    from quizcalc.study.service import StudyService

    target_url = as_url(to)
    source_where = display_url(service.store.url)
    target_where = display_url(target_url)
    if target_url == service.store.url:
        raise InvalidRequest(f"{target_where}: not copied: it is the collection being copied")
    target = StudyService.open(target_url, service.config)
    try:
        with target.transaction() as session:
            existing = count_rows(session)
        if holds_data(existing) and not force:
            raise InvalidRequest(
                f"{target_where}: not copied: the database is not empty (it holds "
                f"{existing['cards']} cards and {existing['review_log']} review-log rows); "
                "pass --force to replace it (a backup of it is written first)"
            )
        with tempfile.TemporaryDirectory(prefix="quizcalc-copy-") as folder:
            backup = Path(folder) / "collection.json"
            service.export_backup(backup)
            restored = target.restore_backup(backup, now=now, force=force)
        with service.transaction() as session:
            expected = count_rows(session)
        with target.transaction() as session:
            found = count_rows(session)
        vacuum_after_copy(target.store.engine, BACKUP_TABLES.values())
    finally:
        target.close()
    differ = [f"{key} {n}→{found.get(key)}" for key, n in expected.items() if n != found.get(key)]
    if differ:
        raise StudyError(
            f"{target_where}: the copy's row counts differ from {source_where}'s "
            f"({', '.join(differ)}); do not use it"
        )
    return CopyReport(
        source=source_where,
        target=target_where,
        counts=restored.counts,
        saved_to=restored.saved_to,
    )
