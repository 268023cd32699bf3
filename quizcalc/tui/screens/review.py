"""The review screen: one card at a time, question first; `space` reveals, `0`–`5` grade.

A problem card (a skill) is answered instead: the :class:`ProblemPanel` draws a fresh
instance, takes typed answers and shows the verdict and the worked solution; the screen then
proposes the auto-grade, which Enter accepts and a digit overrides. The instance's seed and
what was typed go into the review log. Undo brings back the same instance at its grade step.

Every answer is committed by the study service before the next card is read, so quitting at
any moment loses nothing.

For a fast start the screen can open before the study service exists: it then shows a card
read by the stdlib fast path (``quizcalc.study.first_card``) and is handed its session with
:meth:`ReviewScreen.attach` once the worker has opened the store. A grade given before that
is kept and committed first thing in ``attach``. Nothing here imports SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Static

from quizcalc.cards.model import CardKind
from quizcalc.scheduling.sm2 import Quality
from quizcalc.study.errors import StudyError
from quizcalc.tui.commands import ReviewCommands
from quizcalc.tui.modals.summary import SummaryChoice, SummaryModal
from quizcalc.tui.screens.review_actions import CARD_ACTIONS, CardActionScreen
from quizcalc.tui.screens.review_problems import PROBLEM_ACTIONS
from quizcalc.tui.widgets.math_markdown import MathMarkdown, hold_typeset, release_typeset
from quizcalc.tui.widgets.problem_messages import PhaseChanged, ShownProblem
from quizcalc.tui.widgets.problem_panel import ProblemPanel
from quizcalc.tui.widgets.settled_footer import SettledFooter

if TYPE_CHECKING:
    from quizcalc.study import QueuedCard, ReviewSession

__all__ = ["GRADE_GROUP", "ReviewScreen"]

GRADE_GROUP = Binding.Group("grade")
"""The six grade keys share one footer entry: ``0 1 2 3 4 5 grade``."""

GOOD = int(Quality.CORRECT_HESITANT)
"""The grade Enter and space give a revealed flashcard: Anki's Good (see ``anki_ease``)."""

_GRADE_TONE = {0: "fail", 1: "fail", 2: "fail", 3: "hard", 4: "good", 5: "good"}


