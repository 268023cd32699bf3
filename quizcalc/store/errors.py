"""The store's error type, in a module light enough for the UI's start-up path."""

from __future__ import annotations

__all__ = ["StoreError"]


from pathlib import Path


class StoreError(Exception):
    """The database cannot be used; the message names it and says what to do."""

    def __init__(self, message: str, *, damaged: Path | None = None) -> None:
        super().__init__(message)
        self.damaged = damaged
        """The SQLite file, when the error says it is damaged (corrupted, not a database)."""
