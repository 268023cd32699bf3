"""The screen shown when the study data cannot be opened: what failed, where, and the fix."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

__all__ = ["StartupErrorScreen"]

_HEADINGS = {
    "config": "Your settings file cannot be used",
    "database": "Your progress database cannot be opened",
    "unexpected": "quizcalc could not start",
}


class StartupErrorScreen(Screen[None]):
    """Replaces everything when the database or the config is unusable; `q` quits."""

    SUB_TITLE = "cannot start"
    """Shown in the header after the app title."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "leave", "Quit", tooltip="Quit; the message is printed again in the shell"),
        Binding("escape", "leave", "Quit", show=False),
    ]
    """Quitting is the only thing to do here."""

    def __init__(self, message: str, *, what: str) -> None:
        super().__init__()
        self.message = message
        """The one-line error: the file and what to do."""
        self.what = what
        """``"config"``, ``"database"`` or ``"unexpected"``."""

    def compose(self) -> ComposeResult:
        """Heading, the message, and a reassurance that nothing was changed."""
        yield Header()
        with Center(), Vertical(id="error-box"):
            yield Static(_HEADINGS.get(self.what, _HEADINGS["unexpected"]), id="error-title")
            yield Static(self.message, id="error-message", markup=False)
            yield Static(
                "Nothing was changed. Fix the problem above, then start quizcalc again.",
                id="error-hint",
            )
        yield Footer()

    def action_leave(self) -> None:
        """Quit with exit status 1, leaving the message in the terminal."""
        self.app.exit(return_code=1, message=f"quizcalc: {self.message}")
