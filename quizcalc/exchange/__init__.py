"""Export and import: Anki packages, Anki's text format, our Markdown, and JSON backups.

The core of the exchange is format-neutral (:mod:`quizcalc.exchange.model`); each format is a
module of its own, imported only when that format is used. Nothing here imports Textual, the
store or SQLAlchemy: the study layer reads and writes the database and hands rows over as plain
data (a JSON backup's tables are described by a ``BackupLayout``).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizcalc.exchange.backup_format import Backup, BackupLayout, BackupReport
    from quizcalc.exchange.backup_reader import read_backup_file
    from quizcalc.exchange.export import EXPORT_SUFFIXES, export_cards
    from quizcalc.exchange.model import (
        ExchangeCard,
        ExchangeError,
        ExchangeReview,
        ExchangeSchedule,
        ExportOptions,
        ExportReport,
    )

_HOMES = {
    "Backup": "quizcalc.exchange.backup_format",
    "BackupLayout": "quizcalc.exchange.backup_format",
    "BackupReport": "quizcalc.exchange.backup_format",
    "read_backup_file": "quizcalc.exchange.backup_reader",
    "EXPORT_SUFFIXES": "quizcalc.exchange.export",
    "export_cards": "quizcalc.exchange.export",
    "ExchangeCard": "quizcalc.exchange.model",
    "ExchangeError": "quizcalc.exchange.model",
    "ExchangeReview": "quizcalc.exchange.model",
    "ExchangeSchedule": "quizcalc.exchange.model",
    "ExportOptions": "quizcalc.exchange.model",
    "ExportReport": "quizcalc.exchange.model",
}

__all__ = [
    "EXPORT_SUFFIXES",
    "Backup",
    "BackupLayout",
    "BackupReport",
    "ExchangeCard",
    "ExchangeError",
    "ExchangeReview",
    "ExchangeSchedule",
    "ExportOptions",
    "ExportReport",
    "export_cards",
    "read_backup_file",
]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'quizcalc.exchange' has no attribute {name!r}")
