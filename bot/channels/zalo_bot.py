"""Zalo Bot Platform: Telegram-like bot accounts; webhook with a secret token, or polling."""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any

import httpx

from bot.channels.base import ChannelAdapter, DeliveryResult, InboundMessage, OutboundMessage

logger = logging.getLogger(__name__)
MAX_TEXT = 2000
EVENT_KINDS = {
    "message.text.received": "text",
    "message.image.received": "photo",
    "message.sticker.received": "sticker",
    "message.unsupported.received": "unsupported",
}


class ZaloBotAdapter(ChannelAdapter):
    name = "zalo_bot"

    def __init__(
        self,
        *,
        token: str,
        api_base: str = "https://bot-api.zaloplatforms.com",
        webhook_secret: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        self.webhook_secret = webhook_secret
        self._url = f"{api_base.rstrip('/')}/bot{token}"
        self._client = httpx.AsyncClient(timeout=40, transport=transport)
        self._polling: asyncio.Task | None = None

    async def close(self) -> None:
        if self._polling:
            self._polling.cancel()
        await self._client.aclose()

    def verify(self, header_value: str | None) -> bool:
        if not self.webhook_secret:
            return False
        return hmac.compare_digest((header_value or "").encode(), self.webhook_secret.encode())

    def parse(self, update: dict[str, Any]) -> InboundMessage | None:
        if "event_name" not in update and isinstance(update.get("result"), dict):
            update = update["result"]  # some deliveries wrap the update as {"ok", "result"}
        event = update.get("event_name") or ""
        message = update.get("message") or {}
        sender = (message.get("from") or {}).get("id") or (message.get("chat") or {}).get("id")
        if not sender or (message.get("from") or {}).get("is_bot"):
            return None
        kind = EVENT_KINDS.get(event, "unsupported")
        return InboundMessage(
            channel=self.name,
            platform_user_id=str((message.get("chat") or {}).get("id") or sender),
            kind=kind,
            text=str(message.get("text") or "") if kind == "text" else "",
            platform_message_id=str(message.get("message_id") or "") or None,
            display_name=(message.get("from") or {}).get("display_name"),
            media_ref=str(message.get("photo") or "")[:500] or None if kind == "photo" else None,
        )

    async def _call(self, method: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        resp = await self._client.post(f"{self._url}/{method}", json=payload)
        try:
            return resp.status_code, resp.json()
        except ValueError:
            return resp.status_code, {"ok": False, "description": "not JSON"}

    async def send(self, platform_user_id: str, message: OutboundMessage) -> DeliveryResult:
        text = message.text
        if message.buttons:  # no keyboards on this platform: name the options instead
            text += "\n\nBạn có thể nhắn: " + "; ".join(b["title"] for b in message.buttons)
        for attempt in range(3):
            try:
                status, data = await self._call(
                    "sendMessage", {"chat_id": platform_user_id, "text": text[:MAX_TEXT]}
                )
            except httpx.HTTPError as exc:
                if attempt < 2:
                    await asyncio.sleep(0.5 * (attempt + 1))
                    continue
                return DeliveryResult(ok=False, error=f"network {type(exc).__name__}")
            if data.get("ok"):
                return DeliveryResult(
                    ok=True,
                    platform_message_id=str((data.get("result") or {}).get("message_id") or ""),
                )
            code = int(data.get("error_code") or status)
            if (code == 429 or code >= 500) and attempt < 2:
                await asyncio.sleep(0.5 * (attempt + 1))
                continue
            return DeliveryResult(
                ok=False,
                error=f"{code} {data.get('description', '')}"[:300],
                permanent=code in (400, 403),
            )
        return DeliveryResult(ok=False, error="not sent")

    def start_polling(self, handle) -> None:  # noqa: ANN001
        self._polling = asyncio.create_task(self._poll(handle))

    async def _poll(self, handle) -> None:  # noqa: ANN001
        try:
            await self._call("deleteWebhook", {})
        except httpx.HTTPError:
            pass
        while True:
            try:
                status, data = await self._call("getUpdates", {"timeout": 30})
            except httpx.HTTPError:
                await asyncio.sleep(2)
                continue
            if status == 408 or data.get("error_code") == 408 or not data.get("ok"):
                if status != 408 and data.get("error_code") != 408:
                    await asyncio.sleep(2)
                continue
            result = data.get("result")
            for update in result if isinstance(result, list) else [result]:
                if not update:
                    continue
                try:
                    await handle(update)
                except Exception:  # noqa: BLE001
                    logger.exception("Zalo Bot update not stored")
