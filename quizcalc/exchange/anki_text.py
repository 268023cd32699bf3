"""Anki's text format (``.csv``/``.tsv``/``.txt``): its layout, and reading Anki's rows.

Writing it is :mod:`quizcalc.exchange.anki_text_export`; the decisions below hold for both.

The file starts with Anki's file headers, then one row per note::

    #separator:comma
    #html:true
    #notetype column:1
    #deck column:2
    #guid column:3
    #tags column:6
    #columns:Notetype,Deck,GUID,Front,Back,Tags,quizcalc id

Decisions (Anki's importer, 2.1.55 and later, reads this file as written):

* **One row per card, except clozes.** A basic card is one row of notetype ``Basic``. A cloze
  note is one row of notetype ``Cloze`` holding the full note text with every ``{{cN::…}}``:
  Anki makes all of the note's cards from that one row, and one row per cloze card would make
  Anki create the same note several times.
* **Problem cards are not written**: they are generated afresh at every review, which a text
  row cannot do; one line of the export report counts and names them and points to ``.apkg``
  (static instances). ``options.instances`` is therefore not used here.
  Progress (schedules, review log) is not written either; ``.apkg`` and ``.json`` carry it.
* **Ids.** The GUID column holds ``genanki.guid_for(note id)``, the GUID our ``.apkg`` export
  gives the same note, so importing either into Anki updates the same notes. The last column,
  ``quizcalc id``, holds the note's quizcalc id: Anki maps columns to fields by position, and
  extra columns beyond a notetype's fields are ignored, so Anki does not see it; our reader
  takes the card id from it, so re-importing our own file maps onto the same cards instead of
  adding copies. A row without it (a file Anki exported) gets ``anki-<guid>`` (a cloze card
  ``anki-<guid>::cN``), or, without a GUID column either, the id the Markdown parser would
  derive from its text.
* **Decks.** The deck column holds ``Deck::Section::Sub``; reading, the first part is the deck
  and the rest the section.
* **Text.** Fields are Anki HTML (:func:`~quizcalc.exchange.anki_html.markdown_to_anki_html`);
  read back with :func:`~quizcalc.exchange.anki_html.anki_html_to_markdown`, so math comes back
  in MathJax's ``\\(…\\)`` spelling.

Reading is lenient where Anki is (any header order, named or literal separators, comment
lines, a missing header) and strict about what would import the wrong thing: a row whose
column count does not fit is skipped with its line and the reason; a file that is not UTF-8
text or not Anki's text format at all raises :class:`ExchangeError`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quizcalc.cards.cloze import has_anki_cloze, parse_anki_cloze
from quizcalc.cards.labels import deck_name_from_source
from quizcalc.cards.model import Card, CardKind, LintMessage, derive_card_id
from quizcalc.exchange.anki_html import anki_html_to_markdown
from quizcalc.exchange.imports import ForeignDeck
from quizcalc.exchange.limits import ImportLimits, over, read_capped, size_text, too_large
from quizcalc.exchange.model import ExchangeError

__all__ = [
    "COLUMNS",
    "ID_COLUMN",
    "cards_from_fields",
    "read_anki_text",
    "split_full_deck",
]

ID_COLUMN = "quizcalc id"
"""The ``#columns`` label of the column holding the quizcalc id (ignored by Anki)."""

COLUMNS = ("Notetype", "Deck", "GUID", "Front", "Back", "Tags", ID_COLUMN)
"""The columns our export writes, in order (:mod:`quizcalc.exchange.anki_text_export`)."""
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


def split_full_deck(name: str) -> tuple[str, str]:
    """``Deck::Section::Sub`` → (``Deck``, ``Section::Sub``); blanks around parts dropped."""
    parts = [part.strip() for part in name.split("::") if part.strip()]
    if not parts:
        return "", ""
    return parts[0], "::".join(parts[1:])


# --------------------------------------------------------------------------------- import


@dataclass
class _Layout:
    """What the file headers say about the rows."""

    separator: str | None = None
    html: bool = False
    notetype_column: int | None = None
    deck_column: int | None = None
    guid_column: int | None = None
    tags_column: int | None = None
    id_column: int | None = None
    notetype: str = ""
    deck: str = ""
    tags: tuple[str, ...] = ()
    columns: list[str] = field(default_factory=list)
    known_headers: int = 0

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


