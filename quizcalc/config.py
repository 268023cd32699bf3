"""User settings, read from and written to a TOML file."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

__all__ = [
    "ALGORITHMS",
    "COLLECTION_SETTINGS",
    "DEVICE_SETTINGS",
    "RETENTION_BOUNDS",
    "SCHEDULING_TABLE",
    "Config",
    "ConfigError",
    "SettingError",
    "file_settings",
    "flatten_tables",
    "load_config",
    "save_config",
    "validate_settings",
]


class ConfigError(Exception):
    """The config file cannot be used; the message names the file and the fix."""


@dataclass(frozen=True)
class Config:
    """Scheduling and session settings, and this device's preferences (the theme)."""

    new_per_day: int = 10
    """New cards introduced per study day."""
    max_reviews_per_day: int = 200
    """Cap on due reviews shown per study day."""
    rollover_hour: int = 4
    """Local hour at which a new study day starts (Anki's default is 4 a.m.)."""
    relearn_gap: int = 3
    """Other cards shown before a failed card is asked again (SM-2 step 7)."""
    leech_threshold: int = 8
    """Lapses after which a card is tagged leech and suspended (Anki's default is 8)."""
    drill_count: int = 10
    """Problems in a drill when no count is given."""
    drill_minutes: int = 0
    """Time limit of a drill in minutes when none is given (0: no limit)."""
    drill_difficulty: int = 1
    """Difficulty of a drill's problems when none is given."""
    drill_moves_schedule: bool = False
    """Whether drill answers also move SM-2 schedules (off, as in Anki's custom study)."""
    algorithm: str = "sm2"
    """The scheduler: ``sm2`` (SuperMemo's SM-2, the default) or ``fsrs`` (FSRS-6, with the
    parameters fitted to this collection's log by the scheduler's fit command, else the
    defaults). Switching rebuilds every card's schedule from its review log."""
    desired_retention: float = 0.9
    """Under FSRS: the predicted recall at which a card falls due (0.70 to 0.99)."""
    implicit_repetition: bool = True
    """A passed problem that encompasses other skills (an MLP gradient: the chain rule; a
    momentum step: a gradient-descent step) credits them a share of a review, and a
    misconception that belongs to one makes it due. On by default: simulated, it saves reviews
    at under half a point of retention even when practice does not transfer."""
    backups_keep: int = 20
    """How many automatic backups (snapshots beside the collection) are kept; older go."""
    import_max_file_mib: int = 128
    """Largest CSV/TSV or Markdown file read whole (MiB); a bigger one is refused."""
    import_max_collection_mib: int = 256
    """Largest collection an Anki package may expand to (MiB, uncompressed)."""
    import_max_field_kib: int = 1024
    """Largest single field or card text an import may hold (KiB)."""
    import_max_rows: int = 500_000
    """Most rows (notes, cards, review-log rows, text rows) one imported file may hold."""
    import_max_media_files: int = 50_000
    """Most media files an Anki package may list."""
    import_max_media_mib: int = 4096
    """Largest total size of an Anki package's media files (MiB)."""
    restore_max_file_mib: int = 4096
    """Largest JSON backup ``quizcalc restore`` reads (MiB). A backup is read a window at a
    time, so this bounds the time and disk a restore may take, not its memory."""
    restore_max_rows: int = 20_000_000
    """Most rows of one table a restored backup may hold: a heavy learner's ten years are a
    few million reviews, past the ``import_max_rows`` meant for files from elsewhere."""
    theme: str = "textual-dark"
    """This device's colour theme (a Textual theme name: ``textual-light``, ``nord``…); the
    TUI writes it here when ctrl+t or the palette's theme picker changes it."""


COLLECTION_SETTINGS: tuple[str, ...] = (
    "new_per_day",
    "max_reviews_per_day",
    "rollover_hour",
    "relearn_gap",
    "leech_threshold",
    "drill_count",
    "drill_minutes",
    "drill_difficulty",
    "drill_moves_schedule",
    "algorithm",
    "desired_retention",
    "implicit_repetition",
)
"""The collection's own settings: how it is studied (daily limits, the study day, relearning,
leeches, drill defaults). They are kept in the collection's database, so they travel with its
backups and to other devices; ``config.toml`` only seeds them once, for a collection that has
none yet."""

DEVICE_SETTINGS: tuple[str, ...] = (
    "theme",
    "backups_keep",
    "import_max_file_mib",
    "import_max_collection_mib",
    "import_max_field_kib",
    "import_max_rows",
    "import_max_media_files",
    "import_max_media_mib",
    "restore_max_file_mib",
    "restore_max_rows",
)
"""This device's own preferences, kept in ``config.toml``: its colours, how many snapshots to
keep on this disk and how large a file this machine agrees to read (its memory and disk, not
the collection's)."""

_BOUNDS: dict[str, tuple[int, int]] = {
    "new_per_day": (0, 10_000),
    "max_reviews_per_day": (0, 100_000),
    "rollover_hour": (0, 23),
    "relearn_gap": (0, 100),
    "leech_threshold": (1, 1000),
    "drill_count": (1, 500),
    "drill_minutes": (0, 600),
    "drill_difficulty": (1, 3),
    "backups_keep": (1, 1000),
    "import_max_file_mib": (1, 65_536),
    "import_max_collection_mib": (1, 65_536),
    "import_max_field_kib": (1, 1_048_576),
    "import_max_rows": (1, 100_000_000),
    "import_max_media_files": (0, 100_000_000),
    "import_max_media_mib": (0, 1_048_576),
    "restore_max_file_mib": (1, 1_048_576),
    "restore_max_rows": (1, 1_000_000_000),
}


