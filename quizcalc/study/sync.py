"""Sync Markdown sources into the store: add new cards, update edited ones, retire removed ones.

An edited card keeps its progress: it is matched by explicit id, else by the id derived from
its text, else by a clear similarity match among its own source's cards in the same file (a
fixed typo in a question or a rewritten answer is an edit, not a new card). Removed cards are
retired, never deleted, and come back with their history if they reappear. A card belongs to
one source: a sync never moves or retires another source's cards.

A sync is two steps so that the collection's write lock is held only while writing:
:func:`~quizcalc.study.source_reading.parse_source` finds and parses the files (outside any
transaction: a 20,000-card file takes seconds), then :func:`sync_source` (here) applies the
result in one short write transaction.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import datetime
from difflib import SequenceMatcher

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizcalc.cards import Card, CardKind, derive_card_id
from quizcalc.cards.spans import code_spans, math_spans
from quizcalc.exchange.model import note_id
from quizcalc.store.models import CardRecord, DeckRecord, SourceRecord
from quizcalc.study.anki_identity import store_identities
from quizcalc.study.anki_renderings import refresh_renderings
from quizcalc.study.card_rows import card_values, insert_new_cards
from quizcalc.study.file_states import known_states, save_states
from quizcalc.study.source_ownership import (
    adopt_legacy_bundled,
    claim_cards,
    forget_moved_folders,
    source_key,
    source_record,
)
from quizcalc.study.source_reading import ParsedSource, SourceFiles, SyncProgress, ids_in_file
from quizcalc.study.sync_scope import (
    anki_pool,
    card_positions,
    load_records,
    read_scope,
    scope_files,
)
from quizcalc.study.views import SyncReport

__all__ = ["lost_math", "sync_source", "unchanged_cards"]

QUESTION_MATCH = 0.75
"""Question similarity above which an unmatched new card is the same card, edited."""
ANSWER_MATCH = 0.85
"""Answer similarity that, with a loosely similar question, also counts as an edit."""
AMBIGUITY_MARGIN = 0.1
"""A similarity match must beat the runner-up by this much to be a clear match."""

PROGRESS_STEP = 50
"""Cards stored between two ``card_progress`` calls."""


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(
        None, " ".join(a.split()).casefold(), " ".join(b.split()).casefold(), autojunk=False
    ).ratio()


def _match_edits(unmatched: list[Card], candidates: list[CardRecord]) -> dict[str, CardRecord]:
    """Pair new-looking cards with vanished records of the same file when clearly the same."""
    scored: list[tuple[float, int, int]] = []
    per_card: dict[int, list[float]] = {}
    for ci, card in enumerate(unmatched):
        for ri, record in enumerate(candidates):
            if record.source != card.source or record.kind != card.kind.value:
                continue
            if record.cloze_number != card.cloze_number:
                continue
            q = _similarity(card.question, record.question)
            a = _similarity(card.answer, record.answer) if card.answer or record.answer else 0.0
            score = (
                q if q >= QUESTION_MATCH else (q + a) / 2 if a >= ANSWER_MATCH and q >= 0.4 else 0.0
            )
            if score and record.section != card.section and q < 0.9:
                score = 0.0
            if score:
                scored.append((score, ci, ri))
                per_card.setdefault(ci, []).append(score)
    matches: dict[str, CardRecord] = {}
    used_records: set[int] = set()
    for _score, ci, ri in sorted(scored, reverse=True):
        if ri in used_records or unmatched[ci].id in matches:
            continue
        rivals = sorted(per_card[ci], reverse=True)
        if len(rivals) > 1 and rivals[0] - rivals[1] < AMBIGUITY_MARGIN:
            continue  # two records look alike: not a clear edit, treat as new
        matches[unmatched[ci].id] = candidates[ri]
        used_records.add(ri)
    return matches


def _match_legacy_cloze_ids(
    cards: list[Card],
    by_id: dict[str, CardRecord],
    source: SourceRecord,
    matched: dict[str, CardRecord],
) -> None:
    """Re-key this source's cloze rows stored under the old derived id (text + number).

    Siblings now share a note id (:func:`~quizcalc.cards.derive_cloze_id`); the row a card
    had under its old id is the same card: it keeps its row and history. Parser epoch 4
    makes every source read again once, so this happens on the first sync after upgrading.
    """
    taken = {id(r) for r in matched.values()}
    for card in cards:
        if card.id in matched or card.kind is not CardKind.CLOZE or card.explicit_id:
            continue
        if card.cloze_number is None or not card.note:
            continue
        record = by_id.get(derive_card_id(CardKind.CLOZE, card.note, card.cloze_number))
        if record is None or record.source_id != source.id or id(record) in taken:
            continue
        record.card_id = card.id  # a new key, not an edit: the card counts as unchanged
        matched[card.id] = record
        taken.add(id(record))


_ANKI_ID = re.compile(r"anki-(?P<guid>.+?)(?:::c(?P<number>\d+))?")


def _match_anki_guids(
    unmatched: list[Card],
    records: Iterable[CardRecord],
    source: SourceRecord,
    matched: dict[str, CardRecord],
) -> dict[str, str]:
    """Recognise Anki notes that are our own cards, come back through Anki.

    Our exports give a note the GUID ``genanki.guid_for(note id)``; a note Anki re-exports
    under its own note type arrives as ``anki-<guid>``. One of this source's cards is matched
    (and keeps its history); one that lives in another source is not imported twice: the
    returned map names it (card id → reason line).
    """
    foreign = [(c, _ANKI_ID.fullmatch(c.id)) for c in unmatched if c.id.startswith("anki-")]
    if not foreign:
        return {}
    from quizcalc.exchange.anki_guid import guid_for

    by_guid = {(guid_for(note_id(r.card_id, r.cloze_number)), r.cloze_number): r for r in records}
    taken = {id(r) for r in matched.values()}
    elsewhere: dict[str, str] = {}
    for card, found in foreign:
        if found is None:
            continue
        number = int(found["number"]) if found["number"] else None
        record = by_guid.get((found["guid"], number))
        if record is None or id(record) in taken:
            continue
        if record.source_id == source.id:
            matched[card.id] = record
            taken.add(id(record))
        else:
            elsewhere[card.id] = (
                f"{card.source}: {card.id} is {record.card_id} of {record.source}"
                " (the same note, exported by quizcalc); kept once"
            )
    return elsewhere


def _deck(session: Session, name: str, cache: dict[str, DeckRecord]) -> DeckRecord:
    if name not in cache:
        deck = session.scalar(select(DeckRecord).where(DeckRecord.name == name))
        if deck is None:
            deck = DeckRecord(name=name)
            session.add(deck)
        cache[name] = deck
    return cache[name]


def _content_changed(record: CardRecord, card: Card, deck: DeckRecord) -> bool:
    return (
        record.question != card.question
        or record.answer != card.answer
        or record.section != card.section
        or record.tags != " ".join(card.tags)
        or record.kind != card.kind.value
        or record.deck is not deck
        or record.card_id != card.id
        or record.note != card.note
    )


_FOREIGN_SUFFIXES = (".apkg", ".colpkg", ".csv", ".tsv", ".txt")
"""Files whose text came through a conversion (Anki's HTML): their math may have been lost."""


def _formulas(*texts: str) -> int:
    return sum(len(math_spans(text, code_spans(text))) for text in texts)


def lost_math(record: CardRecord, card: Card) -> str | None:
    """Why ``card`` (from an Anki file) must not replace ``record``: it lost math; else None.

    An Anki file exported by a broken export (``\\[…\\]`` written as ``[…]``) would otherwise
    overwrite the good card with text whose formulas are gone. The learner's own Markdown is
    always taken as written.
    """
    if not card.source.lower().endswith(_FOREIGN_SUFFIXES):
        return None
    stored = _formulas(record.question, record.answer, record.note)
    incoming = _formulas(card.question, card.answer, card.note)
    if incoming >= stored:
        return None
    return (
        f"{card.source}:{card.line}: card '{card.id}' has {incoming} math formula(s) in the"
        f" file but {stored} in the collection; kept the collection's text (the file's copy"
        " lost its math: export the card again)"
    )


def _apply(
    record: CardRecord,
    card: Card,
    deck: DeckRecord,
    source: SourceRecord,
    position: int,
    now: datetime,
) -> None:
    # Only what differs is set: an untouched row stays clean, so the flush skips it.
    if record.deck is not deck:
        record.deck = deck
    for name, value in card_values(card, source, position).items():
        if getattr(record, name) != value:
            setattr(record, name, value)


def _active_cards(session: Session, source: SourceRecord) -> int:
    query = select(func.count(CardRecord.id)).where(
        CardRecord.source_id == source.id, CardRecord.status != "retired"
    )
    return int(session.scalar(query) or 0)


def unchanged_cards(session: Session, found: SourceFiles) -> int | None:
    """The source's active cards when its files are as last synced (nothing to do), else None.

    Only reads: run it in a read transaction before deciding to parse.
    """
    key = source_key(found.role, found.path)
    source = session.scalar(select(SourceRecord).where(SourceRecord.key == key))
    if source is None or source.fingerprint != found.stamp:
        return None
    return _active_cards(session, source)


def sync_source(
    session: Session,
    parsed: ParsedSource,
    now: datetime,
    *,
    with_progress: bool = False,
    card_progress: SyncProgress | None = None,
) -> SyncReport:
    """Bring the store's cards of one parsed source (see :func:`.parse_source`) up to date.

    Only this source's cards are matched, updated or retired; a card or file another source
    holds is reported and left to it (:func:`~quizcalc.study.source_ownership.claim_cards`).
    When only some files were parsed (the others unchanged since the last sync), only the
    cards of those files, and of files gone, are matched and retired: a card that moved to or
    from an unchanged file, or shares its id, has that file parsed too (:func:`.read_scope`).
    Runs inside the caller's write transaction and parses nothing else (but a file of another
    source holding the same card id, to see whether the card left it). ``with_progress`` also
    imports the schedules and review logs an Anki package carries (for cards with no history
    here yet). ``card_progress`` hears (cards stored, cards in all) while a changed source is
    written (a progress bar for big imports).
    """
    found = parsed.found
    if found.role == "bundled":
        adopt_legacy_bundled(session, now)
    current = known_states(session, found) if parsed.basis is not None else None
    source = source_record(session, found.role, found.path, now)
    stamp = found.stamp
    if source.fingerprint == stamp and not with_progress:  # another window synced it meanwhile
        return SyncReport(unchanged=_active_cards(session, source))

    parsed, counts = read_scope(session, source, parsed, current)
    scan = parsed.scan
    scope = scope_files(parsed, counts)
    records = load_records(session, source, scan.cards, scope)
    by_id = {r.card_id: r for r in records}
    sources = {s.id: s for s in session.scalars(select(SourceRecord))}
    scanned = scan.cards
    claim = claim_cards(scan.cards, records, source, sources, functools.cache(ids_in_file))
    scan.cards = claim.cards
    scan.problems.extend(claim.problems)
    kept_ids = {card.id for card in claim.cards}  # a skipped copy brings no history either
    scan.progress = {key: value for key, value in scan.progress.items() if key in kept_ids}
    kept_files = scan.unreadable | scan.kept | claim.skipped_files
    in_scope = [
        r
        for r in records
        if r.source_id == source.id
        and r.source not in kept_files
        and (scope is None or r.source in scope)
    ]
    matched: dict[str, CardRecord] = {c.id: by_id[c.id] for c in scan.cards if c.id in by_id}
    taken = {id(r) for r in matched.values()}
    vanished = [r for r in in_scope if id(r) not in taken and r.status != "retired"]
    _match_legacy_cloze_ids(scan.cards, by_id, source, matched)
    unmatched = [c for c in scan.cards if c.id not in matched]
    elsewhere = _match_anki_guids(
        unmatched, anki_pool(session, unmatched, records), source, matched
    )
    if elsewhere:
        scan.cards = [c for c in scan.cards if c.id not in elsewhere]
        unmatched = [c for c in unmatched if c.id not in elsewhere]
        scan.problems.extend(elsewhere.values())
    matched.update(_match_edits(unmatched, vanished))
    moves: dict[int, list[tuple[str, str]]] = {}  # cards taken over: (old file, new file)
    for card in scan.cards:
        held = matched.get(card.id)
        if held is not None and held.source_id not in (None, source.id):
            moves.setdefault(held.source_id, []).append((held.source, card.source))

    updated = unchanged = restored = 0
    problems = list(scan.problems)
    troubled = set(scan.troubled) | kept_files
    left = {id(c) for c in scan.cards}
    troubled |= {c.source for c in scanned if id(c) not in left}
    decks: dict[str, DeckRecord] = {}
    new: list[tuple[Card, DeckRecord, int]] = []
    edited: list[CardRecord] = []
    positions = card_positions(session, source, parsed, scan.cards, counts)
    for index, card in enumerate(scan.cards):
        if card_progress is not None and index % PROGRESS_STEP == 0:
            card_progress(index, len(scan.cards))
        position = positions[index]
        deck = _deck(session, card.deck or "Default", decks)
        record = matched.get(card.id)
        if record is None:
            new.append((card, deck, position))
            continue
        changed = _content_changed(record, card, deck)
        lost = lost_math(record, card) if changed else None
        if lost is not None:
            problems.append(lost)
            troubled.add(card.source)
            unchanged += 1
            continue
        if record.status == "retired":
            record.status = "active"
            record.retired_at = None
            restored += 1
        elif changed:
            updated += 1
        else:
            unchanged += 1
        if changed:
            record.updated_at = now
            edited.append(record)
        _apply(record, card, deck, source, position, now)

    suspended = {card_id for card_id, carried in scan.progress.items() if carried.suspended}
    flags = {card_id: carried.flag for card_id, carried in scan.progress.items() if carried.flag}
    insert_new_cards(session, new, source, now, suspended, flags)
    refresh_renderings(session, edited)  # their Anki HTML, for exports
    store_identities(session, {k: v for k, v in scan.identity.items() if k in kept_ids})
    added = len(new)
    if card_progress is not None:
        card_progress(len(scan.cards), len(scan.cards))
    kept = {id(r) for r in matched.values()}
    retired = 0
    for record in vanished:
        if id(record) not in kept:
            record.status = "retired"
            record.retired_at = now
            retired += 1
    if scope is not None:  # the files not parsed: their cards are as they were
        unchanged += sum(cards.count for file, cards in counts.items() if file not in scope)
    # Cards left to another source are looked at again next time (that one may drop them).
    source.fingerprint = stamp if not scan.unreadable and not claim.problems else None
    source.synced_at = now
    save_states(session, source, found, parsed.parsed, parsed.states, troubled)
    retired += forget_moved_folders(session, source, moves, now)
    histories = 0
    if with_progress and scan.progress:
        from quizcalc.study.import_progress import apply_imported_progress

        session.flush()
        query = select(CardRecord).where(CardRecord.card_id.in_(list(scan.progress)))
        wanted = {r.card_id: r for r in session.scalars(query).unique()}
        histories, skipped = apply_imported_progress(session, wanted, scan.progress, now)
        problems.extend(skipped)
    return SyncReport(
        added=added,
        updated=updated,
        retired=retired,
        unchanged=unchanged,
        restored=restored,
        problems=problems,
        histories=histories,
    )
