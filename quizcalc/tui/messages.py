"""What the app's start-up worker posts back to the UI thread.

The worker (:meth:`quizcalc.tui.app.QuizcalcApp.open_service`) opens the study data off the
UI thread and talks to the app only through these messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from quizcalc.study import StudyService, SyncReport

__all__ = ["ServiceFailed", "ServiceReady", "SyncProgressed"]


class ServiceReady(Message):
    """The worker opened the database and synced the content."""

    def __init__(self, service: StudyService, report: SyncReport) -> None:
        super().__init__()
        self.service = service
        """The open study service."""
        self.report = report
        """What the content sync did."""


class SyncProgressed(Message):
    """The startup sync has read ``done`` of ``total`` card files of one source."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        """Files read so far."""
        self.total = total
        """Files in the source."""


class ServiceFailed(Message):
    """The worker could not open the study data; ``message`` names the file and the fix."""

    def __init__(self, message: str, *, what: str) -> None:
        super().__init__()
        self.message = message
        """One line naming the file and what to do."""
        self.what = what
        """``"config"``, ``"database"`` or ``"unexpected"``: which part failed."""
