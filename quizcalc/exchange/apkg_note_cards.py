"""Every card Anki made of one foreign note, each rendered from its own template.

A note of a standard (non-cloze) type has one card per template whose question is not empty:
"Basic (and reversed card)" two, "Basic (optional reversed card)" one or two. Each card in the
package is rendered from the template its ``ord`` names (:mod:`quizcalc.exchange.anki_templates`),
so a reverse card asks the back and answers the front. Fields that no template shows are
added to every card's answer under their names (``**Source:** …``), so nothing the note holds
is lost. What still cannot become a card is returned as a reason, to be reported.

Card ids: the note's first card keeps ``anki-<guid>`` (as before templates were read, so
collections keep their progress); card *n* > 1 is ``anki-<guid>::t<n>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from quizcalc.cards.model import Card, CardKind
from quizcalc.exchange.anki_html import anki_html_to_markdown
from quizcalc.exchange.anki_templates import fields_referenced, render_card
from quizcalc.exchange.apkg_reader import AnkiCard, AnkiNote, AnkiNoteType

__all__ = [
    "IMAGE_OCCLUSION",
    "NoteCards",
    "card_id_for",
    "extra_fields",
    "image_occlusion_line",
    "is_image_occlusion",
    "template_cards",
    "with_extras",
]

IMAGE_OCCLUSION = "image-occlusion"
"""What Anki's Image Occlusion note type has in its template and its occlusion field."""


def card_id_for(base: str, ord_: int) -> str:
    """The quizcalc id of the card of template ``ord_`` (from 0) of the note ``base``."""
    return base if ord_ == 0 else f"{base}::t{ord_ + 1}"


def is_image_occlusion(notetype: AnkiNoteType, note: AnkiNote) -> bool:
    """True for a note of Anki's Image Occlusion type (its cards hide parts of an image)."""
    return any(IMAGE_OCCLUSION in t.qfmt for t in notetype.templates) or any(
        f"::{IMAGE_OCCLUSION}:" in value for value in note.fields
    )


def image_occlusion_line(note: AnkiNote, notetype: AnkiNoteType, cards: Sequence[AnkiCard]) -> str:
    """The report line for an Image Occlusion note, which is not imported."""
    return (
        f"note {note.guid} ({notetype.name}): an Image Occlusion note; its {len(cards)} card(s) "
        "hide parts of an image, which quizcalc cannot show; skipped"
    )


def extra_fields(notetype: AnkiNoteType, fields: Sequence[str], skip: set[str]) -> str:
    """Markdown for the non-empty fields not in ``skip``: ``**Name:** value`` paragraphs."""
    parts = []
    for name, value in zip(notetype.fields, fields, strict=False):
        text = anki_html_to_markdown(value).strip()
        if name not in skip and text:
            parts.append(f"**{name}:** {text}")
    return "\n\n".join(parts)


def with_extras(card: Card, extras: str) -> Card:
    """``card`` with ``extras`` added below its answer."""
    if not extras:
        return card
    return replace(card, answer=f"{card.answer}\n\n{extras}" if card.answer else extras)


@dataclass
class NoteCards:
    """The cards of one note (each with its Anki card), the reasons for those left out."""

    cards: list[tuple[Card, AnkiCard | None]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    unrendered: list[str] = field(default_factory=list)
    """Template filters quizcalc did not apply (the field is shown as written)."""


def template_cards(
    note: AnkiNote,
    notetype: AnkiNoteType,
    anki_cards: Sequence[AnkiCard],
    base: Card,
) -> NoteCards:
    """One card per Anki card of ``note``, rendered from its template; ``base`` gives the rest.

    ``base`` carries the note's id, deck, section, tags, source and line.
    """
    result = NoteCards()
    values = dict(zip(notetype.fields, note.fields, strict=False))
    used = fields_referenced(*(t.qfmt + t.afmt for t in notetype.templates))
    extras = extra_fields(notetype, note.fields, used)
    special = {"Tags": " ".join(note.tags), "Type": notetype.name}
    several = len(notetype.templates) > 1
    made: list[AnkiCard | None] = list(anki_cards) or [None]
    for anki in made:
        ord_ = anki.ord if anki is not None else 0
        if ord_ >= len(notetype.templates):
            result.reasons.append(f"card {ord_ + 1}: its note type has no template {ord_ + 1}")
            continue
        template = notetype.templates[ord_]
        where = f"card {ord_ + 1} ({template.name}): " if several else ""
        rendered = render_card(
            template.qfmt, template.afmt, values, {**special, "Card": template.name}
        )
        result.unrendered.extend(rendered.unrendered)
        question = anki_html_to_markdown(rendered.question).strip()
        answer = anki_html_to_markdown(rendered.answer).strip()
        if not question:
            result.reasons.append(f"{where}the front (question) field is empty")
            continue
        if not answer and not extras:
            result.reasons.append(f"{where}the back (answer) field is empty")
            continue
        card = replace(
            base,
            id=card_id_for(base.id, ord_),
            kind=CardKind.BASIC,
            question=question,
            answer=answer,
        )
        result.cards.append((with_extras(card, extras), anki))
    return result
