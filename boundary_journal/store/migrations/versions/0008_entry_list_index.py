"""The entry list reads an index of its own columns instead of the pages that hold entry text.

The list (and every search's list) needs only id, time, relationship, category, channel and the
supervision mark, newest first. With those columns in one index, in the list's order, filling a list
of years of entries decrypts a few hundred small index pages instead of every page of entry text.
The index starts with `occurred`, so it also serves every date-range query the old one-column index
did; that index is dropped, so each write maintains one index less.

Revision ID: 0008_entry_list_index
Revises: 0007_fts_purge_on_delete
Create Date: 2026-11-23
"""

from alembic import op

revision = "0008_entry_list_index"
down_revision = "0007_fts_purge_on_delete"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_entries_list", "entries", ["occurred", "id", "relationship_id", "category", "channel", "supervision"]
    )
    op.drop_index("ix_entries_occurred", table_name="entries")


def downgrade() -> None:
    op.create_index("ix_entries_occurred", "entries", ["occurred"])
    op.drop_index("ix_entries_list", table_name="entries")
