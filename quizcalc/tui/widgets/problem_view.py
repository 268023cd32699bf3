"""What a problem panel shows: prompt, hints, answer box, echo, verdict, worked solution, plot.

:class:`ProblemView` builds the panel's widgets and draws an attempt into them; it decides
nothing. :class:`~quizcalc.tui.widgets.problem_panel.ProblemPanel` (its subclass) runs the
phases, the answer box and the workers, and calls these methods to show what happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from quizcalc.tui.widgets.answer_input import AnswerInput
from quizcalc.tui.widgets.math_markdown import MathMarkdown
from quizcalc.tui.widgets.problem_text import (
    answer_placeholder,
    prompt_markdown,
    solution_markdown,
    verdict_body,
    verdict_title,
)

if TYPE_CHECKING:
    from quizcalc.grading import Verdict
    from quizcalc.study.problem_review import ProblemAttempt, ProblemSkill
    from quizcalc.tui.widgets.problem_messages import ShownProblem

__all__ = ["ProblemView"]


class ProblemView(Vertical):
    """The widgets of one problem instance, and how an attempt is drawn into them."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: ShownProblem | None = None
        """The instance on screen, once drawn."""
        self.last_verdict: Verdict | None = None
        """The verdict in the verdict panel, if any."""

    @property
    def attempt(self) -> ProblemAttempt | None:
        """The attempt on screen, if an instance is drawn."""
        return None if self.shown is None else self.shown.attempt

    @property
    def answer_box(self) -> Input:
        """The answer input."""
        return self.query_one("#problem-answer", Input)

    def on_math_markdown_redrawn(self, message: MathMarkdown.Redrawn) -> None:
        """The prompt grew or shrank after the answer box took the focus (its maths drawn in
        two dimensions once the layout loaded): keep the box in view on a short terminal."""
        message.stop()
        box = self.answer_box
        if box.has_focus:
            self.call_after_refresh(box.scroll_visible, animate=False)

    def compose(self) -> ComposeResult:
        """Prompt, hints, box and echo; verdict, solution and plot appear when relevant."""
        with Vertical(id="prompt-panel") as prompt:
            prompt.border_title = "Problem"
            yield MathMarkdown(id="prompt")
        yield Static(id="problem-hints")
        yield AnswerInput(id="problem-answer", disabled=True, select_on_focus=False)
        yield Static(id="problem-echo")
        with Vertical(id="verdict-panel"):
            yield Static(id="verdict")
        with Vertical(id="solution-panel") as solution:
            solution.border_title = "Worked solution"
            yield MathMarkdown(id="solution")
        yield Vertical(id="plot-slot")

    async def clear(self) -> None:
        """Empty the box, echo, hints, verdict, solution and plot (the prompt is kept)."""
        self.last_verdict = None
        box = self.answer_box
        with box.prevent(Input.Changed):
            box.value = ""
        box.disabled = True
        self.query_one("#problem-echo", Static).update("")
        self.query_one("#verdict-panel").display = False
        self.update_hints()
        await self.query_one("#solution", MathMarkdown).show("")
        await self.query_one("#plot-slot").remove_children()

    async def show_drawing(self, skill: ProblemSkill) -> None:
        """Say that an instance of ``skill`` is being drawn."""
        self.query_one("#prompt-panel").border_title = f"Problem · {skill.family}"
        await self.query_one("#prompt", MathMarkdown).show("*Drawing a fresh problem…*")

    async def show_failure(self, text: str) -> None:
        """Put ``text`` (Markdown: why no instance could be drawn) where the prompt goes."""
        await self.query_one("#prompt", MathMarkdown).show(text)

    async def show_prompt(self, shown: ShownProblem) -> None:
        """Make ``shown`` the instance on screen: its title, prompt, box placeholder, hints."""
        self.shown = shown
        problem = shown.attempt.problem
        prompt = self.query_one("#prompt-panel")
        prompt.border_title = shown.title
        prompt.border_subtitle = f"{problem.family} · difficulty {problem.difficulty} of 3"
        await self.query_one("#prompt", MathMarkdown).show(prompt_markdown(problem))
        self.answer_box.placeholder = answer_placeholder(problem.answer)
        self.update_hints()

    def update_hints(self) -> None:
        """Show the hints revealed so far (the line is hidden while there are none)."""
        attempt = self.attempt
        hints = self.query_one("#problem-hints", Static)
        hints.display = attempt is not None and attempt.hints_shown > 0
        if attempt is None or not attempt.hints_shown:
            hints.update("")
            return
        from quizcalc.cards.display import latex_to_unicode

        total = len(attempt.problem.hints)
        lines = [
            Text.assemble((f"Hint {i}/{total}: ", "bold"), latex_to_unicode(hint))
            for i, hint in enumerate(attempt.problem.hints[: attempt.hints_shown], start=1)
        ]
        hints.update(Text("\n").join(lines))

    def show_verdict(self, verdict: Verdict | None) -> None:
        """Show ``verdict`` on the attempt (``None``: given up) in the coloured verdict panel."""
        attempt = self.attempt
        assert attempt is not None
        self.last_verdict = verdict
        panel = self.query_one("#verdict-panel")
        panel.border_title = verdict_title(verdict, attempt)
        tone = "right" if verdict is not None and verdict.correct else "wrong"
        if verdict is not None and verdict.error is not None:
            tone = "unread"
        for name in ("right", "wrong", "unread"):
            panel.set_class(tone == name, f"-{name}")
        panel.display = True
        self.query_one("#verdict", Static).update(verdict_body(verdict, attempt))

    async def show_solution(self) -> None:
        """Fill in the worked solution and, for optimiser families, mount the trajectory plot."""
        attempt = self.attempt
        assert attempt is not None
        await self.query_one("#solution", MathMarkdown).show(solution_markdown(attempt.problem))
        trajectory = attempt.problem.trajectory
        if trajectory is not None:
            from quizcalc.tui.widgets.trajectory_plot import TrajectoryPlot

            await self.query_one("#plot-slot").mount(TrajectoryPlot(trajectory, id="trajectory"))
