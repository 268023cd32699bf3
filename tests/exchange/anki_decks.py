"""Decks built by the official ``anki`` library (and genanki) with every stock note type, and
the steps the review-history tests build theirs with (answer, play days, export).

Shared by the note-type import tests and the Anki → quizcalc → Anki round trips.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import genanki

T = TypeVar("T")

IO_TEXT = "{{c1::image-occlusion:rect:left=.1:top=.1:width=.2:height=.2:oi=1}}"


@dataclass(frozen=True)
class StockDeck:
    """The package Anki exported, its collection folder, and counts as Anki has them."""

    path: Path
    collection: Path
    notes: int
    cards: int
    io_cards: int
    guids: dict[str, str]
    """A label of each note → its GUID."""


def _add(col: Any, kind: str, deck: int, tags: list[str] | None = None, **fields: str) -> str:
    note = col.new_note(col.models.by_name(kind))
    for name, value in fields.items():
        note[name.replace("_", " ")] = value
    note.tags = tags or []
    col.add_note(note, deck)
    return str(note.guid)


def build_stock_deck(folder: Path) -> StockDeck:
    """A collection with notes of every stock note type, exported as ``stock.apkg``."""
    from anki import collection

    col = collection.Collection(str(folder / "collection.anki2"))
    try:
        calc = col.decks.id("Calc::Derivatives")
        other = col.decks.id("Other")
        guids = {
            "basic": _add(col, "Basic", calc, ["calc"], Front="d/dx x^2?", Back="2x"),
            "basic2": _add(col, "Basic", other, Front="Capital of France?", Back="Paris"),
            "reversed": _add(
                col, "Basic (and reversed card)", calc, Front="derivative of sin", Back="cos"
            ),
            "reversed2": _add(
                col, "Basic (and reversed card)", other, Front="<b>one</b>", Back="<i>uno</i>"
            ),
            "optional_on": _add(
                col,
                "Basic (optional reversed card)",
                calc,
                Front="derivative of e^x",
                Back="e^x itself",
                Add_Reverse="y",
            ),
            "optional_off": _add(
                col,
                "Basic (optional reversed card)",
                calc,
                Front="derivative of ln x",
                Back="1/x",
            ),
            "typing": _add(col, "Basic (type in the answer)", calc, Front="d/dx of 3x?", Back="3"),
            "cloze": _add(
                col,
                "Cloze",
                calc,
                ["cloze"],
                Text="The {{c1::chain}} rule differentiates {{c2::compositions}}",
                Back_Extra="see chapter 2",
            ),
            "cloze2": _add(col, "Cloze", other, Text="{{c1::Paris}} is in France"),
        }
        for n in range(8):
            guids[f"more{n}"] = _add(col, "Basic", other, Front=f"question {n}", Back=f"answer {n}")
        io_cards = 0
        if col.models.by_name("Image Occlusion") is not None:
            guids["occlusion"] = _add(
                col, "Image Occlusion", other, Occlusion=IO_TEXT, Image='<img src="map.png">'
            )
            io_cards = 1
        return StockDeck(
            export_with_scheduling(col, folder / "stock.apkg"),
            folder / "collection.anki2",
            col.note_count(),
            col.card_count(),
            io_cards,
            guids,
        )
    finally:
        col.close()


GENANKI_MODEL_ID = 1_607_392_319
GENANKI_GUIDS = ("genanki-note-1", "genanki-note-2")


def build_genanki_deck(folder: Path) -> Path:
    """Two notes of a genanki note type with 4 fields and 2 templates (4 cards)."""
    model = genanki.Model(
        GENANKI_MODEL_ID,
        "Vocabulary",
        fields=[{"name": "Word"}, {"name": "Meaning"}, {"name": "Example"}, {"name": "Source"}],
        templates=[
            {
                "name": "Recognise",
                "qfmt": "{{Word}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Meaning}}",
            },
            {
                "name": "Recall",
                "qfmt": "{{Meaning}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Word}}",
            },
        ],
    )
    deck = genanki.Deck(2_059_400_110, "Words")
    for guid, (word, meaning) in zip(
        GENANKI_GUIDS,
        [("gradient", "vector of partials"), ("limit", "value approached")],
        strict=True,
    ):
        fields = [word, meaning, f"the {word} of f", "Stewart"]
        deck.add_note(genanki.Note(model, fields, guid=guid))
    path = folder / "genanki.apkg"
    genanki.Package(deck).write_to_file(str(path))
    return path


DAY_MS = 86_400_000
"""A day in Anki's revlog ids (milliseconds since the epoch)."""


def answer_in_anki(col: Any, card_id: int, ease: int) -> None:
    """Answer a card with Anki's own scheduler, as its reviewer would."""
    card = col.get_card(card_id)
    card.start_timer()
    col.sched.answerCard(card, ease)


def play_days(col: Any, days: Sequence[Sequence[T]], act: Callable[[T], None]) -> None:
    """Do each day's actions (``act`` on each) in Anki; after every day but the last, move
    every revlog row one day back, so the days come out as a history of consecutive days."""
    for number, actions in enumerate(days):
        for action in actions:
            act(action)
        if number < len(days) - 1:
            col.db.execute("UPDATE revlog SET id = id - ?", DAY_MS)


def export_with_scheduling(col: Any, path: Path) -> Path:
    """Export the whole collection as an ``.apkg`` with its scheduling (no media, no deck
    options), as Anki's "Export… with scheduling information" does; returns ``path``."""
    from anki.collection import ExportAnkiPackageOptions

    col.export_anki_package(
        out_path=str(path),
        options=ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False
        ),
        limit=None,
    )
    return path
