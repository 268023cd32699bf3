"""What a figure is: a name, the issue's target(s) and a function that measures it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from benchmarks.report import Measured, Target


@dataclass(frozen=True)
class Context:
    """What a figure's measurement is given: the scale, how many runs, a scratch folder."""

    quick: bool
    runs: int
    folder: Path
    """An empty temporary folder, removed afterwards."""

    @property
    def scale(self) -> str:
        """The heavy collection to use: ``quick`` (5k/100k) or ``full`` (50k/1M)."""
        return "quick" if self.quick else "full"

    def collection_note(self) -> str:
        """Which heavy collection a figure ran on, for the table's notes."""
        from benchmarks.heavy_collection import SCALES

        scale = SCALES[self.scale]
        return f"{scale.name} collection, {scale.cards:,} cards, {scale.review_rows:,} reviews"

    def now(self) -> datetime:
        """The real clock (the heavy collection's dues are relative to today)."""
        return datetime.now().astimezone()


@dataclass(frozen=True)
class Figure:
    """One row of the table."""

    name: str
    """Short name for ``--only`` (e.g. ``first-card-warm``)."""
    title: str
    """What is measured, one line."""
    targets: tuple[Target, ...]
    measure: Callable[[Context], Measured]
    runs: int = 5
    """Timed runs in a full ``make bench`` (a warm-up run comes first where it matters)."""
    quick_runs: int = 2
    """Timed runs with ``--quick``."""
