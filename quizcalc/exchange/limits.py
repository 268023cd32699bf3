"""Caps on what an imported file may make quizcalc read, decompress or store.

Every importer reads through these: a file past a cap is refused whole (nothing is stored),
with one line naming the file, the cap it hit and the setting that raises it. The caps are
settings (:class:`~quizcalc.config.Config`, ``import_max_*``); :class:`ImportLimits` carries
them into the readers, which sit below the study layer and are handed their limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from quizcalc.cards.model import Card
from quizcalc.config import Config
from quizcalc.exchange.model import ExchangeError

__all__ = [
    "CHUNK",
    "ImportLimits",
    "ImportTooLarge",
    "check_cards",
    "copy_capped",
    "over",
    "read_capped",
    "size_text",
    "too_large",
]

CHUNK = 1 << 16
"""Bytes read at a time when a stream is copied under a cap."""

KIB = 1024
"""Bytes in a KiB."""
MIB = 1024 * 1024
"""Bytes in a MiB."""


class ImportTooLarge(ExchangeError):
    """An imported file goes past one of the caps; the message names the file and the setting."""


@dataclass(frozen=True)
class ImportLimits:
    """The import caps in bytes and counts (the settings, converted)."""

    max_file_bytes: int = Config.import_max_file_mib * MIB
    """Largest text file read whole (CSV/TSV, Markdown, JSON backup)."""
    max_collection_bytes: int = Config.import_max_collection_mib * MIB
    """Largest uncompressed collection inside an Anki package."""
    max_field_bytes: int = Config.import_max_field_kib * KIB
    """Largest single field (UTF-8 bytes)."""
    max_rows: int = Config.import_max_rows
    """Most rows of one kind in one file."""
    max_media_files: int = Config.import_max_media_files
    """Most media files one package may list."""
    max_media_bytes: int = Config.import_max_media_mib * MIB
    """Largest total size of one package's media files."""
    file_setting: str = "import_max_file_mib"
    """The setting that raises :attr:`max_file_bytes`, named when a file is refused."""
    rows_setting: str = "import_max_rows"
    """The setting that raises :attr:`max_rows`, named when a file is refused."""

    @classmethod
    def from_config(cls, config: Config) -> ImportLimits:
        """The caps ``config`` sets."""
        return cls(
            max_file_bytes=config.import_max_file_mib * MIB,
            max_collection_bytes=config.import_max_collection_mib * MIB,
            max_field_bytes=config.import_max_field_kib * KIB,
            max_rows=config.import_max_rows,
            max_media_files=config.import_max_media_files,
            max_media_bytes=config.import_max_media_mib * MIB,
        )

    @classmethod
    def for_restore(cls, config: Config | None = None) -> ImportLimits:
        """The caps on a JSON backup being restored: the learner's own collection, so its file
        and rows are capped by ``restore_max_*`` (a heavy learner's backup is past the caps on
        files from elsewhere); its fields keep ``import_max_field_kib``."""
        config = config or Config()
        return replace(
            cls.from_config(config),
            max_file_bytes=config.restore_max_file_mib * MIB,
            max_rows=config.restore_max_rows,
            file_setting="restore_max_file_mib",
            rows_setting="restore_max_rows",
        )


def size_text(count: int) -> str:
    """``count`` bytes for a message: ``1 MiB``, ``1.5 MiB``, ``512 KiB`` or ``12 bytes``."""
    for unit, size in (("GiB", 1024 * MIB), ("MiB", MIB), ("KiB", KIB)):
        if count >= size:
            value = count / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{count} bytes"


def over(text: str, cap: int) -> bool:
    """True when ``text`` is more than ``cap`` bytes of UTF-8 (cheap for short text)."""
    return len(text) * 4 > cap and len(text.encode("utf-8", "surrogatepass")) > cap


def too_large(path: Path | str, what: str, setting: str) -> ImportTooLarge:
    """The refusal for ``path``: ``what`` went past the cap that ``setting`` sets."""
    return ImportTooLarge(
        f"{path}: {what} ({setting}); raise it in config.toml if you trust this file"
    )


def read_capped(path: Path, limit: int, setting: str = "import_max_file_mib") -> bytes:
    """The bytes of ``path``, refused with :class:`ImportTooLarge` past ``limit`` bytes.

    Reads at most ``limit + 1`` bytes, so a file that grows while it is read is refused too.
    ``OSError`` is left to the caller (which knows how to name it).
    """
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise too_large(path, f"the file is larger than {size_text(limit)}", setting)
    return data


def copy_capped(source: IO[bytes], out: IO[bytes], limit: int, refuse: ImportTooLarge) -> int:
    """Copy ``source`` to ``out`` in chunks; raise ``refuse`` once more than ``limit`` bytes came.

    Returns the bytes copied. Memory stays at one chunk whatever ``source`` expands to.
    """
    total = 0
    while chunk := source.read(CHUNK):
        total += len(chunk)
        if total > limit:
            raise refuse
        out.write(chunk)
    return total


def check_cards(path: Path | str, cards: Sequence[Card], limits: ImportLimits) -> None:
    """Refuse a file whose cards go past ``limits``: too many, or one text too large.

    A card's question, answer and note are each a field here (the Markdown parser's cards,
    which no reader has checked).
    """
    if len(cards) > limits.max_rows:
        raise too_large(path, f"holds more than {limits.max_rows:,} cards", "import_max_rows")
    cap = limits.max_field_bytes
    for card in cards:
        for text in (card.question, card.answer, card.note or ""):
            if over(text, cap):
                raise too_large(
                    f"{path}:{card.line}",
                    f"a card's text is larger than {size_text(cap)}",
                    "import_max_field_kib",
                )
