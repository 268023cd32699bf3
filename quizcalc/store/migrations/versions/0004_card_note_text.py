"""cards: the note text of a cloze card, so exports can write the note back

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``cards.note`` (empty for existing rows; the next sync fills it in)."""
    with op.batch_alter_table("cards") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    """Drop ``cards.note``."""
    with op.batch_alter_table("cards") as batch:
        batch.drop_column("note")
