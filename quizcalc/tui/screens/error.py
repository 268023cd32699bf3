"""The screen shown when the study data cannot be opened: what failed, where, and the fix.

A damaged collection with a backup (``what="damaged"``) also offers a button that restores
the newest backup (as ``quizcalc backups restore latest`` does) and then starts normally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from quizcalc.tui.widgets.settled_footer import SettledFooter

if TYPE_CHECKING:
    from quizcalc.tui.app import QuizcalcApp

__all__ = ["StartupErrorScreen"]

_HEADINGS = {
    "config": "Your settings file cannot be used",
    "database": "Your progress database cannot be opened",
    "damaged": "Your progress database is damaged",
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
    """Quitting is the only key here (a damaged collection also has its restore button)."""

    def __init__(self, message: str, *, what: str) -> None:
        super().__init__()
        self.message = message
        """The one-line error: the file and what to do."""
        self.what = what
        """``"config"``, ``"database"``, ``"damaged"`` or ``"unexpected"``."""

    def compose(self) -> ComposeResult:
        """Heading, the message, a reassurance that nothing was changed (and the button)."""
        yield Header()
        with Center(), Vertical(id="error-box"):
            yield Static(_HEADINGS.get(self.what, _HEADINGS["unexpected"]), id="error-title")
            yield Static(self.message, id="error-message", markup=False)
            yield Static(
                "Nothing was changed. Fix the problem above, then start quizcalc again.",
                id="error-hint",
            )
            if self.what == "damaged":
                yield Button("Restore newest backup", id="restore-backup", variant="warning")
        yield SettledFooter()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Restore the newest backup (the damaged file is kept as a backup first)."""
        if event.button.id == "restore-backup":
            event.button.disabled = True
            self.query_one("#error-hint", Static).update("Restoring the newest backup…")
            self.restore_newest()

    @work(thread=True, exclusive=True, exit_on_error=False, group="restore")
    def restore_newest(self) -> None:
        """Put the newest backup in place, then start again as if nothing had happened."""
        from quizcalc.study.errors import StudyError
        from quizcalc.study.snapshots import RESTORE_LATEST, restore_snapshot

        app = cast("QuizcalcApp", self.app)
        try:
            report = restore_snapshot(app.settings.db_url, RESTORE_LATEST, app.now())
        except StudyError as exc:
            self.app.call_from_thread(self._restore_failed, str(exc))
            return
        self.app.call_from_thread(self._restored, report.summary())

    def _restore_failed(self, message: str) -> None:
        self.message = message
        self.query_one("#error-message", Static).update(message)
        self.query_one("#error-hint", Static).update("The backup could not be restored.")

    def _restored(self, summary: str) -> None:
        app = cast("QuizcalcApp", self.app)
        app.startup_error = None
        app.notify(summary, title="Backup restored", markup=False, timeout=12)
        app.pop_screen()
        app.open_service()

    def action_leave(self) -> None:
        """Quit with exit status 1, leaving the message in the terminal."""
        self.app.exit(return_code=1, message=f"quizcalc: {self.message}")
