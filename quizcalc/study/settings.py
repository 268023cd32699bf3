"""Settings use cases: read, check and save the settings file, as the UI and the CLI need.

The rules live in :mod:`quizcalc.config`; this module only makes their failures
:class:`~quizcalc.study.errors.StudyError` s, so that the screens and commands catch one type.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from quizcalc.config import DEVICE_SETTINGS, Config, load_config, save_config, validate_settings
from quizcalc.study.errors import StudyError, doing

__all__ = ["check_settings", "read_settings", "save_settings"]


def read_settings(path: Path) -> Config:
    """The settings in ``path`` (the defaults when it does not exist).

    A file that cannot be read or is not valid raises
    :class:`~quizcalc.study.errors.SettingsUnreadable` naming it and the fix.
    """
    with doing("read your settings"):
        return load_config(path)


def check_settings(values: Mapping[str, Any]) -> Config:
    """The defaults overridden by ``values``, checked as a settings file is.

    The first unknown or bad value raises :class:`~quizcalc.study.errors.InvalidSetting`,
    whose ``key`` names it.
    """
    with doing("check the settings"):
        return validate_settings(values)


def save_settings(config: Config, path: Path) -> None:
    """Write ``config``'s device preferences to ``path`` atomically (a crash never leaves
    half a file). The collection's settings are not written there: they are saved in the
    collection (:meth:`~quizcalc.study.service.StudyService.save_collection_settings`), and
    the file's old copies of them go.

    A folder that cannot be written raises :class:`~quizcalc.study.errors.StudyError` naming
    ``path``; the old file is then left as it was.
    """
    try:
        save_config(config, path, only=DEVICE_SETTINGS)
    except OSError as exc:
        raise StudyError(
            f"{path}: cannot write the settings ({exc.strerror or exc}); check that its folder "
            "is writable, or pass --config to use another file"
        ) from exc
