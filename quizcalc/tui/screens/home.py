"""The home screen: today's counts, the deck list (decks → sections), and the keys to study.

`r` reviews everything; Enter (or a click) on a deck or section reviews just that; `c` opens
custom study (review ahead, today's forgotten cards) for the selected row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Header, Static

from quizcalc.tui.widgets.deck_list import DeckList
from quizcalc.tui.widgets.settled_footer import SettledFooter
from quizcalc.tui.widgets.stat import Stat

if TYPE_CHECKING:
    from quizcalc.study import HomeSummary
    from quizcalc.study.custom_study import CustomStudy
    from quizcalc.study.deck_list import DeckListRow
    from quizcalc.study.drills import FamilyAccuracy
    from quizcalc.study.scope import StudyScope
    from quizcalc.tui.app import QuizcalcApp

__all__ = [
    "HomeScreen",
    "WeakestComputed",
    "describe_day",
    "section_label",
    "weakest_line",
]


def section_label(section: str) -> str:
    """A section path for display: ``a::b`` becomes ``a › b``; top level is ``(no section)``."""
    return " › ".join(part.strip() for part in section.split("::")) if section else "(no section)"


def describe_day(day: date, today: date) -> str:
    """``tomorrow (Fri 27 Nov)``, ``on Mon 30 Nov`` or ``on Tue 5 Jan (in 40 days)``."""
    label = f"{day:%a} {day.day} {day:%b}"
    days = (day - today).days
    if days == 1:
        return f"tomorrow ({label})"
    if days < 7:
        return f"on {label}"
    return f"on {label} (in {days} days)"


def weakest_line(families: Sequence[FamilyAccuracy]) -> Text:
    """``Weakest (30 days): chain_rule 40%, gradient 50%``, and under it how to drill them."""
    from quizcalc.study.drills import RECENT_DAYS

    names = ", ".join(f"{a.family} {a.accuracy:.0%}" for a in families)
    return Text.assemble(
        (f"Weakest ({RECENT_DAYS} days): ", "bold"),
        names,
        ("\nd, then ^w in the drill set-up, drills these", "dim"),
    )


class WeakestComputed(Message):
    """The weakest families, read in a worker (they need the last 30 days of the log)."""

    def __init__(self, families: tuple[FamilyAccuracy, ...]) -> None:
        super().__init__()
        self.families = families
        """Weakest first, as the drill set-up's Weakest selects them."""


