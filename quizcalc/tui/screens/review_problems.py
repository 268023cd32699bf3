"""The review screen's problem-card half: keys, the proposed grade, and what undo restores.

:class:`~quizcalc.tui.screens.review.ReviewScreen` inherits from :class:`ProblemReviewScreen`; the
:class:`~quizcalc.tui.widgets.problem_panel.ProblemPanel` does the answering, this class connects it
to the screen: it hands the panel a way to draw instances, shows the auto-grade once the
attempt is finished (Enter accepts it, a digit overrides it), and keeps each committed attempt
so that undo brings back the same instance at its grade step rather than a fresh one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from quizcalc.cards.model import CardKind
from quizcalc.scheduling.sm2 import Quality
from quizcalc.tui.modals.help import PROBLEM_PREFIX as P
from quizcalc.tui.widgets.problem_messages import PhaseChanged, ShownProblem
from quizcalc.tui.widgets.problem_panel import GIVE_UP_KEYS, ProblemPanel
from quizcalc.tui.widgets.problem_text import explain_quality

if TYPE_CHECKING:
    from quizcalc.study import QueuedCard, ReviewSession
    from quizcalc.study.problem_review import ProblemAttempt
    from quizcalc.tui.app import QuizcalcApp

__all__ = ["PROBLEM_ACTIONS", "ProblemReviewScreen"]

PROBLEM_ACTIONS = frozenset(
    {"check_answer", "type_answer", "accept_grade", "hint", "give_up", "leave_answer"}
)
"""The actions that only make sense on a problem card (see ``problem_action_allowed``)."""


class ProblemReviewScreen(Screen[None]):
    """Problem-card keys and grading for the review screen (which sets the card state)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "check_answer", "Check", tooltip=f"{P}Check the answer typed in the box"),
        Binding("enter", "type_answer", "Answer", tooltip=f"{P}Back into the answer box"),
        Binding(
            "enter",
            "accept_grade",
            "Accept",
            tooltip=f"{P}Accept the auto-grade (a digit overrides)",
        ),
        *(
            Binding(
                key,
                "hint",
                "Hint",
                show=show,
                tooltip=f"{P}Show the next hint (h: outside the box)",
            )
            for key, show in (("ctrl+n", True), ("h", False))
        ),
        *(
            Binding(
                key,
                "give_up",
                "Give up",
                show=show,
                tooltip=f"{P}Give up and see the solution; asks first (g: outside the box)",
            )
            for key, show in zip(GIVE_UP_KEYS, (True, False), strict=True)
        ),
        # A revealed flashcard's Enter (the review screen's): here, since a subclass binding
        # for a key would replace these three rather than join them.
        Binding(
            "enter", "accept_good", "Good", tooltip="Flashcard: grade 4, good (as Anki's Good)"
        ),
        Binding(
            "escape", "leave_answer", "Leave box", tooltip=f"{P}Leave the box, for the letter keys"
        ),
        # Outside the box Escape leaves the screen, as everywhere (the review's own `q`).
        Binding(
            "escape",
            "end_session",
            "End",
            show=False,
            tooltip="End the session and see its summary",
        ),
    ]
    """Problem keys. While the answer box has focus, letters are typed into it: the keys are
    then Enter and ``ctrl+`` keys, and Escape leaves the box for the single-letter ones (``h``
    hint, ``g`` give up, and the review screen's ``u``, ``e``, ``q``, ``?``); Escape outside
    the box ends the session, as `q` does."""

    card: QueuedCard | None
    """The card on screen (set by the review screen)."""
    session: ReviewSession | None
    """The sitting (``None`` until attached)."""
    revealed: bool
    """A flashcard's answer side, or a problem's solution, is showing: grades apply."""
    pending_grade: int | None
    """A grade given before the session was attached."""

    def __init__(self) -> None:
        super().__init__()
        self._answered_problems: dict[int, ShownProblem] = {}

    @property
    def quiz_app(self) -> QuizcalcApp:
        """The app, typed."""
        return cast("QuizcalcApp", self.app)

    @property
    def panel(self) -> ProblemPanel:
        """Where problem cards are answered."""
        return self.query_one("#problem", ProblemPanel)

    @property
    def on_problem(self) -> bool:
        """The card on screen is a problem card."""
        return self.card is not None and self.card.kind == CardKind.PROBLEM

    def typing(self) -> bool:
        """The problem's answer box has focus (letters go into it, not to the keys)."""
        focused = self.focused
        return isinstance(focused, Input) and focused.id == "problem-answer"

    def problem_action_allowed(self, action: str, *, typing: bool) -> bool:
        """Whether one of :data:`PROBLEM_ACTIONS` applies now (it is hidden otherwise);
        ``typing``: the answer box has focus."""
        answering = self.on_problem and self.panel.answering
        if action == "accept_grade":
            return self.on_problem and self.revealed and self.pending_grade is None
        if action == "check_answer":
            return answering and typing
        if action == "type_answer":
            return answering and not typing
        if action == "leave_answer":
            return typing
        return answering  # hint, give_up

    def _refresh_keys(self) -> None:
        raise NotImplementedError

    async def action_grade(self, quality: int) -> None:
        """Commit a grade (the review screen implements it)."""
        raise NotImplementedError

    # --- drawing and finishing ---------------------------------------------------------------

    def drawer(self, card: QueuedCard) -> Callable[[], ProblemAttempt]:
        """How the panel's worker draws an instance: through the session once it is attached."""
        session, rng = self.session, self.quiz_app.rng

        def draw() -> ProblemAttempt:
            if session is not None:
                return session.draw_problem(card)
            # The fast-path first card: the session will share this rng, so seeds stay in order.
            from quizcalc.study.problem_review import draw_attempt

            return draw_attempt(card, rng)

        return draw

    def on_phase_changed(self, message: PhaseChanged) -> None:
        """A finished problem shows its proposed grade; the keys follow the phase."""
        message.stop()
        attempt = self.panel.attempt
        finished = self.on_problem and self.panel.phase == "finished" and attempt is not None
        self.revealed = finished
        self.set_class(finished, "-revealed")
        if finished and attempt is not None:
            quality = attempt.quality
            self.query_one("#proposal", Static).update(
                Text.assemble(
                    ("auto-grade: ", "dim"),
                    (str(int(quality)), "bold"),
                    f" — {explain_quality(attempt)}",
                    ("   ⏎ accept · 0–5 override", "dim"),
                )
            )
            for q in Quality:
                self.query_one(f"#grade-{q.value}").set_class(q == quality, "-proposed")
            self.query_one("#card", VerticalScroll).focus()
            # Once the solution and the plot are laid out (the timer is for a slow terminal).
            self.call_after_refresh(self._scroll_to_verdict)
            self.set_timer(0.05, self._scroll_to_verdict)
        self._refresh_keys()

    def _scroll_to_verdict(self) -> None:
        if self.on_problem and self.panel.phase == "finished":
            self.query_one("#verdict-panel").scroll_visible(top=True, animate=False)

    def on_key(self, event: events.Key) -> None:
        """A grade key pressed while the answer is being checked is not taken blind (the
        verdict and the proposed grade are not on screen yet): say so, so it can be pressed
        again once they are."""
        checking = self.on_problem and self.panel.phase == "checking"
        if checking and event.character is not None and event.character.isdigit():
            event.stop()
            self.notify("Still checking your answer: grade once the verdict shows.", timeout=2)

    def on_descendant_focus(self) -> None:
        """What the keys do depends on whether the answer box has focus."""
        self._refresh_keys()

    def on_descendant_blur(self) -> None:
        """See :meth:`on_descendant_focus`."""
        self._refresh_keys()

    # --- committing and undoing --------------------------------------------------------------

    def problem_answer_fields(self) -> dict[str, Any] | None:
        """What the review log keeps of a finished problem (typed tries, time, seed and the
        misconception recognised: see ``ProblemAttempt.log_fields``); ``None`` on a flashcard."""
        shown = self.panel.shown if self.on_problem else None
        return None if shown is None else shown.attempt.log_fields()

    def remember_answer(self, log_id: int) -> None:
        """Keep the attempt just committed as ``log_id``, for undo."""
        shown = self.panel.shown if self.on_problem else None
        if shown is not None:
            self._answered_problems[log_id] = shown

    def take_back(self, log_id: int) -> ShownProblem | None:
        """The attempt committed as ``log_id``, if it was a problem (undo shows it again)."""
        return self._answered_problems.pop(log_id, None)

    # --- actions -----------------------------------------------------------------------------

    def action_check_answer(self) -> None:
        """Grade the answer in the box (Enter in the box does the same)."""
        self.panel.submit()

    def action_type_answer(self) -> None:
        """Back into the answer box."""
        self.panel.answer_box.focus()

    async def action_accept_grade(self) -> None:
        """Commit the auto-grade proposed for the finished problem."""
        attempt = self.panel.attempt
        if self.on_problem and attempt is not None and attempt.finished:
            await self.action_grade(int(attempt.quality))

    def action_hint(self) -> None:
        """Show the problem's next hint."""
        self.panel.show_hint()

    def action_give_up(self) -> None:
        """Ask once, then stop trying the problem and show its worked solution."""
        from quizcalc.tui.modals.give_up import GiveUpModal

        self.app.push_screen(GiveUpModal(), self._give_up_answered)

    async def _give_up_answered(self, yes: bool | None) -> None:
        if yes and self.on_problem:
            await self.panel.give_up()

    def action_leave_answer(self) -> None:
        """Leave the answer box, so that the single-letter keys work."""
        self.query_one("#card", VerticalScroll).focus()
