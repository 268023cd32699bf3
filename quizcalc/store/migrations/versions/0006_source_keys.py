"""sources.key: one row per source, whatever the path of its files

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

Before this revision a source was found by its role and path, and two first starts at once
could each add a content row (the cards removed from the files then stayed active forever,
held by the row no sync used). Each row now gets a key (``content``, ``bundled:<deck file>``,
``import:<resolved path>``), rows with one key are merged into the oldest (their cards move to
it, so no card and no review is lost) and a unique index keeps it so.

A content row whose path is the bundled ``content/`` folder (quizcalc synced the bundled decks
as the content folder before) is left as it is here: the first sync of the bundled decks moves
its cards to their ``bundled:<deck file>`` sources (``quizcalc.study.source_ownership``), as it
does for a backup written before this revision.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_sources = sa.table(
    "sources",
    sa.column("id", sa.Integer()),
    sa.column("role", sa.String()),
    sa.column("path", sa.Text()),
    sa.column("fingerprint", sa.String()),
    sa.column("added_at", sa.DateTime()),
    sa.column("synced_at", sa.DateTime()),
    sa.column("key", sa.Text()),
)
_cards = sa.table(
    "cards",
    sa.column("id", sa.Integer()),
    sa.column("source_id", sa.Integer()),
    sa.column("source", sa.Text()),
)


def _key(role: str, path: str) -> str:
    # Frozen copy of quizcalc.store.models.derived_source_key as of this revision.
    if role == "content":
        return "content"
    if role == "bundled":
        return f"bundled:{Path(path).name}"
    return f"{role}:{path}"


def _merge_duplicates(connection: sa.Connection) -> None:
    """Keep the oldest row of each key; its cards and the others' cards all point to it."""
    rows = connection.execute(
        sa.select(_sources.c.id, _sources.c.role, _sources.c.path, _sources.c.synced_at).order_by(
            _sources.c.id
        )
    ).all()
    by_key: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        by_key[_key(row.role, row.path)].append(row)
    for key, group in by_key.items():
        kept, others = group[0], group[1:]
        values: dict[str, object] = {"key": key}
        if others:
            synced = [r for r in group if r.synced_at is not None]
            latest = max(synced, key=lambda r: r.synced_at) if synced else kept
            # The next sync reads every file again: the merged cards are all matched then.
            values.update(path=latest.path, fingerprint=None)
            ids = [r.id for r in others]
            connection.execute(
                _cards.update().where(_cards.c.source_id.in_(ids)).values(source_id=kept.id)
            )
            connection.execute(_sources.delete().where(_sources.c.id.in_(ids)))
        connection.execute(_sources.update().where(_sources.c.id == kept.id).values(**values))


def upgrade() -> None:
    """Add ``sources.key``, fill it, merge rows that share a key, make it unique."""
    # Added in place (rebuilding ``sources`` would break the cards' foreign keys): NOT NULL
    # needs a default for the rows already there, each then gets its own key.
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("key", sa.Text(), nullable=False, server_default=""))
    connection = op.get_bind()
    _merge_duplicates(connection)
    op.create_index("ix_sources_key", "sources", ["key"], unique=True)


def downgrade() -> None:
    """Drop ``sources.key`` (merged rows stay merged)."""
    op.drop_index("ix_sources_key", table_name="sources")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("key")
