"""Import an Anki package (``.apkg``): notes become quizcalc cards, with Anki's history.

Notes → cards:

* A note of a cloze type (or whose first field has ``{{cN::``) becomes one quizcalc cloze
  note: its first field (``Text``) is read as Markdown and split into one card per cloze
  number, exactly as the Markdown parser would; its other fields (``Back Extra``) are added
  below every card's answer under their names.
* Any other foreign note gives one basic card per card Anki made of it, each rendered from its
  own template (a reverse card asks the back), with the fields no template shows added to
  the answer under their names, and each with its own history
  (:mod:`quizcalc.exchange.apkg_note_cards`). An Image Occlusion note cannot be shown here: it
  is skipped and named; a template filter quizcalc does not apply is named once per import.
* Card ids: for our own note types (``quizcalc Basic``/``quizcalc Cloze``, written by
  :mod:`quizcalc.exchange.apkg_export`), the note's ``Id`` field, so re-importing our package
  maps onto the same cards; for any other note, ``anki-<guid>``. A cloze card adds ``::cN``,
  the card of a note's template *n* > 1 adds ``::tN``.
* Our ``quizcalc Problem`` notes are static instances of a generated problem card. Their
  ``Skill`` field (``family:difficulty``) restores the problem card itself, once, with the
  history of the instance that carries it; the instances are not cards here. An instance
  without a usable ``Skill`` (an unknown family) is reported, one line per problem card
  (:mod:`quizcalc.exchange.apkg_problem_notes`).
* Deck ``Calculus::2.3 The chain rule`` → deck ``Calculus``, section ``2.3 The chain rule``;
  a card in a filtered deck counts as in its home deck.
* Notes that cannot be cards (empty question or answer, a cloze without deletions, an unknown
  note type) are skipped, each with its reason. Media files are not read here: images
  (``![](name)`` in the Markdown) and ``[sound:name]`` stay as references an export writes
  back, and the report counts them in one line (the study layer copies the package's media
  files into the collection's media folder: :mod:`quizcalc.study.media`).

History (:attr:`ForeignDeck.progress`, applied only with ``--with-progress``): each card
Anki made keeps its review log, manual rows and schedule
(:mod:`quizcalc.exchange.apkg_history`). A suspended card is marked so its status follows.
"""

from __future__ import annotations

import re
from pathlib import Path

from quizcalc.cards.cloze import has_anki_cloze
from quizcalc.cards.model import Card, CardKind, LintMessage
from quizcalc.exchange.anki_html import anki_html_to_markdown
from quizcalc.exchange.anki_identity import AnkiIdentity, AnkiNoteType
from quizcalc.exchange.anki_notes import cards_from_fields
from quizcalc.exchange.apkg_history import card_history
from quizcalc.exchange.apkg_note_cards import (
    extra_fields,
    image_occlusion_line,
    is_image_occlusion,
    template_cards,
    with_extras,
)
from quizcalc.exchange.apkg_problem_notes import restore_problem_card
from quizcalc.exchange.apkg_reader import AnkiCard, AnkiCollection, AnkiNote, read_collection
from quizcalc.exchange.apkg_reading import ApkgReading, home_deck, plain_field
from quizcalc.exchange.imports import ForeignDeck
from quizcalc.exchange.limits import ImportLimits

__all__ = [
    "ID_FIELD",
    "OUR_NOTETYPES",
    "SEED_FIELD",
    "media_note",
    "read_apkg",
]

OUR_NOTETYPES = "quizcalc"
"""Note types named ``quizcalc …`` are our own export's (:mod:`quizcalc.exchange.apkg_models`)."""

ID_FIELD = "id"
"""In our note types, the field (any case) that holds the quizcalc card id."""

SEED_FIELD = "seed"
"""In our note types, a field only a problem card's static instance has."""

_IMAGE = re.compile(r"<img\b", re.IGNORECASE)
_SOUND = re.compile(r"\[sound:[^\]]+\]")


def _label(note: AnkiNote) -> str:
    text = " ".join(anki_html_to_markdown(note.fields[0] if note.fields else "").split())
    return f"note {note.guid} ({text[:40] + '…' if len(text) > 40 else text!r})"


