"""The one place that knows where user data lives.

Precedence for the database: ``--db PATH|URL`` > ``QUIZCALC_DB`` > the platform user-data
directory. Content: ``--content DIR`` > ``QUIZCALC_CONTENT`` > the bundled ``content/``.
Config: ``--config FILE`` > ``QUIZCALC_CONFIG`` > the platform config directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = [
    "APP_NAME",
    "backups_dir",
    "bundled_content_dir",
    "config_path",
    "content_dir",
    "crash_reports_dir",
    "database_url",
    "default_database_url",
]

APP_NAME = "quizcalc"
"""Directory name under the platform's data and config roots."""

_PACKAGE_ROOT = Path(__file__).resolve().parent


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def _user_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_database_url() -> str:
    """The database used when none is chosen; the only one whose folder is made on first use
    (a chosen path whose folder is missing is a mistake, refused rather than created)."""
    return database_url(str(_user_data_dir() / "quizcalc.sqlite3"))


def database_url(db: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The database to open: a SQLAlchemy URL, or a file path turned into a SQLite URL."""
    chosen = db or _env(environ).get("QUIZCALC_DB") or str(_user_data_dir() / "quizcalc.sqlite3")
    if "://" in chosen:
        return chosen
    path = Path(chosen).expanduser().resolve()
    return f"sqlite:///{path}"


def config_path(config: str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The TOML settings file (it need not exist yet)."""
    chosen = config or _env(environ).get("QUIZCALC_CONFIG")
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def bundled_content_dir() -> Path:
    """The decks that ship with quizcalc: the repository's ``content/`` in a checkout (an
    editable install), else the copy a wheel or sdist carries as ``quizcalc/decks``."""
    checkout = _PACKAGE_ROOT.parent / "content"
    if checkout.is_dir() or not (_PACKAGE_ROOT / "decks").is_dir():
        return checkout
    return _PACKAGE_ROOT / "decks"


def content_dir(content: str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The content folder synced at start."""
    chosen = content or _env(environ).get("QUIZCALC_CONTENT")
    return Path(chosen).expanduser() if chosen else bundled_content_dir()


def backups_dir() -> Path:
    """Where automatic backups are written before destructive operations."""
    return _user_data_dir() / "backups"


def crash_reports_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where a report is written when quizcalc meets an unexpected error (a bug).

    ``QUIZCALC_CRASH_DIR`` overrides the platform's user-state directory.
    """
    chosen = _env(environ).get("QUIZCALC_CRASH_DIR")
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP_NAME, appauthor=False)) / "crash-reports"
