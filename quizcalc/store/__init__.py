"""Persistence: SQLAlchemy models, engine/session setup and migrations. No Textual here.

Names are imported lazily so that ``quizcalc.store.schema_version`` can be read on the start-up
fast path without importing SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizcalc.store.engine import Store, StoreError, open_store

__all__ = ["Store", "StoreError", "open_store"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from quizcalc.store import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'quizcalc.store' has no attribute {name!r}")
