"""Settings use cases: read, check and save the settings file, as the UI and the CLI need.

The rules live in :mod:`quizcalc.config`; this module only makes their failures
:class:`~quizcalc.study.errors.StudyError` s, so that the screens and commands catch one type.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from quizcalc.config import DEVICE_SETTINGS, Config, load_config, save_config, validate_settings
from quizcalc.study.errors import InvalidSetting, StudyError, doing

__all__ = [
    "SETTING_LABELS",
    "check_settings",
    "in_words",
    "read_settings",
    "save_settings",
]

SETTING_LABELS: dict[str, str] = {
    "new_per_day": "New cards per day",
    "max_reviews_per_day": "Reviews per day",
    "rollover_hour": "Next day starts at (hour)",
    "relearn_gap": "Cards before a missed one returns",
    "leech_threshold": "Lapses that make a leech",
    "drill_count": "Problems in a drill",
    "drill_minutes": "Drill time limit (minutes, 0: none)",
    "drill_difficulty": "Drill difficulty (1 to 3)",
    "drill_moves_schedule": "Drill answers also reschedule cards",
    "algorithm": "Scheduler",
    "desired_retention": "Desired retention (FSRS)",
    "implicit_repetition": "Problems credit their sub-skills",
    "theme": "Colour theme",
    "backups_keep": "Automatic backups kept",
    "import_max_file_mib": "Largest text file (MiB)",
    "import_max_collection_mib": "Largest Anki collection (MiB)",
    "import_max_field_kib": "Largest single field (KiB)",
    "import_max_rows": "Most rows in one imported file",
    "import_max_media_files": "Most media files in a package",
    "import_max_media_mib": "Most media in all (MiB)",
    "restore_max_file_mib": "Largest backup restored (MiB)",
    "restore_max_rows": "Most rows per table in a backup",
}
"""Every setting in words, as the settings screen and ``quizcalc settings`` show it."""


def in_words(error: InvalidSetting) -> str:
    """``error``'s message with the setting's name in words: ``New cards per day: must be a
    whole number, got 'ten'`` (an unknown setting's message is kept as it is)."""
    label = SETTING_LABELS.get(error.key)
    message = str(error)
    if label is None or not message.startswith(f"{error.key} "):
        return message
    return f"{label}: {message.removeprefix(f'{error.key} ')}"


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
