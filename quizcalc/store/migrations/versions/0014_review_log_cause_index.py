"""review_log: a partial index on ``cause_id`` for undoing an answer's credits

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

Undoing an answer looks up the implicit credits and blames it caused (``review_log.cause_id``,
schema 0012). Without an index that is a scan of the whole log: about 150 ms per undo on a
heavy collection of a million reviews, on SQLite and PostgreSQL alike. The index is partial
(only rows with a cause), so it costs nothing for the answers themselves.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_CAUSED_ROWS = sa.text("cause_id IS NOT NULL")


def upgrade() -> None:
    """Add ``ix_review_log_cause`` over the rows that have a cause."""
    with op.batch_alter_table("review_log") as batch:
        batch.create_index(
            "ix_review_log_cause",
            ["cause_id"],
            sqlite_where=_CAUSED_ROWS,
            postgresql_where=_CAUSED_ROWS,
        )


def downgrade() -> None:
    """Drop ``ix_review_log_cause``."""
    with op.batch_alter_table("review_log") as batch:
        batch.drop_index("ix_review_log_cause")
