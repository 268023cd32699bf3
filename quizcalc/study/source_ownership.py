"""Which source a card belongs to: one row per source key.

A source's key does not depend on where its files sit on this device: ``content`` for the
learner's content folder wherever it is, ``bundled:<deck file>`` for a deck that ships with
quizcalc, ``import:<resolved path>`` for an imported file or folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from quizcalc.locations import bundled_content_dir
from quizcalc.store.models import CardRecord, SourceRecord

__all__ = [
    "adopt_legacy_bundled",
    "content_sources",
    "source_key",
    "source_record",
]


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
