"""Tables of the foundation: requests for a person and campaign subscriptions."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hotline_console.db import Base


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class HandoffRequest(Base):
    """A user asked for a person, or the bot escalated; the console picks these up."""

    __tablename__ = "handoff_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(200), index=True)
    reason: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str | None] = mapped_column(String(16), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Subscription(Base):
    """Consent to receive seasonal safety tips, one row per chat user."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("sender_id", name="uq_subscriptions_sender"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str | None] = mapped_column(String(16), nullable=True)
    active: Mapped[bool] = mapped_column(default=True)
    consent_text: Mapped[str] = mapped_column(String(200), default="")
    consented_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
