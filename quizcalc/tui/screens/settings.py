"""The settings screen: the collection's settings, one deck's own limits, the device's.

Three parts, each saying where it is kept: the collection's settings (daily limits, the study
day, relearning, leeches, drills) are saved in the collection, so they travel with its
backups; a deck's own limits (a deck picker; blank: the collection's) too; the device's
preferences (backups kept, import caps) in ``config.toml``, whose full path is shown. Labels
are words, not setting names, and so are the error lines.

Values are checked by :func:`quizcalc.study.settings.check_settings`, the same rules a config
file goes through (no bounds are repeated here); a bad value is named in an inline error line
and nothing is written. Save (Ctrl+S, Enter in a field, or the button) stores each part in its
place, puts the new settings into the open study service and dismisses with them; Escape
leaves without writing (dismisses ``None``). The first field has the focus on opening.

Under the scheduler fields, a line says what FSRS schedules with (its FSRS-6 defaults, or the
parameters fitted on the learner's reviews and when), and "Fit to my reviews" (Ctrl+F, or the
palette) fits FSRS-6 to the review log in a thread worker: the screen stays usable, the line
says "Fitting… (N reviews)", then what the fit did. The fit is stored in the collection as
soon as it ends (as ``quizcalc scheduler fit`` does), whether the form is then saved or not.
"""

from __future__ import annotations

import os
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Header, Input, Label, Select, Static

from quizcalc.config import COLLECTION_SETTINGS, DEVICE_SETTINGS, Config
from quizcalc.study.errors import InvalidSetting, StudyError
from quizcalc.study.settings import (
    SETTING_LABELS,
    check_settings,
    in_words,
    read_settings,
    save_settings,
)
from quizcalc.tui.widgets.deck_limits_form import DeckLimitError, DeckLimitsForm
from quizcalc.tui.widgets.settled_footer import SettledFooter

if TYPE_CHECKING:
    from quizcalc.scheduling.fitting import FitResult
    from quizcalc.study.scheduler_numbers import StoredFit
    from quizcalc.study.service import StudyService
    from quizcalc.tui.app import QuizcalcApp

__all__ = [
    "FIT_BUTTON_LABEL",
    "LABELS",
    "SettingsScreen",
    "fit_outcome",
    "fitted_with",
    "shown_path",
]

LABELS = SETTING_LABELS
"""The form's label of every setting (words, not setting names)."""

SWITCH_LABELS: dict[str, str] = {
    "drill_moves_schedule": "Drill answers reschedule cards",
    "implicit_repetition": "Problems credit their sub-skills",
}
"""A switch's checkbox carries its own label (the row's label cell stays empty)."""

NOT_IN_FORM = frozenset({"theme"})
"""Settings chosen elsewhere (the theme: ctrl+t or the palette); saving keeps their value."""


def shown_path(path: Path) -> str:
    """``path`` as the learner knows it: ``~/…`` under the home folder."""
    home = Path(os.path.expanduser("~"))
    try:
        return f"~/{path.relative_to(home)}"
    except ValueError:
        return str(path)


SCHEDULERS = (("SM-2", "sm2"), ("FSRS-6", "fsrs"))
"""The scheduler picker's choices: label, setting value."""


FIT_BUTTON_LABEL = "Fit to my reviews"
"""The button that fits FSRS-6 to the learner's review log."""


SAVE_WAITS_FOR_FIT = "Not saved yet: FSRS is being fitted; save once the fit has ended."
"""The error line when Save is asked for while a fit runs (cleared when the fit ends)."""


def _day(moment: datetime, zone: datetime) -> str:
    """``7 Dec 2026``: ``moment``'s date where ``zone`` is (the learner's clock)."""
    local = moment.astimezone(zone.tzinfo) if moment.tzinfo else moment
    return f"{local.day} {local:%b %Y}"


def fitted_with(fit: StoredFit, now: datetime) -> str:
    """What FSRS schedules with: ``FSRS-6 defaults`` or ``your parameters, fitted on 1,234
    reviews on 7 Dec 2026``."""
    if fit.is_default or fit.fitted_at is None:
        return "FSRS-6 defaults"
    return f"your parameters, fitted on {fit.reviews:,} reviews on {_day(fit.fitted_at, now)}"


