"""Terminal charts as plain data and text: the calendar heatmap and block-character columns.

No colours and no UI library here; the CLI (rich) and the TUI (Textual) style the cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from quizcalc.study.stats.model import DayCount

__all__ = ["BLOCKS", "HeatCell", "Heatmap", "column_chart", "heatmap"]

BLOCKS = " ▁▂▃▄▅▆▇█"
"""Eighth blocks, empty to full."""

LEVELS = 4
"""Non-zero heat levels (GitHub uses four shades plus empty)."""


@dataclass(frozen=True)
class HeatCell:
    """One day of the calendar."""

    day: DayCount
    level: int
    """0 for no answers, else 1–4 by the quartile of busy days the count falls in."""


@dataclass(frozen=True)
class Heatmap:
    """A GitHub-style calendar: one column per week (Monday first), seven rows."""

    columns: tuple[tuple[HeatCell | None, ...], ...]
    """``columns[w][d]``: week ``w``, weekday ``d`` (0 Monday); ``None`` outside the range."""
    thresholds: tuple[int, ...]
    """Upper counts of levels 1–3 (level 4 is above the last)."""
    month_row: str
    """Month abbreviations placed over the week in which each month starts, one char a week."""

    @property
    def busiest(self) -> int:
        """The largest daily count shown."""
        return max((c.day.reviews for col in self.columns for c in col if c), default=0)


def _thresholds(counts: Sequence[int]) -> tuple[int, ...]:
    busy = sorted(c for c in counts if c > 0)
    if not busy:
        return (0,) * (LEVELS - 1)
    return tuple(busy[min(len(busy) - 1, (len(busy) * q) // LEVELS)] for q in range(1, LEVELS))


def _level(count: int, thresholds: Sequence[int]) -> int:
    if count <= 0:
        return 0
    return 1 + sum(1 for limit in thresholds if count > limit)


def heatmap(days: Sequence[DayCount], max_weeks: int | None = None) -> Heatmap:
    """Lay consecutive ``days`` (oldest first) out as week columns with heat levels.

    ``max_weeks`` keeps only the latest weeks (a narrow terminal); levels still come from
    every day given.
    """
    if not days:
        return Heatmap(columns=(), thresholds=(0,) * (LEVELS - 1), month_row="")
    thresholds = _thresholds([d.reviews for d in days])
    if max_weeks is not None:
        last_monday = days[-1].day - timedelta(days=days[-1].day.weekday())
        since = last_monday - timedelta(weeks=max(1, max_weeks) - 1)
        days = [d for d in days if d.day >= since]
    first = days[0].day - timedelta(days=days[0].day.weekday())
    weeks = (days[-1].day - first).days // 7 + 1
    grid: list[list[HeatCell | None]] = [[None] * 7 for _ in range(weeks)]
    for d in days:
        offset = (d.day - first).days
        grid[offset // 7][offset % 7] = HeatCell(d, _level(d.reviews, thresholds))
    month_row = [" "] * weeks
    previous_month = None
    for w in range(weeks):
        monday = first + timedelta(weeks=w)
        month = monday.month if w else None
        if month != previous_month and w:
            label = monday.strftime("%b")
            if all(c == " " for c in month_row[w : w + len(label) + 1]):
                month_row[w : w + len(label)] = label
        previous_month = monday.month
    return Heatmap(
        columns=tuple(tuple(column) for column in grid),
        thresholds=thresholds,
        month_row="".join(month_row)[:weeks],
    )


def column_chart(values: Sequence[float], height: int = 4) -> list[str]:
    """Vertical bars, one character per value, ``height`` rows top first (eighth blocks).

    The tallest value fills every row; a non-zero value always shows at least ``▁``.
    """
    top = max(values, default=0)
    rows = [[" "] * len(values) for _ in range(height)]
    if top <= 0:
        return ["".join(row) for row in rows]
    for x, value in enumerate(values):
        eighths = round(value / top * height * 8)
        if value > 0:
            eighths = max(1, eighths)
        for level in range(height):
            fill = min(8, max(0, eighths - level * 8))
            rows[height - 1 - level][x] = BLOCKS[fill]
    return ["".join(row) for row in rows]
