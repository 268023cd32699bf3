"""Writing Anki's text format (``.csv``/``.tsv``/``.txt``) from our cards.

The layout and its decisions (one row per card but one per cloze note, problem cards left out,
GUIDs shared with ``.apkg``, the ``quizcalc id`` column) are described in
:mod:`quizcalc.exchange.anki_text`, which reads the same files back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from quizcalc.cards.model import CardKind
from quizcalc.exchange.anki_guid import guid_for
from quizcalc.exchange.anki_html import field_html
from quizcalc.exchange.anki_text import COLUMNS
from quizcalc.exchange.files import atomic_output
from quizcalc.exchange.model import ExchangeCard, ExportOptions, ExportReport, Progress

__all__ = ["anki_note_guid", "write_anki_text"]


def anki_note_guid(note_id: str) -> str:
    """The GUID Anki gets for a quizcalc note: ``genanki.guid_for(note id)``, as ``.apkg`` uses."""
    return guid_for(note_id)


def _row(card: ExchangeCard) -> list[str]:
    tags = " ".join(card.tags)
    if card.kind == CardKind.CLOZE.value:
        text = field_html(card.html, card.note or card.answer)
        return ["Cloze", card.full_deck, anki_note_guid(card.note_id), text, "", tags, card.note_id]
    return [
        "Basic",
        card.full_deck,
        anki_note_guid(card.card_id),
        field_html(card.html, card.question),
        field_html(card.html, card.answer),
        tags,
        card.card_id,
    ]


def write_anki_text(
    cards: Sequence[ExchangeCard],
    path: Path,
    options: ExportOptions,
    progress: Progress | None = None,
) -> ExportReport:
    """Write ``cards`` as Anki's text format: comma-separated for ``.csv``, else tab-separated.

    One row per basic card, one per cloze note; problem cards are skipped with a detail line
    each (see the module docstring). Written atomically: a failure leaves no partial file.
    """
    comma = path.suffix.lower() == ".csv"
    separator = "," if comma else "\t"
    headers = [
        f"#separator:{'comma' if comma else 'tab'}",
        "#html:true",
        "#notetype column:1",
        "#deck column:2",
        "#guid column:3",
        "#tags column:6",
        f"#columns:{separator.join(COLUMNS)}",
    ]
    buffer = io.StringIO()
    buffer.write("\n".join(headers) + "\n")
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\n")
    details: list[str] = []
    problems: list[str] = []
    written_notes: set[str] = set()
    exported = 0
    for done, card in enumerate(cards):
        if progress is not None:
            progress(done, len(cards))
        if card.kind == CardKind.PROBLEM.value:
            problems.append(card.card_id)
            continue
        exported += 1
        key = card.note_id if card.kind == CardKind.CLOZE.value else card.card_id
        if key in written_notes:
            continue
        written_notes.add(key)
        writer.writerow(_row(card))
    if progress is not None:
        progress(len(cards), len(cards))
    if problems:
        shown = ", ".join(problems[:5]) + (
            f", … ({len(problems) - 5} more)" if len(problems) > 5 else ""
        )
        details.append(
            f"{len(problems)} problem card(s) not written: they are generated at each review, "
            f"which a text row cannot do; export to .apkg for static instances ({shown})"
        )
    if options.with_progress:
        details.append("progress is not written to Anki's text format; use .apkg or .json")
    with atomic_output(path) as temporary:
        temporary.write_text(buffer.getvalue(), encoding="utf-8")
    return ExportReport(path=path, cards=exported, notes=len(written_notes), details=details)
