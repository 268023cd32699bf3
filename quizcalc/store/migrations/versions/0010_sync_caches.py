"""Per-file sync fingerprints and rendered card text, cached so nothing is redone

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

- ``source_files``: one row per file of a source at its last sync (path relative to the
  source, size, mtime in ns, SHA-256 of the bytes). A sync parses only the files whose row
  no longer matches; an unchanged file is not read again.
- ``card_renderings``: a card's text rendered once at sync (the one-line Unicode form shown
  on the first frame, the HTML an ``.apkg`` export writes), keyed by card and form, with the
  renderer's version so a new renderer redoes it.

Both are caches, derived from the files and the cards: backups leave them out and a restore
starts them empty (the next sync fills them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


BIG_INTEGER = sa.Integer().with_variant(sa.BigInteger(), "postgresql")
"""64-bit on PostgreSQL too (times in ns or ms); SQLite's INTEGER already is."""


def upgrade() -> None:
    """Add the ``source_files`` and ``card_renderings`` tables."""
    op.create_table(
        "source_files",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("size", BIG_INTEGER, nullable=False),
        sa.Column("mtime_ns", BIG_INTEGER, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("source_id", "path"),
    )
    op.create_table(
        "card_renderings",
        sa.Column("card_key", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(32), nullable=False),
        sa.Column("renderer", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["card_key"], ["cards.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("card_key", "form"),
    )


def downgrade() -> None:
    """Drop both caches."""
    op.drop_table("card_renderings")
    op.drop_table("source_files")
