"""Client of the Rasa server's REST channel (app env)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

logger = logging.getLogger(__name__)

# Sent when Rasa or the action server cannot answer in time: the hotline is always reachable.
SERVICE_UNAVAILABLE_TEXT = (
    "Xin lỗi, trợ lý đang bận nên chưa trả lời được ngay. Nếu bạn cần giúp, hãy gọi 111 "
    "(Tổng đài bảo vệ trẻ em, miễn phí, 24/7). Khi có nguy hiểm: 113 công an, 115 cấp cứu, "
    "114 cứu hỏa – cứu nạn."
)


class RasaUnavailable(RuntimeError):
    """Rasa did not answer, or answered with an error."""


@dataclass
class BotReply:
    """One message from the bot: text and optional buttons ({title, payload})."""

    text: str = ""
    buttons: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def from_rasa(cls, raw: dict[str, Any]) -> BotReply:
        buttons = [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
            for b in raw.get("buttons") or []
            if b.get("title")
        ]
        return cls(text=str(raw.get("text") or ""), buttons=buttons)


class RasaClient:
    """Sends a user's message to Rasa and returns the bot's replies."""

    def __init__(
        self, base_url: str, timeout: float = 8.0, transport: httpx.AsyncBaseTransport | None = None
    ):
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._transport = transport

    async def send(self, sender_id: str, text: str) -> list[BotReply]:
        url = f"{self._base_url}/webhooks/rest/webhook"
        try:
            async with httpx.AsyncClient(
                timeout=self._timeout, transport=self._transport
            ) as client:
                resp = await client.post(url, json={"sender": sender_id, "message": text})
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"{type(exc).__name__}") from exc
        if resp.status_code != 200:
            raise RasaUnavailable(f"HTTP {resp.status_code}")
        try:
            raw = resp.json()
        except ValueError as exc:
            raise RasaUnavailable("invalid JSON") from exc
        if not isinstance(raw, list):
            raise RasaUnavailable("unexpected body")
        return [BotReply.from_rasa(r) for r in raw if isinstance(r, dict)]

    async def parse(self, text: str) -> dict[str, Any]:
        """Rasa NLU's reading of a text (intent, confidence, ranking) without a dialogue turn."""
        try:
            async with httpx.AsyncClient(
                timeout=self._timeout, transport=self._transport
            ) as client:
                resp = await client.post(f"{self._base_url}/model/parse", json={"text": text})
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"{type(exc).__name__}") from exc
        if resp.status_code != 200:
            raise RasaUnavailable(f"HTTP {resp.status_code}")
        try:
            return resp.json()
        except ValueError as exc:
            raise RasaUnavailable("invalid JSON") from exc

    async def is_ready(self) -> bool:
        try:
            async with httpx.AsyncClient(timeout=2.0, transport=self._transport) as client:
                resp = await client.get(f"{self._base_url}/status")
        except httpx.HTTPError:
            return False
        return resp.status_code == 200
