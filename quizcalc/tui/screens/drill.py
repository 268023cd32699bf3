"""The drill screen: a set of generated problems, one after another, with a bar and a timer.

Each problem runs through the review's :class:`~quizcalc.tui.widgets.problem_panel.ProblemPanel`
(fresh instance in a worker, live echo, verdict, worked solution). A finished problem is
committed at once with :meth:`DrillSession.record`; Enter then draws the next one. A problem
whose generator fails says so in the panel, and Enter skips it (:meth:`DrillSession.skip`:
not logged, not counted as wrong; the summary lists it). When the last one is recorded,
the time runs out or the learner presses `q`, the drill summary modal shows the report.
Time comes from the app's injectable monotonic ``clock``: the drill's ``now`` is its start
plus the clock's elapsed seconds, so tests with a fake clock are exact.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, ProgressBar, Static

from quizcalc.tui.modals.drill_summary import DrillChoice, DrillSummaryModal
from quizcalc.tui.modals.help import PROBLEM_PREFIX as P
from quizcalc.tui.widgets.problem_messages import PhaseChanged
from quizcalc.tui.widgets.problem_panel import GIVE_UP_KEYS, ProblemPanel
from quizcalc.tui.widgets.settled_footer import SettledFooter

if TYPE_CHECKING:
    from quizcalc.study.drills import DrillSession, DrillSummary
    from quizcalc.tui.app import QuizcalcApp

__all__ = ["DrillScreen", "format_clock"]


_SKIP_ADVICE = (
    "Press Enter to skip it: it is not counted as wrong and nothing is saved for it. "
    "Please report the error."
)
"""What the drill's panel says to do about a problem that could not be generated."""


def format_clock(seconds: float) -> str:
    """``4:05`` (minutes:seconds) or ``1:02:03`` past an hour."""
    whole = int(seconds)
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}:{secs:02d}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


