"""Anki's flag colours, as a coloured ``⚑ red`` marker (review header, card info, picker)."""

from __future__ import annotations

from rich.text import Text

from quizcalc.study.card_marks import FLAG_NAMES

__all__ = ["FLAG_COLOURS", "flag_text"]

FLAG_COLOURS = ("", "#e5484d", "#f76b15", "#30a46c", "#0090ff", "#e93d82", "#12a594", "#8e4ec6")
"""The colour of each flag 1–7 (index 0: no flag), close to Anki's own."""


def flag_text(flag: int) -> Text:
    """``⚑ red`` in red (empty for no flag, or a number outside 1–7)."""
    if not 0 < flag < len(FLAG_NAMES):
        return Text()
    return Text(f"⚑ {FLAG_NAMES[flag]}", style=f"bold {FLAG_COLOURS[flag]}")
