"""Export by file suffix: ``.apkg``, ``.csv``/``.tsv``, ``.md`` (``.json`` is a backup).

Each format lives in its own module with one ``write_*`` function of the same shape,
imported only when that format is asked for (genanki, for one, is slow to import).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path

from quizcalc.exchange.model import (
    ExchangeCard,
    ExchangeError,
    ExportOptions,
    ExportReport,
    Progress,
)

__all__ = ["EXPORT_SUFFIXES", "Writer", "export_cards"]

Writer = Callable[[Sequence[ExchangeCard], Path, ExportOptions, Progress | None], ExportReport]
"""``write(cards, path, options, progress)``: write one file, atomically, and report."""

EXPORT_SUFFIXES: dict[str, tuple[str, str]] = {
    ".apkg": ("quizcalc.exchange.apkg_export", "write_apkg"),
    ".csv": ("quizcalc.exchange.anki_text_export", "write_anki_text"),
    ".tsv": ("quizcalc.exchange.anki_text_export", "write_anki_text"),
    ".txt": ("quizcalc.exchange.anki_text_export", "write_anki_text"),
    ".md": ("quizcalc.exchange.markdown_export", "write_markdown"),
}
"""Card-export formats by suffix: (module, function). ``.json`` backups are whole-store."""


def writer_for(path: Path) -> Writer:
    """The writer for ``path``'s suffix, or :class:`ExchangeError` naming the known ones."""
    suffix = path.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        known = ", ".join([*EXPORT_SUFFIXES, ".json"])
        raise ExchangeError(f"{path}: unknown export format {suffix or '(no suffix)'}; use {known}")
    module, function = EXPORT_SUFFIXES[suffix]
    writer: Writer = getattr(import_module(module), function)
    return writer


def export_cards(
    cards: Sequence[ExchangeCard],
    path: Path,
    options: ExportOptions,
    progress: Progress | None = None,
) -> ExportReport:
    """Write ``cards`` to ``path`` in the format its suffix names."""
    return writer_for(path)(cards, path, options, progress)