class DrillScreen(Screen[None]):
    """One drill: progress bar, timer, score, and the problem panel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "next",
            "Next",
            tooltip="Drill: the next problem (or the summary); skips one that cannot be generated",
        ),
        Binding("enter", "type_answer", "Answer", tooltip=f"{P}Back into the answer box"),
        *(
            Binding(key, "hint", "Hint", show=show, tooltip=f"{P}Show the next hint")
            for key, show in (("ctrl+n", True), ("h", False))
        ),
        *(
            Binding(key, "give_up", "Give up", show=show, tooltip=f"{P}Give up; asks first")
            for key, show in zip(GIVE_UP_KEYS, (True, False), strict=True)
        ),
        Binding("escape", "leave_answer", "Leave box", tooltip="Leave the box, for letter keys"),
        Binding("u", "undo", "Undo", tooltip="Take back the last answer and answer it again"),
        Binding("q", "end_drill", "End drill", tooltip="Stop now and see the drill's summary"),
        # Outside the answer box Escape leaves the screen, as everywhere.
        Binding(
            "escape",
            "end_drill",
            "End drill",
            show=False,
            tooltip="Stop now and see the drill's summary",
        ),
    ]
    """Problem keys as in a review; Enter moves on once a problem is done (or skips one that
    could not be generated), `u` takes the last answer back, `q` ends early."""
    HELP_TITLE = "drill"
    """The help modal's title."""

    def __init__(self, session: DrillSession) -> None:
        super().__init__()
        self.session = session
        """The drill being run (it commits each answer)."""
        self.summary: DrillSummary | None = None
        """The report, once the drill is over."""
        self._t0 = 0.0
        self._recorded = False
        self._failed = False
        self._ticker: Timer | None = None

    @property
    def quiz_app(self) -> QuizcalcApp:
        """The app, typed."""
        return cast("QuizcalcApp", self.app)

    @property
    def panel(self) -> ProblemPanel:
        """Where each problem is answered."""
        return self.query_one("#drill-problem", ProblemPanel)

    @property
    def over(self) -> bool:
        """The drill has ended (its summary is up or was shown)."""
        return self.summary is not None

    def now(self) -> datetime:
        """The drill's clock: its start plus the monotonic seconds since the screen opened."""
        elapsed = max(0.0, self.quiz_app.clock() - self._t0)
        return self.session.started_at + timedelta(seconds=elapsed)

    def compose(self) -> ComposeResult:
        """Header, status row (bar, timer, score), the problem, a next-key line, footer."""
        yield Header()
        with Vertical(id="drill"):
            with Horizontal(id="drill-status"):
                yield Static(id="drill-count")
                yield ProgressBar(show_eta=False, show_percentage=False, id="drill-progress")
                yield Static(id="drill-timer")
                yield Static(id="drill-score")
            with VerticalScroll(id="drill-card"):
                yield ProblemPanel(
                    self.quiz_app.clock, failure_advice=_SKIP_ADVICE, id="drill-problem"
                )
            yield Static(id="drill-next")
        yield SettledFooter()

    async def on_mount(self) -> None:
        """Start the clock and the first problem."""
        self.sub_title = f"drill · {self.session.spec.label}"
        self._t0 = self.quiz_app.clock()
        self._ticker = self.set_interval(1.0, self.tick, name="drill-timer")
        self._update_status()
        await self._show_current()

    # --- the flow ----------------------------------------------------------------------

    async def _show_current(self) -> None:
        item = self.session.current
        if item is None or self.session.time_up(self.now()):
            self.end()
            return
        self._recorded = False
        self._failed = False
        self.query_one("#drill-next", Static).update("")
        self.query_one("#drill-card", VerticalScroll).scroll_home(animate=False)
        await self.panel.start(item, self.session.draw)
        self._update_status()

    def on_phase_changed(self, message: PhaseChanged) -> None:
        """A finished problem is committed at once; then Enter moves on (or skips a problem
        that could not be generated)."""
        message.stop()
        panel = self.panel
        if panel.phase == "failed" and not self.over:
            self._failed = True
            last = self.session.on_last
            self.query_one("#drill-next", Static).update(
                Text.assemble(
                    ("⏎", "bold reverse"),
                    " skip it and see the summary" if last else " skip to the next problem",
                    ("   (not counted)", "dim"),
                )
            )
            self.query_one("#drill-card", VerticalScroll).focus()
            self.refresh_bindings()
            return
        attempt = panel.attempt
        finished = panel.phase == "finished" and attempt is not None
        if finished and attempt is not None and not self._recorded and not self.over:
            self.session.record(attempt, self.now())
            self._recorded = True
            last = self.session.finished(self.now())
            self.query_one("#drill-next", Static).update(
                Text.assemble(
                    ("⏎", "bold reverse"),
                    " see the summary" if last else " next problem",
                    ("   (saved)", "dim"),
                )
            )
            self.query_one("#drill-card", VerticalScroll).focus()
            self.call_after_refresh(self._scroll_to_verdict)
            self._update_status()
        self.refresh_bindings()

    def _scroll_to_verdict(self) -> None:
        if self.panel.phase == "finished":
            self.query_one("#verdict-panel").scroll_visible(top=True, animate=False)

    def tick(self) -> None:
        """Every second: the timer; the end when the time limit has passed."""
        if self.over:
            return
        self._update_status()
        if self.session.time_up(self.now()):
            self.end()

    def _update_status(self) -> None:
        progress = self.session.progress(self.now())
        bar = self.query_one("#drill-progress", ProgressBar)
        if progress.total is not None:
            bar.update(total=progress.total, progress=progress.done)
            count = f"{progress.done}/{progress.total}"
        else:
            bar.update(total=100, progress=round(100 * progress.fraction))
            count = f"{progress.done} done"
        self.query_one("#drill-count", Static).update(count)
        if progress.remaining_seconds is not None:
            timer = Text(f"⏳ {format_clock(progress.remaining_seconds)} left")
            if progress.remaining_seconds < 30:
                timer.stylize("bold")
        else:
            timer = Text(f"⏱ {format_clock(progress.elapsed_seconds)}")
        self.query_one("#drill-timer", Static).update(timer)
        self.query_one("#drill-score", Static).update(f"✓ {progress.correct}")

    def end(self) -> None:
        """Stop the drill (an unfinished problem is not recorded) and show its summary."""
        if self.over:
            return
        if self._ticker is not None:
            self._ticker.stop()
        self.summary = self.session.summary(self.now())
        self._update_status()
        self.refresh_bindings()
        self.app.push_screen(DrillSummaryModal(self.summary), self._after_summary)

    async def _after_summary(self, choice: DrillChoice | None) -> None:
        summary = self.summary
        if choice == "repeat" and summary is not None:
            spec = replace(summary.spec, seed=summary.seed)
            self.quiz_app.start_drill(spec)
            return
        if self.app.screen is self:
            self.app.pop_screen()

    # --- keys ----------------------------------------------------------------------------

    def _typing(self) -> bool:
        focused = self.focused
        return isinstance(focused, Input) and focused.id == "problem-answer"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys follow the problem's phase (answering, finished) and the box's focus."""
        if not self.is_mounted or not self.query("#drill-problem"):
            return True
        panel = self.panel
        if action == "next":
            return (self._recorded or self._failed) and not self.over
        if action == "type_answer":
            return panel.answering and not self._typing()
        if action in ("hint", "give_up"):
            return panel.answering
        if action == "leave_answer":
            return self._typing()
        if action == "undo":
            return self.session.done > 0 and not self.over
        return True

    def on_descendant_focus(self) -> None:
        """Which keys apply depends on whether the answer box has focus."""
        self.refresh_bindings()

    async def action_next(self) -> None:
        """The next problem, or the summary when the drill is done; a problem that could not
        be generated is skipped (not logged, not counted as wrong)."""
        if self.over or not (self._recorded or self._failed):
            return
        if self._failed:
            self._failed = False
            self.session.skip("generator error")
            self._update_status()
        if self.session.finished(self.now()):
            self.end()
            return
        await self._show_current()

    def action_type_answer(self) -> None:
        """Back into the answer box."""
        self.panel.answer_box.focus()

    def action_hint(self) -> None:
        """Show the problem's next hint."""
        self.panel.show_hint()

    def action_give_up(self) -> None:
        """Ask once, then show the worked solution (the problem counts as not solved)."""
        from quizcalc.tui.modals.give_up import GiveUpModal

        self.app.push_screen(GiveUpModal(), self._give_up_answered)

    async def _give_up_answered(self, yes: bool | None) -> None:
        if yes and not self.over:
            await self.panel.give_up()

    def action_leave_answer(self) -> None:
        """Leave the answer box, so the letter keys work."""
        self.query_one("#drill-card", VerticalScroll).focus()

    async def action_undo(self) -> None:
        """Take back the last recorded answer (its log row goes) and show that problem again,
        the same instance, to be answered afresh."""
        if self.over or self.session.undo() is None:
            return
        self.notify("Last answer taken back: answer it again.", timeout=3)
        await self._show_current()

    def action_end_drill(self) -> None:
        """End now: what is recorded stays; the summary shows it."""
        self.end()
