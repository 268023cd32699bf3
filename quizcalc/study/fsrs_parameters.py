"""The FSRS parameters in force: the learner's stored fit, else FSRS-6's defaults.

The ``scheduler fit`` command stores its fit as the collection setting ``fsrs_parameters``, JSON
``{"parameters": [21 floats], "reviews": n, "fitted_at": "..."}``. This module only reads it,
with plain SQL through a ``RunSQL`` callable (so the statistics' stdlib ``sqlite3`` path can
use it too: no SQLAlchemy here). A row that is missing or unusable means the defaults.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from quizcalc.scheduling.fsrs import DEFAULT_PARAMETERS
from quizcalc.study.queue_limits import RunSQL

__all__ = [
    "DEFAULTS",
    "PARAMETERS_SETTING",
    "FsrsParameters",
    "parse_fit",
    "read_fsrs_parameters",
]

PARAMETERS_SETTING = "fsrs_parameters"
"""The ``collection_settings`` row holding the learner's fitted parameters."""

_READ = "SELECT value FROM collection_settings WHERE name = :name"


@dataclass(frozen=True)
class FsrsParameters:
    """The parameters FSRS uses for this collection, and where they come from."""

    parameters: tuple[float, ...]
    fitted_reviews: int | None = None
    """The reviews the fit was made on; ``None`` for the defaults."""
    fitted_at: str | None = None
    """When the fit was made (ISO time, as stored)."""

    @property
    def fitted(self) -> bool:
        """True when these are the learner's own fit, not the defaults."""
        return self.fitted_reviews is not None

    def describe(self) -> str:
        """``"fitted on 1,234 reviews"`` or ``"FSRS-6 defaults"``."""
        if self.fitted_reviews is None:
            return "FSRS-6 defaults"
        return f"fitted on {self.fitted_reviews:,} reviews"


DEFAULTS = FsrsParameters(DEFAULT_PARAMETERS)
"""FSRS-6's defaults, used until the learner has a fit."""


def read_fsrs_parameters(run: RunSQL) -> FsrsParameters:
    """The stored fit when there is a usable one (21 finite numbers), else the defaults."""
    rows = run(_READ, {"name": PARAMETERS_SETTING})
    return parse_fit(str(rows[0][0])) if rows else DEFAULTS


def parse_fit(raw: str) -> FsrsParameters:
    """The fit stored as ``raw`` (the setting row's JSON) when it is usable (21 finite
    numbers), else the defaults: the one reading of that row."""
    try:
        stored = json.loads(raw)
        values = tuple(float(value) for value in stored["parameters"])
        reviews = int(stored.get("reviews", 0))
        fitted_at = stored.get("fitted_at")
    except (ValueError, TypeError, KeyError, AttributeError):
        return DEFAULTS
    if len(values) != len(DEFAULT_PARAMETERS) or not all(math.isfinite(v) for v in values):
        return DEFAULTS
    return FsrsParameters(values, reviews, None if fitted_at is None else str(fitted_at))
