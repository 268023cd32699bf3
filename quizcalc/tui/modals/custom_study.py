"""Custom study of a deck or section, as Anki's dialog: pick what to study, then Start.

Opened with `c` on the home screen's selected row. Each choice is a :class:`StudyOption`: its
radio label, whether it takes a number (and how it reads one), how many cards it would take,
and what starting it does. The modal dismisses with ``(scope, custom)`` — the session the app
then opens (``custom`` ``None``: a plain review of the scope) — or ``None`` when cancelled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from quizcalc.study.custom_study import MAX_DAYS_AHEAD, CustomStudy, read_days_ahead
from quizcalc.study.errors import StudyError
from quizcalc.tui.widgets.settled_footer import SettledFooter

if TYPE_CHECKING:
    from quizcalc.study import StudyService
    from quizcalc.study.scope import StudyScope
    from quizcalc.tui.app import QuizcalcApp

__all__ = ["OPTIONS", "CustomStudyModal", "StudyChoice", "StudyOption"]

StudyChoice = tuple["StudyScope", CustomStudy | None]
"""The session to open: its scope and custom study (``None``: a plain review of the scope)."""

EARLY_RULE = (
    "Cards answered ahead of time: a pass keeps at least the card's interval, counted from "
    "today, and lengthens it only by the days that really passed since its last review; "
    "a fail is a lapse as on its due day."
)
"""What answering an early card does (see :mod:`quizcalc.scheduling.early`)."""

FORGOTTEN_RULE = (
    "Extra practice of the cards you graded 0–2 today: today's answer already set their next "
    "review, so these answers are logged but do not move it."
)
"""What answering a forgotten card does (see :mod:`quizcalc.study.custom_study`)."""


@dataclass(frozen=True)
class StudyOption:
    """One custom-study choice in the modal."""

    key: str
    """Names its radio button (``option-<key>``)."""
    label: str
    """The radio button's words."""
    explanation: str
    """What answering its cards does, shown under the choices."""
    number_label: str | None
    """The words after its number field (``days ahead``); ``None``: it takes no number."""
    default: int
    """The number field's first value."""
    read_number: Callable[[str], int | str]
    """The typed number, or one line saying what is wrong with it."""
    count: Callable[[StudyService, StudyScope, datetime, int], int]
    """How many cards it would take (0: nothing to start)."""
    start: Callable[[StudyService, StudyScope, datetime, int], StudyChoice]
    """Whatever it sets up (may raise ``StudyError``), and the session to open."""
    nothing: Callable[[StudyScope, int], str]
    """What to say when it would take no card (given the scope and the number)."""


def _no_number(text: str) -> int:
    return 0


REVIEW_AHEAD = StudyOption(
    key="ahead",
    label="Review ahead",
    explanation=EARLY_RULE,
    number_label=f"days ahead (1–{MAX_DAYS_AHEAD})",
    default=1,
    read_number=read_days_ahead,
    count=lambda service, scope, now, days: service.custom_study_choices(scope, now, days).ahead,
    start=lambda service, scope, now, days: (scope, CustomStudy("ahead", days)),
    nothing=lambda scope, days: (
        f"No card in {scope.label} is due in the next {days} day{'' if days == 1 else 's'}."
    ),
)
"""Cards due within the next N days, answered early."""

FORGOTTEN = StudyOption(
    key="forgotten",
    label="Review today's forgotten cards",
    explanation=FORGOTTEN_RULE,
    number_label=None,
    default=0,
    read_number=_no_number,
    count=lambda service, scope, now, _: service.custom_study_choices(scope, now, 1).forgotten,
    start=lambda service, scope, now, _: (scope, CustomStudy("forgotten")),
    nothing=lambda scope, _: f"No card in {scope.label} was given a failing grade today.",
)
"""Cards graded 0–2 today, practised again without moving their schedule."""

MAX_EXTRA_NEW = 9999
"""The most new cards one extension adds."""


def read_extra_new(text: str) -> int | str:
    """The learner's "more new cards today" as a number, or one line saying what is wrong."""
    value = text.strip()
    if not value.isdecimal() or not 1 <= int(value) <= MAX_EXTRA_NEW:
        shown = repr(value) if value else "nothing"
        return f"more new cards must be a whole number from 1 to {MAX_EXTRA_NEW}; got {shown}"
    return int(value)


def _extend_new(service: StudyService, scope: StudyScope, now: datetime, extra: int) -> StudyChoice:
    """Raise the deck's new-card limit for today, then review the deck or section."""
    if scope.deck is None:
        raise StudyError("Choose one deck to raise its new-card limit (every deck has its own).")
    service.extend_today(scope.deck, now, new=extra)
    return scope, None


INCREASE_NEW = StudyOption(
    key="new-limit",
    label="Increase today's new card limit",
    explanation=(
        "Shows more new cards today from this deck only (a section's row raises its deck's "
        "limit); tomorrow the deck's usual limit applies again."
    ),
    number_label=f"more new cards today (1–{MAX_EXTRA_NEW})",
    default=10,
    read_number=read_extra_new,
    count=lambda service, scope, now, _: service.custom_study_choices(scope, now, 1).new,
    start=_extend_new,
    nothing=lambda scope, _: f"No new cards are left in {scope.label}.",
)
"""Today's new-card limit of the selected deck raised by N (Anki lists it first)."""

