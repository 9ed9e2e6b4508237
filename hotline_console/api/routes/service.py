"""API for the action server (service token): requests for a person, subscriptions."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from hotline_console import services
from hotline_console.api.deps import ServiceAuth, SessionDep

router = APIRouter(prefix="/api/v1", tags=["service"], dependencies=[ServiceAuth])

SenderId = Field(min_length=1, max_length=200)


class HandoffCreate(BaseModel):
    sender_id: str = SenderId
    reason: str = Field(min_length=1, max_length=64)
    text: str = Field("", max_length=8000)
    audience: str | None = Field(None, pattern="^(child|parent)$")


class HandoffPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    sender_id: str
    reason: str
    status: str
    created_at: datetime


class SubscriptionCreate(BaseModel):
    sender_id: str = SenderId
    audience: str | None = Field(None, pattern="^(child|parent)$")
    consent_text: str = Field(min_length=1, max_length=200)


class SubscriptionCancel(BaseModel):
    sender_id: str = SenderId


class SubscriptionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sender_id: str
    active: bool


@router.post("/handoffs", status_code=status.HTTP_201_CREATED, response_model=HandoffPublic)
def create_handoff(body: HandoffCreate, db: SessionDep):
    return services.create_handoff(db, **body.model_dump())


@router.get("/handoffs", response_model=list[HandoffPublic])
def list_handoffs(db: SessionDep, status: str | None = "pending"):
    return services.list_handoffs(db, status=status)


@router.post(
    "/subscriptions", status_code=status.HTTP_201_CREATED, response_model=SubscriptionPublic
)
def subscribe(body: SubscriptionCreate, db: SessionDep):
    return services.subscribe(db, **body.model_dump())


@router.post("/subscriptions/cancel", response_model=SubscriptionPublic | None)
def unsubscribe(body: SubscriptionCancel, db: SessionDep):
    return services.unsubscribe(db, sender_id=body.sender_id)
