"""A yes/no question in a small modal: ``y``/Enter confirms, ``n``/Escape cancels."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

__all__ = ["ConfirmModal"]


class ConfirmModal(ModalScreen[bool]):
    """Asks ``question``; dismisses with ``True`` (confirm) or ``False`` (cancel)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "Cancel", show=False),
        Binding("q", "answer(False)", "Cancel", show=False),
    ]
    """`y` confirms; `n` or Escape cancels (Enter presses the focused button: Cancel)."""

    def __init__(self, title: str, question: str, *, confirm_label: str = "Yes") -> None:
        super().__init__()
        self.title_text = title
        """The box's border title."""
        self.question = question
        """What is being asked, in a sentence or two."""
        self.confirm_label = confirm_label
        """The label of the confirming button."""

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(id="confirm-box") as box:
            box.border_title = self.title_text
            yield Static(Text(self.question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel", id="confirm-no")
                yield Button(self.confirm_label, id="confirm-yes", variant="warning")

    def on_mount(self) -> None:
        """The safe choice has the focus."""
        self.query_one("#confirm-no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Either button closes the modal."""
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")
