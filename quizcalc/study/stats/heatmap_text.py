"""The calendar heatmap as rich ``Text``: shared by ``quizcalc stats`` and the statistics screen.

The grid itself (weeks, levels, month row) is plain data from
:func:`quizcalc.study.stats.heatmap`; this module only lays it out and colours it. rich is
the drawing library of both the CLI and Textual, so nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from quizcalc.study.stats.charts import Heatmap

__all__ = ["HEAT_GLYPHS", "heatmap_text"]

HEAT_GLYPHS = "·░▒▓█"
"""One glyph per level, empty to busiest."""
WEEKDAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
"""Row labels, Monday on top (every other day, as GitHub does)."""


def heatmap_text(grid: Heatmap, styles: Sequence[str], legend: str) -> Text:
    """``grid`` drawn a column a week, with a ``less … more`` key followed by ``legend``.

    ``styles`` gives the rich style of each level (five, empty first).
    """
    out = Text("    " + grid.month_row.rstrip() + "\n", style="dim")
    for weekday, label in enumerate(WEEKDAY_LABELS):
        out.append(f"{label:<4}", style="dim")
        for column in grid.columns:
            cell = column[weekday]
            if cell is None:
                out.append(" ")
            else:
                out.append(HEAT_GLYPHS[cell.level], style=styles[cell.level])
        out.append("\n")
    out.append("    less ", style="dim")
    for glyph, style in zip(HEAT_GLYPHS, styles, strict=True):
        out.append(glyph, style=style)
    out.append(f" more{legend}", style="dim")
    return out
