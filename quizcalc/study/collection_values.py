"""The collection's own settings as stored in its database, read with plain SQL.

Daily limits, the study day's rollover, relearning, leeches and drill defaults belong to the
collection (:data:`quizcalc.config.COLLECTION_SETTINGS`): they live in its
``collection_settings`` table, one JSON value per name, and so travel with its backups. This
module only reads and checks them, through a ``RunSQL`` callable, so the start-up fast path
(stdlib ``sqlite3``) applies the very same values as the study service (SQLAlchemy); it must
stay free of SQLAlchemy imports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from quizcalc.config import COLLECTION_SETTINGS, Config, SettingError, validate_settings
from quizcalc.study.fsrs_parameters import PARAMETERS_SETTING, parse_fit
from quizcalc.study.queue_limits import RunSQL

__all__ = [
    "FSRS_FIT_SETTING",
    "STORED_SETTINGS",
    "StoredSettings",
    "fitted_parameters",
    "read_stored_settings",
]

STORED_SETTINGS = "SELECT name, value FROM collection_settings ORDER BY name"

FSRS_FIT_SETTING = PARAMETERS_SETTING
"""The ``collection_settings`` row holding FSRS parameters fitted to the collection's log."""


def fitted_parameters(raw: str | None) -> tuple[float, ...]:
    """The fitted parameters stored as ``raw``; empty (FSRS-6's defaults apply) when there
    is no fit or it cannot be used (:func:`~quizcalc.study.fsrs_parameters.parse_fit`)."""
    if raw is None:
        return ()
    fit = parse_fit(raw)
    return fit.parameters if fit.fitted else ()


@dataclass(frozen=True)
class StoredSettings:
    """The collection's settings found in its database, checked."""

    values: dict[str, Any] = field(default_factory=dict)
    """Each usable setting's value, by name."""
    problems: list[str] = field(default_factory=list)
    """One line per stored value that could not be used (its default or the file's applies)."""
    fsrs_parameters: tuple[float, ...] = ()
    """FSRS parameters fitted to the collection's log (empty: none, the defaults apply)."""

    @property
    def empty(self) -> bool:
        """True when the collection holds no settings yet (then ``config.toml`` seeds them)."""
        return not self.values and not self.problems

    def over(self, config: Config) -> Config:
        """``config`` with the collection's values in place of its own."""
        return replace(config, **self.values)


def read_stored_settings(run: RunSQL) -> StoredSettings:
    """The settings stored in the collection; a bad value is named in ``problems``, not used.

    A name this version does not know (written by a newer one) is left alone and unused.
    """
    values: dict[str, Any] = {}
    problems: list[str] = []
    fitted: tuple[float, ...] = ()
    for name, raw in run(STORED_SETTINGS, {}):
        if name == FSRS_FIT_SETTING:
            fitted = fitted_parameters(raw)
            continue
        if name not in COLLECTION_SETTINGS:
            continue
        try:
            value = json.loads(raw)
            validate_settings({name: value})
        except (ValueError, SettingError) as exc:
            problems.append(
                f"the collection's setting {name} is unusable ({exc}); "
                "set it again in Settings (until then config.toml's value or the default applies)"
            )
            continue
        values[name] = value
    return StoredSettings(values, problems, fitted)