def _note_cards(
    note: AnkiNote, position: int, collection: AnkiCollection, source: str, deck: ApkgReading
) -> None:
    notetype = collection.notetypes.get(note.notetype_id)
    if notetype is None:
        deck.problems.append(LintMessage(source, 0, f"{_label(note)}: unknown note type; skipped"))
        deck.skipped += 1
        return
    names = [name.strip().casefold() for name in notetype.fields]
    ours = notetype.name.casefold().startswith(OUR_NOTETYPES)
    own_id = ""
    fields = list(note.fields)
    if ours and ID_FIELD in names and names.index(ID_FIELD) < len(fields):
        own_id = plain_field(fields[names.index(ID_FIELD)])
        if SEED_FIELD in names:
            restore_problem_card(note, names, own_id, (source, position), collection, deck)
            return
        fields.pop(names.index(ID_FIELD))
    anki_cards = collection.cards.get(note.id, [])
    if is_image_occlusion(notetype, note):
        deck.problems.append(
            LintMessage(source, 0, image_occlusion_line(note, notetype, anki_cards))
        )
        deck.skipped += 1
        return
    for value in fields:
        deck.images += len(_IMAGE.findall(value))
        deck.sounds += len(_SOUND.findall(value))
    markdown = [anki_html_to_markdown(value) for value in fields]
    cloze = notetype.cloze or bool(markdown and has_anki_cloze(markdown[0]))
    if cloze and "::c" in own_id:
        own_id = own_id.rsplit("::c", 1)[0]
    deck_name, section = home_deck(note, collection)
    base = Card(
        id=own_id or f"anki-{note.guid}",
        kind=CardKind.BASIC,
        question="",
        answer="",
        section=section,
        tags=note.tags,
        source=source,
        line=position,
        deck=deck_name or "Default",
        explicit_id=True,
    )
    if not cloze and not ours and notetype.templates:
        made = template_cards(note, notetype, anki_cards, base)
        for name in made.unrendered:
            deck.unrendered.setdefault(name, notetype.name)
        _keep(note, made.cards, made.reasons, collection, deck, source, each_drops=True)
        _identify(note, notetype, made.cards, deck)
        return
    cards, reasons = cards_from_fields(
        markdown,
        cloze=cloze,
        deck=base.deck,
        section=section,
        tags=note.tags,
        card_id=base.id,
        source=source,
        line=position,
    )
    if cloze and not ours:
        extras = extra_fields(notetype, note.fields, {notetype.fields[0]})
        cards = [with_extras(card, extras) for card in cards]
    by_ord = {anki.ord: anki for anki in anki_cards}
    pairs = [
        (card, by_ord.get((card.cloze_number or 1) - 1 if cloze else min(by_ord, default=0)))
        for card in cards
    ]
    _keep(note, pairs, reasons, collection, deck, source, each_drops=False)
    if not ours:
        _identify(note, notetype, pairs, deck)


def _identify(
    note: AnkiNote,
    notetype: AnkiNoteType,
    pairs: list[tuple[Card, AnkiCard | None]],
    deck: ApkgReading,
) -> None:
    """Remember each card's Anki note, note type and ordinal, for exports back to Anki."""
    for card, anki in pairs:
        ord_ = anki.ord if anki is not None else max((card.cloze_number or 1) - 1, 0)
        deck.identity[card.id] = AnkiIdentity(note.guid, ord_, notetype, note.fields)


def _keep(
    note: AnkiNote,
    pairs: list[tuple[Card, AnkiCard | None]],
    reasons: list[str],
    collection: AnkiCollection,
    deck: ApkgReading,
    source: str,
    *,
    each_drops: bool,
) -> None:
    """Keep a note's cards (with their history), and report ``reasons``.

    ``each_drops``: every reason is a card left out (else they are warnings, unless no card
    was made at all).
    """
    if not pairs:
        suffix = "; skipped"
    elif each_drops:
        suffix = "; that card skipped"
    else:  # warnings about cards that were made
        suffix = ""
    deck.skipped += bool(suffix and reasons)
    deck.problems.extend(LintMessage(source, 0, f"{_label(note)}: {r}{suffix}") for r in reasons)
    for card, anki in pairs:
        deck.cards.append(card)
        if anki is not None:
            progress = card_history(card, anki, collection)
            if progress is not None:
                deck.progress[card.id] = progress


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def media_note(images: int, sounds: int) -> str:
    """The one report line about a package's images and sounds (kept as references)."""
    found = " and ".join(_count(n, noun) for n, noun in ((images, "image"), (sounds, "sound")) if n)
    one = images + sounds == 1
    kept = "is kept as a reference" if one else "are kept as references"
    return (
        f"{found} {kept} (an .apkg export puts {'it' if one else 'them'} back, with"
        f" {'its file' if one else 'their files'}); the terminal shows "
        f"{'it' if one else 'them'} as [image: name] and [sound: name]"
    )


def read_apkg(path: Path, limits: ImportLimits | None = None) -> ForeignDeck:
    """Read an Anki package into cards, skipped notes (with reasons) and per-card history.

    Raises :class:`~quizcalc.exchange.ExchangeError` for a file that is not a readable Anki
    package or is past one of ``limits`` (see :mod:`quizcalc.exchange.apkg_reader`).
    """
    collection = read_collection(path, limits)
    deck = ApkgReading()
    source = str(path)
    deck.problems.extend(LintMessage(source, 0, line) for line in collection.media.refused)
    for position, note in enumerate(collection.notes, start=1):
        _note_cards(note, position, collection, source, deck)
    if deck.images or deck.sounds:
        deck.problems.append(LintMessage(source, 0, media_note(deck.images, deck.sounds)))
    for card_id, count in deck.instances.items():
        deck.problems.append(
            LintMessage(
                source,
                0,
                f"problem card {card_id}: its {count} static instance(s) were not imported "
                "(problem cards are generated afresh; import the Markdown that defines them)",
            )
        )
    for name, notetype in deck.unrendered.items():
        deck.problems.append(
            LintMessage(
                source,
                0,
                f"note type {notetype!r}: its template filter {name!r} is not applied "
                "(the field is shown as written)",
            )
        )
    return ForeignDeck(deck.cards, deck.problems, deck.progress, deck.skipped, deck.identity)
