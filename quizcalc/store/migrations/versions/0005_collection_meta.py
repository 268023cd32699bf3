"""collection_meta: named integers about the collection (its restore generation)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``collection_meta`` with ``generation`` = 0."""
    table = op.create_table(
        "collection_meta",
        sa.Column("name", sa.String(length=64), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
    )
    op.bulk_insert(table, [{"name": "generation", "value": 0}])


def downgrade() -> None:
    """Drop ``collection_meta``."""
    op.drop_table("collection_meta")
