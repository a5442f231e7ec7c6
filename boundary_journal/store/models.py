"""The journal's tables as SQLAlchemy 2.0 typed ORM classes. Alembic owns the schema; these mirror it."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    orm,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

RELATIONSHIP_STATUSES = ("active", "closed")


class Base(DeclarativeBase):
    pass


# Several tables have a column attribute called `relationship` (the patient relationship), so the ORM
# function is always spelled `orm.relationship` here.


class Relationship(Base):
    """A patient relationship, known only by the clinician's pseudonym ("Client K")."""

    __tablename__ = "relationships"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(80, collation="NOCASE"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Seed 001 §6: what changes the judgement (emergency, type of relationship, channels, capacity).
    context: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Seed 001 §8: the consent record for a sanctioned exception (informed, voluntary, scope, documented).
    consent: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    entries: Mapped[list[Entry]] = orm.relationship(back_populates="relationship")
    stage_changes: Mapped[list[StageChange]] = orm.relationship(
        back_populates="relationship", order_by="StageChange.set_at"
    )


class Entry(Base):
    """One logged grey-zone interaction, filled in from a catalogue template."""

    __tablename__ = "entries"
    __table_args__ = (
        # The list's columns in its order (newest first): a list or search reads this, not the entry text.
        Index("ix_entries_list", "occurred", "id", "relationship_id", "category", "channel", "supervision"),
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
    # Decision-flow answers {rule id: "yes" | "no"} and the look back at one's own response {move id: true}.
    flow: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    response_review: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    relationship: Mapped[Relationship] = orm.relationship(back_populates="entries")


class SelfCheck(Base):
    """A red-flag check-in, for one relationship or (relationship None) overall."""

    __tablename__ = "self_checks"
    __table_args__ = (Index("ix_self_checks_relationship_taken", "relationship_id", "taken_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taken_at: Mapped[datetime] = mapped_column(DateTime)
    relationship_id: Mapped[int | None] = mapped_column(ForeignKey("relationships.id"), nullable=True)
    answers: Mapped[dict[str, int]] = mapped_column(JSON)  # red flag id -> level value 0..2
    item_notes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str] = mapped_column(Text, default="")  # what is going on for the clinician
    created_at: Mapped[datetime] = mapped_column(DateTime)

    relationship: Mapped[Relationship | None] = orm.relationship()


class StageChange(Base):
    """The clinician setting a relationship's slope stage (1-5); the latest one is current."""

    __tablename__ = "stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    relationship_id: Mapped[int] = mapped_column(ForeignKey("relationships.id"), index=True)
    stage: Mapped[int] = mapped_column(Integer)
    set_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")

    relationship: Mapped[Relationship] = orm.relationship(back_populates="stage_changes")


class Action(Base):
    """Something the clinician means to do, such as raising a relationship in supervision."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(32))  # self_check | entry | exercise | manual
    origin_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    relationship_id: Mapped[int | None] = mapped_column(ForeignKey("relationships.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    outcome: Mapped[str] = mapped_column(Text, default="")

    relationship: Mapped[Relationship | None] = orm.relationship()


class WeeklyExercise(Base):
    """One ISO week's "grey relationship" exercise: the unease in one sentence, the move, the day to do it."""

    __tablename__ = "weekly_exercises"
    __table_args__ = (UniqueConstraint("iso_year", "iso_week", name="uq_weekly_exercises_week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iso_year: Mapped[int] = mapped_column(Integer)
    iso_week: Mapped[int] = mapped_column(Integer)
    relationship_id: Mapped[int] = mapped_column(ForeignKey("relationships.id"))
    unease: Mapped[str] = mapped_column(Text)
    move: Mapped[str] = mapped_column(String(64))
    move_other: Mapped[str] = mapped_column(Text, default="")
    on_date: Mapped[date] = mapped_column(Date)
    at_time: Mapped[time | None] = mapped_column(Time, nullable=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)  # done | not_done | partly
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    followup_offered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    relationship: Mapped[Relationship] = orm.relationship()
    action: Mapped[Action | None] = orm.relationship()


class Setting(Base):
    """A preference stored inside the encrypted journal (nothing is written to plain settings files)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, object]] = mapped_column(JSON)


class Draft(Base):
    """What the entry editor held and had not saved, as JSON; one row per editor slot ("new", "entry-7")."""

    __tablename__ = "drafts"

    slot: Mapped[str] = mapped_column(String(32), primary_key=True)
    content: Mapped[dict[str, object]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(DateTime)


class WarningAck(Base):
    """A drift warning the clinician acknowledged, with a note. It keeps that warning quiet until evidence
    newer than `evidence_at` (the warning's `since`) arrives."""

    __tablename__ = "warning_acks"
    __table_args__ = (Index("ix_warning_acks_scope", "kind", "relationship_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # the catalogue's warning id
    relationship_id: Mapped[int | None] = mapped_column(ForeignKey("relationships.id"), nullable=True)
    evidence_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    acked_at: Mapped[datetime] = mapped_column(DateTime)

    relationship: Mapped[Relationship | None] = orm.relationship()
