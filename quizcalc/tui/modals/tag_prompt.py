"""Ask for the tags to add to (or remove from) the cards Browse acts on.

Enter applies, Escape cancels. The modal shows how many cards the change is for and, when
removing, the tags those cards have, so the learner need not remember their spelling.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

__all__ = ["TagPromptModal"]


class TagPromptModal(ModalScreen[str | None]):
    """Dismisses with the typed tags (one or more, separated by spaces) or ``None``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
    ]
    """Escape cancels; Enter (in the box) applies."""

    def __init__(self, title: str, explanation: str, present: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.title_text = title
        """The box's border title (``Add tag`` or ``Remove tag``)."""
        self.explanation = explanation
        """One line: what the tags will be applied to."""
        self.present = present
        """The tags the cards have (shown as a reminder when removing)."""

    def compose(self) -> ComposeResult:
        """The explanation, the cards' tags (if given) and the input box."""
        with Vertical(id="tag-box") as box:
            box.border_title = self.title_text
            yield Static(Text(self.explanation), id="tag-explanation")
            if self.present:
                yield Static(
                    Text.assemble(("Their tags: ", "bold"), (" ".join(self.present), "cyan")),
                    id="tag-present",
                )
            yield Input(placeholder="tag (several: separate with spaces)", id="tag-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter applies the tags typed (a blank box is the same as cancelling)."""
        event.stop()
        self.dismiss(event.value if event.value.strip() else None)

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
