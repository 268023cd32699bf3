"""sources.key: a content folder is keyed by its path, ``content:<resolved path>``

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

Before this revision every content folder was one source keyed ``content``, whatever its path:
on a collection shared by several devices (PostgreSQL), a device syncing another folder than
the first device's retired the first device's cards. A content source is now keyed by its
folder's path, like an import (``import:<resolved path>``), so each device's folder is a
source of its own. The ``content`` row takes the key ``content:`` followed by its ``path``
column (stored resolved since the first schema). Its cards, schedules and review log stay as
they are; a folder later moved hands its cards over to the new path's source at the next sync
(``quizcalc.study.source_ownership``).

Downgrading keys the most recently synced content row ``content`` again. Other content rows
(other devices' folders) are merged into it first, their cards moving to it, as revision 0006
merged rows sharing a key: no card and no review is lost, and the older quizcalc's next sync
retires the cards that are not in its one content folder.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_sources = sa.table(
    "sources",
    sa.column("id", sa.Integer()),
    sa.column("role", sa.String()),
    sa.column("path", sa.Text()),
    sa.column("fingerprint", sa.String()),
    sa.column("synced_at", sa.DateTime()),
    sa.column("key", sa.Text()),
)
_cards = sa.table(
    "cards",
    sa.column("id", sa.Integer()),
    sa.column("source_id", sa.Integer()),
)
_source_files = sa.table("source_files", sa.column("source_id", sa.Integer()))


def upgrade() -> None:
    """Key each ``content`` row ``content:<path>``."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_sources.c.id, _sources.c.path).where(_sources.c.key == "content")
    ).all()
    for row in rows:
        connection.execute(
            _sources.update().where(_sources.c.id == row.id).values(key=f"content:{row.path}")
        )


def downgrade() -> None:
    """Key the most recently synced content row ``content``; merge the others into it."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_sources.c.id, _sources.c.synced_at)
        .where(_sources.c.role == "content")
        .order_by(_sources.c.id)
    ).all()
    if not rows:
        return
    synced = [row for row in rows if row.synced_at is not None]
    kept = max(synced, key=lambda row: row.synced_at) if synced else rows[0]
    others = [row.id for row in rows if row.id != kept.id]
    values: dict[str, object] = {"key": "content"}
    if others:
        # The next sync reads every file again: the merged cards are all matched then.
        values["fingerprint"] = None
        connection.execute(
            _cards.update().where(_cards.c.source_id.in_(others)).values(source_id=kept.id)
        )
        connection.execute(_source_files.delete().where(_source_files.c.source_id.in_(others)))
        connection.execute(_sources.delete().where(_sources.c.id.in_(others)))
    connection.execute(_sources.update().where(_sources.c.id == kept.id).values(**values))
