"""The store's error types, in a module light enough for the UI's start-up path."""

from __future__ import annotations

__all__ = ["CollectionBusyError", "CollectionReplacedError", "StoreError"]


from pathlib import Path


class StoreError(Exception):
    """The database cannot be used; the message names it and says what to do."""

    def __init__(self, message: str, *, damaged: Path | None = None) -> None:
        super().__init__(message)
        self.damaged = damaged
        """The SQLite file, when the error says it is damaged (corrupted, not a database)."""


class CollectionBusyError(StoreError):
    """Another process held the collection's write lock for longer than the busy timeout."""


class CollectionReplacedError(StoreError):
    """The collection was replaced (restored) after this store opened it: nothing was written.

    :attr:`opened` is the generation this store opened, :attr:`found` the one it found.
    """

    def __init__(self, message: str, opened: int, found: int) -> None:
        super().__init__(message)
        self.opened = opened
        """The generation the store was opened at."""
        self.found = found
        """The generation the database holds now."""