class ReviewScreen(CardActionScreen):
    """Question, then answer, then a 0–5 self-grade; `u` undoes, `q` ends with a summary."""

    SUB_TITLE = "review"
    """Shown in the header after the app title."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "reveal", "Show answer", tooltip="Show the answer side of the card"),
        *(
            Binding(
                str(q.value),
                f"grade({q.value})",
                q.label,
                group=GRADE_GROUP,
                tooltip=f"Grade {q.value}: {q.label}",
            )
            for q in Quality
        ),
        Binding(
            "space",
            "accept_good",
            "Good",
            show=False,
            tooltip="Flashcard: grade 4, good (as Anki's Good)",
        ),
        Binding("u", "undo", "Undo", tooltip="Undo the last answer and ask that card again"),
        Binding("q", "end_session", "End", tooltip="End the session and see its summary"),
    ]
    """Reveal, the six grades (one footer group), undo, end (card actions and problem keys:
    the bases)."""
    COMMANDS: ClassVar = {ReviewCommands}
    """The palette (ctrl+p) also offers this screen's actions, with their keys."""

    def __init__(
        self,
        session: ReviewSession | None,
        *,
        first_card: QueuedCard | None = None,
        first_linear: str | None = None,
        when_shown: Callable[[], object] | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        """The sitting: serves cards, records and undoes answers (``None`` until attached)."""
        self.card: QueuedCard | None = None
        """The card on screen (``None`` once the queue is empty)."""
        self.revealed = False
        """Whether the answer side is showing (grades are accepted only then)."""
        self.pending_grade: int | None = None
        """A grade given before the session was attached, committed by :meth:`attach`."""
        self._first_card = first_card
        self._first_linear = first_linear
        self._answer_shown: str | None = None
        self._keys_state: tuple[object, ...] | None = None
        self._when_shown = when_shown
        self._shown_at = 0.0

    def compose(self) -> ComposeResult:
        """Where the card is from, progress, the card itself, and the grade bar."""
        yield Header()
        with Vertical(id="review"):
            with Horizontal(id="card-meta"):
                yield Static(id="card-where", markup=False)
                yield Static(id="card-reason")
            yield Static(id="progress")
            with VerticalScroll(id="card"):
                with Vertical(id="question-panel") as question:
                    question.border_title = "Question"
                    yield MathMarkdown(id="question")
                yield Static(
                    "Recall the answer, then press [b]space[/b] to check it.", id="reveal-hint"
                )
                with Vertical(id="answer-panel") as answer:
                    answer.border_title = "Answer"
                    yield MathMarkdown(id="answer")
            yield Static(id="proposal")
            with Grid(id="grades"):
                for q in Quality:
                    yield Static(
                        f"[b]{q.value}[/b] {q.label}",
                        classes=f"grade -{_GRADE_TONE[q.value]}",
                        id=f"grade-{q.value}",
                    )
        yield SettledFooter()

    async def on_mount(self) -> None:
        """Show the first card (or the done-for-today summary)."""
        first_is_problem = (
            self._first_card is not None and self._first_card.kind == CardKind.PROBLEM
        )
        if first_is_problem:
            hold_typeset()  # until its prompt is on screen (see on_phase_changed)
        if self._first_card is not None:
            await self.show_card(self._first_card, linear=self._first_linear)
        else:
            await self.show_next()
        if self._when_shown is not None and not first_is_problem:
            # Opening the store imports SQLAlchemy: let the first card reach the screen first.
            self.call_after_refresh(self._first_card_shown)

    def _first_card_shown(self) -> None:
        release_typeset()
        when_shown, self._when_shown = self._when_shown, None
        if when_shown is not None:
            when_shown()

    def on_phase_changed(self, message: PhaseChanged) -> None:
        """A problem shown first: the store opens (and SymPy loads) once its prompt is painted,
        so that neither worker takes the GIL from the one drawing it."""
        if self.on_problem and self.panel.phase != "drawing":
            self.call_after_refresh(self._first_card_shown)

    def on_unmount(self) -> None:
        """Never leave the 2-D layout held back."""
        release_typeset()

    async def attach(self, session: ReviewSession) -> None:
        """Take over the real session once the store is open (see the module docstring)."""
        self.session = session
        if self.pending_grade is not None:
            quality, self.pending_grade = self.pending_grade, None
            await self._grade(quality)
            return
        shown = self.card
        try:
            fresh = session.next_card(self.quiz_app.now())
        except StudyError as exc:
            self.notify(str(exc), title="Cannot read the next card", severity="error")
            return
        if fresh is None or shown is None:
            await self.show_next()
        elif (fresh.key, fresh.question, fresh.answer) != (shown.key, shown.question, shown.answer):
            await self.show_card(fresh)  # the content sync changed what comes first
        else:
            self.card = fresh
            self.show_previews(fresh)
            self._update_progress()
            self._refresh_keys()

    # --- showing cards ---------------------------------------------------------------------

    async def _ensure_panel(self) -> None:
        # Mounted on the first problem card: its widgets (two Markdown views, an input) would
        # otherwise be built and laid out before the first flashcard could be painted.
        if not self.query("#problem"):
            panel = ProblemPanel(self.quiz_app.clock, id="problem")
            await self.query_one("#card", VerticalScroll).mount(panel)

    async def show_next(self) -> None:
        """Ask the queue for the next card; when it is empty, end with the summary."""
        if self.session is None:
            return
        try:
            card = self.session.next_card(self.quiz_app.now())
        except StudyError as exc:
            self.notify(str(exc), title="Cannot read the next card", severity="error")
            return
        if card is None:
            self.card = None
            self._refresh_keys()
            self._update_progress()  # behind the summary: 0 due, not the last card's count
            self._end(done=True)
            return
        await self.show_card(card)

    async def show_card(
        self, card: QueuedCard, *, restore: ShownProblem | None = None, linear: str | None = None
    ) -> None:
        """Put ``card`` on screen, question side up (a problem card draws a fresh instance).

        ``restore`` shows a problem's finished attempt again instead (after an undo);
        ``linear`` is the question's cached one-line form (the first frame's).
        """
        self.card = card
        self.revealed = False
        self.query_one("#card-where", Static).update(self.card_where(card))
        self.show_previews(card)
        reason = self.query_one("#card-reason", Static)
        reason.update(f" {card.reason} ")
        for name in ("new", "review", "relearn"):
            reason.set_class(card.reason == name, f"-{name}")
        # One restyle of the whole screen for both classes, not one each.
        self.update_classes({"-revealed": False, "-problem": self.on_problem})
        for q in Quality:
            self.query_one(f"#grade-{q.value}").set_class(False, "-proposed")
        self.query_one("#card", VerticalScroll).scroll_home(animate=False)
        self._update_progress()
        self._shown_at = self.quiz_app.clock()
        if restore is not None or self.on_problem:
            await self._ensure_panel()
        if restore is not None:
            await self.panel.restore(restore)
        elif self.on_problem:
            await self.panel.start(card, self.drawer(card))
        else:
            self.query_one("#question-panel").border_title = (
                "Cloze" if card.kind == "cloze" else "Question"
            )
            await self.query_one("#question", MathMarkdown).show(card.question, linear)
            # The hidden answer is rendered once the question is on screen (or on reveal).
            self.call_after_refresh(self._render_answer)
        self._refresh_keys()

    async def _render_answer(self) -> None:
        if self.card is None or self.on_problem:
            return
        text = self.card.answer
        if text != self._answer_shown:
            self._answer_shown = text
            await self.query_one("#answer", MathMarkdown).show(text)

    def _update_progress(self) -> None:
        progress = self.query_one("#progress", Static)
        if self.session is None:
            progress.update("Opening your study data…")
            return
        queue = self.session.queue(self.quiz_app.now())
        answered = len(self.session.answers)
        progress.update(
            Text.assemble(
                (str(queue.due_count), "bold"),
                " due · ",
                (str(len(queue.new)), "bold"),
                " new left · ",
                (str(answered), "bold"),
                " answered this session",
            )
        )

    # --- actions -------------------------------------------------------------------------

    def _refresh_keys(self) -> None:
        # The footer recomposes on every refresh: only ask when what is allowed has changed.
        state = (
            self.card is not None,
            self.revealed,
            self.pending_grade is not None,
            self.on_problem and self.panel.phase,
            self.typing(),
        )
        if state != self._keys_state:
            self._keys_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Space only before a flashcard's answer shows, grades only after; problem keys by phase.

        While the answer box has focus, the single-letter keys are hidden (they type).
        """
        return self.action_allowed(action, typing=self.typing())

    def palette_offers(self, action: str) -> bool:
        """Whether the command palette offers ``action`` now: what the keys allow, as if the
        answer box had no focus (the palette types in its own box), except that checking the
        answer works wherever the focus is, and leaving the box only from inside it."""
        typing = self.typing()
        if action == "check_answer":
            typing = True
        elif action not in ("type_answer", "leave_answer"):
            typing = False
        return bool(self.action_allowed(action, typing=typing))

    def action_allowed(self, action: str, *, typing: bool) -> bool | None:
        """``check_action``'s rule, with ``typing`` (the answer box has focus) given."""
        card = self.card
        if action in PROBLEM_ACTIONS:
            return self.problem_action_allowed(action, typing=typing)
        if action in CARD_ACTIONS:
            return self.card_action_allowed(action, typing=typing)
        if action == "reveal":
            return card is not None and not self.on_problem and not self.revealed
        if action == "grade":
            return card is not None and self.revealed and self.pending_grade is None
        if action == "accept_good":
            graded = card is not None and self.revealed and self.pending_grade is None
            return graded and not self.on_problem
        if action in ("undo", "end_session"):
            return not typing
        return True

    async def action_reveal(self) -> None:
        """Show the answer and the grade bar."""
        if self.card is None or self.revealed:
            return
        await self._render_answer()
        self.revealed = True
        self.set_class(True, "-revealed")
        self.call_after_refresh(self._scroll_to_answer)
        self._refresh_keys()

    async def action_accept_good(self) -> None:
        """Grade a revealed flashcard "good" (Enter and space, as Anki's default answer)."""
        if not self.on_problem:
            await self.action_grade(GOOD)

    def _scroll_to_answer(self) -> None:
        self.query_one("#answer-panel").scroll_visible(animate=False)

    async def action_grade(self, quality: int) -> None:
        """Commit the grade (the service returns only once it is saved), then the next card."""
        if self.card is None or not self.revealed or self.pending_grade is not None:
            return
        if self.session is None:
            self.pending_grade = quality  # committed by attach(), before any other card
            self.query_one("#progress", Static).update("Saving your answer…")
            self._refresh_keys()
            return
        await self._grade(quality)

    async def _grade(self, quality: int) -> None:
        card = self.card
        if card is None or self.session is None:
            return
        fields = self.problem_answer_fields() or {
            "duration_ms": int((self.quiz_app.clock() - self._shown_at) * 1000)
        }
        try:
            outcome = self.session.answer(card, quality, self.quiz_app.now(), **fields)
        except StudyError as exc:
            self.notify(str(exc), title="Answer not saved", severity="error", markup=False)
            return
        self.remember_answer(outcome.log_id)
        if outcome.leech:
            self.notify(
                "This card keeps slipping, so it is now a leech and suspended: rewrite it, "
                "split it, or unsuspend it from the card list. (u takes this back.)",
                title="Leech",
                severity="warning",
                timeout=10,
                markup=False,
            )
        elif outcome.again_today:
            self.notify(
                f"Graded {quality} ({Quality(quality).label}): this card comes back later today.",
                timeout=3,
                markup=False,
            )
        await self.show_next()

    async def action_undo(self) -> None:
        """Take back the last answer (or suspend, bury, flag) of this session."""
        if await self.undo_card_change():
            return
        if self.session is None or not self.session.answers:
            self.notify("Nothing to undo in this session.", timeout=2)
            return
        last = self.session.answers[-1].log_id
        try:
            card = self.session.undo()
        except StudyError as exc:
            self.notify(str(exc), title="Cannot undo", severity="error", markup=False)
            return
        if card is None:
            return
        shown = self.take_back(last)
        if shown is not None and card.kind == CardKind.PROBLEM:
            self.notify("Last answer undone: the same problem, grade it again.", timeout=2)
            await self.show_card(card, restore=shown)
            return
        self.notify("Last answer undone: grade this card again.", timeout=2)
        await self.show_card(card)

    def action_end_session(self) -> None:
        """Stop here and show what this session did."""
        if self.session is None:
            self.notify("Still opening your study data…", timeout=2)
            return
        self._end(done=False)

    def _end(self, *, done: bool) -> None:
        if self.session is None:
            return
        now = self.quiz_app.now()
        left = 0
        if not done:
            left = len(self.session.queue(now).order)
        summary = self.session.summary(now)
        scoped = not self.session.scope.everything or self.session.custom is not None
        modal = SummaryModal(
            summary, done=done, left=left, studied=self.session.label if scoped else None
        )
        self.app.push_screen(modal, callback=self._back_home)

    async def _back_home(self, choice: SummaryChoice | None) -> None:
        if choice == "undo":
            await self.action_undo()  # stay: the last card is asked again
        else:
            self.dismiss()
