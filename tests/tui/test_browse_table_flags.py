"""Browse's card column shows Anki's flag as a coloured ⚑ before the question."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from quizcalc.study.views import BrowseRow
from quizcalc.tui.widgets.browse_table import NARROW, cell
from quizcalc.tui.widgets.flag_marker import FLAG_COLOURS

TODAY = date(2026, 12, 7)


def _row(flag: int) -> BrowseRow:
    return BrowseRow(
        key=1,
        card_id="c",
        deck="Calculus",
        section="",
        kind="basic",
        question="What is a gradient?",
        status="active",
        due=None,
        interval=0,
        easiness=2.5,
        lapses=0,
        reviews=0,
        leech=False,
        flag=flag,
    )


def test_a_flagged_card_shows_its_flag_in_its_colour_and_an_unflagged_one_none() -> None:
    card = next(column for column in NARROW if column.key == "card")
    flagged = cell(card, 30, _row(3), TODAY, selected=False)
    assert isinstance(flagged, Text)
    assert flagged.plain == "⚑ What is a gradient?"
    assert any(FLAG_COLOURS[3] in str(span.style) for span in flagged.spans)
    plain = cell(card, 30, _row(0), TODAY, selected=False)
    assert isinstance(plain, Text) and plain.plain == "What is a gradient?"
    narrow = cell(card, 12, _row(3), TODAY, selected=False)
    assert isinstance(narrow, Text) and len(narrow.plain) == 12 and narrow.plain.endswith("…")
