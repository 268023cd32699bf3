"""Import by file suffix: Anki's text format (``.csv``/``.tsv``/``.txt``), ``.apkg``, ``.colpkg``.

A ``.colpkg`` (Anki's whole-collection backup, File → Export → Anki Collection Package) is
the same zip as an ``.apkg`` holding every deck, so the package reader reads both.

Markdown is not here: the card parser reads it. A reader turns one file into a
:class:`ForeignDeck` (cards as the parser makes them, problems found, and per card the
progress the file carries), without touching the store; the sync applies it in one
transaction, so a file that fails half-way changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Protocol

from quizcalc.cards.model import Card, LintMessage
from quizcalc.exchange.anki_identity import AnkiIdentity
from quizcalc.exchange.limits import ImportLimits
from quizcalc.exchange.model import ExchangeCard

__all__ = ["IMPORT_SUFFIXES", "ForeignDeck", "Reader", "is_anki_text", "reader_for"]


@dataclass
class ForeignDeck:
    """What one foreign file holds, ready for the sync."""

    cards: list[Card] = field(default_factory=list)
    problems: list[LintMessage] = field(default_factory=list)
    """Rows or notes skipped, each ``file:line: reason`` (line 0 for the whole file)."""
    progress: dict[str, ExchangeCard] = field(default_factory=dict)
    """Card id → the schedule and review log the file carries for it (Anki packages)."""
    skipped: int = 0
    """Rows or notes that made no card: the file is not fully read, so a sync retires none
    of its cards (a card whose row broke keeps its progress until the row is fixed)."""
    identity: dict[str, AnkiIdentity] = field(default_factory=dict)
    """Card id → its Anki note's GUID, note type, fields and the card's ordinal (a package's
    notes not written by quizcalc), so an export gives them back to Anki as they were."""


class Reader(Protocol):
    """``read(path, limits)``: the file's cards, or :class:`~quizcalc.exchange.ExchangeError`.

    A file past one of ``limits`` (the defaults when ``None``) is refused whole with
    :class:`~quizcalc.exchange.limits.ImportTooLarge`.
    """

    def __call__(self, path: Path, limits: ImportLimits | None = None) -> ForeignDeck:
        """Read ``path``."""


IMPORT_SUFFIXES: dict[str, tuple[str, str]] = {
    ".csv": ("quizcalc.exchange.anki_text", "read_anki_text"),
    ".tsv": ("quizcalc.exchange.anki_text", "read_anki_text"),
    ".apkg": ("quizcalc.exchange.apkg_import", "read_apkg"),
    ".colpkg": ("quizcalc.exchange.apkg_import", "read_apkg"),
}
"""Foreign formats by suffix; a ``.txt`` is Anki text only when it starts with ``#separator``."""

ANKI_TEXT_HEADER = b"#separator:"


def is_anki_text(path: Path) -> bool:
    """True for a ``.txt`` file that Anki exported (it starts with a ``#separator:`` line)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf").startswith(ANKI_TEXT_HEADER)


def reader_for(path: Path) -> Reader | None:
    """The reader for a foreign file, or None when the card parser should read it."""
    suffix = path.suffix.lower()
    if suffix == ".txt" and is_anki_text(path):
        suffix = ".tsv"
    if suffix not in IMPORT_SUFFIXES:
        return None
    module, function = IMPORT_SUFFIXES[suffix]
    reader: Reader = getattr(import_module(module), function)
    return reader
