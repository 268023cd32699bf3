"""Persistence: SQLAlchemy models, engine/session setup and migrations. No Textual here."""

from quizcalc.store.engine import Store, StoreError, open_store

__all__ = ["Store", "StoreError", "open_store"]
