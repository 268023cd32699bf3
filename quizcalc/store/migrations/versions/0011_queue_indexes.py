"""Indexes for today's queue at a heavy learner's scale

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

- ``ix_schedule_due`` becomes ``(due, buried_until)``: the queue walks it in due order and
  reads whether a card is buried from the index itself, never from the ``schedule`` rows.
- ``ix_cards_deck_reading_order`` ``(deck_id, status, source_id, position, id, section)``:
  one deck's active cards in reading order, so the first new cards of a deck whose cards are
  mostly new are found by reading just them; with ``section`` the deck list's totals read
  this index alone, not the cards' rows.

Indexes only: no table or row changes.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Widen the due index, add the per-deck reading-order index."""
    with op.batch_alter_table("schedule") as batch_op:
        batch_op.drop_index("ix_schedule_due")
        batch_op.create_index("ix_schedule_due", ["due", "buried_until"], unique=False)
    with op.batch_alter_table("cards") as batch_op:
        batch_op.create_index(
            "ix_cards_deck_reading_order",
            ["deck_id", "status", "source_id", "position", "id", "section"],
            unique=False,
        )


def downgrade() -> None:
    """Back to the due index of schema 0001, without the reading-order index."""
    with op.batch_alter_table("cards") as batch_op:
        batch_op.drop_index("ix_cards_deck_reading_order")
    with op.batch_alter_table("schedule") as batch_op:
        batch_op.drop_index("ix_schedule_due")
        batch_op.create_index("ix_schedule_due", ["due"], unique=False)
