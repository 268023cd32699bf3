"""The schema revision this code expects, checked at start without importing alembic."""

HEAD_REVISION = "0014"
"""Alembic head revision; a test checks it matches the migration scripts."""
