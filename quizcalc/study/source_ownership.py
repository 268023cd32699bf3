"""Which source a card belongs to: one source per card, one row per source key.

A source's key does not depend on where its files sit on this device: ``content`` for the
learner's content folder wherever it is, ``bundled:<deck file>`` for a deck that ships with
quizcalc, ``import:<resolved path>`` for an imported file or folder.

A sync only ever matches, updates and retires the cards of its own source. A card found in a
second source (the same id, or a file that two sources both read, like a content folder that
was also imported) is reported there and skipped: the first source keeps it, untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from quizcalc.cards import Card
from quizcalc.locations import bundled_content_dir
from quizcalc.store.models import CardRecord, SourceRecord

__all__ = [
    "Claim",
    "adopt_legacy_bundled",
    "claim_cards",
    "content_sources",
    "describe_source",
    "source_key",
    "source_record",
]

IdsInFile = Callable[[Path], "set[str] | None"]
"""The card ids a file holds now; None when it cannot be read in full (then nothing moves)."""


def _bundled_dir() -> Path:
    return bundled_content_dir().resolve()


def content_sources(content: Path, known: Iterable[str] = ()) -> list[tuple[str, Path]]:
    """The (role, path) sources a content folder stands for.

    The bundled ``content/`` folder is one ``bundled`` source per deck file (their keys do
    not depend on where quizcalc is installed), plus each of the ``known`` bundled keys no
    longer shipped (its path does not exist: a sync retires its cards). Any other folder is
    the ``content`` source.
    """
    from quizcalc.cards.lint import find_card_files

    folder = content.expanduser().resolve()
    if folder != _bundled_dir() or not folder.is_dir():
        return [("content", content)]
    shipped = [("bundled", file) for file in find_card_files(folder)]
    keys = {source_key(role, path) for role, path in shipped}
    gone = [key.removeprefix("bundled:") for key in known if key not in keys]
    return shipped + [("bundled", folder / deck) for deck in gone]


def source_key(role: str, path: Path) -> str:
    """The key of the source ``role`` at ``path`` (resolved)."""
    if role == "content":
        return "content"
    if role == "bundled":
        try:
            return f"bundled:{path.relative_to(_bundled_dir()).as_posix()}"
        except ValueError:
            return f"bundled:{path.name}"
    return f"{role}:{path}"


def describe_source(source: SourceRecord) -> str:
    """The source as the learner knows it: ``your content folder``, ``the import of …``."""
    kind, _, rest = source.key.partition(":")
    if kind == "content":
        return "your content folder"
    if kind == "bundled":
        return f"the bundled deck {rest}"
    return f"the import of {rest}"


def source_record(session: Session, role: str, path: Path, now: datetime) -> SourceRecord:
    """The one row of this source, added if it is new (two processes add it once)."""
    key = source_key(role, path)
    record = session.scalar(select(SourceRecord).where(SourceRecord.key == key))
    if record is None:
        values = {"key": key, "role": role, "path": str(path), "added_at": now}
        dialect = session.get_bind().dialect.name
        # Another process may add the same key between the select and here: keep its row.
        if dialect == "sqlite":
            session.execute(sqlite.insert(SourceRecord).values(values).on_conflict_do_nothing())
        elif dialect == "postgresql":
            from sqlalchemy.dialects import postgresql  # not loaded for SQLite (~40 ms)

            session.execute(postgresql.insert(SourceRecord).values(values).on_conflict_do_nothing())
        else:  # pragma: no cover - other databases: the unique index still refuses a twin
            session.add(SourceRecord(**values))
            session.flush()
        record = session.scalars(select(SourceRecord).where(SourceRecord.key == key)).one()
    if record.path != str(path):
        record.path = str(path)
        record.fingerprint = None
    return record


def adopt_legacy_bundled(session: Session, now: datetime) -> None:
    """Move the bundled decks' cards from a content row an older quizcalc left behind.

    Before source keys, the bundled ``content/`` folder was synced as the content folder; its
    cards go to their ``bundled:<deck file>`` sources, history and all, and the content row
    goes once empty. Nothing happens for any other content folder.
    """
    content = session.scalar(select(SourceRecord).where(SourceRecord.key == "content"))
    bundled = _bundled_dir()
    if content is None or Path(content.path).resolve() != bundled:
        return
    query = select(CardRecord).where(CardRecord.source_id == content.id)
    cards = session.scalars(query).unique().all()
    moved = 0
    for card in cards:
        file = Path(card.source).resolve()
        if file.is_relative_to(bundled):
            card.source_id = source_record(session, "bundled", file, now).id
            moved += 1
    session.flush()
    if moved == len(cards):
        session.delete(content)
        session.flush()


@dataclass
class Claim:
    """What a source may take from a scan: its cards, and why the others were left."""

    cards: list[Card] = field(default_factory=list)
    """The cards this source keeps (its own, new ones, and ones it takes over)."""
    problems: list[str] = field(default_factory=list)
    """``file:line: message`` for each card (or file) left to another source."""
    skipped_files: set[str] = field(default_factory=set)
    """Files whose cards belong to another source: this one leaves them alone."""


def claim_cards(
    cards: Iterable[Card],
    records: Iterable[CardRecord],
    source: SourceRecord,
    sources: Mapping[int, SourceRecord],
    ids_in_file: IdsInFile,
) -> Claim:
    """Split a source's scanned ``cards`` into those it keeps and those another source holds.

    A file whose active cards all belong to another source (a folder that is both the
    content folder and an import) is left to that source, with one line. A card whose id
    another source holds is reported with both places and skipped, unless that card has
    left its own file (it was moved here: it is taken over, with its history) or is retired.
    """
    records = list(records)
    holders: dict[str, set[int | None]] = {}
    for record in records:
        if record.status != "retired":
            holders.setdefault(record.source, set()).add(record.source_id)
    others = {r.card_id: r for r in records if r.source_id != source.id}
    claim = Claim()
    for card in cards:
        held_by = holders.get(card.source, set())
        owners = held_by - {None}
        if owners and source.id not in held_by:
            if card.source not in claim.skipped_files:
                claim.skipped_files.add(card.source)
                owner = sources[min(o for o in owners if o is not None)]
                claim.problems.append(
                    f"{card.source}: its cards belong to {describe_source(owner)}; not read "
                    f"again for {describe_source(source)} (a file belongs to one source)"
                )
            continue
        other = others.get(card.id)
        if other is not None and other.source_id is not None and other.status != "retired":
            ids = ids_in_file(Path(other.source))
            if ids is None or other.card_id in ids:
                claim.problems.append(
                    f"{card.source}:{card.line}: card {card.id!r} is already in "
                    f"{describe_source(sources[other.source_id])} ({other.source}:"
                    f"{other.line}); this copy was skipped: give it another id or remove one"
                )
                continue
        claim.cards.append(card)
    return claim
