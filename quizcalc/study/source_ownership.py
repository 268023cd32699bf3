"""Which source a card belongs to: one source per card, one row per source key.

A source's key says which files it stands for: ``content:<resolved path>`` for a content
folder (each device may sync its own; a folder moved on one device is a new source that takes
its cards over, history and all: :func:`forget_moved_folders`), ``bundled:<deck file>`` for a
deck that ships with quizcalc (whatever the install's path), ``import:<resolved path>`` for an
imported file or folder.

A sync only ever matches, updates and retires the cards of its own source. A card found in a
second source (the same id, or a file that two sources both read, like a content folder that
was also imported) is reported there and skipped: the first source keeps it, untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from quizcalc.cards import Card
from quizcalc.locations import bundled_content_dir
from quizcalc.store.models import CardRecord, SourceFileRecord, SourceRecord

__all__ = [
    "Claim",
    "Moves",
    "adopt_legacy_bundled",
    "claim_cards",
    "content_sources",
    "describe_source",
    "forget_moved_folders",
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
    if role == "bundled":
        try:
            return f"bundled:{path.relative_to(_bundled_dir()).as_posix()}"
        except ValueError:
            return f"bundled:{path.name}"
    return f"{role}:{path}"


def describe_source(source: SourceRecord) -> str:
    """The source as the learner knows it: ``your content folder <path>``, ``the import of
    …``: two content folders (two devices' own) are told apart by their paths."""
    kind, _, rest = source.key.partition(":")
    if kind == "content":
        return f"your content folder {rest}" if rest else "your content folder"
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
    bundled = _bundled_dir()
    rows = session.scalars(select(SourceRecord).where(SourceRecord.role == "content")).all()
    for content in rows:
        if Path(content.path).resolve() == bundled:
            _adopt_bundled_cards(session, content, bundled, now)


def _adopt_bundled_cards(
    session: Session, content: SourceRecord, bundled: Path, now: datetime
) -> None:
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


Moves = Mapping[int, Sequence[tuple[str, str]]]
"""By the id of the source a sync took cards over from: each card's (old file, new file)."""


def _moved_whole(old: SourceRecord, new: SourceRecord, files: Sequence[tuple[str, str]]) -> bool:
    """Whether the cards taken from ``old`` sit in ``new`` as they sat in ``old``: each file
    at the same path inside the folder (a folder moved or renamed, not cards copied over)."""
    old_folder, new_folder = Path(old.path), Path(new.path)
    for old_file, new_file in files:
        before, after = Path(old_file), Path(new_file)
        if not (before.is_relative_to(old_folder) and after.is_relative_to(new_folder)):
            return False
        if before.relative_to(old_folder) != after.relative_to(new_folder):
            return False
    return True


def forget_moved_folders(
    session: Session, source: SourceRecord, moves: Moves, now: datetime
) -> int:
    """Delete the content sources whose folder moved to ``source``'s path; the cards retired.

    A content source ``source`` took cards over from (``moves``) is taken for the same
    folder, moved, when its folder is not on this device, the cards came at the same paths
    inside the folder, and they outnumber the cards it still holds. Those left (their file
    was deleted in the move) are retired, and every card of the old source comes along, its
    file named at the new path (a retired card that comes back gets its history back). Any
    other source is left as it is: another device's folder sharing a few cards.
    """
    if source.role != "content":
        return 0
    retired = 0
    new_folder = Path(source.path)
    for old_id, files in sorted(moves.items()):
        old = session.get(SourceRecord, old_id)
        if old is None or old.id == source.id or old.role != "content":
            continue
        if Path(old.path).is_dir() or not _moved_whole(old, source, files):
            continue
        session.flush()
        left = session.scalars(
            select(CardRecord).where(CardRecord.source_id == old.id, CardRecord.status != "retired")
        ).all()
        if len(left) >= len(files):
            continue  # most of its cards are not here: not this folder, moved
        for card in left:
            card.status = "retired"
            card.retired_at = now
            retired += 1
        old_folder = Path(old.path)
        for card in session.scalars(select(CardRecord).where(CardRecord.source_id == old.id)):
            card.source_id = source.id
            file = Path(card.source)
            if file.is_relative_to(old_folder):
                card.source = str(new_folder / file.relative_to(old_folder))
        session.flush()
        session.execute(delete(SourceFileRecord).where(SourceFileRecord.source_id == old.id))
        session.delete(old)
        session.flush()
    return retired


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
