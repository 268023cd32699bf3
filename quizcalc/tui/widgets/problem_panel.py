"""A problem card under review: a fresh instance, an answer box with a live echo, the verdict.

The flow of one instance, as ``phase``: ``drawing`` (a worker draws it) → ``answering`` (the
box has focus; every change is read in a worker and echoed as "read as: …"; Enter grades in a
worker with :func:`quizcalc.grading.grade_isolated`; a wrong answer may be edited and tried
again) ⇄ ``checking`` → ``finished`` (right, or given up: verdict, worked solution, and for
optimiser families the trajectory plot). The review screen then commits the grade.

SymPy is imported by the generators and the grader, so every call into them runs in a thread
worker; after the first instance is on screen, :meth:`ProblemPanel.warm_up` imports SymPy and
starts the grading process in the background, so the first Enter is answered at once.

What is on screen is drawn by the base class,
:class:`~quizcalc.tui.widgets.problem_view.ProblemView`; this module decides what to show when.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual import on, work
from textual.timer import Timer
from textual.widgets import Input, Static

from quizcalc.tui.bug_reports import reports_bugs
from quizcalc.tui.widgets.problem_messages import (
    AnswerGraded,
    AnswerRead,
    PhaseChanged,
    ProblemDrawFailed,
    ProblemDrawn,
    ShownProblem,
)
from quizcalc.tui.widgets.problem_text import read_as
from quizcalc.tui.widgets.problem_view import ProblemView

if TYPE_CHECKING:
    from quizcalc.grading import Answer, Verdict
    from quizcalc.study.problem_review import ProblemAttempt, ProblemSkill

__all__ = ["ECHO_DELAY", "GIVE_UP_KEYS", "REVIEW_FAILURE_ADVICE", "Phase", "ProblemPanel"]

GIVE_UP_KEYS = ("ctrl+g", "g")
"""Give up a problem: ``ctrl+g`` anywhere (it types nothing), ``g`` outside the answer box
(the screens ask first: :class:`~quizcalc.tui.modals.give_up.GiveUpModal`)."""

Phase = Literal["idle", "drawing", "answering", "checking", "finished", "failed"]
"""Where the learner is with the instance on screen."""

ECHO_DELAY = 0.1
"""Seconds of quiet typing before the answer is read for the echo."""


REVIEW_FAILURE_ADVICE = "Please report it; press `q` to end the session (your answers are saved)."
"""What to do when a problem cannot be generated, in a review (a drill says its own)."""


class ProblemPanel(ProblemView):
    """One instance at a time: draws it, takes tries, grades them, and shows the outcome."""

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        failure_advice: str = REVIEW_FAILURE_ADVICE,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.clock = clock
        """Monotonic seconds (tests pass a fake): elapsed time runs from the prompt appearing."""
        self.failure_advice = failure_advice
        """What to do when an instance cannot be generated (Markdown, after the error)."""
        self.phase: Phase = "idle"
        """See the module docstring."""
        self._token = 0
        self._skill: ProblemSkill | None = None
        self._shown_at = 0.0
        self._echo_timer: Timer | None = None
        self._last_submitted = ""

    # --- showing an instance ---------------------------------------------------------------

    async def start(self, skill: ProblemSkill, draw: Callable[[], ProblemAttempt]) -> None:
        """Clear the panel and draw a fresh instance of ``skill`` in a worker with ``draw``.

        If ``draw`` raises, the panel says so (naming the skill, then :attr:`failure_advice`)
        and its phase becomes ``failed``.
        """
        self._token += 1
        self._skill = skill
        self.shown = None
        await self._reset()
        await self.show_drawing(skill)
        self._set_phase("drawing")
        self._draw(self._token, draw)

    async def restore(self, shown: ShownProblem) -> None:
        """Show a finished attempt again (after an undo), ready to be graded anew."""
        self._token += 1
        await self._reset()
        await self.show_prompt(shown)
        if shown.attempt.tries:
            self.answer_box.value = shown.attempt.tries[-1]
        await self._finish(shown.attempt.verdicts[-1] if shown.attempt.solved else None)

    async def _reset(self) -> None:
        self._last_submitted = ""
        if self._echo_timer is not None:
            self._echo_timer.stop()
        await self.clear()

    @on(ProblemDrawn)
    async def _drawn(self, message: ProblemDrawn) -> None:
        message.stop()
        if message.token != self._token:
            return
        await self.show_prompt(message.shown)
        box = self.answer_box
        box.disabled = False
        box.focus()
        self._set_phase("answering")
        # The clock starts when the prompt is painted, not when the worker finished.
        self.call_after_refresh(self._start_clock)
        self.call_after_refresh(self.warm_up)  # once per process; a no-op after that

    @on(ProblemDrawFailed)
    async def _draw_failed(self, message: ProblemDrawFailed) -> None:
        message.stop()
        if message.token == self._token:
            await self.show_failure(self._failure_text(message.message))
            self._set_phase("failed")

    def _failure_text(self, error: str) -> str:
        skill = self._skill
        family = "?" if skill is None else skill.family or "?"
        difficulty = "?" if skill is None or skill.difficulty is None else skill.difficulty
        return (
            "**This problem could not be generated.**\n\n"
            f"The {family} generator failed at difficulty {difficulty}: {error}\n\n"
            f"{self.failure_advice}"
        )

    def _start_clock(self) -> None:
        self._shown_at = self.clock()

    def _elapsed(self) -> float:
        return max(0.0, self.clock() - self._shown_at)

    def _set_phase(self, phase: Phase) -> None:
        # Displays are set one by one: a class on the panel would restyle all of it each time.
        finished = phase == "finished"
        self.query_one("#problem-echo").display = not finished
        self.query_one("#solution-panel").display = finished
        self.query_one("#plot-slot").display = finished
        self.answer_box.display = phase != "failed"  # nothing to answer
        self.phase = phase
        self.post_message(PhaseChanged())

    # --- answering -------------------------------------------------------------------------

    @property
    def answering(self) -> bool:
        """An instance is on screen and not finished (hints, tries and giving up allowed)."""
        return self.phase in ("answering", "checking")

    @on(Input.Changed, "#problem-answer")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._echo_timer is not None:
            self._echo_timer.stop()
        attempt = self.attempt
        if attempt is None or self.phase != "answering":
            return
        echo = self.query_one("#problem-echo", Static)
        text = event.value
        if not text.strip():
            echo.update("")
            return
        token, expected = self._token, attempt.problem.answer
        self._echo_timer = self.set_timer(
            ECHO_DELAY, lambda: self._read(token, text, expected), name="echo"
        )

    @on(AnswerRead)
    def _read_done(self, message: AnswerRead) -> None:
        message.stop()
        attempt = self.attempt
        if message.token != self._token or attempt is None or self.phase != "answering":
            return
        if message.text != self.answer_box.value or message.text == self._last_submitted:
            return  # typed on since (a newer reading is on its way), or the verdict says it
        echo = self.query_one("#problem-echo", Static)
        echo.update(read_as(*message.read, attempt.problem.answer))
        echo.set_class(message.read[1] is not None, "-error")

    @on(Input.Submitted, "#problem-answer")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        """Grade what is in the box (in a worker); an empty box or a repeat is not a try."""
        attempt = self.attempt
        if attempt is None or self.phase != "answering":
            if self.phase == "checking":
                self.notify("Still checking your answer…", timeout=2)
            return
        text = self.answer_box.value.strip()
        echo = self.query_one("#problem-echo", Static)
        echo.set_class(False, "-error")
        if not text:
            echo.update(
                Text("Type an answer first (or ^g to give up and see the worked solution).", "bold")
            )
            return
        if text in attempt.tries:
            echo.update(Text("You already tried that one: edit it, or ^n for a hint.", "bold"))
            return
        if self._echo_timer is not None:
            self._echo_timer.stop()
        self._last_submitted = text
        echo.update(Text("Checking…", "dim"))
        # Keys pressed while the grader works must not be typed on after the answer (a quick
        # "4" meant as a grade would otherwise land in the box): the box is shut until the
        # verdict, and the focus leaves it.
        self.answer_box.disabled = True
        self._set_phase("checking")
        self._grade(self._token, attempt, text, self._elapsed())

    @on(AnswerGraded)
    async def _graded(self, message: AnswerGraded) -> None:
        message.stop()
        attempt = self.attempt
        if message.token != self._token or attempt is None or self.phase != "checking":
            return
        verdict = message.graded.verdict
        self.shown = ShownProblem(message.graded.attempt, self._title)
        if verdict.correct:
            await self._finish(verdict)
            return
        self.query_one("#problem-echo", Static).update("")
        self.show_verdict(verdict)
        self._set_phase("answering")
        self.answer_box.disabled = False
        self.answer_box.focus()
        # On a short terminal the verdict is below the box: bring it up (the box stays in view).
        self.call_after_refresh(self.query_one("#verdict-panel").scroll_visible, animate=False)

    @property
    def _title(self) -> str:
        return "" if self.shown is None else self.shown.title

    def show_hint(self) -> None:
        """Reveal the next hint (each one caps a right answer at grade 3)."""
        attempt = self.attempt
        if attempt is None or not self.answering:
            return
        if attempt.hints_shown >= len(attempt.problem.hints):
            self.notify("No more hints: ^g gives up and shows the worked solution.", timeout=3)
            return
        self.shown = ShownProblem(attempt.with_hint(), self._title)
        self.update_hints()
        # Hints push the box down: keep it (and the echo line under it) in view.
        self.call_after_refresh(self.query_one("#problem-echo").scroll_visible, animate=False)

    async def give_up(self) -> None:
        """Stop trying: show the worked solution (the grade proposed is then 0–2)."""
        attempt = self.attempt
        if attempt is None or not self.answering:
            return
        if self.phase == "checking":
            self.notify("Still checking your answer…", timeout=2)
            return
        self.shown = ShownProblem(attempt.give_up(self._elapsed()), self._title)
        await self._finish(None)

    # --- the end of an instance ------------------------------------------------------------

    async def _finish(self, verdict: Verdict | None) -> None:
        self.answer_box.disabled = True
        self.show_verdict(verdict)
        await self.show_solution()
        self._set_phase("finished")

    # --- workers -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="problem-draw")
    def _draw(self, token: int, draw: Callable[[], ProblemAttempt]) -> None:
        """Draw an instance (imports the generators, SymPy for some) and post it."""
        try:
            attempt = draw()
            from quizcalc.study.problem_review import family_title

            title = family_title(attempt.problem.family)
        except Exception as exc:  # a generator bug: say so (and report it), don't crash
            from quizcalc.crash_report import write_crash_report

            report = write_crash_report(exc, context="TUI, drawing a problem instance")
            where = f" (crash report: {report})" if report is not None else ""
            self.post_message(ProblemDrawFailed(token, f"{type(exc).__name__}: {exc}{where}"))
            return
        self.post_message(ProblemDrawn(token, ShownProblem(attempt, title)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="problem-echo")
    @reports_bugs("reading a typed answer")
    def _read(self, token: int, text: str, expected: Answer) -> None:
        """Read the box's text for the echo (SymPy's parser: off the UI thread)."""
        from quizcalc.study.problem_review import read_try

        self.post_message(AnswerRead(token, text, read_try(text, expected)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="problem-grade")
    @reports_bugs("grading a typed answer")
    def _grade(self, token: int, attempt: ProblemAttempt, text: str, elapsed: float) -> None:
        """Grade the try through study (in the isolated grading process) and post it."""
        from quizcalc.study.problem_review import grade_try

        self.post_message(AnswerGraded(token, text, grade_try(attempt, text, elapsed)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="problem-warm-up")
    @reports_bugs("warming up the grader")
    def warm_up(self) -> None:
        """Import SymPy and the plot library, start the grading process: once, in the background."""
        import textual_plotext  # noqa: F401  (the solution's plot)

        from quizcalc.study.problem_review import warm_up_problems

        warm_up_problems()
