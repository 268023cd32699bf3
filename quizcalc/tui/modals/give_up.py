"""The one question before a problem is given up: "Show the worked solution?"

Giving up ends the attempt for good (its grade is then 0–2), so the key asks once; pressing
it again, or `y`, confirms, and `n`, Escape or Enter (on Cancel) keep trying.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from quizcalc.tui.modals.confirm import ConfirmModal
from quizcalc.tui.widgets.problem_panel import GIVE_UP_KEYS

__all__ = ["GiveUpModal"]

_QUESTION = (
    "Stop trying and show the worked solution? This problem then counts as not solved "
    "(a grade of 0–2)."
)


class GiveUpModal(ConfirmModal):
    """Asks before giving up a problem; the give-up key pressed again confirms."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(",".join(GIVE_UP_KEYS), "answer(True)", "Give up", key_display="^g"),
    ]
    """The give-up key again says yes (besides `y`; `n` and Escape say no)."""

    def __init__(self) -> None:
        super().__init__("Give up?", _QUESTION, confirm_label="Show the solution")
