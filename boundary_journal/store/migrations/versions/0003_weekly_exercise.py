"""The weekly grey-relationship exercise, and preferences kept inside the encrypted journal.

Revision ID: 0003_weekly_exercise
Revises: 0002_self_checks
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_weekly_exercise"
down_revision = "0002_self_checks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "weekly_exercises",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("iso_year", sa.Integer, nullable=False),
        sa.Column("iso_week", sa.Integer, nullable=False),
        sa.Column("relationship_id", sa.Integer, sa.ForeignKey("relationships.id"), nullable=False),
        sa.Column("unease", sa.Text, nullable=False),
        sa.Column("move", sa.String(64), nullable=False),
        sa.Column("move_other", sa.Text, nullable=False, server_default=""),
        sa.Column("on_date", sa.Date, nullable=False),
        sa.Column("at_time", sa.Time, nullable=True),
        sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id"), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("outcome_note", sa.Text, nullable=False, server_default=""),
        sa.Column("outcome_at", sa.DateTime, nullable=True),
        sa.Column("followup_offered_on", sa.Date, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("iso_year", "iso_week", name="uq_weekly_exercises_week"),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("settings")
    op.drop_table("weekly_exercises")
