"""Self-checks, slope stages, actions; decision-flow answers and response review on entries.

Revision ID: 0002_self_checks
Revises: 0001_journal_core
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_self_checks"
down_revision = "0001_journal_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (not a batch copy) keeps the entries table, and so its FTS triggers, in place.
    op.add_column("entries", sa.Column("flow", sa.JSON, nullable=False, server_default="{}"))
    op.add_column("entries", sa.Column("response_review", sa.JSON, nullable=False, server_default="{}"))
    op.create_table(
        "self_checks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("taken_at", sa.DateTime, nullable=False),
        sa.Column("relationship_id", sa.Integer, sa.ForeignKey("relationships.id"), nullable=True),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("item_notes", sa.JSON, nullable=False, server_default="{}"),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("context", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_self_checks_relationship_taken", "self_checks", ["relationship_id", "taken_at"])
    op.create_table(
        "stage_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("relationship_id", sa.Integer, sa.ForeignKey("relationships.id"), nullable=False),
        sa.Column("stage", sa.Integer, nullable=False),
        sa.Column("set_at", sa.DateTime, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_stage_changes_relationship_id", "stage_changes", ["relationship_id"])
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("origin", sa.String(32), nullable=False),
        sa.Column("origin_id", sa.Integer, nullable=True),
        sa.Column("relationship_id", sa.Integer, sa.ForeignKey("relationships.id"), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("due_on", sa.Date, nullable=True),
        sa.Column("done_at", sa.DateTime, nullable=True),
        sa.Column("outcome", sa.Text, nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_table("actions")
    op.drop_index("ix_stage_changes_relationship_id", "stage_changes")
    op.drop_table("stage_changes")
    op.drop_index("ix_self_checks_relationship_taken", "self_checks")
    op.drop_table("self_checks")
    # Native DROP COLUMN (SQLite 3.35+), again so the entries table and its triggers stay in place.
    op.drop_column("entries", "response_review")
    op.drop_column("entries", "flow")
