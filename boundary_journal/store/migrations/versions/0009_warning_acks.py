"""Drift warnings can be acknowledged with a note, and stay quiet until new evidence arrives.

One row per acknowledgement: the warning's kind, its relationship (none for the overall check-ins), the
moment of the evidence it was about (the warning's `since`) and the clinician's note. Existing journals
gain the empty table in place; nothing else changes.

Revision ID: 0009_warning_acks
Revises: 0008_entry_list_index
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_warning_acks"
down_revision = "0008_entry_list_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "warning_acks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("relationship_id", sa.Integer, sa.ForeignKey("relationships.id"), nullable=True),
        sa.Column("evidence_at", sa.DateTime, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("acked_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_warning_acks_scope", "warning_acks", ["kind", "relationship_id"])


def downgrade() -> None:
    op.drop_index("ix_warning_acks_scope", table_name="warning_acks")
    op.drop_table("warning_acks")
