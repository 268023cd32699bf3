"""A big number with a caption under it: the home screen's due, new, streak and totals."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label

__all__ = ["Stat"]


class Stat(Vertical):
    """One big number with a caption under it (due, new, streak, ...)."""

    def __init__(self, caption: str, *, id: str) -> None:
        super().__init__(id=id, classes="stat")
        self.caption = caption
        """The words under the number."""

    def compose(self) -> ComposeResult:
        """The number (a dash until known) over its caption."""
        yield Label("–", classes="stat-value")
        yield Label(self.caption, classes="stat-caption")

    def set_value(self, value: int | str) -> None:
        """Show ``value`` above the caption."""
        self.query_one(".stat-value", Label).update(str(value))
