"""What a sync that parsed only some files looks at: those files, the files gone, and the
cards either holds; the other files' cards stay as they were, but for their positions.

A file whose size, mtime or hash still match its ``source_files`` row is not parsed, and its
cards are not loaded: a one-card edit costs one file, whatever the size of the deck. The
rules that cross files still hold, because a file that shares a card id with a parsed file
(a card moved or copied there) is parsed too, and a file with problems is parsed every time
(:mod:`quizcalc.study.file_states`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, lazyload

from quizcalc.cards import Card, CardKind, derive_card_id
from quizcalc.store.models import CardRecord, SourceRecord
from quizcalc.study.batches import batches
from quizcalc.study.file_states import FileCards, file_cards, shift_file
from quizcalc.study.source_reading import FileState, ParsedSource, parse_files, parse_source

__all__ = ["anki_pool", "card_positions", "load_records", "read_scope", "scope_files"]

CHUNK = 500
"""Values in one ``IN (…)`` list."""


def _holders(session: Session, source: SourceRecord, ids: Iterable[str]) -> set[str]:
    """The files holding this source's active cards of ``ids``."""
    files: set[str] = set()
    for chunk in batches(sorted(set(ids)), CHUNK):
        query = select(CardRecord.source).where(
            CardRecord.source_id == source.id,
            CardRecord.status != "retired",
            CardRecord.card_id.in_(chunk),
        )
        files.update(session.scalars(query.distinct()))
    return files


def read_scope(
    session: Session,
    source: SourceRecord,
    parsed: ParsedSource,
    current: dict[str, FileState] | None,
) -> tuple[ParsedSource, dict[str, FileCards]]:
    """``parsed``, with whatever else must be parsed under the lock, and each file's cards.

    When the store's file states are no longer those the reading skipped files by (another
    window synced meanwhile), the reading is planned again from the current ones. A file
    not parsed that holds one of the parsed cards' ids is parsed too (in the source's order,
    so the first copy of a duplicated id keeps it, as when every file is parsed). Returns no
    file cards when every file was parsed.
    """
    found = parsed.found
    if parsed.basis is not None and current != parsed.basis:
        parsed = parse_source(found, None, parsed.limits, known=current)
    files = {str(file): file for file in found.files}
    while parsed.parsed is not None:
        reading = set(parsed.parsed)
        if any(card.source not in reading for card in parsed.scan.cards):
            return parse_files(found, found.files, limits=parsed.limits), {}
        extra = {
            file
            for file in _holders(session, source, (card.id for card in parsed.scan.cards))
            if file in files and file not in reading
        }
        if not extra:
            return parsed, file_cards(session, source)
        reading |= extra
        again = parse_files(found, [files[name] for name in reading], limits=parsed.limits)
        touched = {name: state for name, state in parsed.states.items() if name not in reading}
        parsed = replace(again, states={**touched, **again.states}, basis=parsed.basis)
    return parsed, {}


def scope_files(parsed: ParsedSource, counts: dict[str, FileCards]) -> set[str] | None:
    """The files whose cards this sync matches and retires: those parsed and those gone
    (None: every file of the source)."""
    if parsed.parsed is None:
        return None
    present = {str(file) for file in parsed.found.files}
    return set(parsed.parsed) | {file for file in counts if file not in present}


def _legacy_cloze_ids(cards: Iterable[Card]) -> set[str]:
    return {
        derive_card_id(CardKind.CLOZE, card.note, card.cloze_number)
        for card in cards
        if card.kind is CardKind.CLOZE
        and not card.explicit_id
        and card.cloze_number is not None
        and card.note
    }


def load_records(
    session: Session, source: SourceRecord, cards: Sequence[Card], scope: Collection[str] | None
) -> list[CardRecord]:
    """The card rows a sync of ``cards`` needs: this source's cards of the ``scope`` files (of
    every file when None), the cards of the files read (in any source) and the cards with
    the ids read (in any source, any status, and under a cloze's old id). Each row is
    loaded once; schedules stay unloaded.
    """
    base = select(CardRecord).options(lazyload(CardRecord.schedule))
    records: dict[int, CardRecord] = {}

    def load(query: Select[CardRecord]) -> None:
        for record in session.scalars(query).unique():
            records.setdefault(record.id, record)

    files = {card.source for card in cards}
    if scope is None:
        load(base.where(CardRecord.source_id == source.id))
        elsewhere = or_(CardRecord.source_id != source.id, CardRecord.source_id.is_(None))
        for chunk in batches(sorted(set(files)), CHUNK):
            load(base.where(CardRecord.source.in_(chunk), elsewhere))
    else:
        for chunk in batches(sorted(set(files | set(scope))), CHUNK):
            load(base.where(CardRecord.source.in_(chunk)))
    have = {record.card_id for record in records.values()}
    ids = {card.id for card in cards} | _legacy_cloze_ids(cards)
    for chunk in batches(sorted(set(ids - have)), CHUNK):
        load(base.where(CardRecord.card_id.in_(chunk)))
    return sorted(records.values(), key=lambda record: record.id)


def anki_pool(
    session: Session, unmatched: Iterable[Card], records: list[CardRecord]
) -> Sequence[CardRecord]:
    """The rows an Anki note coming back may be: every card when one looks like it."""
    if not any(card.id.startswith("anki-") for card in unmatched):
        return records
    query = select(CardRecord).options(lazyload(CardRecord.schedule))
    return session.scalars(query).unique().all()


def card_positions(
    session: Session,
    source: SourceRecord,
    parsed: ParsedSource,
    cards: Sequence[Card],
    counts: dict[str, FileCards],
) -> list[int]:
    """Each of ``cards``' position in the source's reading order (its index when every file
    was parsed); the unparsed files' cards move along in place, when a file before them
    gained or lost cards."""
    if parsed.parsed is None:
        return list(range(len(cards)))
    in_file: dict[str, list[int]] = {}
    for index, card in enumerate(cards):
        in_file.setdefault(card.source, []).append(index)
    positions = [0] * len(cards)
    offset = 0
    for file in parsed.found.files:
        name = str(file)
        if name in parsed.parsed:
            for index in in_file.get(name, []):
                positions[index] = offset
                offset += 1
            continue
        held = counts.get(name)
        if held is None:
            continue
        if held.first_position != offset:
            shift_file(session, source, name, offset - held.first_position)
        offset += held.count
    return positions