OPTIONS: tuple[StudyOption, ...] = (INCREASE_NEW, REVIEW_AHEAD, FORGOTTEN)
"""The choices offered, in order."""


class CustomStudyModal(ModalScreen[StudyChoice | None]):
    """Pick a custom study for ``scope``; Enter (or Start) begins it, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without studying"),
        Binding("enter", "enter", "Start", priority=True, tooltip="Start the chosen study"),
    ]
    """Enter starts (from the number field and the choices too; on Cancel, cancels); space
    picks a choice; Escape cancels."""

    def __init__(self, scope: StudyScope, options: tuple[StudyOption, ...] = OPTIONS) -> None:
        super().__init__()
        self.scope = scope
        """The deck or section studied."""
        self.options = options
        """The choices offered."""

    @property
    def quiz_app(self) -> QuizcalcApp:
        """The app, typed."""
        return cast("QuizcalcApp", self.app)

    def compose(self) -> ComposeResult:
        """The choices, the number field, what answering does, the count, two buttons."""
        with Vertical(id="custom-box") as box:
            box.border_title = f"Custom study · {self.scope.label}"
            with RadioSet(id="custom-options"):
                for index, option in enumerate(self.options):
                    yield RadioButton(option.label, value=index == 0, id=f"option-{option.key}")
            with Horizontal(id="custom-number-row"):
                yield Input(id="custom-number", restrict=r"\d*", max_length=5)
                yield Label(id="custom-number-label")
            yield Static(id="custom-explanation")
            yield Static(id="custom-count")
            with Horizontal(id="custom-buttons"):
                yield Button("Cancel", id="custom-cancel")
                yield Button("Start", id="custom-start", variant="primary")
        yield SettledFooter()

    def on_mount(self) -> None:
        """Show the first choice; the number field (or the choices) has the focus."""
        self._show(self.options[0], reset=True)

    @property
    def chosen(self) -> StudyOption:
        """The option whose radio button is on."""
        index = self.query_one("#custom-options", RadioSet).pressed_index
        return self.options[max(0, index)]

    def _show(self, option: StudyOption, *, reset: bool) -> None:
        number = self.query_one("#custom-number", Input)
        row = self.query_one("#custom-number-row")
        row.display = option.number_label is not None
        if option.number_label is not None:
            self.query_one("#custom-number-label", Label).update(option.number_label)
            if reset:
                number.value = str(option.default)
            number.focus()
        else:
            self.query_one("#custom-options", RadioSet).focus()
        self.query_one("#custom-explanation", Static).update(Text(option.explanation))
        self._update_count()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """Another choice: its number field, explanation and count."""
        event.stop()
        self._show(self.options[event.index], reset=True)

    def on_input_changed(self, event: Input.Changed) -> None:
        """A new number: the count follows it."""
        event.stop()
        self._update_count()

    def _read(self) -> tuple[StudyOption, int | str]:
        option = self.chosen
        if option.number_label is None:
            return option, 0
        return option, option.read_number(self.query_one("#custom-number", Input).value)

    def _update_count(self) -> int | None:
        """Show how many cards the choice takes; that number (``None`` if it can't be read)."""
        line = self.query_one("#custom-count", Static)
        option, number = self._read()
        service = self.quiz_app.service
        if isinstance(number, str):
            line.update(Text(number[:1].upper() + number[1:] + ".", "bold red"))
            return None
        if service is None:
            return None
        try:
            count = option.count(service, self.scope, self.quiz_app.now(), number)
        except StudyError as exc:
            line.update(Text(str(exc), "bold red"))
            return None
        if count:
            line.update(Text.assemble((str(count), "bold"), f" card{'' if count == 1 else 's'}"))
        else:
            line.update(Text(option.nothing(self.scope, number), "bold"))
        return count

    def action_start(self) -> None:
        """Start the chosen study when it takes at least one card (else say why not)."""
        option, number = self._read()
        count = self._update_count()
        service = self.quiz_app.service
        if isinstance(number, str) or not count or service is None:
            self.app.bell()
            return
        try:
            choice = option.start(service, self.scope, self.quiz_app.now(), number)
        except StudyError as exc:
            self.query_one("#custom-count", Static).update(Text(str(exc), "bold red"))
            return
        self.dismiss(choice)

    def action_enter(self) -> None:
        """Enter: Start, unless the Cancel button has the focus."""
        focused = self.focused
        if isinstance(focused, Button) and focused.id == "custom-cancel":
            self.action_cancel()
        else:
            self.action_start()

    def action_cancel(self) -> None:
        """Close without studying."""
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Start or Cancel."""
        event.stop()
        if event.button.id == "custom-start":
            self.action_start()
        else:
            self.action_cancel()
