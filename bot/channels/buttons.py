"""Short, stable keys for button payloads, stored so a pressed button maps back to its payload."""

from __future__ import annotations

import hashlib

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from hotline_console.models import ButtonPayload

PREFIX = "b:"


def key_for(payload: str) -> str:
    return PREFIX + hashlib.sha256(payload.encode()).hexdigest()[:16]


def remember(sessions: sessionmaker, payload: str) -> str:
    """Store a payload under its key (idempotent) and return the key (18 ASCII bytes)."""
    key = key_for(payload)
    with sessions() as db:
        if db.get(ButtonPayload, key) is None:
            db.add(ButtonPayload(key=key, payload=payload))
            try:
                db.commit()
            except IntegrityError:
                db.rollback()  # stored concurrently: same key, same payload
    return key


def recall(sessions: sessionmaker, key: str) -> str | None:
    with sessions() as db:
        row = db.get(ButtonPayload, key)
        return row.payload if row else None
