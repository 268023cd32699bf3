"""Asks for a file or folder path (export to, import from): Enter or ctrl+s goes, Esc cancels."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from quizcalc.tui.widgets.settled_footer import SettledFooter

__all__ = ["PathPrompt"]


class PathPrompt(ModalScreen[Path | None]):
    """A one-line path box with a sentence saying what it is for; dismisses with the path
    (``~`` expanded) or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "go", "Go", tooltip="Use this path (Enter does the same)"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without doing anything"),
    ]
    """ctrl+s (or Enter) submits, as every form; Escape cancels (the box is all there is)."""

    def __init__(self, title: str, about: str, *, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        """The box's border title ("Export cards")."""
        self.about = about
        """What the path is for and which formats work."""
        self.placeholder = placeholder
        """An example path shown in the empty box."""

    def compose(self) -> ComposeResult:
        """The sentence, the box and a line for what is wrong with the path typed."""
        with Vertical(id="path-box") as box:
            box.border_title = self.title_text
            yield Static(Text(self.about), id="path-about")
            yield Input(placeholder=self.placeholder, id="path-input")
            yield Static(id="path-error")
        yield SettledFooter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the box: the same as ctrl+s."""
        event.stop()
        self.action_go()

    def action_go(self) -> None:
        """Close with the path typed, or say that one is needed."""
        typed = self.query_one("#path-input", Input).value.strip()
        if not typed:
            self.query_one("#path-error", Static).update("Type a path first (or Esc to cancel).")
            return
        self.dismiss(Path(typed).expanduser())

    def action_cancel(self) -> None:
        """Close without a path."""
        self.dismiss(None)
