"""Drafts of the entry editor, kept inside the encrypted journal until the entry is saved or discarded.

A new table only: the entries table and its full-text triggers are untouched.

Revision ID: 0006_drafts
Revises: 0005_fts_secure_delete
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_drafts"
down_revision = "0005_fts_secure_delete"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("slot", sa.String(32), primary_key=True),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("saved_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("drafts")