def _decode(path: Path, data: bytes) -> str:
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


def _read_headers(path: Path, lines: list[str]) -> tuple[_Layout, int]:
    """The layout from the leading ``#`` lines, and how many lines they take."""
    layout = _Layout()
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


def _guess_separator(first: str) -> str:
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


def _check_layout(path: Path, text: str, layout: _Layout, body: list[str]) -> None:
    """Raise when the file is not Anki's text format at all (say what it looks like)."""
    if layout.known_headers:
        return
    if text.lstrip().startswith(("# ", "## ")) or _looks_like_markdown(body):
        raise ExchangeError(
            f"{path}: looks like Markdown, not Anki's text format (no #separator header); "
            "rename it to .md to import its cards"
        )


def cards_from_fields(
    fields: Sequence[str],
    *,
    cloze: bool,
    deck: str,
    section: str,
    tags: tuple[str, ...],
    card_id: str | None,
    source: str,
    line: int,
) -> tuple[list[Card], list[str]]:
    """The cards one Anki note makes, from its fields (already Markdown), and any problems.

    ``card_id`` is the note's id (a cloze card gets ``<id>::cN``); without one, ids are
    derived from the text as the Markdown parser derives them. A basic note's first field is
    the question and its second the answer; further fields are not used.
    """
    first = fields[0].strip() if fields else ""
    if cloze:
        note = parse_anki_cloze(first)
        numbers = note.numbers()
        if note.broken:  # a card would show the broken markup as raw braces
            return [], list(note.problems)
        if not numbers:
            reasons = "; ".join(note.problems) or "no {{c1::…}} deletion in the text"
            return [], [f"cloze note without a usable deletion ({reasons})"]
        cards = [
            Card(
                id=f"{card_id}::c{n}" if card_id else derive_card_id(CardKind.CLOZE, first, n),
                kind=CardKind.CLOZE,
                question=note.question(n),
                answer=note.answer(n),
                section=section,
                tags=tags,
                source=source,
                line=line,
                deck=deck,
                explicit_id=card_id is not None,
                cloze_number=n,
                note=first,
            )
            for n in numbers
        ]
        return cards, list(note.problems)
    answer = fields[1].strip() if len(fields) > 1 else ""
    if not first:
        return [], ["the front (question) field is empty"]
    if not answer:
        return [], ["the back (answer) field is empty"]
    card = Card(
        id=card_id or derive_card_id(CardKind.BASIC, first),
        kind=CardKind.BASIC,
        question=first,
        answer=answer,
        section=section,
        tags=tags,
        source=source,
        line=line,
        deck=deck,
        explicit_id=card_id is not None,
    )
    return [card], []


