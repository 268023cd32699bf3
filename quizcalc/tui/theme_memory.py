"""The theme is a device preference: chosen with ctrl+t or the palette, kept in config.toml.

:func:`restore_theme` applies the saved theme when the app starts (before the first frame);
:func:`remember_theme` then writes every change back to the settings file, so the next start
looks the same. A theme name this Textual does not know leaves the default and says so.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.theme import Theme

if TYPE_CHECKING:
    from quizcalc.tui.app import QuizcalcApp

__all__ = ["remember_theme", "restore_theme"]


def restore_theme(app: QuizcalcApp) -> None:
    """Apply the theme saved in the app's settings file, then remember later changes."""
    from quizcalc.study.errors import StudyError
    from quizcalc.study.settings import read_settings

    try:
        saved = read_settings(app.settings.config_file).theme
    except StudyError:
        saved = None  # the start-up worker reports an unreadable file
    if saved is not None and saved != app.theme:
        if saved in app.available_themes:
            app.theme = saved
        else:
            app.notify(
                f"{app.settings.config_file}: unknown theme {saved!r}; using {app.theme} "
                "(ctrl+p, then Theme, lists them)",
                severity="warning",
            )
    app.theme_changed_signal.subscribe(app, lambda theme: remember_theme(app, theme))


def remember_theme(app: QuizcalcApp, theme: Theme) -> None:
    """Write ``theme`` to the settings file (the other settings as they are there)."""
    from quizcalc.study.errors import StudyError
    from quizcalc.study.settings import read_settings, save_settings

    path = app.settings.config_file
    try:
        config = read_settings(path)
        if config.theme == theme.name:
            return
        save_settings(replace(config, theme=theme.name), path)
    except StudyError as exc:
        app.notify(f"The theme is not remembered: {exc}", severity="warning")
        return
    if app.service is not None:
        app.service.config = replace(app.service.config, theme=theme.name)
