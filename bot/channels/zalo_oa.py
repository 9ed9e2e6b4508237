"""Zalo Official Account (Open API v3): signed webhooks, consultation messages, token rotation.

Zalo expects a 200 within about 2 s, so the webhook stores the event and processes it after.
Errors arrive as HTTP 200 with ``error`` != 0. Refresh tokens are single-use: every rotation
is stored atomically (compare-and-set on a version) before the new access token is used.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.orm import sessionmaker

from bot.channels import buttons
from bot.channels.base import ChannelAdapter, DeliveryResult, InboundMessage, OutboundMessage
from hotline_console.models import PlatformToken, utcnow

logger = logging.getLogger(__name__)

PLATFORM = "zalo_oa"
MAX_TEXT = 2000
RETRYABLE = {-32, -100}
TOKEN_INVALID = {-216, -124}
# window, permission or follower problems: the message cannot be sent now, retrying won't help
PERMANENT = {-201, -213, -217, -227, -230, -232, -234, -244}
IGNORED_EVENTS = {"user_received_message", "user_seen_message", "oa_send_text", "oa_send_image",
                  "oa_send_list", "oa_send_gif", "oa_send_file", "oa_send_sticker"}  # fmt: skip
EVENT_KINDS = {
    "user_send_text": "text",
    "user_send_image": "photo",
    "user_send_gif": "sticker",
    "user_send_sticker": "sticker",
    "user_send_location": "location",
    "user_send_file": "file",
    "user_send_audio": "voice",
    "user_send_video": "file",
    "user_send_link": "text",
    "follow": "follow",
    "unfollow": "unfollow",
}


class SignatureError(ValueError):
    """The X-ZEvent-Signature header does not match the body."""


@dataclass(frozen=True)
class ReplyWindow:
    """Whether the OA may still send a consultation message to a user, and until when."""

    open: bool
    until: datetime | None
    free_until: datetime | None  # replies inside this shorter window are free (policy varies)


def reply_window(
    last_inbound_at: datetime | None,
    *,
    now: datetime | None = None,
    window: timedelta = timedelta(days=7),
    free: timedelta = timedelta(hours=48),
) -> ReplyWindow:
    if last_inbound_at is None:
        return ReplyWindow(False, None, None)
    now = now or utcnow()
    if last_inbound_at.tzinfo is None:
        last_inbound_at = last_inbound_at.replace(tzinfo=now.tzinfo)
    until = last_inbound_at + window
    return ReplyWindow(now < until, until, last_inbound_at + free)


def expected_signature(
    raw_body: bytes, *, signing_id: str, timestamp: str, oa_secret_key: str
) -> str:
    digest = hashlib.sha256(
        signing_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode()
    )
    return "mac=" + digest.hexdigest()


class ZaloOAAdapter(ChannelAdapter):
    name = "zalo_oa"

    def __init__(
        self,
        *,
        sessions: sessionmaker,
        app_id: str,
        oa_secret_key: str,
        app_secret: str,
        refresh_token: str | None = None,
        access_token: str | None = None,
        api_base: str = "https://openapi.zalo.me",
        oauth_base: str = "https://oauth.zaloapp.com",
        signing_id: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        self.sessions = sessions
        self.app_id = app_id
        self.oa_secret_key = oa_secret_key
        self.app_secret = app_secret
        self.signing_id = signing_id or app_id  # some sources sign with the OA id: configurable
        self.api_base = api_base.rstrip("/")
        self.oauth_base = oauth_base.rstrip("/")
        self._seed = (access_token, refresh_token)
        self._client = httpx.AsyncClient(timeout=10, transport=transport)
        self._refresh_lock = asyncio.Lock()

    async def close(self) -> None:
        await self._client.aclose()

    # ---- inbound ----------------------------------------------------------------------
    def verify(self, raw_body: bytes, header_value: str | None) -> dict[str, Any]:
        """Check the signature over the raw body and return the parsed event."""
        try:
            event = json.loads(raw_body)
        except ValueError as exc:
            raise SignatureError("body is not JSON") from exc
        if not isinstance(event, dict):
            raise SignatureError("body is not an object")
        timestamp = str(event.get("timestamp", ""))
        expected = expected_signature(
            raw_body,
            signing_id=self.signing_id,
            timestamp=timestamp,
            oa_secret_key=self.oa_secret_key,
        )
        if not header_value or not hmac.compare_digest(
            header_value.strip().encode(), expected.encode()
        ):
            raise SignatureError("signature mismatch")
        return event

    def parse(self, event: dict[str, Any]) -> InboundMessage | None:
        name = event.get("event_name", "")
        if name in IGNORED_EVENTS or name.startswith("oa_"):
            return None
        kind = EVENT_KINDS.get(name, "unsupported")
        sender = str(
            (event.get("sender") or {}).get("id") or event.get("follower", {}).get("id") or ""
        )
        if not sender:
            return None
        message = event.get("message") or {}
        text = str(message.get("text") or "")
        payload = None
        if kind == "text" and text.startswith("#" + buttons.PREFIX):
            payload = buttons.recall(self.sessions, text[1:])
            kind, text = "callback", ""
        media = None
        attachments = message.get("attachments") or []
        if attachments and isinstance(attachments, list):
            media = str((attachments[0].get("payload") or {}).get("url") or "")[:500] or None
        msg_id = message.get("msg_id") or f"{name}:{sender}:{event.get('timestamp')}"
        return InboundMessage(
            channel=self.name,
            platform_user_id=sender,
            kind=kind,
            text=text,
            payload=payload,
            platform_message_id=str(msg_id),
            media_ref=media if kind in ("photo", "file", "voice") else None,
        )

    # ---- tokens -----------------------------------------------------------------------
    def _stored(self) -> PlatformToken | None:
        with self.sessions() as db:
            row = db.get(PlatformToken, PLATFORM)
            if row is None and self._seed[1]:
                access, refresh = self._seed
                row = PlatformToken(
                    platform=PLATFORM,
                    access_token=access or "",
                    refresh_token=refresh,
                    expires_at=utcnow() if not access else utcnow() + timedelta(minutes=30),
                    version=1,
                )
                db.add(row)
                db.commit()
            if row is not None:
                db.expunge(row)
            return row

    async def access_token(self, *, force_refresh: bool = False) -> str | None:
        token = self._stored()
        if token is None:
            return None
        expires_at = (
            token.expires_at
            if token.expires_at.tzinfo
            else token.expires_at.replace(tzinfo=utcnow().tzinfo)
        )
        if (
            not force_refresh
            and token.access_token
            and expires_at - timedelta(minutes=5) > utcnow()
        ):
            return token.access_token
        async with self._refresh_lock:
            return await self._refresh(token)

    async def _refresh(self, seen: PlatformToken) -> str | None:
        current = self._stored()
        if current.version != seen.version:
            return current.access_token  # another worker rotated it meanwhile
        resp = await self._client.post(
            f"{self.oauth_base}/v4/oa/access_token",
            headers={"secret_key": self.app_secret},
            data={
                "app_id": self.app_id,
                "grant_type": "refresh_token",
                "refresh_token": current.refresh_token,
            },
        )
        body = resp.json() if resp.content else {}
        if resp.status_code != 200 or "access_token" not in body or "refresh_token" not in body:
            logger.error(
                "Zalo OA token refresh refused (%s); the OA may need re-authorising",
                body.get("error"),
            )
            return None
        with self.sessions() as db:
            changed = db.execute(
                update(PlatformToken)
                .where(PlatformToken.platform == PLATFORM, PlatformToken.version == current.version)
                .values(
                    access_token=body["access_token"],
                    refresh_token=body["refresh_token"],
                    expires_at=utcnow() + timedelta(seconds=int(body.get("expires_in", 3600))),
                    version=current.version + 1,
                    updated_at=utcnow(),
                )
            ).rowcount
            db.commit()
        if not changed:  # lost a race: the other writer's tokens are the valid ones
            return self._stored().access_token
        return body["access_token"]

    # ---- outbound ---------------------------------------------------------------------
    def _body(self, user_id: str, message: OutboundMessage) -> dict[str, Any]:
        text = message.text[:MAX_TEXT]
        zalo_buttons = [
            {"title": b["title"][:100], "type": "oa.query.show",
             "payload": "#" + buttons.remember(self.sessions, b["payload"])}
            for b in message.buttons[:5]
        ] + [
            {"title": p["title"], "type": "oa.open.phone", "payload": {"phone_code": p["phone"]}}
            for p in message.phone_buttons[:2]
        ]  # fmt: skip
        body: dict[str, Any] = {"recipient": {"user_id": user_id}, "message": {"text": text}}
        if zalo_buttons:
            body["message"]["attachment"] = {
                "type": "template",
                "payload": {"buttons": zalo_buttons},
            }
        return body

    async def send(self, platform_user_id: str, message: OutboundMessage) -> DeliveryResult:
        body = self._body(platform_user_id, message)
        token = await self.access_token()
        if token is None:
            return DeliveryResult(ok=False, error="no Zalo OA access token", permanent=True)
        for attempt in range(3):
            try:
                resp = await self._client.post(
                    f"{self.api_base}/v3.0/oa/message/cs",
                    headers={"access_token": token},
                    json=body,
                )
            except httpx.HTTPError as exc:
                if attempt < 2:
                    await asyncio.sleep(0.5 * (attempt + 1))
                    continue
                return DeliveryResult(ok=False, error=f"network {type(exc).__name__}")
            if resp.status_code >= 500 or resp.status_code == 429:
                if attempt < 2:
                    await asyncio.sleep(0.5 * (attempt + 1))
                    continue
                return DeliveryResult(ok=False, error=f"HTTP {resp.status_code}")
            try:
                data = resp.json()
            except ValueError:
                return DeliveryResult(ok=False, error=f"HTTP {resp.status_code}: not JSON")
            error = int(data.get("error", 0) or 0)
            if error == 0:
                return DeliveryResult(
                    ok=True,
                    platform_message_id=str((data.get("data") or {}).get("message_id") or ""),
                )
            if error in TOKEN_INVALID and attempt == 0:
                token = await self.access_token(force_refresh=True)
                if token is None:
                    return DeliveryResult(ok=False, error=f"zalo {error}: token", permanent=True)
                continue
            if error in RETRYABLE and attempt < 2:
                await asyncio.sleep(0.5 * (attempt + 1))
                continue
            return DeliveryResult(
                ok=False,
                error=f"zalo {error}: {data.get('message', '')}"[:300],
                permanent=error in PERMANENT,
            )
        return DeliveryResult(ok=False, error="not sent")


def window_for_user(sessions: sessionmaker, user_id: str, **kwargs: Any) -> ReplyWindow:
    """May the OA still message this Zalo user, and until when? Reads the last inbound time."""
    from sqlalchemy import select

    from hotline_console.models import Contact

    with sessions() as db:
        last = db.scalars(
            select(Contact.last_inbound_at).where(
                Contact.channel == PLATFORM, Contact.platform_user_id == user_id
            )
        ).first()
    return reply_window(last, **kwargs)
