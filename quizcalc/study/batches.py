"""Splitting many values into batches: one ``IN (…)`` list or one ``executemany`` at a time.

SQLite caps the parameters of one statement, and a write transaction should not build one
huge statement; every use case that reads or writes many keys goes through :func:`batches`.
(``itertools.batched`` does this from Python 3.12, and quizcalc runs on 3.11.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

__all__ = ["batches"]

T = TypeVar("T")


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in order, ``size`` at a time (the last batch may be shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
