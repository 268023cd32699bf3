"""The end-of-session modal: cards, answers, accuracy, time, relearned; it returns to home."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from quizcalc.tui.widgets.settled_footer import SettledFooter

if TYPE_CHECKING:
    from quizcalc.study import SessionSummary

__all__ = ["SummaryChoice", "SummaryModal", "format_duration"]

SummaryChoice = Literal["home", "undo"]
"""What the learner chose on the summary: go home, or take back the last answer."""


def format_duration(seconds: float) -> str:
    """``42 s``, ``3 min 05 s`` or ``1 h 02 min``."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class SummaryModal(ModalScreen[SummaryChoice]):
    """What this session did; dismisses with ``"home"`` (enter, escape, q) or ``"undo"`` (u)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss('home')", "Back to home"),
        Binding("q", "dismiss('home')", "Back to home", show=False),
        Binding("u", "dismiss('undo')", "Undo last answer", tooltip="Take back the last grade"),
    ]
    """Escape or `q` goes home (Enter presses the focused button); `u` undoes the last grade."""

    def __init__(
        self, summary: SessionSummary, *, done: bool, left: int = 0, studied: str | None = None
    ) -> None:
        super().__init__()
        self.summary = summary
        """The numbers shown."""
        self.done = done
        """True when today's queue is empty (the session ended by itself)."""
        self.left = left
        """Cards still waiting today when the session was ended early."""
        self.studied = studied
        """What a session over one deck, section or custom study covered (``None``: the
        whole of today's queue)."""

    def compose(self) -> ComposeResult:
        """Heading, the figures, and one button."""
        s = self.summary
        if self.done:
            heading = "✓ Done for today"
            if s.answers:
                note = "Today's queue is empty. Come back tomorrow."
            else:
                note = "Nothing was due. Come back tomorrow."
        else:
            heading = "Session summary"
            note = f"{self.left} card{'' if self.left == 1 else 's'} still waiting today."
        if self.studied is not None:
            heading = "✓ Done" if self.done else heading
            waiting = "nothing left" if self.done else f"{self.left} left"
            note = f"{self.studied}: {waiting}. r on the home screen reviews everything."
        figures = Table.grid(padding=(0, 2))
        figures.add_column(justify="right", style="bold")
        figures.add_column()
        figures.add_row(str(s.distinct_cards), "cards")
        figures.add_row(str(s.answers), "answers")
        figures.add_row(f"{s.accuracy:.0%}" if s.answers else "–", "accuracy (graded 3 or more)")
        figures.add_row(format_duration(s.seconds), "time")
        figures.add_row(str(s.relearned), "relearned (asked again today)")
        with Vertical(id="summary-box") as box:
            box.border_title = heading
            yield Static(Text(note), id="summary-note")
            yield Static(figures, id="summary-figures")
            yield Button("Back to home", id="summary-home", variant="primary")
        yield SettledFooter()

    def on_mount(self) -> None:
        """Enter presses the button."""
        self.query_one("#summary-home", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`u` only when there is an answer to take back."""
        if action == "dismiss" and parameters == ("undo",):
            return self.summary.answers > 0
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The only button goes home."""
        event.stop()
        self.dismiss("home")
