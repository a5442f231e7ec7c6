"""Search finds only what entries say: FTS5's secure-delete mode is turned off again.

SQLite's FTS5 secure-delete (0005) corrupts the index when a long entry (a long doclist spanning
several pages) is edited and then deleted: the deleted words stay, and an entry that later takes the
id is found by words it does not contain (reproduced with plain FTS5 in SQLite 3.53.4). Deleted words
are now purged by compacting the index ('optimize') after each delete (see entries.delete_entry), and
the rebuild here drops whatever earlier deletions left behind.

Revision ID: 0007_fts_purge_on_delete
Revises: 0006_drafts
Create Date: 2026-11-23
"""

from alembic import op

revision = "0007_fts_purge_on_delete"
down_revision = "0006_drafts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("INSERT INTO entries_fts(entries_fts, rank) VALUES ('secure-delete', 0)")
    op.execute("INSERT INTO entries_fts(entries_fts) VALUES ('rebuild')")


def downgrade() -> None:
    op.execute("INSERT INTO entries_fts(entries_fts, rank) VALUES ('secure-delete', 1)")
