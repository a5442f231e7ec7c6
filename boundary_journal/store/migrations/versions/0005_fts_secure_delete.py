"""Deleted entries leave no words behind in the full-text index.

FTS5 otherwise keeps a deleted entry's terms in its index pages until they are merged; with
secure-delete they are removed at once, and the rebuild drops what earlier deletions left.

Revision ID: 0005_fts_secure_delete
Revises: 0004_relationship_context
Create Date: 2026-11-23
"""

from alembic import op

revision = "0005_fts_secure_delete"
down_revision = "0004_relationship_context"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("INSERT INTO entries_fts(entries_fts, rank) VALUES ('secure-delete', 1)")
    op.execute("INSERT INTO entries_fts(entries_fts) VALUES ('rebuild')")


def downgrade() -> None:
    op.execute("INSERT INTO entries_fts(entries_fts, rank) VALUES ('secure-delete', 0)")
