"""Web chat: a page to talk to the bot locally, and its JSON endpoint."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from bot.rasa_client import SERVICE_UNAVAILABLE_TEXT, RasaUnavailable
from hotline_console.api.deps import SettingsDep

logger = logging.getLogger(__name__)
router = APIRouter(tags=["webchat"])

PAGE = Path(__file__).resolve().parents[2] / "templates" / "chat.html"


class ChatIn(BaseModel):
    session_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")
    text: str = Field(min_length=1)


class ChatButton(BaseModel):
    title: str
    payload: str


class ChatMessage(BaseModel):
    text: str
    buttons: list[ChatButton] = []


class ChatOut(BaseModel):
    messages: list[ChatMessage]
    degraded: bool = False


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
@router.get("/chat", response_class=HTMLResponse)
def chat_page() -> HTMLResponse:
    return HTMLResponse(PAGE.read_text(encoding="utf-8"))


@router.post("/api/v1/webchat/messages", response_model=ChatOut)
async def post_message(body: ChatIn, request: Request, settings: SettingsDep) -> ChatOut:
    text = body.text.strip()
    if len(text) > settings.max_message_chars:
        raise HTTPException(422, f"message longer than {settings.max_message_chars} characters")
    if not text:
        return ChatOut(messages=[ChatMessage(text="Bạn muốn hỏi gì? Hãy nhắn cho mình nhé.")])
    client = request.app.state.rasa_client
    try:
        replies = await client.send(f"webchat:{body.session_id}", text)
    except RasaUnavailable as exc:
        logger.warning("Rasa unavailable for web chat: %s", exc)
        replies = []
    if not replies:  # Rasa down, or an action failed and Rasa said nothing
        return ChatOut(messages=[ChatMessage(text=SERVICE_UNAVAILABLE_TEXT)], degraded=True)
    return ChatOut(
        messages=[
            ChatMessage(text=r.text, buttons=[ChatButton(**b) for b in r.buttons]) for r in replies
        ]
    )
