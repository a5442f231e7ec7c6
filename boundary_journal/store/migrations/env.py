"""Alembic environment: always run against the connection the app passes in (never a URL)."""

from alembic import context

from boundary_journal.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
