"""Context (seed 001 §6) and the consent record of a sanctioned exception (seed 001 §8) per relationship.

Revision ID: 0004_relationship_context
Revises: 0003_weekly_exercise
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_relationship_context"
down_revision = "0003_weekly_exercise"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("relationships", sa.Column("context", sa.JSON, nullable=False, server_default="{}"))
    op.add_column("relationships", sa.Column("consent", sa.JSON, nullable=False, server_default="{}"))


def downgrade() -> None:
    op.drop_column("relationships", "consent")
    op.drop_column("relationships", "context")