def load_config(path: Path) -> Config:
    """Read ``path``; a missing file gives the defaults, a bad one raises :class:`ConfigError`."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror}).") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix it or delete the file.") from exc
    return _from_mapping(data, path)


def file_settings(path: Path) -> dict[str, Any]:
    """The settings ``path`` sets explicitly (checked as :func:`load_config` checks them).

    A missing file sets none; a bad one raises :class:`ConfigError` as :func:`load_config` does.
    """
    load_config(path)  # the checks, and their messages
    try:
        return flatten_tables(tomllib.loads(path.read_bytes().decode("utf-8")))
    except FileNotFoundError:
        return {}


class SettingError(ConfigError):
    """One setting has a bad value; :attr:`key` names it (the message has no file name)."""

    def __init__(self, key: str, message: str, *, wrong_type: bool = False) -> None:
        super().__init__(message)
        self.key = key
        """The setting at fault."""
        self.wrong_type = wrong_type
        """True when the value has the wrong type (not merely out of bounds)."""


_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
"""What a name setting (the theme) may hold."""


ALGORITHMS = ("sm2", "fsrs")
"""The schedulers the ``algorithm`` setting chooses from."""

RETENTION_BOUNDS = (0.7, 0.99)
"""The desired retentions FSRS is offered at: below 70 % most reviews are failures, above
99 % the workload explodes (fsrs-rs's own simulator range)."""


def _check_setting(key: str, value: Any) -> None:
    """Raise :class:`SettingError` when ``value`` cannot be setting ``key``."""
    if key == "algorithm":
        if value not in ALGORITHMS:
            raise SettingError(
                key,
                f"algorithm must be sm2 or fsrs, got {value!r}",
                wrong_type=not isinstance(value, str),
            )
        return
    if key == "desired_retention":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SettingError(
                key, f"desired_retention must be a number, got {value!r}", wrong_type=True
            )
        low, high = RETENTION_BOUNDS
        if not low <= value <= high:
            raise SettingError(
                key, f"desired_retention must be between {low} and {high}, got {value}"
            )
        return
    if isinstance(getattr(Config, key), str):
        if not isinstance(value, str) or not _NAME.fullmatch(value):
            raise SettingError(
                key,
                f"{key} must be a name of lower-case letters, digits and dashes, got {value!r}",
                wrong_type=not isinstance(value, str),
            )
        return
    if isinstance(getattr(Config, key), bool):
        if not isinstance(value, bool):
            raise SettingError(key, f"{key} must be true or false, got {value!r}", wrong_type=True)
        return
    if not isinstance(value, int) or isinstance(value, bool):
        raise SettingError(key, f"{key} must be a whole number, got {value!r}", wrong_type=True)
    low, high = _BOUNDS[key]
    if not low <= value <= high:
        raise SettingError(key, f"{key} must be between {low} and {high}, got {value}")


def validate_settings(data: Mapping[str, Any]) -> Config:
    """The defaults overridden by ``data``, checked as a config file is.

    Raises :class:`SettingError` naming the first unknown or bad setting.
    """
    known = {f.name for f in fields(Config)}
    for key, value in data.items():
        if key not in known:
            raise SettingError(
                key, f"unknown setting {key!r}; known settings: {', '.join(sorted(known))}"
            )
        _check_setting(key, value)
    if "desired_retention" in data:
        data = {**data, "desired_retention": float(data["desired_retention"])}
    return replace(Config(), **data)


SCHEDULING_TABLE = "scheduling"
"""``config.toml``'s ``[scheduling]`` table: ``algorithm``, ``desired_retention`` and
``implicit_repetition`` may be written under it, as Anki users expect, or at the top level."""


def flatten_tables(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with the ``[scheduling]`` table's settings moved to the top level."""
    flat = {key: value for key, value in data.items() if key != SCHEDULING_TABLE}
    table = data.get(SCHEDULING_TABLE)
    if table is None:
        return flat
    if not isinstance(table, Mapping):
        raise SettingError(SCHEDULING_TABLE, "scheduling must be a table ([scheduling])")
    flat.update(table)
    return flat


def _from_mapping(data: dict[str, Any], path: Path) -> Config:
    try:
        return validate_settings(flatten_tables(data))
    except SettingError as exc:
        hint = (
            "" if "unknown" in str(exc) or "between" in str(exc) else "; fix it or delete the line"
        )
        raise ConfigError(f"{path}: {exc}{hint}.") from exc


def save_config(config: Config, path: Path, only: tuple[str, ...] | None = None) -> None:
    """Write ``config`` as TOML, atomically (a crash never leaves half a file).

    With ``only``, just those settings are written (the device's, say); the others leave the
    file.
    """
    import tomli_w

    values = asdict(config)
    if only is not None:
        values = {key: values[key] for key in only}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(tomli_w.dumps(values), encoding="utf-8")
    tmp.replace(path)
