"""Every state change of the foundation's tables, keyword-only, one transaction each."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline_console.models import HandoffRequest, Subscription, utcnow


def create_handoff(
    db: Session, *, sender_id: str, reason: str, text: str, audience: str | None
) -> HandoffRequest:
    """Record a request for a person and queue the conversation for the hotline.

    An open request for the same sender is reused; an urgent one raises it.
    """
    from hotline_console.cases import conversation_for_sender

    conversation = conversation_for_sender(db, sender_id)
    if conversation is not None and conversation.status == "pending":
        conversation.status = "queued"
        if reason == "urgent_danger":
            conversation.urgency = "urgent"
    existing = db.scalars(
        select(HandoffRequest).where(
            HandoffRequest.sender_id == sender_id, HandoffRequest.status == "pending"
        )
    ).first()
    if existing is not None:
        if reason == "urgent_danger" and existing.reason != "urgent_danger":
            existing.reason = reason  # an urgent message raises an open request
        existing.text = (existing.text + "\n" + text).strip()[-4000:]
        db.commit()
        return existing
    handoff = HandoffRequest(
        sender_id=sender_id, reason=reason, text=text[:4000], audience=audience, status="pending"
    )
    db.add(handoff)
    db.commit()
    return handoff


def list_handoffs(db: Session, *, status: str | None = "pending") -> list[HandoffRequest]:
    """Pending requests, urgent ones first, then oldest first."""
    query = select(HandoffRequest)
    if status:
        query = query.where(HandoffRequest.status == status)
    rows = list(db.scalars(query.order_by(HandoffRequest.created_at, HandoffRequest.id)))
    return sorted(rows, key=lambda h: 0 if h.reason == "urgent_danger" else 1)


def subscribe(
    db: Session, *, sender_id: str, audience: str | None, consent_text: str
) -> Subscription:
    sub = db.scalars(select(Subscription).where(Subscription.sender_id == sender_id)).first()
    if sub is None:
        sub = Subscription(sender_id=sender_id)
        db.add(sub)
    sub.audience = audience
    sub.active = True
    sub.consent_text = consent_text
    sub.consented_at = utcnow()
    sub.cancelled_at = None
    db.commit()
    return sub


def unsubscribe(db: Session, *, sender_id: str) -> Subscription | None:
    sub = db.scalars(select(Subscription).where(Subscription.sender_id == sender_id)).first()
    if sub is not None and sub.active:
        sub.active = False
        sub.cancelled_at = utcnow()
        db.commit()
    return sub
