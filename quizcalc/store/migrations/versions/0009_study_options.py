"""Flags, burying, collection settings and per-deck options

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

- ``cards.flag``: Anki's coloured flag (0 none, 1 red … 7 purple); existing cards get 0.
- ``schedule.buried_until``: a buried card is left out of the queues until that study day
  (NULL: not buried); burying never changes the card's SM-2 state.
- ``collection_settings``: the collection's own settings (daily limits, scheduler options),
  one JSON value per name, so they travel with backups and to other devices; the device's
  preferences stay in ``config.toml``. The study layer fills it from ``config.toml`` the first
  time a collection without it is opened.
- ``deck_options``: a deck's own daily limits (NULL: the collection's) and today's extension
  of them (custom study's "increase today's limit"), valid on ``extended_day`` only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``cards.flag``, ``schedule.buried_until``, ``collection_settings``, ``deck_options``."""
    with op.batch_alter_table("cards") as batch:
        batch.add_column(sa.Column("flag", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("schedule") as batch:
        batch.add_column(sa.Column("buried_until", sa.Date(), nullable=True))
    op.create_table(
        "collection_settings",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "deck_options",
        sa.Column("deck_id", sa.Integer(), nullable=False),
        sa.Column("new_per_day", sa.Integer(), nullable=True),
        sa.Column("reviews_per_day", sa.Integer(), nullable=True),
        sa.Column("extended_day", sa.Date(), nullable=True),
        sa.Column("extra_new", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("extra_reviews", sa.Integer(), nullable=False, server_default="0"),
        sa.ForeignKeyConstraint(["deck_id"], ["decks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("deck_id"),
    )


def downgrade() -> None:
    """Drop the two tables and the two columns."""
    op.drop_table("deck_options")
    op.drop_table("collection_settings")
    with op.batch_alter_table("schedule") as batch:
        batch.drop_column("buried_until")
    with op.batch_alter_table("cards") as batch:
        batch.drop_column("flag")
