"""The end-of-drill modal: score, time per problem, slipped skills, misconceptions, the seed."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from quizcalc.tui.modals.summary import format_duration
from quizcalc.tui.widgets.settled_footer import SettledFooter

if TYPE_CHECKING:
    from quizcalc.study.drills import DrillSummary

__all__ = ["DrillChoice", "DrillSummaryModal", "summary_renderable"]

DrillChoice = Literal["home", "repeat"]
"""What the learner chose after a drill: go home, or run the same set again (same seed)."""


def summary_renderable(summary: DrillSummary) -> Group:
    """The drill's report as rich text: figures, times, slipped skills, misconceptions."""
    figures = Table.grid(padding=(0, 2))
    figures.add_column(justify="right", style="bold")
    figures.add_column()
    figures.add_row(
        f"{summary.score}", f"solved ({summary.percent}%)" if summary.answers else "solved"
    )
    for count, reason in summary.skip_reasons:
        figures.add_row(str(count), f"skipped: {reason} (not counted)")
    if summary.not_reached:
        figures.add_row(str(summary.not_reached), "not reached")
    figures.add_row(
        format_duration(summary.seconds), "time" + (" (time up)" if summary.time_up else "")
    )
    median = summary.median_seconds
    figures.add_row("–" if median is None else format_duration(median), "median per problem")
    figures.add_row(str(summary.seed), "seed (r repeats this set)")
    parts: list[Table | Text] = [figures]
    if summary.times:
        times = " · ".join(
            f"{'✓' if a.correct else '✗'}{format_duration(a.seconds)}" for a in summary.answers
        )
        parts.append(Text.assemble(("\nPer problem: ", "bold"), times))
    slipped = [f for f in summary.families if f.slipped]
    if slipped:
        parts.append(Text("\nSlipped", style="bold"))
        for family in slipped:
            before = (
                ""
                if family.recent_accuracy is None
                else f" (30 days before: {family.recent_accuracy:.0%})"
            )
            parts.append(Text(f"  {family.title}: {family.correct}/{family.answered}{before}"))
    elif summary.answers:
        parts.append(Text("\nNo skill slipped.", style="bold"))
    if summary.misconceptions:
        parts.append(Text("\nMisconceptions", style="bold"))
        for item in summary.misconceptions:
            parts.append(
                Text.assemble(
                    (f"  {item.tag} ×{item.count}", "bold"),
                    f": {item.message}" if item.message else "",
                )
            )
    return Group(*parts)


class DrillSummaryModal(ModalScreen[DrillChoice]):
    """How the drill went; dismisses with ``"home"`` (escape, q, h) or ``"repeat"`` (r)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss('home')", "Home", tooltip="Back to the home screen"),
        Binding("q", "dismiss('home')", "Home", show=False),
        Binding("h", "dismiss('home')", "Home", show=False),
        Binding("r", "dismiss('repeat')", "Repeat", tooltip="Run the same set again (same seed)"),
    ]
    """Escape/`q`/`h` go home; `r` repeats the drill with the same seed."""

    def __init__(self, summary: DrillSummary) -> None:
        super().__init__()
        self.summary = summary
        """The report shown."""

    def compose(self) -> ComposeResult:
        """The report, then Home and Repeat buttons."""
        with VerticalScroll(id="drill-summary-box") as box:
            box.border_title = "✓ Drill over" if not self.summary.time_up else "⏱ Time is up"
            box.border_subtitle = self.summary.spec.label
            yield Static(summary_renderable(self.summary), id="drill-summary-body")
            with Horizontal(id="drill-summary-buttons"):
                yield Button("Home", id="drill-summary-home", variant="primary")
                yield Button("Repeat (same seed)", id="drill-summary-repeat")
        yield SettledFooter()

    def on_mount(self) -> None:
        """Enter presses Home."""
        self.query_one("#drill-summary-home", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Home or Repeat."""
        event.stop()
        self.dismiss("repeat" if event.button.id == "drill-summary-repeat" else "home")
