"""Store and read back the Anki identity of imported cards (note type, GUID, ordinal, fields).

An ``.apkg`` import hands over, per card, the Anki note it came from
(:class:`~quizcalc.exchange.anki_identity.AnkiIdentity`); the sync keeps it in ``cards`` and
``note_types`` (schema 0007), and the export reads it back, so quizcalc's package puts every
note back on itself in the collection it came from.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from quizcalc.exchange.anki_identity import AnkiIdentity, AnkiNoteType, AnkiTemplate
from quizcalc.store.models import CardRecord, NoteTypeRecord
from quizcalc.study.batches import batches

__all__ = ["identities", "store_identities"]

_CHUNK = 500
"""Card ids per ``IN (…)`` query (well under SQLite's variable limit)."""


def _store_note_type(session: Session, notetype: AnkiNoteType) -> None:
    record = session.get(NoteTypeRecord, notetype.id)
    if record is None:
        record = NoteTypeRecord(id=notetype.id)
        session.add(record)
    record.name = notetype.name
    record.kind = int(notetype.cloze)
    record.fields = json.dumps(list(notetype.fields), ensure_ascii=False)
    record.templates = json.dumps(
        [{"name": t.name, "qfmt": t.qfmt, "afmt": t.afmt} for t in notetype.templates],
        ensure_ascii=False,
    )
    record.css = notetype.css


def store_identities(session: Session, identity: Mapping[str, AnkiIdentity]) -> None:
    """Keep each card's Anki identity (card id → identity) and the note types they name."""
    if not identity:
        return
    for notetype in {i.note_type.id: i.note_type for i in identity.values()}.values():
        _store_note_type(session, notetype)
    session.flush()
    ids = list(identity)
    rows = []
    for chunk in batches(ids, _CHUNK):
        query = select(CardRecord.id, CardRecord.card_id).where(CardRecord.card_id.in_(chunk))
        for key, card_id in session.execute(query):
            found = identity[card_id]
            rows.append(
                {
                    "id": key,
                    "anki_guid": found.guid,
                    "anki_ord": found.ord,
                    "note_type_id": found.note_type.id,
                    "anki_fields": json.dumps(list(found.fields), ensure_ascii=False),
                }
            )
    if rows:
        session.execute(update(CardRecord), rows)


def _note_type(record: NoteTypeRecord) -> AnkiNoteType:
    templates = tuple(
        AnkiTemplate(str(t["name"]), str(t["qfmt"]), str(t["afmt"]))
        for t in json.loads(record.templates)
    )
    fields = tuple(str(name) for name in json.loads(record.fields))
    return AnkiNoteType(record.name, bool(record.kind), fields, templates, record.css, record.id)


def identities(session: Session, records: Sequence[Any]) -> dict[int, AnkiIdentity]:
    """Card key → its Anki identity, for the ``records`` imported from Anki (others absent).

    ``records`` are card rows or :class:`CardRecord` objects: their ``id``, ``anki_guid``,
    ``anki_ord``, ``note_type_id`` and ``anki_fields`` are read.

    A card whose note type row is gone (or unreadable) has none: it exports as quizcalc's own.
    """
    wanted = {r.note_type_id for r in records if r.note_type_id is not None}
    if not wanted:
        return {}
    types: dict[int, AnkiNoteType] = {}
    for record in session.scalars(select(NoteTypeRecord).where(NoteTypeRecord.id.in_(wanted))):
        try:
            types[record.id] = _note_type(record)
        except (ValueError, TypeError, KeyError):
            continue
    found: dict[int, AnkiIdentity] = {}
    for r in records:
        notetype = types.get(r.note_type_id or 0)
        if notetype is None or r.anki_guid is None or r.anki_fields is None:
            continue
        try:
            fields = tuple(str(value) for value in json.loads(r.anki_fields))
        except (ValueError, TypeError):
            continue
        found[r.id] = AnkiIdentity(r.anki_guid, r.anki_ord or 0, notetype, fields)
    return found