def _rows(
    path: Path, body: str, separator: str, first_line: int, limits: ImportLimits
) -> list[tuple[int, list[str]]]:
    """(line, fields) per non-blank row; quoted fields may span lines.

    Refuses (:class:`~quizcalc.exchange.limits.ImportTooLarge`) a field or a row count past
    ``limits``.
    """
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator, strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    previous = csv.field_size_limit(limits.max_field_bytes)
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(rows) == limits.max_rows:
                    raise too_large(
                        path, f"has more than {limits.max_rows:,} rows", "import_max_rows"
                    )
                _check_cells(path, first_line + start - 1, row, limits.max_field_bytes)
                rows.append((first_line + start - 1, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        line = first_line + reader.line_num - 1
        if "field larger than field limit" in str(exc):
            raise too_large(
                f"{path}:{first_line + start - 1}",
                f"a field is larger than {size_text(limits.max_field_bytes)}",
                "import_max_field_kib",
            ) from exc
        raise ExchangeError(
            f"{path}:{line}: cannot read the row ({exc}); check its quotes (a field holding "
            "the separator, a quote or a line break must be in double quotes)"
        ) from exc
    finally:
        csv.field_size_limit(previous)
    return rows


def _check_cells(path: Path, line: int, row: list[str], cap: int) -> None:
    for cell in row:
        if over(cell, cap):
            raise too_large(
                f"{path}:{line}", f"a field is larger than {size_text(cap)}", "import_max_field_kib"
            )


def read_anki_text(path: Path, limits: ImportLimits | None = None) -> ForeignDeck:
    """Read an Anki text file into cards; rows that cannot be cards are reported, not imported.

    Raises :class:`ExchangeError` (naming the file, and the line where it helps) for a file
    that cannot be read, is empty, is not UTF-8, is not in Anki's text format, or has a row
    whose quotes never close; :class:`~quizcalc.exchange.limits.ImportTooLarge` for a file, a
    field or a row count past ``limits`` (the defaults when not given).
    """
    limits = limits or ImportLimits()
    try:
        data = read_capped(path, limits.max_file_bytes)
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    text = _decode(path, data)
    if not text.strip():
        raise ExchangeError(f"{path}: the file is empty; export the cards again")
    lines = text.split("\n")
    layout, header_count = _read_headers(path, lines)
    body_lines = lines[header_count:]
    _check_layout(path, text, layout, body_lines)
    first_row = next((line for line in body_lines if line.strip()), "")
    if layout.separator is None:
        layout.separator = "\t" if path.suffix.lower() != ".csv" else _guess_separator(first_row)
    labels: list[str] = []
    if layout.columns:
        labels = next(csv.reader([layout.columns[0]], delimiter=layout.separator), [])
        labels = [label.strip() for label in labels]
        for index, label in enumerate(labels):
            if label.casefold() == ID_COLUMN:
                layout.id_column = index + 1
    deck = ForeignDeck()
    source = str(path)
    rows = _rows(path, "\n".join(body_lines), layout.separator, header_count + 1, limits)
    if not rows:
        raise ExchangeError(f"{path}: no rows after the headers; nothing to import")
    expected = len(labels) or (None if layout.notetype_column else len(rows[0][1]))
    needed = max(layout.special(), default=-1) + 1
    default_deck = layout.deck or deck_name_from_source(source) or "Default"
    for line, row in rows:
        if expected is not None and len(row) != expected:
            deck.problems.append(
                LintMessage(
                    source, line, f"row has {_columns(len(row))}, expected {expected}; row skipped"
                )
            )
            deck.skipped += 1
            continue
        if len(row) < max(needed, 1):
            deck.problems.append(
                LintMessage(
                    source, line, f"row has {_columns(len(row))}, needs {needed}; row skipped"
                )
            )
            deck.skipped += 1
            continue
        cards = _row_cards(layout, row, source, line, default_deck, deck.problems)
        deck.skipped += not cards
        deck.cards.extend(cards)
    return deck


def _columns(count: int) -> str:
    return "1 column" if count == 1 else f"{count} columns"


def _cell(row: list[str], column: int | None) -> str:
    return row[column - 1].strip() if column is not None and column <= len(row) else ""


def _row_cards(
    layout: _Layout,
    row: list[str],
    source: str,
    line: int,
    default_deck: str,
    problems: list[LintMessage],
) -> list[Card]:
    special = layout.special()
    convert = anki_html_to_markdown if layout.html else str.strip
    fields = [convert(cell) for index, cell in enumerate(row) if index not in special]
    notetype = _cell(row, layout.notetype_column) or layout.notetype or "Basic"
    cloze = "cloze" in notetype.casefold() or bool(fields and has_anki_cloze(fields[0]))
    full_deck = _cell(row, layout.deck_column) or default_deck
    deck_name, section = split_full_deck(full_deck)
    tags = tuple(dict.fromkeys([*layout.tags, *_cell(row, layout.tags_column).split()]))
    own_id = _cell(row, layout.id_column)
    guid = _cell(row, layout.guid_column)
    card_id = own_id or (f"anki-{guid}" if guid else None)
    cards, reasons = cards_from_fields(
        fields,
        cloze=cloze,
        deck=deck_name or default_deck,
        section=section,
        tags=tags,
        card_id=card_id,
        source=source,
        line=line,
    )
    suffix = "" if cards else "; row skipped"
    problems.extend(LintMessage(source, line, reason + suffix) for reason in reasons)
    return cards