def fit_outcome(result: FitResult, stored: StoredFit) -> str:
    """What a fit from the screen did, in one sentence: the parameters it stored, or how many
    reviews are missing and what stays in use (``stored``: the collection's fit after it)."""
    if result.fitted:
        return f"Fitted on {result.reviews:,} reviews: FSRS now schedules with your parameters."
    kept = "the defaults stay" if stored.is_default else "your earlier fit stays"
    return f"Not fitted: at least {result.missing:,} more reviews are needed; {kept}."


class FitCounted(Message):
    """Posted by the fit worker once it knows how many reviews the fit reads."""

    def __init__(self, reviews: int) -> None:
        super().__init__()
        self.reviews = reviews
        """Reviews the fit reads (same-day repeats left out)."""


class FitFinished(Message):
    """Posted by the fit worker when the fit has ended (stored, or below the minimum)."""

    def __init__(self, result: FitResult, stored: StoredFit) -> None:
        super().__init__()
        self.result = result
        """What the fit did."""
        self.stored = stored
        """The collection's fit after it (what FSRS now schedules with)."""


class FitFailed(Message):
    """Posted by the fit worker when the fit could not run (a study error or a bug)."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message
        """Why, in words: shown in the screen's error line."""


def _parse(text: str) -> int | float | str:
    """A whole number or a decimal when ``text`` is one; otherwise the text (the check then
    explains)."""
    try:
        return int(text.strip())
    except ValueError:
        pass
    try:
        return float(text.strip())
    except ValueError:
        return text


