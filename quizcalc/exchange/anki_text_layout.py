"""Anki's text format, the file as a whole: its bytes as text, and its ``#`` headers as a layout.

:func:`decode_text` refuses what is not UTF-8 text (naming the line); :func:`read_headers`
reads the leading ``#key:value`` lines (any order, named or literal separators, comments
skipped) into a :class:`Layout`; :func:`check_layout` refuses a file that is not in Anki's
text format at all. :mod:`quizcalc.exchange.anki_text` reads the rows under that layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from quizcalc.exchange.model import ExchangeError

__all__ = ["Layout", "check_layout", "decode_text", "guess_separator", "read_headers"]

_SEPARATOR_NAMES = {
    "comma": ",",
    "semicolon": ";",
    "tab": "\t",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
_HEADER_KEYS = {
    "separator",
    "html",
    "tags column",
    "deck column",
    "guid column",
    "notetype column",
    "notetype",
    "deck",
    "tags",
    "columns",
    "if matches",
}


@dataclass
class Layout:
    """What the file headers say about the rows (column numbers are one-based)."""

    separator: str | None = None
    """The field separator (``#separator``); None until known or guessed."""
    html: bool = False
    """Whether fields are HTML (``#html:true``)."""
    notetype_column: int | None = None
    """The column holding each row's notetype."""
    deck_column: int | None = None
    """The column holding each row's deck."""
    guid_column: int | None = None
    """The column holding each note's Anki GUID."""
    tags_column: int | None = None
    """The column holding each row's tags."""
    id_column: int | None = None
    """The column holding the quizcalc id (found from ``#columns``)."""
    notetype: str = ""
    """The notetype of every row (``#notetype``), without a notetype column."""
    deck: str = ""
    """The deck of every row (``#deck``), without a deck column."""
    tags: tuple[str, ...] = ()
    """Tags added to every row (``#tags``)."""
    columns: list[str] = field(default_factory=list)
    """The raw ``#columns`` line (one item), split once the separator is known."""
    known_headers: int = 0
    """How many of Anki's headers the file has (none: maybe not Anki's format)."""

    def special(self) -> set[int]:
        """Zero-based indexes of the columns that are not note fields."""
        found = (
            self.notetype_column,
            self.deck_column,
            self.guid_column,
            self.tags_column,
            self.id_column,
        )
        return {column - 1 for column in found if column is not None}


def decode_text(path: Path, data: bytes) -> str:
    """The file's text; :class:`ExchangeError` for a zip, an SQLite file, non-UTF-8 or NUL."""
    if data.startswith(b"PK\x03\x04"):
        raise ExchangeError(
            f"{path}: is a zip archive (an Anki package?), not Anki's text format; "
            "name it .apkg to import it as a package"
        )
    if data.startswith(b"SQLite format 3\x00"):
        raise ExchangeError(f"{path}: is an SQLite database, not Anki's text format")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex().upper()
        raise ExchangeError(
            f"{path}:{line}: not UTF-8 text (byte 0x{byte} cannot be read); re-save the file "
            "as UTF-8 (in Excel: 'CSV UTF-8') and import it again"
        ) from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ExchangeError(f"{path}:{line}: binary data (a NUL byte), not Anki's text format")
    return text


def _column_number(path: Path, line: int, key: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ExchangeError(f"{path}:{line}: #{key}:{value} must be a column number (1 or more)")
    return number


def _separator(path: Path, line: int, value: str) -> str:
    named = _SEPARATOR_NAMES.get(value.strip().lower())
    if named is not None:
        return named
    if len(value) == 1:
        return value
    known = ", ".join(_SEPARATOR_NAMES)
    raise ExchangeError(f"{path}:{line}: unknown #separator:{value} (use {known} or one character)")


def read_headers(path: Path, lines: list[str]) -> tuple[Layout, int]:
    """The layout from the leading ``#`` lines, and how many lines they take."""
    layout = Layout()
    count = 0
    for number, line in enumerate(lines, start=1):
        if not line.startswith("#"):
            break
        count = number
        key, colon, value = line[1:].partition(":")
        key = key.strip().lower()
        if not colon or key not in _HEADER_KEYS:
            continue  # a comment
        layout.known_headers += 1
        value = value.rstrip("\r")
        if key == "separator":
            layout.separator = _separator(path, number, value)
        elif key == "html":
            layout.html = value.strip().lower() == "true"
        elif key == "notetype":
            layout.notetype = value.strip()
        elif key == "deck":
            layout.deck = value.strip()
        elif key == "tags":
            layout.tags = tuple(value.split())
        elif key == "columns":
            layout.columns = [value]  # split once the separator is known
        elif key.endswith(" column"):
            setattr(layout, key.replace(" ", "_"), _column_number(path, number, key, value))
    return layout, count


def guess_separator(first: str) -> str:
    """Anki's guess for a file without ``#separator``: tab, then semicolon, then comma."""
    for candidate in ("\t", ";", ","):
        if candidate in first:
            return candidate
    return ","


def _looks_like_markdown(body: list[str]) -> bool:
    for line in body[:50]:
        stripped = line.strip()
        if not stripped:
            continue
        if stripped in ("---", "```problem") or stripped[:2] in ("Q:", "A:", "C:"):
            return True
    return False


def check_layout(path: Path, text: str, layout: Layout, body: list[str]) -> None:
    """Raise when the file is not Anki's text format at all (say what it looks like)."""
    if layout.known_headers:
        return
    if text.lstrip().startswith(("# ", "## ")) or _looks_like_markdown(body):
        raise ExchangeError(
            f"{path}: looks like Markdown, not Anki's text format (no #separator header); "
            "rename it to .md to import its cards"
        )
