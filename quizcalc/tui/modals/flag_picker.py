"""The flag picker (`f` in review): a digit sets one of Anki's seven flags, 0 removes it.

Anki's own keys (ctrl+1 … ctrl+7) do not reach the application in most terminals, so `f`
then a digit does the same. The modal dismisses with the flag chosen, or ``None`` (Escape).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from quizcalc.study.card_marks import FLAG_NAMES
from quizcalc.tui.widgets.flag_marker import flag_text

__all__ = ["FlagPickerModal"]


class FlagPickerModal(ModalScreen[int | None]):
    """Seven coloured flags and "remove", each under its digit; Escape leaves it as it was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(n), f"dismiss({n})", FLAG_NAMES[n], show=False, tooltip=f"Flag {n}")
            for n in range(1, len(FLAG_NAMES))
        ),
        Binding("0", "dismiss(0)", "Remove flag", show=False, tooltip="Remove the flag"),
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Leave the flag as it is"),
    ]
    """1–7 flag the card, 0 removes its flag, Escape cancels."""

    def __init__(self, current: int) -> None:
        super().__init__()
        self.current = current
        """The card's flag now (0: none)."""

    def compose(self) -> ComposeResult:
        """One line per flag, the current one marked."""
        with Vertical(id="flag-box") as box:
            box.border_title = "Flag the card"
            box.border_subtitle = "Esc cancels"
            yield Static(self._lines(), id="flag-list")

    def _lines(self) -> Text:
        text = Text()
        for n in (*range(1, len(FLAG_NAMES)), 0):
            text.append(f"{n} ", style="bold")
            text.append_text(flag_text(n) if n else Text("remove the flag"))
            if n and n == self.current:
                text.append("  (now)", style="dim")
            text.append("\n")
        text.rstrip()
        return text
