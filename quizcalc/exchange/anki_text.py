"""Anki's text format (``.csv``/``.tsv``/``.txt``): its layout, and reading Anki's rows.

Writing it is :mod:`quizcalc.exchange.anki_text_export`; the decisions below hold for both.
Decoding the file and its headers is :mod:`quizcalc.exchange.anki_text_layout`; a note's
fields become cards in :mod:`quizcalc.exchange.anki_notes` (shared with the ``.apkg`` reader).

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
from pathlib import Path

from quizcalc.cards.cloze import has_anki_cloze
from quizcalc.cards.labels import deck_name_from_source
from quizcalc.cards.model import Card, LintMessage
from quizcalc.exchange.anki_html import anki_html_to_markdown
from quizcalc.exchange.anki_notes import cards_from_fields, split_full_deck
from quizcalc.exchange.anki_text_layout import (
    Layout,
    check_layout,
    decode_text,
    guess_separator,
    read_headers,
)
from quizcalc.exchange.imports import ForeignDeck
from quizcalc.exchange.limits import ImportLimits, over, read_capped, size_text, too_large
from quizcalc.exchange.model import ExchangeError

__all__ = ["COLUMNS", "ID_COLUMN", "read_anki_text"]

ID_COLUMN = "quizcalc id"
"""The ``#columns`` label of the column holding the quizcalc id (ignored by Anki)."""

COLUMNS = ("Notetype", "Deck", "GUID", "Front", "Back", "Tags", ID_COLUMN)
"""The columns our export writes, in order (:mod:`quizcalc.exchange.anki_text_export`)."""


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
    text = decode_text(path, data)
    if not text.strip():
        raise ExchangeError(f"{path}: the file is empty; export the cards again")
    lines = text.split("\n")
    layout, header_count = read_headers(path, lines)
    body_lines = lines[header_count:]
    check_layout(path, text, layout, body_lines)
    first_row = next((line for line in body_lines if line.strip()), "")
    if layout.separator is None:
        layout.separator = "\t" if path.suffix.lower() != ".csv" else guess_separator(first_row)
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
    layout: Layout,
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
