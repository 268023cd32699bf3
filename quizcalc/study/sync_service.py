"""The service behind ``quizcalc sync``: :class:`SyncService`, only the content use cases.

:class:`~quizcalc.study.service.StudyService` puts together every use case, and importing
it imports every use-case module (reviews, backups, card editing, decks...). A sync needs
none of them, so the command opens this smaller service instead: the same opening, the same
settings, the same :meth:`~quizcalc.study.content.ContentUseCases.sync`.
"""

from __future__ import annotations

from pathlib import Path

from quizcalc.study.content import ContentUseCases
from quizcalc.study.service_opening import OpenedCollection, open_with_settings

__all__ = ["SyncService", "open_sync"]


class SyncService(ContentUseCases, OpenedCollection):
    """Sync, import and export over one database with one set of settings."""


def open_sync(url: str, config_file: Path) -> SyncService:
    """:func:`~quizcalc.study.service.open_study`, for a :class:`SyncService`."""
    return open_with_settings(SyncService, url, config_file)
