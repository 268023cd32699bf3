"""The in-app card editor (`e` on a card that has no Markdown file: an Anki import).

One text area per field of the card's note (an Anki note's fields, as Markdown), or its
question and answer (a card from an Anki text file). ctrl+s hands the fields to ``save``,
which writes them through the study service and says whether that worked: the editor closes
only once they are saved, so nothing typed is lost to an error. Escape with unsaved changes
asks for a second Escape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from quizcalc.tui.widgets.settled_footer import SettledFooter

if TYPE_CHECKING:
    from quizcalc.study.card_editing import EditTarget

__all__ = ["CardEditorModal"]


class CardEditorModal(ModalScreen[bool]):
    """Edit a card's fields in place; dismisses with ``True`` once saved, ``False`` if not."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="Save the card and close"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving (twice if edited)"),
    ]
    """ctrl+s saves, Escape cancels."""

    def __init__(self, target: EditTarget, save: Callable[[list[str]], bool]) -> None:
        super().__init__()
        self.target = target
        """The card and its fields as they were."""
        self._save = save
        self._discard_armed = False

    def compose(self) -> ComposeResult:
        """A label and a text area per field."""
        t = self.target
        with Vertical(id="editor-box") as box:
            title = f"Edit {t.card_id}"
            box.border_title = f"{title} · {t.note_type}" if t.note_type else title
            with VerticalScroll(id="editor-fields"):
                for index, (name, value) in enumerate(zip(t.field_names, t.fields, strict=True)):
                    yield Label(name, classes="editor-label")
                    yield TextArea(
                        value, id=f"field-{index}", classes="editor-field", soft_wrap=True
                    )
        yield SettledFooter()

    def on_mount(self) -> None:
        """Start in the first field."""
        self.query_one("#field-0", TextArea).focus()

    def fields(self) -> list[str]:
        """The fields as typed now."""
        return [area.text for area in self.query(".editor-field").results(TextArea)]

    def action_save(self) -> None:
        """Save through the study service; stay open if that fails (its toast says why)."""
        if self._save(self.fields()):
            self.dismiss(True)

    def action_cancel(self) -> None:
        """Close; with unsaved changes, only on the second Escape."""
        if self.fields() == [value for value in self.target.fields] or self._discard_armed:
            self.dismiss(False)
            return
        self._discard_armed = True
        self.notify(
            "Unsaved changes: Esc again discards them, ctrl+s saves.",
            title="Not saved",
            severity="warning",
            timeout=4,
        )
