"""Browse's search box: Escape clears it, and on an empty box leaves it (the screen stays)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

__all__ = ["SearchBox"]

PLACEHOLDER = 'Search: words "a phrase" tag: deck: section: family: is:due -term'
"""What the empty box says (the syntax, in short)."""


class SearchBox(Input):
    """An Input whose Escape means "clear the search, then leave the box", never "leave Browse"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave_search", "Clear/leave search"),
    ]
    """Escape: clear the text if any, else give the focus back to the table."""

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(value, placeholder=PLACEHOLDER, id=id)

    def action_leave_search(self) -> None:
        """Clear the box; when it is already empty, focus the next widget (the table)."""
        if self.value:
            self.value = ""
        else:
            self.screen.focus_next("DataTable")
