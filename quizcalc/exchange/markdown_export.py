"""Export to our own Markdown format (content/FORMAT.md): re-importing gives the same cards.

One file holds one deck (its front matter names it). Sections become headings again, cloze
notes are written once with every deletion, problem cards become ```problem blocks, and an
``<!-- id: -->`` comment is written wherever a card's id is not the one its text derives, so
every card comes back with the same id — and so with its history, when imported into the
store it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from quizcalc.cards.labels import slugify
from quizcalc.cards.model import CardKind, derive_card_id, derive_cloze_id
from quizcalc.exchange.files import atomic_output
from quizcalc.exchange.model import (
    ExchangeCard,
    ExchangeError,
    ExportOptions,
    ExportReport,
    Progress,
)

__all__ = ["render_markdown", "write_markdown"]


def _section_tags(section: str) -> set[str]:
    return {slug for slug in (slugify(t) for t in section.split("::") if t) if slug}


def _front_matter(deck: str, cards: Sequence[ExchangeCard]) -> tuple[str, list[str]]:
    """The YAML block, and the cards whose own tags a file-wide list cannot hold."""
    own = [[t for t in c.tags if t not in _section_tags(c.section)] for c in cards]
    common = [t for t in own[0] if all(t in tags for tags in own)] if own else []
    lost = [c.card_id for c, tags in zip(cards, own, strict=True) if set(tags) - set(common)]
    data: dict[str, object] = {"deck": deck}
    if common:
        data["tags"] = common
    block = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{block}---\n", lost


def _id_comment(card: ExchangeCard) -> str:
    """``<!-- id: … -->`` when the card's id is not the one its text derives, else empty."""
    if card.kind == CardKind.CLOZE.value:
        number = card.cloze_number or 1
        derived = derive_cloze_id(card.note, number)
        if card.card_id == derive_card_id(CardKind.CLOZE, card.note, number):
            derived = card.card_id  # the id clozes had before siblings shared one note id
        explicit = card.note_id
    elif card.kind == CardKind.PROBLEM.value:
        derived = derive_card_id(CardKind.PROBLEM, f"{card.family}:{card.difficulty}")
        explicit = card.card_id
    else:
        derived = derive_card_id(CardKind.BASIC, card.question)
        explicit = card.card_id
    return "" if card.card_id == derived else f"<!-- id: {explicit} -->\n"


def _card_text(card: ExchangeCard) -> str:
    if card.kind == CardKind.CLOZE.value:
        body = card.note
    elif card.kind == CardKind.PROBLEM.value:
        body = f"```problem\nfamily: {card.family}\ndifficulty: {card.difficulty or 1}\n```"
    else:
        body = f"Q: {card.question}\nA: {card.answer}"
    return _id_comment(card) + body


def _headings(current: list[str], wanted: list[str]) -> list[str]:
    """Headings that move from section path ``current`` to ``wanted``."""
    shared = 0
    while shared < min(len(current), len(wanted)) and current[shared] == wanted[shared]:
        shared += 1
    if shared == len(wanted) and len(wanted) < len(current) and wanted:
        shared -= 1  # back up to a parent: open it again, which closes its children
    return [f"{'#' * (level + 1)} {wanted[level]}" for level in range(shared, len(wanted))]


def render_markdown(
    deck: str, cards: Sequence[ExchangeCard], progress: Progress | None = None
) -> tuple[str, list[str]]:
    """The Markdown file for one deck's cards, and detail lines for what it cannot hold."""
    front, lost = _front_matter(deck, cards)
    parts = [front.rstrip("\n")]
    details = []
    if lost:
        details.append(
            f"{len(lost)} card(s) have tags of their own, which Markdown cannot hold per card"
            f" (first: {lost[0]})"
        )
    ordered = sorted(cards, key=lambda c: bool(c.section))  # top-level cards before headings
    path: list[str] = []
    notes_written: set[str] = set()
    previous_basic = False
    for done, card in enumerate(ordered):
        if progress is not None:
            progress(done, len(ordered))
        if card.kind == CardKind.CLOZE.value:
            if card.note_id in notes_written:
                continue
            notes_written.add(card.note_id)
        wanted = [title for title in card.section.split("::") if title]
        headings = _headings(path, wanted)
        if headings:
            parts.extend(headings)
            previous_basic = False
        path = wanted
        if previous_basic and card.kind == CardKind.CLOZE.value:
            parts.append("---")  # a thematic break ends the answer above for certain
        parts.append(_card_text(card))
        previous_basic = card.kind == CardKind.BASIC.value
    if progress is not None:
        progress(len(ordered), len(ordered))
    return "\n\n".join(parts) + "\n", details


def write_markdown(
    cards: Sequence[ExchangeCard],
    path: Path,
    options: ExportOptions,
    progress: Progress | None = None,
) -> ExportReport:
    """Write one deck's cards to ``path`` as a quizcalc Markdown card file."""
    decks = sorted({card.deck for card in cards})
    if len(decks) > 1:
        raise ExchangeError(
            f"{path}: a Markdown file holds one deck, and {len(decks)} were selected"
            f" ({', '.join(decks)}); add --deck NAME"
        )
    if not decks:
        raise ExchangeError(f"{path}: no cards to export")
    text, details = render_markdown(decks[0], cards, progress)
    with atomic_output(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    notes = len({card.note_id for card in cards})
    return ExportReport(path=path, cards=len(cards), notes=notes, details=details)
