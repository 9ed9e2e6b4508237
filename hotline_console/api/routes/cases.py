"""Cases and events API (service token until operator sign-in lands with the console)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request, Response, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from hotline_console import cases as case_service
from hotline_console.api.deps import ServiceAuth, SessionDep
from hotline_console.models import Event
from hotline_console.triage_constants import CATEGORIES

router = APIRouter(prefix="/api/v1", tags=["cases"], dependencies=[ServiceAuth])
ActorHeader = Annotated[str, Header(alias="X-Actor", max_length=100)]


class ReportCreate(BaseModel):
    idempotency_key: str = Field(min_length=8, max_length=64)
    sender_id: str | None = Field(None, max_length=200)
    urgency: str = Field("concern", pattern="^(urgent|concern)$")
    category: str = "other"
    intake: dict[str, Any]


class CaseSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    source: str
    urgency: str
    category: str
    status: str
    conversation_id: int | None
    emergency_due_at: datetime | None
    created_at: datetime


class CasePublic(CaseSummary):
    signals: list[dict[str, Any]]
    transcript: list[dict[str, Any]]
    intake: dict[str, Any] | None


@router.post("/cases", status_code=status.HTTP_201_CREATED, response_model=CaseSummary)
async def create_report(body: ReportCreate, request: Request, response: Response, db: SessionDep):
    if body.category not in CATEGORIES:
        raise HTTPException(422, f"unknown category {body.category!r}")
    case, event = case_service.create_report(db, **body.model_dump())
    if event is None:
        response.status_code = status.HTTP_200_OK  # a retry of a stored report
    else:
        await request.app.state.bus.publish({"id": event.id, "kind": event.kind, **event.data})
    return case


@router.get("/cases", response_model=list[CaseSummary])
def list_cases(db: SessionDep, actor: ActorHeader = "service", status: str | None = None):
    return case_service.list_cases(db, status=status, actor=actor)


@router.get("/cases/{case_id}", response_model=CasePublic)
def get_case(case_id: int, db: SessionDep, actor: ActorHeader = "service"):
    case = case_service.view_case(db, case_id=case_id, actor=actor)
    if case is None:
        raise HTTPException(404, "case not found")
    return case


@router.get("/events")
def list_events(db: SessionDep, after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
    """Events after an id: a console that reconnects reads what it missed."""
    rows = db.scalars(
        select(Event).where(Event.id > after).order_by(Event.id).limit(min(limit, 500))
    )
    return [{"id": e.id, "kind": e.kind, **e.data} for e in rows]


@router.get("/events/stream")
async def stream_events(request: Request) -> StreamingResponse:
    """Server-sent events, one per stored event, as they happen."""
    bus = request.app.state.bus
    queue = bus.subscribe()

    async def body():
        try:
            yield ": connected\n\n"
            while not await request.is_disconnected():
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=15)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                yield f"id: {event.get('id')}\nevent: {event.get('kind')}\n"
                yield f"data: {json.dumps(event, ensure_ascii=False, default=str)}\n\n"
        finally:
            bus.unsubscribe(queue)

    return StreamingResponse(body(), media_type="text/event-stream")
