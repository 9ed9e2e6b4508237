"""Case service: every state change of cases, with its event and audit entries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline_console.models import AuditEntry, Case, Contact, Conversation, Event


def conversation_for_sender(db: Session, sender_id: str) -> Conversation | None:
    """The open conversation of a Rasa sender id ("<channel>:<platform user id>")."""
    channel, _, user_id = sender_id.partition(":")
    return db.scalars(
        select(Conversation)
        .join(Contact, Conversation.contact_id == Contact.id)
        .where(
            Contact.channel == channel,
            Contact.platform_user_id == user_id,
            Conversation.status != "resolved",
        )
        .order_by(Conversation.id.desc())
    ).first()


def create_report(
    db: Session,
    *,
    idempotency_key: str,
    sender_id: str | None,
    intake: dict[str, Any],
    urgency: str,
    category: str,
) -> tuple[Case, Event | None]:
    """Store a Mẫu 01 report as a case; a retried submission returns the first one."""
    existing = db.scalars(select(Case).where(Case.idempotency_key == idempotency_key)).first()
    if existing is not None:
        return existing, None
    conversation = conversation_for_sender(db, sender_id) if sender_id else None
    case = Case(
        conversation_id=conversation.id if conversation else None,
        source="report_form",
        urgency=urgency,
        category=category,
        status="new",
        signals=[{"source": "report_form", "level": urgency, "category": category, "evidence": ""}],
        transcript=[],
        intake=intake,
        idempotency_key=idempotency_key,
    )
    db.add(case)
    try:
        db.flush()
    except IntegrityError:  # the same key committed concurrently
        db.rollback()
        return db.scalars(select(Case).where(Case.idempotency_key == idempotency_key)).one(), None
    if conversation is not None and conversation.urgency == "none":
        conversation.urgency = urgency
    event = Event(
        kind="case.created",
        data={
            "case_id": case.id,
            "urgency": urgency,
            "category": category,
            "source": "report_form",
        },
    )
    db.add(event)
    db.commit()
    return case, event


RISK_ORDER = sql_case((Case.urgency == "urgent", 0), (Case.urgency == "concern", 1), else_=2)


def list_cases(db: Session, *, status: str | None, actor: str) -> list[Case]:
    """Open cases ordered by risk, then oldest first; the listing is audited."""
    query = select(Case)
    if status:
        query = query.where(Case.status == status)
    rows = list(db.scalars(query.order_by(RISK_ORDER, Case.created_at, Case.id)))
    db.add(AuditEntry(actor=actor, action="case.list", object_type="case", object_id="*"))
    db.commit()
    return rows


def view_case(db: Session, *, case_id: int, actor: str) -> Case | None:
    case = db.get(Case, case_id)
    if case is not None:
        db.add(
            AuditEntry(actor=actor, action="case.view", object_type="case", object_id=str(case_id))
        )
        db.commit()
    return case
