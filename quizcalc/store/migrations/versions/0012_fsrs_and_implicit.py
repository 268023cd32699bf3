"""FSRS memory on the schedule; ratings, implicit credits and resets in the review log

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

- ``schedule.stability`` and ``schedule.difficulty``: a card's FSRS memory (NULL under SM-2
  and for a card never reviewed under FSRS).
- ``review_log.rating``: the FSRS rating (1 Again … 4 Easy) the answer earned, stored when it
  was given (a problem card's depends on the learner's answer times then); NULL on older rows,
  whose rating follows from their quality.
- ``review_log.weight`` and ``review_log.cause_id``: for an ``implicit`` row (a credit from a
  skill that encompasses this one), the credit's weight and the review that caused it.

New nullable columns only: every existing row stays valid.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the FSRS memory columns and the review log's rating, weight and cause."""
    with op.batch_alter_table("schedule") as batch_op:
        batch_op.add_column(sa.Column("stability", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("difficulty", sa.Float(), nullable=True))
    with op.batch_alter_table("review_log") as batch_op:
        batch_op.add_column(sa.Column("rating", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("weight", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("cause_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("review_log") as batch_op:
        batch_op.drop_column("cause_id")
        batch_op.drop_column("weight")
        batch_op.drop_column("rating")
    with op.batch_alter_table("schedule") as batch_op:
        batch_op.drop_column("difficulty")
        batch_op.drop_column("stability")
