"""Platform webhooks: verify, store (before answering), then process in the background."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy.exc import SQLAlchemyError

from bot.channels.base import InboundMessage
from bot.channels.zalo_oa import SignatureError

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks", tags=["webhooks"])


def _adapter(request: Request, name: str):  # noqa: ANN202
    adapter = request.app.state.adapters.get(name)
    if adapter is None:
        raise HTTPException(404, f"{name} is not configured")
    return adapter


def store_and_schedule(request: Request, msg: InboundMessage | None) -> dict[str, Any]:
    """Store the message; answer 503 if the database cannot, so the platform retries."""
    if msg is None:
        return {"ok": True, "ignored": True}
    pipeline = request.app.state.pipeline
    try:
        accepted = pipeline.accept(msg)
    except SQLAlchemyError as exc:
        logger.error("%s message not stored: %s", msg.channel, type(exc).__name__)
        raise HTTPException(503, "not stored; retry") from exc
    if accepted.duplicate:
        return {"ok": True, "duplicate": True}
    request.app.state.background.spawn(_process(request.app, msg, accepted.message_id))
    return {"ok": True}


async def _process(app, msg: InboundMessage, message_id: int) -> None:  # noqa: ANN001
    adapter = app.state.adapters.get(msg.channel)
    if hasattr(adapter, "acknowledge"):
        await adapter.acknowledge(msg)
    await app.state.pipeline.process(message_id)


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError as exc:
        raise HTTPException(400, "body is not JSON") from exc


@router.post("/telegram")
async def telegram(request: Request):
    adapter = _adapter(request, "telegram")
    if not adapter.verify(request.headers.get("X-Telegram-Bot-Api-Secret-Token")):
        raise HTTPException(403, "invalid secret token")
    payload = await _json(request)
    if not isinstance(payload, dict) or "update_id" not in payload:
        raise HTTPException(400, "not a Telegram update")
    return store_and_schedule(request, adapter.parse(payload))


@router.post("/zalo-oa")
async def zalo_oa(request: Request):
    adapter = _adapter(request, "zalo_oa")
    raw = await request.body()
    try:
        event = adapter.verify(raw, request.headers.get("X-ZEvent-Signature"))
    except SignatureError as exc:
        raise HTTPException(401, str(exc)) from exc
    return store_and_schedule(request, adapter.parse(event))


@router.post("/zalo-bot")
async def zalo_bot(request: Request):
    adapter = _adapter(request, "zalo_bot")
    if not adapter.verify(request.headers.get("X-Bot-Api-Secret-Token")):
        raise HTTPException(403, "invalid secret token")
    payload = await _json(request)
    if not isinstance(payload, dict):
        raise HTTPException(400, "not a Zalo Bot update")
    return store_and_schedule(request, adapter.parse(payload))


class Background:
    """Tasks started after a webhook answered; kept referenced, awaited at shutdown."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task] = set()

    def spawn(self, coro) -> None:  # noqa: ANN001
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("processing failed: %r", task.exception())

    async def drain(self, timeout: float = 10) -> None:
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=timeout)
