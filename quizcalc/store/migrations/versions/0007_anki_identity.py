"""note_types and the Anki identity of imported cards, so exports go back without duplicates

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

A card imported from Anki keeps its note's GUID, its template ordinal, its note type (a row
of ``note_types``: Anki's id, name, fields, templates and CSS) and its note's fields as Anki
had them; an export writes them back, so Anki recognises every note. Existing cards get
NULLs (the next import of their package fills them in); cards born in quizcalc keep NULLs.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


BIG_INTEGER = sa.Integer().with_variant(sa.BigInteger(), "postgresql")
"""64-bit on PostgreSQL too (times in ns or ms); SQLite's INTEGER already is."""


def upgrade() -> None:
    """Create ``note_types``; add the four nullable Anki columns to ``cards``."""
    op.create_table(
        "note_types",
        sa.Column("id", BIG_INTEGER, primary_key=True, autoincrement=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Integer(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("templates", sa.Text(), nullable=False),
        sa.Column("css", sa.Text(), nullable=False),
    )
    with op.batch_alter_table("cards") as batch:
        batch.add_column(sa.Column("anki_guid", sa.Text(), nullable=True))
        batch.add_column(sa.Column("anki_ord", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("note_type_id", BIG_INTEGER, nullable=True))
        batch.add_column(sa.Column("anki_fields", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop the Anki columns and ``note_types``."""
    with op.batch_alter_table("cards") as batch:
        for name in ("anki_fields", "note_type_id", "anki_ord", "anki_guid"):
            batch.drop_column(name)
    op.drop_table("note_types")