class HomeScreen(Screen[None]):
    """Today at a glance: counts per deck/section, streak, totals, and `r` to review."""

    SUB_TITLE = "today"
    """Shown in the header after the app title."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "start_review", "Review", tooltip="Start a review session over today's cards"),
        Binding(
            "enter",
            "review_selected",
            "Study deck",
            show=False,
            priority=True,
            tooltip="Review only the selected deck or section",
        ),
        Binding(
            "c",
            "custom_study",
            "Custom study",
            show=False,
            tooltip="Custom study of the selected row: review ahead, today's forgotten cards",
        ),
        Binding("d", "app.drill_setup", "Drill", tooltip="Set up a drill on problem skills"),
        Binding("s", "app.stats", "Stats", tooltip="Charts and tables of your history"),
        Binding("b", "app.browse", "Browse", tooltip="Search every card; suspend, reset, history"),
        Binding("comma", "app.settings", "Settings", key_display=",", tooltip="Edit the settings"),
        Binding("q", "app.quit", "Quit", tooltip="Quit quizcalc (every answer is already saved)"),
    ]
    """Review everything (`r`) or the selected deck (Enter), custom study (`c`), a drill (`d`),
    the statistics (`s`), browse, settings, and quit."""

    summary: HomeSummary | None = None
    """The counts on screen, once the study data is open."""

    def __init__(self, *, defer_body: bool = False) -> None:
        super().__init__()
        self.defer_body = defer_body
        """Build the stats and table only when first needed (the app starts on a card)."""
        self._body_ready = False
        self._body_building = False

    @property
    def quiz_app(self) -> QuizcalcApp:
        """The app, typed."""
        return cast("QuizcalcApp", self.app)

    def compose(self) -> ComposeResult:
        """Header, stats row, status line, per-section table, footer (unless deferred)."""
        if not self.defer_body:
            yield from self._body()

    def _body(self) -> list[Widget]:
        return [
            Header(),
            Vertical(
                Horizontal(
                    Stat("due today", id="stat-due"),
                    Stat("new today", id="stat-new"),
                    Stat("day streak", id="stat-streak"),
                    Stat("done today", id="stat-reviews"),
                    Stat("cards", id="stat-cards"),
                    id="stats",
                ),
                Static("Opening your study data…", id="status"),
                Static(id="weakest"),
                DeckList(id="deck-list"),
                id="home",
            ),
            SettledFooter(),
        ]

    def on_mount(self) -> None:
        """Set up the table columns."""
        if not self.defer_body:
            self._body_mounted()

    def _body_mounted(self) -> None:
        self._body_ready = True
        self.refresh_summary()  # the data may have been opened before this screen mounted

    async def _build_body(self) -> None:
        await self.mount_all(self._body())
        self._body_mounted()

    def on_screen_resume(self) -> None:
        """Counts change after a session: reload them whenever home comes back."""
        self.refresh_summary()

    def show_sync_progress(self, done: int, total: int) -> None:
        """While the data opens: "Syncing your cards… 12/40 files" in the status line."""
        if self.summary is None and self.query("#status"):
            self.query_one("#status", Static).update(f"Syncing your cards… {done}/{total} files")

    def refresh_summary(self) -> None:
        """Read today's counts from the study service (a quick query) and show them."""
        if not self._body_ready:
            # Deferred: built once there are numbers to show (the first card comes first).
            if self.defer_body and not self._body_building and self.quiz_app.service:
                self._body_building = True
                self.call_later(self._build_body)
            return
        service = self.quiz_app.service
        if service is None:
            return
        summary = service.home(self.quiz_app.now())
        self.summary = summary
        self.query_one("#stat-due", Stat).set_value(summary.due)
        self.query_one("#stat-new", Stat).set_value(summary.new)
        self.query_one("#stat-streak", Stat).set_value(summary.streak_days)
        self.query_one("#stat-reviews", Stat).set_value(summary.reviews_today)
        self.query_one("#stat-cards", Stat).set_value(summary.total_cards)
        self._fill_deck_list()
        status = self.query_one("#status", Static)
        status.set_class(summary.due + summary.new == 0, "-done")
        status.update(self._status_text(summary))
        self.find_weakest()

    @work(thread=True, exclusive=True, exit_on_error=False, group="home-weakest")
    def find_weakest(self) -> None:
        """Rank the weakest families off the UI thread (the drill set-up's ranking); post them."""
        service = self.quiz_app.service
        if service is None:
            return
        from quizcalc.study.drills import rank_weak_families
        from quizcalc.study.errors import StudyError

        try:
            families = rank_weak_families(service, self.quiz_app.now())
        except StudyError:  # the home screen still works without the line
            return
        except Exception as exc:  # a bug: reported, and home works without the line
            from quizcalc.tui.bug_reports import report_bug

            report_bug(self.app, exc, "home screen (ranking the weakest families)")
            return
        self.post_message(WeakestComputed(families))

    def on_weakest_computed(self, message: WeakestComputed) -> None:
        """Name the weakest families and their recent accuracy under the status line
        (hidden when there are none)."""
        line = self.query_one("#weakest", Static)
        line.display = bool(message.families)
        if message.families:
            line.update(weakest_line(message.families))

    def _fill_deck_list(self) -> None:
        """Every deck and its sections with what a session over each would serve today."""
        from quizcalc.study.errors import StudyError

        service = self.quiz_app.service
        if service is None:
            return
        try:
            rows = service.deck_list(self.quiz_app.now())
        except StudyError as exc:
            self.notify(str(exc), title="Deck list not read", severity="error", markup=False)
            return
        self.query_one("#deck-list", DeckList).show_rows(rows)

    def _status_text(self, summary: HomeSummary) -> Text:
        if summary.total_cards == 0:
            return Text.assemble(
                ("No cards yet. ", "bold"),
                f"Add Markdown cards to {self.quiz_app.settings.content} and start again.",
            )
        todo = summary.due + summary.new
        if todo:
            return Text.assemble(
                ("r", "bold reverse"),
                f"  review {_plural(todo, 'card')}",
                f"  ({summary.due} due, {summary.new} new)\n",
                _SCOPE_KEYS,
            )
        service = self.quiz_app.service
        assert service is not None
        text = Text.assemble(("✓ All done for today", "bold"))
        if summary.next_due is None and not summary.unseen:
            return text.append(" — nothing else is scheduled.\n").append(_CUSTOM_STUDY_KEY)
        tomorrow_new = min(summary.unseen, service.config.new_per_day)
        parts = []
        if summary.next_due is not None:
            when = describe_day(summary.next_due, summary.today)
            parts.append(f"{_plural(summary.next_due_count, 'review')} {when}")
        if tomorrow_new:
            parts.append(f"up to {_plural(tomorrow_new, 'new card')} tomorrow")
        return text.append(" — next: " + " and ".join(parts) + ".\n").append(_CUSTOM_STUDY_KEY)

    def action_start_review(self) -> None:
        """Start a session, or say why there is nothing to do."""
        summary = self.summary
        if summary is not None and summary.due + summary.new == 0:
            self.notify("Nothing left to review today. Well done!", timeout=3)
            return
        self.quiz_app.action_start_review()

    def _selected_row(self) -> DeckListRow | None:
        if not self._body_ready:
            return None
        return self.query_one("#deck-list", DeckList).selected

    def action_review_selected(self) -> None:
        """Review only the selected deck or section (everything when there is no list yet)."""
        row = self._selected_row()
        if row is None:
            self.action_start_review()
            return
        if not row.todo:
            self.notify(
                f"Nothing left to review today in {row.scope.label}. "
                "Press c for custom study: review ahead, or today's forgotten cards.",
                timeout=5,
                markup=False,
            )
            return
        self.quiz_app.start_review(row.scope)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """A click on a row reviews it, as Enter does."""
        event.stop()
        self.action_review_selected()

    def action_custom_study(self) -> None:
        """Custom study of the selected deck or section (review ahead, forgotten cards)."""
        if self.quiz_app.service is None:
            self.notify("Still opening your study data…", timeout=2)
            return
        from quizcalc.study.scope import EVERYTHING
        from quizcalc.tui.modals.custom_study import CustomStudyModal

        row = self._selected_row()
        scope = row.scope if row is not None else EVERYTHING
        self.app.push_screen(CustomStudyModal(scope), callback=self._custom_study_chosen)

    def _custom_study_chosen(self, chosen: tuple[StudyScope, CustomStudy | None] | None) -> None:
        if chosen is not None:
            self.quiz_app.start_review(*chosen)


_SCOPE_KEYS = Text.assemble(
    ("Enter", "bold reverse"),
    " review the selected deck or section  ",
    ("c", "bold reverse"),
    " custom study",
    style="dim",
)
"""The status line's second line: the keys that study one deck or section."""

_CUSTOM_STUDY_KEY = Text.assemble(
    ("c", "bold reverse"),
    " custom study: review ahead, or today's forgotten cards",
    style="dim",
)
"""The status line's second line once the day is done: what can still be studied."""


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
