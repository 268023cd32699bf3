"""Editing the card on screen: its Markdown file in the learner's editor, or its fields here.

A card written in a Markdown file is edited in that file (:meth:`CardEditUseCases.
edit_target` says which file and line); afterwards :meth:`~CardEditUseCases.resync_edited`
syncs the card's source and finds the card again — by its key (a sync keeps an edited card's
key and progress when it matches the edit), else the card now written at or nearest to the
same line of the same file.

A card with no Markdown file (imported from an Anki package or an Anki text file) is edited
in the app: :meth:`~CardEditUseCases.save_fields` writes the edited fields. For an Anki note
the fields are kept as Anki HTML in ``cards.anki_fields`` (so an ``.apkg`` export carries the
edit) for every card of the note, and each card's question and answer take the new text where
they showed the old one.

Part of :class:`~quizcalc.study.service.StudyService`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizcalc.cards.cloze import parse_anki_cloze
from quizcalc.cards.lint import CARD_FILE_SUFFIXES
from quizcalc.exchange.anki_html import anki_html_to_markdown, markdown_to_anki_html
from quizcalc.store.models import CardRecord, NoteTypeRecord, SourceRecord
from quizcalc.study.anki_renderings import edited_cards, refresh_renderings
from quizcalc.study.card_info import anki_note
from quizcalc.study.collection_base import sql_runner
from quizcalc.study.content import ContentUseCases
from quizcalc.study.errors import CardNotFound, InvalidRequest, SourceUnavailable, use_case
from quizcalc.study.queue import load_card
from quizcalc.study.views import QueuedCard, SyncReport

__all__ = ["CardEditUseCases", "EditTarget", "EditedCard"]


@dataclass(frozen=True)
class EditTarget:
    """Where a card is edited: its Markdown file and line, or its fields in the app."""

    card_key: int
    card_id: str
    file: Path | None
    """The Markdown file the card is written in (``None``: edit its fields in the app)."""
    line: int
    field_names: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    """The fields as Markdown, for the in-app editor (empty for a file)."""
    note_type: str = ""
    """The Anki note type (blank for a card from an Anki text file)."""


@dataclass(frozen=True)
class EditedCard:
    """What a sync after an edit did, and the card as it now is (``None``: it is gone)."""

    report: SyncReport
    card: QueuedCard | None


def _record(session: Session, card_key: int) -> CardRecord:
    card = session.get(CardRecord, card_key)
    if card is None:
        raise CardNotFound(
            f"no card with key {card_key}; it may have been removed in another window"
        )
    return card


def _is_card_file(source: str) -> bool:
    return Path(source).suffix.lower() in CARD_FILE_SUFFIXES


def _render_cloze(siblings: Sequence[CardRecord], text: str, extras: str, now: datetime) -> None:
    """Give each cloze card of a note its question and answer from the edited ``text``.

    Each card keeps its deletion number: a number whose card exists must stay, and a new one
    would need a new card (added in Anki, or in a Markdown file), so both are refused.
    """
    note = parse_anki_cloze(text)
    if note.broken:
        raise InvalidRequest(f"the cloze text cannot be read: {'; '.join(note.problems)}")
    numbers = set(note.numbers())
    have = {s.cloze_number for s in siblings if s.cloze_number is not None}
    gone = sorted(have - numbers)
    if gone:
        raise InvalidRequest(
            f"this note's cards are {', '.join(f'c{n}' for n in sorted(have))}: keep a "
            f"{{{{c{gone[0]}::…}}}} deletion for card c{gone[0]} (suspend it to stop seeing it)"
        )
    added = sorted(numbers - have)
    if added:
        raise InvalidRequest(
            f"{{{{c{added[0]}::…}}}} would be a new card, which an edit here cannot add: add it "
            "in Anki and import the note again"
        )
    for sibling in siblings:
        number = sibling.cloze_number or 1
        answer = note.answer(number)
        sibling.question = note.question(number)
        sibling.answer = f"{answer}\n\n{extras}" if extras else answer
        sibling.note = text
        sibling.updated_at = now


class CardEditUseCases(ContentUseCases):
    """Edit one card where it is written, and bring the edit in."""

    @use_case("open the card for editing")
    def edit_target(self, card_key: int) -> EditTarget:
        """Where the card is edited (see the module docstring)."""
        with self.transaction() as session:
            card = _record(session, card_key)
            if card.status == "retired":
                raise InvalidRequest(
                    f"card {card.card_id} was removed from {card.source}: there is nothing to edit"
                )
            if _is_card_file(card.source):
                return EditTarget(card.id, card.card_id, Path(card.source), card.line)
            note_type = (
                None
                if card.note_type_id is None
                else session.get(NoteTypeRecord, card.note_type_id)
            )
            note = anki_note(card, note_type)
            if note is not None:
                return EditTarget(
                    card.id,
                    card.card_id,
                    None,
                    card.line,
                    note.field_names,
                    tuple(anki_html_to_markdown(value) for value in note.fields),
                    note.note_type,
                )
            if card.kind == "cloze":
                return EditTarget(
                    card.id, card.card_id, None, card.line, ("Text",), (card.note or card.question,)
                )
            return EditTarget(
                card.id,
                card.card_id,
                None,
                card.line,
                ("Question", "Answer"),
                (card.question, card.answer),
            )

    @use_case("sync the edited card")
    def resync_edited(self, target: EditTarget, now: datetime, reason: str) -> EditedCard:
        """Sync the source of the card ``target`` names and find the card again.

        ``reason`` is the card's reason in the queue, kept on the card returned.
        """
        with self.transaction() as session:
            card = _record(session, target.card_key)
            source = None if card.source_id is None else session.get(SourceRecord, card.source_id)
            if source is None:
                raise SourceUnavailable(
                    f"{card.source}: this card belongs to no synced source; sync or import it"
                )
            role, path = source.role, Path(source.path)
        report = self._sync_one(role, path, now)
        with self.transaction() as session:
            key = self._find_again(session, target)
            shown = None if key is None else load_card(sql_runner(session), key, reason)
        return EditedCard(report, shown)

    @staticmethod
    def _find_again(session: Session, target: EditTarget) -> int | None:
        same = session.get(CardRecord, target.card_key)
        if same is not None and same.status != "retired":
            return target.card_key
        rows = session.execute(
            select(CardRecord.id, CardRecord.line).where(
                CardRecord.source == str(target.file),
                CardRecord.status != "retired",
            )
        ).all()
        if not rows:
            return None
        key, _ = min(rows, key=lambda row: (abs(row[1] - target.line), row[1]))
        return int(key)

    @use_case("save the card")
    def save_fields(self, target: EditTarget, fields: list[str], now: datetime) -> QueuedCard:
        """Write the in-app editor's ``fields`` (Markdown) to the card (committed)."""
        if target.file is not None:
            raise InvalidRequest(f"card {target.card_id} is edited in {target.file}")
        if len(fields) != len(target.fields):
            raise InvalidRequest(
                f"card {target.card_id} has {len(target.fields)} fields, got {len(fields)}"
            )
        with self.transaction(write=True) as session:
            card = _record(session, target.card_key)
            if card.anki_fields is None and card.kind == "cloze":
                siblings = session.scalars(
                    select(CardRecord).where(
                        CardRecord.source_id == card.source_id,
                        CardRecord.line == card.line,
                        CardRecord.kind == "cloze",
                        CardRecord.status != "retired",
                    )
                ).all()
                _render_cloze(siblings, fields[0].strip(), "", now)
            elif card.anki_fields is None:
                question, answer = (text.strip() for text in fields)
                if not question or not answer:
                    raise InvalidRequest(
                        "a card needs a question and an answer: neither may be blank"
                    )
                card.question, card.answer, card.updated_at = question, answer, now
            else:
                self._save_note(session, card, target, fields, now)
            edited = edited_cards(session)
            session.flush()
            refresh_renderings(session, edited)  # the export's Anki HTML follows the edit
            return load_card(sql_runner(session), card.id, "review")

    @staticmethod
    def _save_note(
        session: Session, card: CardRecord, target: EditTarget, fields: list[str], now: datetime
    ) -> None:
        html = [str(value) for value in json.loads(card.anki_fields or "[]")]
        changes: list[tuple[str, str]] = []
        for index, (old, new) in enumerate(zip(target.fields, fields, strict=True)):
            if new.strip() == old.strip() or index >= len(html):
                continue
            html[index] = markdown_to_anki_html(new.strip())
            if old.strip():
                changes.append((old.strip(), new.strip()))
        if not changes and html == json.loads(card.anki_fields or "[]"):
            return
        siblings = (
            [card]
            if card.anki_guid is None
            else session.scalars(
                select(CardRecord).where(CardRecord.anki_guid == card.anki_guid)
            ).all()
        )
        stored = json.dumps(html, ensure_ascii=False)
        if card.kind == "cloze":  # rendered again from the text, with the other fields below
            extras = "\n\n".join(
                f"**{name}:** {value.strip()}"
                for name, value in zip(target.field_names[1:], fields[1:], strict=True)
                if value.strip()
            )
            _render_cloze(siblings, fields[0].strip(), extras, now)
            changes = []
        for sibling in siblings:
            sibling.anki_fields = stored
            for old, new in changes:
                sibling.question = sibling.question.replace(old, new)
                sibling.answer = sibling.answer.replace(old, new)
                sibling.note = sibling.note.replace(old, new)
            sibling.updated_at = now