class SettingsScreen(Screen[Config | None]):
    """A form over the settings; Save stores each part in its place, Escape cancels."""

    SUB_TITLE = "Settings"
    """Shown in the header after the app title."""

    AUTO_FOCUS = "#set-new_per_day"
    """The first field has the focus: type at once."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Leave without saving"),
        Binding("q", "cancel", "Cancel", show=False, tooltip="Leave without saving"),
        Binding("ctrl+s", "save", "Save", tooltip="Save the settings and apply them"),
        Binding(
            "ctrl+f",
            "fit_scheduler",
            "Fit FSRS",
            tooltip="Fit FSRS-6 to your reviews and store its parameters in the collection",
        ),
    ]
    """Escape cancels; Ctrl+S saves; Ctrl+F fits FSRS to the learner's reviews."""

    fit_epochs: ClassVar[int | None] = None
    """Training passes of a fit started here (``None``: the library's own; tests use few)."""

    def __init__(self, *, fit_at_once: bool = False) -> None:
        super().__init__()
        self.error: str | None = None
        """The message on show after a failed save (``None`` when there is none)."""
        self.fitting = False
        """True while a fit runs in the worker (the button and Ctrl+F wait for it)."""
        self.fit_at_once = fit_at_once
        """Start a fit as soon as the screen is up (the palette's "Fit FSRS to my reviews")."""

    @property
    def quiz_app(self) -> QuizcalcApp:
        """The app, typed."""
        return cast("QuizcalcApp", self.app)

    def _current(self) -> Config:
        service = self.quiz_app.service
        if service is not None:
            return service.config
        try:
            return read_settings(self.quiz_app.settings.config_file)
        except StudyError:
            return Config()

    def _form(self, names: tuple[str, ...], values: dict[str, Any], id: str) -> Grid:
        rows: list[Label | Checkbox | Input | Select[str]] = []
        for name in names:
            if name in NOT_IN_FORM:
                continue
            value = values[name]
            if name == "algorithm":
                rows.append(Label(LABELS[name]))
                rows.append(
                    Select(
                        SCHEDULERS, value=value, allow_blank=False, id=f"set-{name}", compact=True
                    )
                )
            elif isinstance(value, bool):
                rows.append(Label(""))
                rows.append(Checkbox(SWITCH_LABELS[name], value, id=f"set-{name}", compact=True))
            else:
                rows.append(Label(LABELS[name]))
                rows.append(Input(str(value), id=f"set-{name}", compact=True, type="text"))
        return Grid(*rows, id=id, classes="settings-form")

    def compose(self) -> ComposeResult:
        """The three parts, each under a line saying where it is kept; errors; two buttons."""
        config = self._current()
        values = asdict(config)
        service = self.quiz_app.service
        yield Header()
        with VerticalScroll(id="settings-body"):
            yield Static(
                Text.assemble(("This collection", "bold"), " · saved in it, travels with backups"),
                classes="settings-part",
            )
            yield self._form(COLLECTION_SETTINGS, values, "settings-form")
            yield self._fit_rows()
            yield Static(
                Text.assemble(("A deck's own limits", "bold"), " · saved in the collection"),
                classes="settings-part",
            )
            decks = []
            if service is not None:
                try:
                    decks = service.deck_limits(self.quiz_app.now())
                except StudyError as exc:
                    self.error = str(exc)
            yield DeckLimitsForm(decks, config.new_per_day, config.max_reviews_per_day)
            path = self.quiz_app.settings.config_file
            where = Static(
                Text.assemble(("This device", "bold"), f" · saved in {shown_path(path)}"),
                id="settings-file",
                classes="settings-part",
            )
            where.tooltip = str(path)
            yield where
            warning = service.settings_warning if service is not None else None
            if warning:
                yield Static(Text(warning), id="settings-ignored")
            yield self._form(DEVICE_SETTINGS, values, "settings-device-form")
            with Horizontal(id="settings-buttons"):
                yield Button("Save", id="settings-save", variant="primary", compact=True)
                yield Button("Cancel", id="settings-cancel", compact=True)
        error = Static(Text(self.error or ""), id="settings-error")  # below, always in view
        error.display = self.error is not None
        yield error
        yield SettledFooter()

    def _fit_rows(self) -> Grid:
        """What FSRS schedules with now, and the button that fits it to the learner's reviews
        (aligned with the form's fields)."""
        line = self._fitted_line()
        button = Button(FIT_BUTTON_LABEL, id="settings-fit", compact=True)
        button.tooltip = "Fit FSRS-6's parameters to your review log and store them (Ctrl+F)"
        return Grid(
            Label("FSRS schedules with"),
            Static(Text(line), id="settings-fit-line"),
            Label(""),
            button,
            id="settings-fit-form",
        )

    def _fitted_line(self) -> str:
        """What FSRS schedules with, read from the collection ("" when it cannot be read: the
        error line then says why)."""
        service = self.quiz_app.service
        if service is None:
            return ""
        try:
            return fitted_with(service.stored_fit(), self.quiz_app.now())
        except StudyError as exc:
            self.error = str(exc)
            return ""

    def on_mount(self) -> None:
        """Start the fit at once when asked to (from the palette on another screen)."""
        if self.fit_at_once:
            self.action_fit_scheduler()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ctrl+F is shown disabled while a fit runs."""
        if action == "fit_scheduler" and self.fitting:
            return None
        return True

    def action_fit_scheduler(self) -> None:
        """Fit FSRS-6 to the learner's reviews in a worker; the line says how it goes."""
        if self.fitting:
            return
        service = self.quiz_app.service
        if service is None:
            self._show_error("Not fitted: the collection is still opening; try again in a moment.")
            return
        self.fitting = True
        self.query_one("#settings-fit", Button).disabled = True
        self.query_one("#settings-fit-line", Static).update(Text("Fitting…"))
        self.refresh_bindings()
        self._fit(service, self.quiz_app, self.quiz_app.now())

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings-fit")
    def _fit(self, service: StudyService, app: QuizcalcApp, now: datetime) -> None:
        """Count the reviews, fit (as of ``now``) and read the stored fit back, off the UI
        thread; post each step. When the screen has closed meanwhile, the outcome is a toast
        (``app``: a closed screen no longer knows its app)."""
        try:
            self._tell(app, FitCounted(service.reviews_to_fit()))
            result = service.fit_scheduler(now, epochs=self.fit_epochs)
            stored = service.stored_fit()
        except StudyError as exc:
            self._tell(app, FitFailed(f"Not fitted: {exc}."))
            return
        except Exception as exc:  # a bug: its report, and the screen goes on
            from quizcalc.tui.bug_reports import report_bug

            self._tell(app, FitFailed(f"Not fitted: {report_bug(app, exc, 'fitting FSRS')}"))
            return
        self._tell(app, FitFinished(result, stored))

    def _tell(self, app: QuizcalcApp, message: FitCounted | FitFinished | FitFailed) -> None:
        """Post ``message`` to this screen; once it has closed, a final outcome is a toast."""
        if self.post_message(message) or isinstance(message, FitCounted):
            return
        if isinstance(message, FitFinished):
            text = fit_outcome(message.result, message.stored)
        else:
            text = message.message
        app.call_from_thread(app.notify, text, title="FSRS fit", markup=False)

    def on_fit_counted(self, message: FitCounted) -> None:
        """Say how many reviews the running fit reads."""
        if self.fitting:
            line = self.query_one("#settings-fit-line", Static)
            line.update(Text(f"Fitting… ({message.reviews:,} reviews)"))

    def on_fit_finished(self, message: FitFinished) -> None:
        """Say what the fit did; the button works again."""
        self._fit_ended(fit_outcome(message.result, message.stored))

    def on_fit_failed(self, message: FitFailed) -> None:
        """Say why in the error line; the line says what FSRS still schedules with."""
        self._fit_ended(self._fitted_line())
        self._show_error(message.message)

    def _fit_ended(self, line: str) -> None:
        self.fitting = False
        if self.error == SAVE_WAITS_FOR_FIT:
            self._show_error(None)
        self.query_one("#settings-fit-line", Static).update(Text(line))
        self.query_one("#settings-fit", Button).disabled = False
        self.refresh_bindings()

    def _values(self) -> dict[str, Any]:
        current = asdict(self._current())
        values: dict[str, Any] = {name: current[name] for name in NOT_IN_FORM}
        for name in (*COLLECTION_SETTINGS, *DEVICE_SETTINGS):
            if name in NOT_IN_FORM:
                continue
            widget = self.query_one(f"#set-{name}")
            if isinstance(widget, Checkbox | Select):
                values[name] = widget.value
            elif isinstance(widget, Input):
                values[name] = _parse(widget.value)
        return values

    def _show_error(self, message: str | None, field: str | None = None) -> None:
        self.error = message
        line = self.query_one("#settings-error", Static)
        line.update(Text(message or ""))
        line.display = message is not None
        for widget in self.query("#settings-body Input"):
            widget.set_class(widget.id == field, "-invalid")

    def on_input_changed(self, event: Input.Changed) -> None:
        """Check the edited value at once (the same rule as the file's)."""
        event.stop()
        field = event.input.id or ""
        try:
            if field.startswith("set-"):
                check_settings({field.removeprefix("set-"): _parse(event.value)})
            self._check_all()
        except InvalidSetting as exc:
            self._show_error(in_words(exc) + ".", f"set-{exc.key}")
        except DeckLimitError as exc:
            self._show_error(str(exc) + ".", exc.field)
        else:
            self._show_error(None)

    def _check_all(self) -> tuple[Config, dict[str, tuple[int | None, int | None]]]:
        """Every value checked: the settings and the decks' changed limits."""
        config = check_settings(self._values())
        return config, self.query_one(DeckLimitsForm).changes()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field saves."""
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Save, Cancel, or fit FSRS."""
        event.stop()
        if event.button.id == "settings-save":
            self.action_save()
        elif event.button.id == "settings-fit":
            self.action_fit_scheduler()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        """Check every value; store each part in its place and apply it, or say what is wrong.

        Not while a fit runs: the fit may replay every card's FSRS memory when it ends, and a
        scheduler switch saved meanwhile could replay them with the parameters it replaces.
        """
        if self.fitting:
            self._show_error(SAVE_WAITS_FOR_FIT)
            return
        try:
            config, deck_changes = self._check_all()
        except InvalidSetting as exc:
            self._show_error(f"Not saved: {in_words(exc)}.", f"set-{exc.key}")
            self.query_one(f"#set-{exc.key}").focus()
            return
        except DeckLimitError as exc:
            self._show_error(f"Not saved: {exc}.", exc.field)
            self.query_one(DeckLimitsForm).show_deck(exc.deck)
            self.query_one(f"#{exc.field}").focus()
            return
        service = self.quiz_app.service
        if service is None:
            self._show_error("Not saved: the collection is still opening; try again in a moment.")
            return
        path = self.quiz_app.settings.config_file
        try:
            applied = service.save_collection_settings(
                {name: getattr(config, name) for name in COLLECTION_SETTINGS}
            )
            now = self.quiz_app.now()
            for deck, (new, reviews) in deck_changes.items():
                service.set_deck_limits(deck, now, new_per_day=new, reviews_per_day=reviews)
        except StudyError as exc:
            self._show_error(f"Not saved: {exc}.")
            return
        device = {name: getattr(config, name) for name in DEVICE_SETTINGS}
        service.config = replace(applied, **device)
        try:
            save_settings(config, path)
        except StudyError as exc:
            self._show_error(f"The collection's settings were saved, this device's not: {exc}.")
            return
        service.settings_warning = None  # the file's old copies of the collection's are gone
        self.notify(f"Settings saved: the collection's in it, this device's in {shown_path(path)}.")
        self.dismiss(service.config)

    def action_cancel(self) -> None:
        """Leave without writing anything."""
        self.dismiss(None)
