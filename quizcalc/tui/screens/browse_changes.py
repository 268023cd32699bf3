"""What Browse changes: the selection, and suspend, reset and tags acting on it, with undo.

:class:`BrowseChanges` is the browse screen's base: it keeps the selected card keys and runs
each change on the selection (or, with nothing selected, the highlighted card) through one
:class:`~quizcalc.study.service.StudyService` call — one transaction. Every change is
reported in one line and can be taken back with `u` (:class:`LastChange`). The keys are
bound in :class:`~quizcalc.tui.screens.browse.BrowseScreen`'s BINDINGS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from quizcalc.study.errors import StudyError
from quizcalc.study.views import BrowseRow, BulkChange
from quizcalc.tui.modals.confirm import ConfirmModal
from quizcalc.tui.modals.tag_prompt import TagPromptModal
from quizcalc.tui.widgets.browse_table import card_label

if TYPE_CHECKING:
    from quizcalc.study.service import StudyService
    from quizcalc.tui.app import QuizcalcApp

__all__ = ["BrowseChanges", "LastChange", "cards_phrase"]


def cards_phrase(count: int) -> str:
    """``1 card``, ``3 cards``."""
    return f"{count} card{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class LastChange:
    """The last change Browse made, and how to take it back."""

    label: str
    """What it was, for the status line ("u undoes <label>")."""
    undo: Callable[[StudyService], str]
    """Takes the change back (one transaction); returns the line to report."""


class BrowseChanges(Screen[None]):
    """The selection and the changes acting on it (the browse screen derives from this)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[BrowseRow] | None = None
        """The cards on show (``None`` until the first query has come back)."""
        self.selected: set[int] = set()
        """Keys of the selected cards (all among :attr:`rows`)."""
        self.last_change: LastChange | None = None
        """The last change, for `u`."""

    @property
    def quiz_app(self) -> QuizcalcApp:
        """The app, typed."""
        return cast("QuizcalcApp", self.app)

    @property
    def highlighted(self) -> BrowseRow | None:
        """The card under the cursor (the browse screen says which)."""
        raise NotImplementedError

    def refresh_rows(self) -> None:
        """Query the rows on show again after a change (the browse screen does it)."""
        raise NotImplementedError

    def redraw_rows(self) -> None:
        """Redraw the table's rows from :attr:`rows` (the browse screen does it)."""
        raise NotImplementedError

    def targets(self) -> list[BrowseRow]:
        """The cards a change acts on: the selection, else the highlighted card."""
        if self.selected:
            return [r for r in self.rows or [] if r.key in self.selected]
        row = self.highlighted
        return [] if row is None else [row]

    def _subject(self, rows: list[BrowseRow]) -> str:
        if len(rows) == 1:
            label = " ".join(card_label(rows[0]).split())
            return f"“{label if len(label) <= 40 else label[:39] + '…'}”"
        return f"the {cards_phrase(len(rows))} selected"

    # --- selection ----------------------------------------------------------------------

    def action_toggle_selection(self) -> None:
        """Select or unselect the highlighted card, and move down a row."""
        row = self.highlighted
        if row is None:
            return
        self.selected ^= {row.key}
        self.redraw_rows()
        self.move_cursor_down()

    def move_cursor_down(self) -> None:
        """Move to the next row (the browse screen does it)."""
        raise NotImplementedError

    def action_select_all(self) -> None:
        """Select every card the search matches; when all are selected, clear the selection."""
        keys = {r.key for r in self.rows or []}
        self.selected = set() if keys and self.selected == keys else keys
        self.redraw_rows()

    # --- changes ------------------------------------------------------------------------

    def _service(self) -> StudyService | None:
        return self.quiz_app.service

    def _done(self, line: str, change: LastChange | None, *, warn: bool = False) -> None:
        if change is not None:
            self.last_change = change
            line += " · u undoes it"
        self.notify(line, severity="warning" if warn else "information")
        self.refresh_rows()

    def action_toggle_suspend(self) -> None:
        """Suspend the cards acted on; when every one is suspended already, unsuspend them."""
        rows = self.targets()
        service = self._service()
        if not rows or service is None:
            return
        suspend = not all(r.status == "suspended" for r in rows)
        try:
            change = service.suspend_cards([r.key for r in rows], suspend)
        except StudyError as exc:
            self.notify(str(exc), severity="error")
            return
        self._report_suspend(change, suspend)

    def _report_suspend(self, change: BulkChange, suspend: bool) -> None:
        verb = "Suspended" if suspend else "Unsuspended"
        line = f"{verb} {cards_phrase(len(change.changed))}"
        line += ": not served until unsuspended." if suspend else ": back in the queue."
        if change.refused:
            line += " " + "; ".join(change.refused) + "."
        changed = change.changed

        def undo(service: StudyService) -> str:
            service.suspend_cards(changed, not suspend)
            return f"{verb} {cards_phrase(len(changed))}: undone."

        label = f"{'suspending' if suspend else 'unsuspending'} {cards_phrase(len(changed))}"
        self._done(line, LastChange(label, undo) if changed else None, warn=bool(change.refused))

    def action_reset(self) -> None:
        """Reset the cards acted on to new, after asking."""
        rows = self.targets()
        if not rows:
            return
        keys = [r.key for r in rows]

        def answer(yes: bool | None) -> None:
            service = self._service()
            if not yes or service is None:
                return
            try:
                snapshots = service.reset_cards(keys, self.quiz_app.now())
            except StudyError as exc:
                self.notify(str(exc), severity="error")
                return

            def undo(service: StudyService) -> str:
                service.restore_schedules(snapshots)
                return "Reset undone: the old schedules are back."

            label = f"the reset of {cards_phrase(len(snapshots))}"
            self._done(
                f"Reset {cards_phrase(len(snapshots))} to new (history kept).",
                LastChange(label, undo),
            )

        question = (
            f"Reset {self._subject(rows)} to new?\n"
            "Interval, easiness and lapses start over; the review history is kept."
        )
        title = "Reset card" if len(rows) == 1 else f"Reset {cards_phrase(len(rows))}"
        self.app.push_screen(ConfirmModal(title, question, confirm_label="Reset"), answer)

    def action_add_tag(self) -> None:
        """Ask for tags and add them to the cards acted on."""
        self._ask_tags(add=True)

    def action_remove_tag(self) -> None:
        """Ask for tags and remove them from the cards acted on."""
        self._ask_tags(add=False)

    def _ask_tags(self, *, add: bool) -> None:
        rows = self.targets()
        if not rows:
            return
        keys = [r.key for r in rows]
        present = tuple(sorted({t for r in rows for t in r.tags})) if not add else ()

        def apply(typed: str | None) -> None:
            service = self._service()
            if typed is None or service is None:
                return
            try:
                results = service.change_tags(keys, typed, add)
            except StudyError as exc:
                self.notify(str(exc), severity="error")
                return
            self._report_tags(results, add)

        title = "Add tag" if add else "Remove tag"
        where = "to" if add else "from"
        explanation = f"{title} {where} {self._subject(rows)}."
        self.app.push_screen(TagPromptModal(title, explanation, present), apply)

    def _report_tags(self, results: list[tuple[str, BulkChange]], add: bool) -> None:
        parts = []
        for tag, change in results:
            verb = "added to" if add else "removed from"
            part = f"{tag} {verb} {cards_phrase(len(change.changed))}"
            if change.unchanged:
                part += f" ({change.unchanged} {'had it already' if add else 'did not have it'})"
            parts.append(part)
        done = [(tag, change.changed) for tag, change in results if change.changed]

        def undo(service: StudyService) -> str:
            for tag, keys in done:
                service.change_tags(keys, tag, not add)
            return "Tag change undone."

        label = f"the tag change{'s' if len(done) > 1 else ''}"
        self._done("Tag " + "; ".join(parts) + ".", LastChange(label, undo) if done else None)

    def action_undo(self) -> None:
        """Take back the last change."""
        service = self._service()
        change = self.last_change
        if change is None or service is None:
            self.notify("Nothing to undo.", severity="warning")
            return
        self.last_change = None
        try:
            line = change.undo(service)
        except StudyError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(line)
        self.refresh_rows()
