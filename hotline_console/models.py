"""Tables of the web app: contacts, conversations, messages, cases, events, audit."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

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


class Contact(Base):
    """A person on one platform, keyed by (channel, platform user id)."""

    __tablename__ = "contacts"
    __table_args__ = (
        UniqueConstraint("channel", "platform_user_id", name="uq_contacts_channel_user"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    platform_user_id: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    last_inbound_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def sender_id(self) -> str:
        return f"{self.channel}:{self.platform_user_id}"


class Conversation(Base):
    """pending (the bot has it) → open (a person has it) → resolved; urgency from triage."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    urgency: Mapped[str] = mapped_column(String(16), default="none")
    assignee: Mapped[str | None] = mapped_column(String(100), nullable=True)
    safety_step: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    contact: Mapped[Contact] = relationship()


class Message(Base):
    """Every message in and out, with delivery status; activity rows give the timeline."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint(
            "channel", "direction", "platform_message_id", name="uq_messages_platform_id"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    direction: Mapped[str] = mapped_column(String(16))  # incoming | outgoing | activity
    sender: Mapped[str] = mapped_column(String(16))  # user | bot | operator | system
    kind: Mapped[str] = mapped_column(String(16), default="text")
    text: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    platform_message_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    private: Mapped[bool] = mapped_column(default=False)
    # incoming: received → triaged → answered | waiting_bot | handed_off
    # outgoing: pending → sent | retry (passing platform error, resent) | failed (permanent)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    triage: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    conversation: Mapped[Conversation] = relationship()


class Case(Base):
    """A child-protection case (Decree 56/2017): urgent escalations and Mẫu 01 reports."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id"), index=True, nullable=True
    )
    source: Mapped[str] = mapped_column(String(16))  # triage | report_form
    urgency: Mapped[str] = mapped_column(String(16), index=True)
    category: Mapped[str] = mapped_column(String(32), default="other")
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    signals: Mapped[list] = mapped_column(JSON, default=list)
    transcript: Mapped[list] = mapped_column(JSON, default=list)
    intake: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # Mẫu 01 fields
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    emergency_due_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Event(Base):
    """What the console must hear about in real time, stored so nothing is missed on reconnect."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(48), index=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """Who viewed or changed what; every read of a case is written here."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(48))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ButtonPayload(Base):
    """Short ids for button payloads (Telegram callback_data holds at most 64 bytes)."""

    __tablename__ = "button_payloads"

    key: Mapped[str] = mapped_column(String(24), primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PlatformToken(Base):
    """OAuth tokens of a platform account; ``version`` makes every rotation atomic."""

    __tablename__ = "platform_tokens"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
