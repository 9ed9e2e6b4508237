"""Web chat: a page to talk to the bot, and its JSON endpoints, through the inbound pipeline."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from bot.channels.base import InboundMessage
from bot.rasa_client import SERVICE_UNAVAILABLE_TEXT
from hotline_console.api.deps import SessionDep, SettingsDep
from hotline_console.models import Contact, Conversation, Message

logger = logging.getLogger(__name__)
router = APIRouter(tags=["webchat"])

PAGE = Path(__file__).resolve().parents[2] / "templates" / "chat.html"
SESSION_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"


class ChatIn(BaseModel):
    session_id: str = Field(pattern=SESSION_PATTERN)
    text: str = Field(min_length=1)
    client_message_id: str | None = Field(None, max_length=64)


class ChatButton(BaseModel):
    title: str
    payload: str


class PhoneButton(BaseModel):
    title: str
    phone: str


class ChatMessage(BaseModel):
    id: int
    text: str
    sender: str
    buttons: list[ChatButton] = []
    phone_buttons: list[PhoneButton] = []  # shown as call links (111, 113, ...)


class ChatOut(BaseModel):
    messages: list[ChatMessage]
    degraded: bool = False
    last_id: int | None = None


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
@router.get("/chat", response_class=HTMLResponse)
def chat_page() -> HTMLResponse:
    return HTMLResponse(PAGE.read_text(encoding="utf-8"))


def _outgoing_after(db, session_id: str, after_id: int) -> list[Message]:  # noqa: ANN001
    return list(
        db.scalars(
            select(Message)
            .join(Conversation, Message.conversation_id == Conversation.id)
            .join(Contact, Conversation.contact_id == Contact.id)
            .where(
                Contact.channel == "webchat",
                Contact.platform_user_id == session_id,
                Message.direction == "outgoing",
                Message.private.is_(False),
                Message.id > after_id,
            )
            .order_by(Message.id)
        )
    )


def _out(rows: list[Message]) -> ChatOut:
    messages = [
        ChatMessage(
            id=m.id,
            text=m.text,
            sender=m.sender,
            buttons=[ChatButton(**b) for b in (m.payload or {}).get("buttons", [])],
            phone_buttons=[PhoneButton(**b) for b in (m.payload or {}).get("phone_buttons", [])],
        )
        for m in rows
    ]
    return ChatOut(
        messages=messages,
        degraded=any(m.text == SERVICE_UNAVAILABLE_TEXT for m in rows),
        last_id=rows[-1].id if rows else None,
    )


@router.post("/api/v1/webchat/messages", response_model=ChatOut)
async def post_message(body: ChatIn, request: Request, settings: SettingsDep, db: SessionDep):
    """Store the message, run the pipeline, and return the replies it produced."""
    text = body.text.strip()
    if len(text) > settings.max_message_chars:
        raise HTTPException(422, f"message longer than {settings.max_message_chars} characters")
    is_button = text.startswith("/")
    inbound = InboundMessage(
        channel="webchat",
        platform_user_id=body.session_id,
        kind="callback" if is_button else "text",
        text="" if is_button else text,
        payload=text if is_button else None,
        platform_message_id=body.client_message_id,
    )
    pipeline = request.app.state.pipeline
    try:
        accepted = pipeline.accept(inbound)
    except SQLAlchemyError as exc:
        logger.error("web chat message not stored: %s", type(exc).__name__)
        raise HTTPException(503, "Tin nhắn chưa được lưu. Nếu cần giúp ngay, hãy gọi 111.") from exc
    if accepted.duplicate:
        return ChatOut(messages=[])
    await pipeline.process(accepted.message_id)
    return _out(_outgoing_after(db, body.session_id, accepted.message_id))


@router.get("/api/v1/webchat/messages", response_model=ChatOut)
def poll_messages(
    db: SessionDep,
    session_id: str = Query(pattern=SESSION_PATTERN),
    after: int = Query(0, ge=0),
):
    """Messages sent to this web chat after ``after`` (operator replies arrive this way)."""
    return _out(_outgoing_after(db, session_id, after))
