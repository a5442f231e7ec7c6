"""The journal's tables as SQLAlchemy 2.0 typed ORM classes. Alembic owns the schema; these mirror it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

RELATIONSHIP_STATUSES = ("active", "closed")


class Base(DeclarativeBase):
    pass


class Relationship(Base):
    """A patient relationship, known only by the clinician's pseudonym ("Client K")."""

    __tablename__ = "relationships"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(80, collation="NOCASE"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(DateTime)

    entries: Mapped[list[Entry]] = relationship(back_populates="relationship")


class Entry(Base):
    """One logged grey-zone interaction, filled in from a catalogue template."""

    __tablename__ = "entries"
    __table_args__ = (
        Index("ix_entries_occurred", "occurred"),
        Index("ix_entries_relationship_occurred", "relationship_id", "occurred"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred: Mapped[datetime] = mapped_column(DateTime)
    relationship_id: Mapped[int] = mapped_column(ForeignKey("relationships.id"))
    category: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(64))
    template: Mapped[str] = mapped_column(String(64))
    fields: Mapped[dict[str, str]] = mapped_column(JSON)
    tags: Mapped[list[str]] = mapped_column(JSON)
    supervision: Mapped[bool] = mapped_column(Boolean, default=False)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    relationship: Mapped[Relationship] = relationship(back_populates="entries")
