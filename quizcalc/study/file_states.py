"""Each synced file's state in the store (``source_files``), for a sync that parses only the
files that changed.

A file's row says: this file, with this size, mtime and content hash, is what the source's
cards of that file were last synced from. Rows are written in the sync's write transaction,
together with the cards, and only for a file that read cleanly (no problem line): a file with
problems has no row, so it is parsed again at every sync, as the whole folder used to be.
The rows hold for the parser of :data:`~quizcalc.study.source_reading.PARSER_EPOCH`
(``collection_meta`` names the epoch they were written under) and for the source's path
(cards name their file by its full path): otherwise every file is parsed again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from quizcalc.store.models import (
    CardRecord,
    CollectionMetaRecord,
    SourceFileRecord,
    SourceRecord,
)
from quizcalc.study import source_reading
from quizcalc.study.source_ownership import source_key
from quizcalc.study.source_reading import FileState, SourceFiles

__all__ = ["EPOCH_NAME", "FileCards", "file_cards", "known_states", "save_states", "shift_file"]

EPOCH_NAME = "sync_parser_epoch"
"""The ``collection_meta`` row naming the parser epoch the ``source_files`` rows hold for."""


def _epoch() -> int:
    return int(source_reading.PARSER_EPOCH)  # looked up each time: a test may move it on


def known_states(session: Session, found: SourceFiles) -> dict[str, FileState] | None:
    """The source's files as last synced, by relative path; None when they cannot be trusted
    (a new source, one whose folder moved, or rows from another parser epoch): parse all."""
    source = session.scalar(
        select(SourceRecord).where(SourceRecord.key == source_key(found.role, found.path))
    )
    if source is None or source.path != str(found.path):
        return None
    epoch = session.scalar(
        select(CollectionMetaRecord.value).where(CollectionMetaRecord.name == EPOCH_NAME)
    )
    if epoch != _epoch():
        return None
    rows = session.execute(
        select(
            SourceFileRecord.path,
            SourceFileRecord.size,
            SourceFileRecord.mtime_ns,
            SourceFileRecord.content_hash,
        ).where(SourceFileRecord.source_id == source.id)
    )
    return {path: FileState(path, size, mtime, digest) for path, size, mtime, digest in rows}


@dataclass(frozen=True)
class FileCards:
    """A file's active cards in the store: how many, and the first one's position."""

    count: int
    first_position: int


def file_cards(session: Session, source: SourceRecord) -> dict[str, FileCards]:
    """Each file's active (not retired) cards of ``source``, by the file's full path."""
    query = (
        select(CardRecord.source, func.count(), func.min(CardRecord.position))
        .where(CardRecord.source_id == source.id, CardRecord.status != "retired")
        .group_by(CardRecord.source)
    )
    return {file: FileCards(count, first) for file, count, first in session.execute(query)}


def shift_file(session: Session, source: SourceRecord, file: str, delta: int) -> None:
    """Move the positions of ``file``'s active cards by ``delta`` (a file before it grew or
    shrank), in one statement, without loading them."""
    session.execute(
        update(CardRecord)
        .where(
            CardRecord.source_id == source.id,
            CardRecord.source == file,
            CardRecord.status != "retired",
        )
        .values(position=CardRecord.position + delta)
        .execution_options(synchronize_session=False)
    )


def _set_epoch(session: Session) -> None:
    """Rows of another parser epoch are dropped (every source parses all again), then the
    epoch is named."""
    row = session.get(CollectionMetaRecord, EPOCH_NAME)
    if row is not None and row.value == _epoch():
        return
    session.execute(delete(SourceFileRecord))
    if row is None:
        session.add(CollectionMetaRecord(name=EPOCH_NAME, value=_epoch()))
    else:
        row.value = _epoch()


def save_states(
    session: Session,
    source: SourceRecord,
    found: SourceFiles,
    read: Iterable[str] | None,
    states: Mapping[str, FileState],
    troubled: Collection[str],
) -> None:
    """Record the files' states after the sync wrote their cards (same transaction).

    ``read`` are the files whose rows this sync replaces (None: all of them); each gets the
    row of its ``states`` entry unless it is ``troubled`` (parsed again next time). Rows of
    files no longer found go.
    """
    _set_epoch(session)
    session.flush()
    if read is None:
        session.execute(delete(SourceFileRecord).where(SourceFileRecord.source_id == source.id))
        replaced = set(states)
    else:
        replaced = set(read) | set(states)
    present = {found.relative(file) for file in found.files}
    replaced_paths = {found.relative(Path(file)) for file in replaced}
    stored = session.scalars(
        select(SourceFileRecord.path).where(SourceFileRecord.source_id == source.id)
    ).all()
    drop = {path for path in stored if path not in present} | replaced_paths
    for start in range(0, len(drop), 500):
        chunk = sorted(drop)[start : start + 500]
        session.execute(
            delete(SourceFileRecord).where(
                SourceFileRecord.source_id == source.id, SourceFileRecord.path.in_(chunk)
            )
        )
    rows = [
        {
            "source_id": source.id,
            "path": state.path,
            "size": state.size,
            "mtime_ns": state.mtime_ns,
            "content_hash": state.content_hash,
        }
        for file, state in states.items()
        if file not in troubled
    ]
    if rows:
        session.execute(insert(SourceFileRecord), rows)
