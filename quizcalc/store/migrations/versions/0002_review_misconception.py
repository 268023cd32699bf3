"""review_log.misconception: which known wrong answer a problem attempt matched

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the nullable misconception tag (statistics count them per family and section)."""
    with op.batch_alter_table("review_log") as batch:
        batch.add_column(sa.Column("misconception", sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Drop the misconception tag."""
    with op.batch_alter_table("review_log") as batch:
        batch.drop_column("misconception")
