"""anki_revlog_extra: Anki's review-log rows without an answer button, kept for Anki

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

An Anki package imported with progress may log "set due date", "forget" or "reschedule" rows
(ease 0, type 4 or 5). They are not answers, so they stay out of ``review_log`` (and out of
every statistic, queue and count); this table keeps them as Anki wrote them so an export with
progress gives them back. Existing databases get an empty table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


BIG_INTEGER = sa.Integer().with_variant(sa.BigInteger(), "postgresql")
"""64-bit on PostgreSQL too (times in ns or ms); SQLite's INTEGER already is."""


def upgrade() -> None:
    """Create ``anki_revlog_extra`` and its index on ``card_key``."""
    op.create_table(
        "anki_revlog_extra",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_key", sa.Integer(), nullable=False),
        sa.Column("anki_id", BIG_INTEGER, nullable=False),
        sa.Column("ease", sa.Integer(), nullable=False),
        sa.Column("ivl", sa.Integer(), nullable=False),
        sa.Column("last_ivl", sa.Integer(), nullable=False),
        sa.Column("factor", sa.Integer(), nullable=False),
        sa.Column("time_ms", sa.Integer(), nullable=False),
        sa.Column("type", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["card_key"], ["cards.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_anki_revlog_extra_card_key", "anki_revlog_extra", ["card_key"])


def downgrade() -> None:
    """Drop ``anki_revlog_extra``."""
    op.drop_index("ix_anki_revlog_extra_card_key", table_name="anki_revlog_extra")
    op.drop_table("anki_revlog_extra")
