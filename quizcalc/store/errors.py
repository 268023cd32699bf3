"""The store's error type, in a module light enough for the UI's start-up path."""

from __future__ import annotations

__all__ = ["StoreError"]


class StoreError(Exception):
    """The database cannot be used; the message names it and says what to do."""
