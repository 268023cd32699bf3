"""The settings screen: every :class:`~quizcalc.config.Config` field in one form, saved to TOML.

Values are checked by :func:`quizcalc.study.settings.check_settings`, the same rules a
config file goes through (no bounds are repeated here); a bad value is named in an inline
error line and nothing is written. Save (Ctrl+S, Enter in a field, or the button) writes the
file atomically with :func:`quizcalc.study.settings.save_settings`, puts the new settings into
the open study service and dismisses with them; Escape leaves without writing (dismisses
``None``).
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Static

from quizcalc.config import Config
from quizcalc.study.errors import InvalidSetting, StudyError
from quizcalc.study.settings import check_settings, read_settings, save_settings

if TYPE_CHECKING:
    from quizcalc.tui.app import QuizcalcApp

__all__ = ["LABELS", "SettingsScreen"]

LABELS: dict[str, str] = {
    "new_per_day": "New cards per day",
    "max_reviews_per_day": "Max reviews per day",
    "rollover_hour": "New day starts at (hour)",
    "relearn_gap": "Cards before a miss returns",
    "leech_threshold": "Leech threshold (lapses)",
    "drill_count": "Drill: problems",
    "drill_minutes": "Drill: minutes (0 = no limit)",
    "drill_difficulty": "Drill: difficulty (1–3)",
    "drill_moves_schedule": "Drill answers move schedules",
    "backups_keep": "Backups kept",
    "import_max_file_mib": "Import: text file (MiB)",
    "import_max_collection_mib": "Import: Anki collection (MiB)",
    "import_max_field_kib": "Import: one field (KiB)",
    "import_max_rows": "Import: most rows per file",
    "import_max_media_files": "Import: most media files",
    "import_max_media_mib": "Import: media in all (MiB)",
}
"""The form's label of every setting, in form order."""

NOT_IN_FORM = frozenset({"theme"})
"""Settings chosen elsewhere (the theme: ctrl+t or the palette); saving keeps their value."""


def _parse(text: str) -> int | str:
    """A whole number when ``text`` is one; otherwise the text (the check then explains)."""
    try:
        return int(text.strip())
    except ValueError:
        return text


class SettingsScreen(Screen[Config | None]):
    """A form over the settings; Save writes the TOML file and applies it, Escape cancels."""

    SUB_TITLE = "Settings"
    """Shown in the header after the app title."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Leave without saving"),
        Binding("q", "cancel", "Cancel", show=False, tooltip="Leave without saving"),
        Binding("ctrl+s", "save", "Save", tooltip="Write the settings file and apply it"),
    ]
    """Escape cancels; Ctrl+S saves."""

    def __init__(self) -> None:
        super().__init__()
        self.error: str | None = None
        """The message on show after a failed save (``None`` when there is none)."""

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

    def compose(self) -> ComposeResult:
        """One line per setting, the file it goes to, the error line and two buttons."""
        values = asdict(self._current())
        yield Header()
        with VerticalScroll(id="settings-body"):
            with Grid(id="settings-form"):
                for field in fields(Config):
                    if field.name in NOT_IN_FORM:
                        continue
                    yield Label(LABELS.get(field.name, field.name))
                    value = values[field.name]
                    if isinstance(value, bool):
                        yield Checkbox("yes", value, id=f"set-{field.name}", compact=True)
                    else:
                        yield Input(str(value), id=f"set-{field.name}", compact=True, type="text")
            path = self.quiz_app.settings.config_file
            file_line = Static(Text(f"Writes {path.name} (hover for the full path)"))
            file_line.id = "settings-file"
            file_line.tooltip = str(path)
            yield file_line
            yield Static(id="settings-error")
            with Horizontal(id="settings-buttons"):
                yield Button("Save", id="settings-save", variant="primary", compact=True)
                yield Button("Cancel", id="settings-cancel", compact=True)
        yield Footer()

    def _values(self) -> dict[str, Any]:
        current = asdict(self._current())
        values: dict[str, Any] = {name: current[name] for name in NOT_IN_FORM}
        for field in fields(Config):
            if field.name in NOT_IN_FORM:
                continue
            widget = self.query_one(f"#set-{field.name}")
            if isinstance(widget, Checkbox):
                values[field.name] = widget.value
            elif isinstance(widget, Input):
                values[field.name] = _parse(widget.value)
        return values

    def _show_error(self, message: str | None, key: str | None = None) -> None:
        self.error = message
        self.query_one("#settings-error", Static).update(Text(message or ""))
        for widget in self.query("#settings-form Input"):
            widget.set_class(widget.id == f"set-{key}", "-invalid")

    def on_input_changed(self, event: Input.Changed) -> None:
        """Check the edited value at once (the same rule as the file's)."""
        event.stop()
        key = (event.input.id or "").removeprefix("set-")
        try:
            check_settings({key: _parse(event.value)})
        except InvalidSetting as exc:
            self._show_error(str(exc) + ".", exc.key)
        else:
            if self.error is not None:
                try:
                    check_settings(self._values())
                except InvalidSetting as exc:
                    self._show_error(str(exc) + ".", exc.key)
                else:
                    self._show_error(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field saves."""
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Save or Cancel."""
        event.stop()
        if event.button.id == "settings-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        """Check every value; write the file and apply it, or show what is wrong."""
        try:
            config = check_settings(self._values())
        except InvalidSetting as exc:
            self._show_error(f"Not saved: {exc}.", exc.key)
            self.query_one(f"#set-{exc.key}").focus()
            return
        path = self.quiz_app.settings.config_file
        try:
            save_settings(config, path)
        except StudyError as exc:
            self._show_error(f"Not saved: {exc}.")
            return
        service = self.quiz_app.service
        if service is not None:
            service.config = config
        self.notify(f"Settings saved to {path}.")
        self.dismiss(config)

    def action_cancel(self) -> None:
        """Leave without writing anything."""
        self.dismiss(None)
